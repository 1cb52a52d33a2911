"""Country Groups (Supplement No. 1 to 15 CFR part 740) as data with its eCFR issue date.

Lookups take a code or a name (normalised by :func:`countries.normalize_destination`), so
Hong Kong answers as China. A covered region of Ukraine (15 CFR 746.6) answers as Ukraine here;
its embargo is reported by :func:`country_chart.embargo_note`, not by group membership.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache, lru_cache

from compliance.ear.reference._data import ReferenceDataError, issue_date, load
from compliance.ear.reference.countries import (
    all_destinations,
    normalize_destination,
    parent_country,
)

__all__ = ["GROUPS", "ISSUE_DATE", "UnknownGroupError", "groups_of", "in_group", "members"]

_FILE = "country_groups.yaml"
ISSUE_DATE: date = issue_date(_FILE)
CITATION = "15 CFR 740 Supp. No. 1"


class UnknownGroupError(ValueError):
    """The text names no Country Group carried in the table."""


@cache
def _groups() -> dict[str, frozenset[str]]:
    known = all_destinations()
    out: dict[str, frozenset[str]] = {}
    for name, codes in load(_FILE)["groups"].items():
        unknown = sorted(set(codes) - known)
        if unknown:
            raise ReferenceDataError(f"{_FILE}: group {name} lists unknown codes {unknown}")
        if len(set(codes)) != len(codes):
            raise ReferenceDataError(f"{_FILE}: group {name} lists a code twice")
        out[str(name)] = frozenset(codes)
    return out


GROUPS: tuple[str, ...] = tuple(sorted(_groups()))


def _group_name(group: str) -> str:
    """Accept "D:5", "d5", "D 5", "Country Group D:5"."""
    text = re.sub(r"(?i)^\s*country\s+group\s+", "", group).strip().upper()
    match = re.fullmatch(r"([A-E])\s*:?\s*([0-9]?)", text)
    if match is None:
        raise UnknownGroupError(f"not a Country Group name: {group!r} (expected e.g. 'D:5')")
    name = match[1] + (f":{match[2]}" if match[2] else "")
    if name not in _groups():
        raise UnknownGroupError(
            f"Country Group {name} is not carried ({CITATION}); known: {', '.join(GROUPS)}"
        )
    return name


def members(group: str) -> frozenset[str]:
    """ISO-2 codes in ``group`` (e.g. "D:5")."""
    return _groups()[_group_name(group)]


def _member_code(country: str) -> str:
    """The code whose memberships apply: Ukraine for its regions, Switzerland for LI."""
    code = parent_country(normalize_destination(country))
    same_as: dict[str, str] = load(_FILE).get("same_as", {})
    return same_as.get(code, code)


def in_group(country: str, group: str) -> bool:
    """Whether ``country`` (code or name) is in Country Group ``group``.

    Memoised (the tables are fixed at import); errors are raised, never cached."""
    if not (isinstance(country, str) and isinstance(group, str)):
        return _member_code(country) in members(group)
    return _in_group(country, group)


@lru_cache(maxsize=4096)
def _in_group(country: str, group: str) -> bool:
    return _member_code(country) in members(group)


def groups_of(country: str) -> frozenset[str]:
    """Every carried Country Group that ``country`` belongs to."""
    code = _member_code(country)
    return frozenset(name for name, codes in _groups().items() if code in codes)
