"""Which input column holds which party field: header checks and the documented aliases.

A header that cannot be read unambiguously stops the run before any work: a duplicate
column (``id,name,name``) would otherwise screen one of the two silently, and a blank one
would lose its values. The alias table is data (``column_aliases.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from compliance._yaml import load_table
from compliance.errors import InvalidInputError

_FOLD = re.compile(r"[\s\-.]+")


class HeaderError(InvalidInputError):
    """The header row cannot be read unambiguously (duplicate, blank or missing columns)."""


def fold(header: str) -> str:
    """``" Party-Name "`` -> ``"party_name"``: how header names are compared."""
    return _FOLD.sub("_", header.strip().lower()).strip("_")


@cache
def column_aliases() -> dict[str, tuple[str, ...]]:
    """Party field -> header names that mean it, in order of preference."""
    text = resources.files("compliance.io").joinpath("column_aliases.yaml").read_text("utf-8")
    data = load_table(text)
    return {str(field): tuple(fold(str(a)) for a in names) for field, names in data.items()}


@dataclass(frozen=True)
class ColumnMap:
    """The header as given, and which position feeds which party field."""

    header: tuple[str, ...]
    fields: dict[str, int]

    @property
    def passthrough(self) -> tuple[int, ...]:
        """Positions of the columns not used for a party field, in header order."""
        used = set(self.fields.values())
        return tuple(i for i in range(len(self.header)) if i not in used)


def map_columns(
    header: Sequence[str],
    *,
    fields: Sequence[str],
    name_column: str | None = None,
    require_name: bool = True,
) -> ColumnMap:
    """Check ``header`` and find the column of each party field in ``fields``.

    Raises :class:`HeaderError` naming the blank or duplicate columns, the missing name
    column, or the candidates when several columns could be the name.
    """
    names = tuple(h.strip() for h in header)
    blank = [str(i + 1) for i, h in enumerate(names) if not h]
    if blank:
        raise HeaderError(
            f"line 1: header column {', '.join(blank)} has no name "
            f"(header: {', '.join(repr(h) for h in names)})"
        )
    folded = [fold(h) for h in names]
    seen: dict[str, int] = {}
    duplicates: list[str] = []
    for i, key in enumerate(folded):
        if key in seen:
            duplicates.append(f"{names[i]!r} (columns {seen[key] + 1} and {i + 1})")
        else:
            seen[key] = i
    if duplicates:
        raise HeaderError(f"line 1: duplicate column name {', '.join(duplicates)}")
    aliases = column_aliases()
    chosen: dict[str, int] = {}
    if name_column is not None:
        wanted = fold(name_column)
        if wanted not in seen:
            raise HeaderError(
                f"line 1: --name-column {name_column!r} is not in the header ({', '.join(names)})"
            )
        chosen["name"] = seen[wanted]
    for field in fields:
        if field in chosen:
            continue
        candidates = [a for a in aliases.get(field, (field,)) if a in seen]
        candidates = [a for a in candidates if seen[a] not in chosen.values()]
        if not candidates:
            continue
        if field == "name" and field not in candidates and len(candidates) > 1:
            shown = ", ".join(names[seen[a]] for a in candidates)
            raise HeaderError(
                f"line 1: several columns could hold the party name ({shown}); "
                "choose one with --name-column"
            )
        chosen[field] = seen[field] if field in candidates else seen[candidates[0]]
    if "name" not in chosen and require_name:
        known = ", ".join(aliases["name"][:6])
        raise HeaderError(
            f"line 1: header has no 'name' column (found {', '.join(names)}); "
            f"expected one of {known}, ... (docs/user-guide.md) or --name-column"
        )
    return ColumnMap(header=names, fields=chosen)
