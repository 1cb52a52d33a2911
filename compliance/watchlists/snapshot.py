"""A list snapshot: entries plus the provenance that proves what was screened against."""

from __future__ import annotations

import hashlib
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from compliance.watchlists.entry import ListEntry


class SourceFile(BaseModel):
    """One file a snapshot was read from, identified by its content hash."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description="file name (not the full local path, so output is portable)")
    sha256: str
    size: int
    published: datetime | None = Field(
        default=None, description="publication time the file itself states, if any"
    )
    retrieved: datetime | None = None
    url: str | None = None


class ReadIssue(BaseModel):
    """A row a reader could not take as it stands: reported, never silently dropped."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int = Field(description="1-based physical line where the record starts")
    field: str | None = None
    reason: str
    skipped: bool = Field(description="True if the row was left out, False if kept with a repair")


class ListSnapshot(BaseModel):
    """Everything read from one list source at one point in time."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(description="registry name of the source, e.g. 'trade.gov-csl'")
    label: str = Field(description="human label, e.g. 'Consolidated Screening List'")
    files: tuple[SourceFile, ...]
    entries: tuple[ListEntry, ...]
    issues: tuple[ReadIssue, ...] = ()
    is_excerpt: bool = Field(
        default=False, description="True for demonstration excerpts: not a full screening"
    )

    @property
    def snapshot_id(self) -> str:
        """Content address of the snapshot: the same files always give the same id."""
        digest = hashlib.sha256()
        digest.update(self.source.encode("utf-8"))
        for f in sorted(self.files, key=lambda f: f.name):
            digest.update(b"\0" + f.name.encode("utf-8") + b"\0" + f.sha256.encode("ascii"))
        return digest.hexdigest()[:16]

    @property
    def published(self) -> datetime | None:
        """The newest publication time stated by any of the files."""
        dates = [f.published for f in self.files if f.published is not None]
        return max(dates) if dates else None

    def count_by_list(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for e in self.entries:
            counts[e.source] = counts.get(e.source, 0) + 1
        return dict(sorted(counts.items()))
