"""The Commerce Country Chart (Supplement No. 1 to 15 CFR part 738) as data with its issue date.

An "X" in a cell means a license is required for items controlled for that reason-for-control
column to that destination (15 CFR 738.4(a)(2)). Cuba, Iran, North Korea and Syria have no
graded row: the chart points to part 746, reported by :func:`embargo_note`. Russia, Belarus
and the covered regions of Ukraine have extra part 746 requirements on top of their row.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from compliance.ear.reference._data import ReferenceDataError, issue_date, load
from compliance.ear.reference.countries import normalize_destination, parent_country

__all__ = [
    "CITATION",
    "COLUMNS",
    "ISSUE_DATE",
    "UnknownColumnError",
    "chart_row",
    "columns_with_x",
    "embargo_note",
    "footnotes",
    "is_embargoed",
    "part_746_note",
    "x_in_box",
]

_FILE = "country_chart.yaml"
ISSUE_DATE: date = issue_date(_FILE)
CITATION = "15 CFR 738 Supp. No. 1"
COLUMNS: tuple[str, ...] = tuple(load(_FILE)["columns"])


class UnknownColumnError(ValueError):
    """Not one of the 16 Country Chart columns."""


class NoChartRowError(LookupError):
    """The destination has no row in the chart (and no referral to another row)."""


@cache
def _rows() -> dict[str, frozenset[str]]:
    data: dict[str, Any] = load(_FILE)
    out: dict[str, frozenset[str]] = {}
    for code, cells in data["rows"].items():
        marks = frozenset(str(cells).split())
        bad = sorted(marks - set(COLUMNS))
        if bad:
            raise ReferenceDataError(f"{_FILE}: row {code} has unknown columns {bad}")
        out[str(code)] = marks
    return out


def _column(column: str) -> str:
    name = column.replace(" ", "").upper()
    if name not in COLUMNS:
        raise UnknownColumnError(
            f"unknown Country Chart column {column!r}; "
            f"columns are {', '.join(COLUMNS)} ({CITATION})"
        )
    return name


def chart_row(country: str) -> str:
    """The row that governs ``country``: itself, or the state a territory is referred to."""
    code = parent_country(normalize_destination(country))
    territories: dict[str, dict[str, str]] = load(_FILE)["territories"]
    if code in territories:
        return territories[code]["row"]
    if code in _rows() or code in load(_FILE)["embargoed"]:
        return code
    raise NoChartRowError(f"destination {country!r} ({code}) has no row in the Country Chart")


def is_embargoed(country: str) -> bool:
    """Cuba, Iran, North Korea, Syria: no graded row; the chart points to part 746."""
    return chart_row(country) in load(_FILE)["embargoed"]


def x_in_box(country: str, column: str) -> bool:
    """True when the chart has an X for ``column`` at ``country``.

    For an embargoed destination the chart has no cells; this returns True, because the part 746
    requirement there is at least as wide as any column (15 CFR 738.4(a)(2)(ii), 746.1).
    """
    col = _column(column)
    row = chart_row(country)
    if row in load(_FILE)["embargoed"]:
        return True
    return col in _rows()[row]


def columns_with_x(country: str) -> tuple[str, ...]:
    """Columns with an X for ``country``, in chart order (empty for embargoed destinations)."""
    row = chart_row(country)
    marks = _rows().get(row, frozenset())
    return tuple(c for c in COLUMNS if c in marks)


def embargo_note(country: str) -> str | None:
    """Where the chart sends the reader to part 746 for ``country``, with the citation."""
    code = normalize_destination(country)
    data: dict[str, Any] = load(_FILE)
    row = chart_row(code)
    if row in data["embargoed"]:
        spec = data["embargoed"][row]
        return f"{spec['pointer']} ({spec['citation']}; {CITATION})"
    return part_746_note(code)


def part_746_note(country: str) -> str | None:
    """Part 746 requirements on top of a graded row (Russia/Belarus 746.8, Ukraine regions)."""
    code = normalize_destination(country)
    extra: dict[str, dict[str, str]] = load(_FILE)["part_746_additional"]
    if code in extra:
        return f"{extra[code]['note']} ({extra[code]['citation']})"
    return None


def footnotes(country: str) -> tuple[str, ...]:
    """The chart footnotes attached to ``country``'s row, each prefixed with its number."""
    data: dict[str, Any] = load(_FILE)
    row = chart_row(country)
    numbers: list[int] = data["row_footnotes"].get(row, [])
    return tuple(f"Footnote {n}: {data['footnotes'][n]} ({CITATION})" for n in numbers)
