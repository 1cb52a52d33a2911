"""Checks a request's parties must pass before screening: sizes and control characters.

The same rules hold for every field a party carries, so hostile input (a 10,000-character
name, NUL bytes, terminal escapes) gets a 422 naming the field instead of reaching the
matcher or a log.
"""

from __future__ import annotations

from pydantic import ConfigDict

from compliance.screening.results import Party
from compliance.service.config import Limits
from compliance.service.errors import FieldError
from compliance.text_input import control_character


class PartyRequest(Party):
    """A party as a request gives it: the library's ``Party``, but an unknown field is a 422
    naming it (``adress``, ``aliasses``) instead of being dropped without a word."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="Party")


def _check_text(value: str | None, field: str, limits: Limits) -> None:
    if value is None:
        return
    if len(value) > limits.max_name_chars:
        raise FieldError(field, f"longer than {limits.max_name_chars} characters ({len(value)})")
    problem = control_character(value)
    if problem is not None:
        raise FieldError(field, problem)


def check_party(party: Party, limits: Limits, where: str = "") -> None:
    """Raise ``FieldError`` (HTTP 422) naming the first field of ``party`` over a limit."""
    if not party.name.strip():
        raise FieldError(f"{where}name", "empty")
    _check_text(party.name, f"{where}name", limits)
    if len(party.aliases) > limits.max_aliases:
        raise FieldError(f"{where}aliases", f"more than {limits.max_aliases} aliases")
    for k, alias in enumerate(party.aliases):
        _check_text(alias, f"{where}aliases.{k}", limits)
    _check_text(party.id, f"{where}id", limits)
    _check_text(party.address, f"{where}address", limits)
    _check_text(party.country, f"{where}country", limits)
    for key, value in party.extra.items():
        _check_text(key, f"{where}extra", limits)
        _check_text(value, f"{where}extra.{key}", limits)
