"""The registry of official list sources (``lists/sources.yaml``) and where bundled data lives.

URLs, formats and freshness limits are data, not code: when an agency moves a file only the
YAML changes. Everything that needs a bundled file finds it through ``bundled_lists_dir()``.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from compliance._yaml import load_table

ListFormat = Literal["csl-csv", "csl-json", "ofac-csv", "dpl-txt"]
"""Formats a reader exists for; a source in any other format is rejected at load time."""

KNOWN_FORMATS: tuple[str, ...] = get_args(ListFormat)

REGISTRY_FILE = "sources.yaml"


class RegistryError(ValueError):
    """The registry file is missing, unreadable or names a bad source (message says where)."""


class UnknownSourceError(LookupError):
    """No source of that name in the registry."""


def _require_https(url: str) -> str:
    # A list fetched over plain HTTP could be altered in transit without trace.
    if not url.startswith("https://"):
        raise ValueError(f"must be an https:// URL, got {url!r}")
    return url


HttpsUrl = Annotated[str, AfterValidator(_require_https)]
"""A URL that must be fetched over TLS (lists are fetched unattended)."""


class RemoteFile(BaseModel):
    """One file of a source, as the publisher serves it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, description="local file name the reader expects")
    url: HttpsUrl


class ListSource(BaseModel):
    """An official downloadable list: what to fetch, how to read it, how long it stays fresh."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    label: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    format: ListFormat
    files: tuple[RemoteFile, ...] = Field(min_length=1)
    lists: tuple[str, ...] = Field(min_length=1, description="CSL list codes it contains")
    max_age_days: int = Field(ge=1, description="older local snapshots are reported stale")
    info_url: HttpsUrl

    @field_validator("files")
    @classmethod
    def _unique_file_names(cls, value: tuple[RemoteFile, ...]) -> tuple[RemoteFile, ...]:
        names = [f.name for f in value]
        if len(set(names)) != len(names):
            raise ValueError(f"file names repeat: {names}")
        return value


class SourceRegistry(BaseModel):
    """The whole registry file: its review date and its sources, in file order."""

    model_config = ConfigDict(frozen=True)

    reviewed: date
    sources: tuple[ListSource, ...]

    def get(self, name: str) -> ListSource:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources)
        raise UnknownSourceError(f"no list source named {name!r}; known sources: {known}")


def bundled_lists_dir() -> Path:
    """The directory holding ``sources.yaml`` and the Entity List excerpt.

    An installed wheel carries it as ``compliance/_bundled_lists`` (pyproject force-includes
    the top-level ``lists/`` there); an editable checkout reads the repository's ``lists/``.
    """
    packaged = resources.files("compliance") / "_bundled_lists"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "lists"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        "bundled list data not found: neither compliance/_bundled_lists (installed wheel) "
        f"nor {checkout} (source checkout) exists"
    )


def _where(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        loc = ".".join(str(p) for p in item["loc"]) or "(top level)"
        parts.append(f"{loc}: {item['msg']}")
    return "; ".join(parts)


def _parse_sources(raw: Any, file: str) -> tuple[ListSource, ...]:
    if not isinstance(raw, list) or not raw:
        raise RegistryError(f"{file}: 'sources' must be a non-empty list")
    sources: list[ListSource] = []
    for index, item in enumerate(raw):
        label = item.get("name", f"#{index + 1}") if isinstance(item, dict) else f"#{index + 1}"
        try:
            sources.append(ListSource.model_validate(item))
        except ValidationError as exc:
            raise RegistryError(f"{file}: source {label!r}: {_where(exc)}") from exc
    names = [s.name for s in sources]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise RegistryError(f"{file}: source names repeat: {', '.join(repeated)}")
    return tuple(sources)


def _review_date(value: Any) -> date | None:
    # YAML turns a bare 2026-11-29 into a date; a quoted one stays a string.
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def load_registry_document(path: Path | None = None) -> SourceRegistry:
    """Read and validate a registry file (default: the bundled ``sources.yaml``)."""
    path = path if path is not None else bundled_lists_dir() / REGISTRY_FILE
    try:
        data = load_table(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegistryError(f"cannot read source registry {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RegistryError(f"{path.name}: expected a mapping with 'reviewed' and 'sources'")
    reviewed = _review_date(data.get("reviewed"))
    if reviewed is None:
        raise RegistryError(f"{path.name}: 'reviewed' must be a YYYY-MM-DD date")
    return SourceRegistry(reviewed=reviewed, sources=_parse_sources(data.get("sources"), path.name))


def load_registry(path: Path | None = None) -> tuple[ListSource, ...]:
    """The sources of a registry file, in file order (default: the bundled one)."""
    return load_registry_document(path).sources


def get_source(name: str, path: Path | None = None) -> ListSource:
    """One source by registry name, e.g. ``get_source("ofac-sdn")``."""
    return load_registry_document(path).get(name)
