"""Russian organisation acronyms read in full (``data/russian_acronyms.yaml``), for an extra
reading of a name, screened beside it.

One list writes a Russian organisation's generic head as its acronym and the other writes it
out: ``FGBU 48 TSNII MINOBORONY ROSSII`` (SDN) is the *48th Central Scientific Research
Institute* (Entity List), ``RPE SAPFIR PJSC`` the *Research and Production Enterprise
Sapfir*, ``ODK-SATURN PAO`` the *UEC-Saturn*. An acronym of generic words says what kind of
organisation it is; read in full it meets the written-out words. Whole words only (``nii``
in ``NII MOLEKULYARNOI ...``, not inside another word); the acronyms are matched in lower
case, in Cyrillic (``ЦНИИ``) and in their romanised spellings (``tsnii``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from typing import Any

from compliance._yaml import load_table
from compliance.errors import ConfigurationError

_FILE = "data/russian_acronyms.yaml"
# Countries whose organisations write Russian acronyms (a party that gives another country
# gets no acronym reading: ``KB`` of a Korean bank is not a design bureau).
RUSSIAN_ACRONYM_COUNTRIES = frozenset(
    {"RU", "BY", "UA", "KZ", "KG", "TJ", "UZ", "TM", "AM", "AZ", "GE", "MD"}
)


class AcronymTableError(ConfigurationError):
    """The packaged acronym table is malformed."""


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], dict[str, str]]:
    """(romanised acronym -> English, lower-case Cyrillic acronym -> English)."""
    data: Any = load_table(files("compliance.screening").joinpath(_FILE).read_text("utf-8"))
    rows = data.get("acronyms") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise AcronymTableError(f"{_FILE}: 'acronyms' must be a list")
    latin: dict[str, str] = {}
    cyrillic: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        english = row.get("english") if isinstance(row, dict) else None
        spellings = row.get("latin") if isinstance(row, dict) else None
        script = row.get("cyrillic") if isinstance(row, dict) else None
        if not isinstance(english, str) or not english.strip():
            raise AcronymTableError(f"{_FILE}: entry {number} has no 'english'")
        if not isinstance(spellings, list) or not isinstance(script, str):
            raise AcronymTableError(f"{_FILE}: entry {number} needs 'cyrillic' and 'latin'")
        for spelling in spellings:
            key = " ".join(str(spelling).lower().split())
            if not key.isascii() or latin.get(key, english) != english:
                raise AcronymTableError(f"{_FILE}: entry {number}: {key!r} is ambiguous")
            latin[key] = english
        cyrillic.setdefault(" ".join(script.lower().split()), english)
    return latin, cyrillic


def _pattern(keys: list[str]) -> re.Pattern[str]:
    words = sorted((r"\s+".join(map(re.escape, k.split())) for k in keys), key=len, reverse=True)
    return re.compile(rf"(?<![^\W_])({'|'.join(words)})(?![^\W_])")


@lru_cache(maxsize=1)
def _latin_pattern() -> tuple[re.Pattern[str], frozenset[str]]:
    latin = _table()[0]
    return _pattern(list(latin)), frozenset(k.split()[0] for k in latin)


@lru_cache(maxsize=1)
def _cyrillic_pattern() -> re.Pattern[str]:
    return _pattern(list(_table()[1]))


def _expanded(text: str, pattern: re.Pattern[str], table: dict[str, str]) -> str | None:
    lowered = text.lower()
    out = pattern.sub(lambda m: f" {table[' '.join(m.group(1).split())]} ", lowered)
    return None if out == lowered else " ".join(out.split())


def acronyms_expanded(name: str, country: str | None = None) -> str | None:
    """``name`` (ASCII) with its romanised Russian acronyms in English (``FGBU 48 TSNII`` ->
    ``fgbu 48 central scientific research institute``); ``None`` when it has none, or when
    the party gives a country outside ``RUSSIAN_ACRONYM_COUNTRIES``. A name without any
    acronym pays one set look-up per word."""
    if country is not None and country not in RUSSIAN_ACRONYM_COUNTRIES:
        return None
    pattern, firsts = _latin_pattern()
    if not any(w in firsts for w in re.split(r"[^a-z0-9]+", name.lower())):
        return None
    return _expanded(name, pattern, _table()[0])


def cyrillic_acronyms_expanded(text: str) -> str | None:
    """``text`` (Cyrillic) with its Russian acronyms in English (``ЦНИИ`` -> ``central
    scientific research institute``); ``None`` when it has none."""
    return _expanded(text, _cyrillic_pattern(), _table()[1])
