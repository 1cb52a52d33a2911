"""Load the YAML data files shipped inside this package (read once, validated on load)."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

from compliance._yaml import load_table


class ReferenceDataError(RuntimeError):
    """A packaged reference table is malformed; the message names the file and the field."""


@cache
def load(name: str) -> dict[str, Any]:
    """Parse ``name`` (a file in this package) and check that it carries its issue date."""
    text = files(__package__).joinpath(name).read_text(encoding="utf-8")
    data = load_table(text)
    if not isinstance(data, dict):
        raise ReferenceDataError(f"{name}: top level must be a mapping")
    if not isinstance(data.get("issue_date"), date):
        raise ReferenceDataError(f"{name}: 'issue_date' must be a YAML date (YYYY-MM-DD)")
    if not isinstance(data.get("source"), str) or not data["source"].strip():
        raise ReferenceDataError(f"{name}: 'source' must name where the table comes from")
    return data


def issue_date(name: str) -> date:
    """The eCFR issue date stamped in data file ``name``."""
    value = load(name)["issue_date"]
    assert isinstance(value, date)
    return value
