"""The Entity List excerpt shipped with the package, for demonstrations without a download.

It is read with the ordinary CSL reader, so it goes through exactly the code a real list
does; its date and label come from the meta file beside it, and the snapshot is always marked
``is_excerpt`` so no output can pass it off as a full screening.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from compliance._yaml import load_table
from compliance.watchlists.readers.csl_csv import read_csl_csv
from compliance.watchlists.registry import bundled_lists_dir
from compliance.watchlists.snapshot import ListSnapshot

EXCERPT_SOURCE = "bis-entity-list-excerpt"
EXCERPT_FILE = "entity_list_excerpt.csv"
EXCERPT_META_FILE = "entity_list_excerpt.meta.yaml"

_FR_CITATION = r"^\d+ FR \d+$"


class BundledDataError(ValueError):
    """The bundled excerpt or its meta file is missing or malformed (message names the file)."""


class FederalRegisterDocument(BaseModel):
    """A Federal Register rule the excerpt's entries were transcribed from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    citation: str = Field(pattern=_FR_CITATION)
    published: dt.date | None = Field(default=None, description="None where not confirmed")
    used_for: str
    title: str | None = None
    document: str | None = Field(default=None, pattern=r"^\d{4}-\d{5}$")
    cited_as: tuple[str, ...] = Field(
        default=(), description="pages the entries cite: where each entry is printed"
    )

    @field_validator("cited_as")
    @classmethod
    def _citations(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [c for c in value if re.fullmatch(_FR_CITATION, c) is None]
        if bad:
            raise ValueError(f"not 'VOL FR PAGE' citations: {bad}")
        return value


class ExcerptMeta(BaseModel):
    """``entity_list_excerpt.meta.yaml``: what the excerpt is and how current it is."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str = Field(min_length=1)
    is_excerpt: Literal[True]
    date: dt.date = Field(description="the latest Federal Register action the excerpt reflects")
    legal_source: str
    transcribed: dt.date
    federal_register: tuple[FederalRegisterDocument, ...] = Field(min_length=1)


def excerpt_meta(path: Path | None = None) -> ExcerptMeta:
    """Read and validate the excerpt's meta file (default: the bundled one)."""
    path = path if path is not None else bundled_lists_dir() / EXCERPT_META_FILE
    try:
        raw = load_table(path.read_text(encoding="utf-8"))
        return ExcerptMeta.model_validate(raw)
    except OSError as exc:
        raise BundledDataError(f"cannot read {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise BundledDataError(f"{path.name}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        fields = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top level)'}: {e['msg']}"
            for e in exc.errors()
        )
        raise BundledDataError(f"{path.name}: {fields}") from exc


def _midnight_utc(day: dt.date) -> dt.datetime:
    # The meta file states a day, not a time: midnight UTC keeps output byte-stable.
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def bundled_excerpt(directory: Path | None = None) -> ListSnapshot:
    """The bundled Entity List excerpt as a snapshot (``is_excerpt=True``, dated by its meta).

    ``directory`` overrides the bundled data directory (tests use it for broken copies).
    """
    directory = directory if directory is not None else bundled_lists_dir()
    meta = excerpt_meta(directory / EXCERPT_META_FILE)
    csv_path = directory / EXCERPT_FILE
    if not csv_path.is_file():
        raise BundledDataError(f"bundled excerpt {csv_path} is missing")
    snapshot = read_csl_csv(csv_path, source=EXCERPT_SOURCE, label=meta.label, is_excerpt=True)
    published = _midnight_utc(meta.date)
    files = tuple(f.model_copy(update={"published": published}) for f in snapshot.files)
    return snapshot.model_copy(update={"files": files})
