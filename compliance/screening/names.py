"""Given names that are one name across transliterations (``data/given_names.yaml``).

``Aleksandr`` / ``Alexander``, ``Mohammed`` / ``Muhammad``: spellings the romanisation
skeleton cannot reconcile because they differ in more than the scheme. Each group's Latin
spellings share the skeleton of its first spelling (``transliterate.skeleton``), so they pair
like two romanisations of one word (similarity 0.95, never 1: the written forms differ), and
the index keys and the scorer agree because both read the skeleton. A group's names in
Arabic, Hebrew and other scripts, which leave vowels unwritten, are read as that first
spelling before the script is romanised letter by letter.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from compliance._yaml import load_table
from compliance.errors import ConfigurationError

_FILE = "data/given_names.yaml"


class NameTableError(ConfigurationError):
    """The packaged given-name table is malformed."""


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    data: Any = load_table(
        files("compliance.screening").joinpath(_FILE).read_text(encoding="utf-8")
    )
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise NameTableError(f"{_FILE}: 'groups' must be a list")
    spelling: dict[str, str] = {}
    script: dict[str, str] = {}
    for number, group in enumerate(groups, start=1):
        latin = group.get("latin") if isinstance(group, dict) else None
        if not isinstance(latin, list) or not latin:
            raise NameTableError(f"{_FILE}: group {number} has no Latin spelling")
        first = str(latin[0])
        for name in latin:
            text = str(name).casefold()
            if spelling.get(text, first) != first:
                raise NameTableError(f"{_FILE}: {text!r} is in two groups")
            spelling[text] = first
        for name in group.get("script") or ():
            script[str(name)] = first
    return spelling, script


def given_name_spellings() -> dict[str, str]:
    """Lower-case Latin spelling -> the group's first spelling (``alexander`` ->
    ``aleksandr``)."""
    return _tables()[0]


def script_names() -> dict[str, str]:
    """A name written in another script -> its group's Latin spelling (``محمد`` ->
    ``muhammad``)."""
    return _tables()[1]
