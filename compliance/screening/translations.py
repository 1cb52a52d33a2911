"""Russian words of organisation names read as the English the lists publish
(``data/russian_words.yaml``), for an extra reading of a name, screened beside it.

Two forms of the same table: the words in Cyrillic (``Московская биржа`` -> ``moscow
exchange``), and the same words romanised by any of the usual schemes
(``OBEDINENNAYA AVIASTROITELNAYA KORPORATSIYA`` -> ``united aircraft corporation``), because
one list romanises a Russian name that another list translates (SDN / Entity List). A Latin
name gets that reading only when two or more of its words are romanised Russian words whose
English differs from them (``romanised_translated``): an English name is never re-read, and an
ASCII query pays a few set look-ups before that test fails.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from itertools import product

from rapidfuzz import fuzz

from compliance._yaml import load_table
from compliance.errors import ConfigurationError

_FILE = "data/russian_words.yaml"
_ENDINGS = (
    "ыми", "ими", "ами", "ями", "ого", "его", "ому", "ему", "ой", "ей", "ый", "ий", "ая",
    "яя", "ое", "ее", "ые", "ие", "ых", "их", "ым", "им", "ом", "ем", "ам", "ям", "ах", "ях",
    "ию", "ия", "ии", "ью", "ов", "ев", "ую", "юю", "а", "я", "ы", "и", "у", "ю", "е", "о",
    "ь", "й",
)  # fmt: skip
# How each Cyrillic letter is written by the schemes lists use (BGN/PCGN, ISO 9 without
# diacritics, ICAO Doc 9303, German and French habits): alternatives of a regular expression.
_ROMAN: dict[str, str] = {
    "а": "a", "б": "b", "в": "(?:v|w)", "г": "(?:g|h)", "д": "d", "е": "(?:ye|je|e)",
    "ё": "(?:yo|jo|e|o)", "ж": "(?:zh|j|z)", "з": "z", "и": "(?:i|y)", "й": "(?:y|i|j)?",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "(?:u|ou)", "ф": "f", "х": "(?:kh|h|ch|x)", "ц": "(?:ts|c|tz|cz)",
    "ч": "(?:ch|tch|tsch|c)", "ш": "(?:sh|sch|s)", "щ": "(?:shch|sch|shh|sc)", "ъ": "'?",
    "ы": "(?:y|i|yi)", "ь": "'?", "э": "e", "ю": "(?:yu|iu|ju|u)", "я": "(?:ya|ia|ja|a)",
    "-": "[- ]?",
}  # fmt: skip
_ROMAN_ENDINGS = (
    "aya", "aia", "aja", "ogo", "ovo", "ego", "evo", "omu", "emu", "ykh", "ikh", "ije", "iye",
    "iya", "iia", "ija", "iyu", "iiu", "oye", "oe", "oj", "oi", "oy", "ey", "ei", "ej", "ye",
    "ie", "ii", "iy",
    "ij", "yy", "yi", "yj", "ih", "ym", "im", "om", "em", "ov", "ev", "yu", "iu", "ya", "ia",
    "e", "a", "o", "u", "y", "i",
)  # fmt: skip


@lru_cache(maxsize=1)
def _stems() -> dict[str, str]:
    data = load_table(files("compliance.screening").joinpath(_FILE).read_text("utf-8"))
    stems = data.get("stems") if isinstance(data, dict) else None
    if not isinstance(stems, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k and v for k, v in stems.items()
    ):
        raise ConfigurationError(f"{_FILE}: 'stems' must map Cyrillic stems to English")
    return dict(stems)


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _cyrillic_pattern() -> re.Pattern[str]:
    stems = _stems()
    return re.compile(
        rf"(?<![\w-])({_alternation([re.escape(s) for s in stems])})"
        rf"(?:{_alternation(list(_ENDINGS))})?(?![\w-])"
    )


def russian_translated(text: str) -> str | None:
    """``text`` (Cyrillic) with its Russian organisation words in English; ``None`` when
    it has none."""
    stems = _stems()
    lowered = text.lower()
    out = _cyrillic_pattern().sub(lambda m: f" {stems[m.group(1)]} ", lowered)
    return None if out == lowered else " ".join(out.split())


def _romanised(stem: str) -> str:
    return "".join(_ROMAN.get(ch, re.escape(ch)) for ch in stem)


@lru_cache(maxsize=1)
def _latin() -> tuple[re.Pattern[str], list[str], frozenset[str]]:
    """The romanised stems as one pattern (one group per stem, in table order), their
    English, and the three-letter beginnings any romanised stem can have (the cheap test)."""
    stems = _stems()
    groups = [f"({_romanised(s)})" for s in stems]
    pattern = re.compile(
        rf"(?<![a-z'])(?:{'|'.join(groups)})(?:{_alternation(list(_ROMAN_ENDINGS))})?(?![a-z'-])"
    )
    starts: set[str] = set()
    for stem in stems:
        options = [_options(ch) for ch in stem[:3]]
        for combo in product(*options):
            starts.add("".join(combo)[:3])
    return pattern, list(stems.values()), frozenset(s for s in starts if len(s) == 3)


def _options(ch: str) -> list[str]:
    alt = _ROMAN.get(ch)
    if alt is None:
        return [ch]
    inner = alt.removeprefix("(?:").rstrip("?").removesuffix(")").replace("'", "")
    return inner.split("|") + ([""] if alt.endswith("?") else [])


_COGNATE = 80  # edit similarity (0-100) from which a matched word is the English one respelt
_MIN_WORDS = 2  # romanised Russian words whose English differs, before a Latin name is re-read
# A romanised Russian word this long that is not a spelling of its English (``SUDOREMONTA``,
# ship repair; ``INZHINIRING``) is no English word by chance: it is enough on its own.
_LONG_WORD = 10
# Russian legal forms, romanised (abbreviated, or the word "obshchestvo"): a name that
# carries one is a Russian organisation's name, and one romanised word is enough for the
# reading (``DEVAIS KONSALTING OOO`` / Device Consulting, ``TRV INZHINIRING AO``).
RUSSIAN_LEGAL = frozenset(
    (
        *("ooo", "ao", "oao", "zao", "pao", "nao", "fgup", "fgbu", "fgbou", "gup", "mup"),
        *("ano", "obshchestvo", "obschestvo", "obshestvo", "aktsionernoe", "aktsionernoye"),
    )
)


def romanised_translated(name: str, changed_before: int = 0) -> str | None:
    """An ASCII name with its romanised Russian organisation words in English
    (``DONETSKAYA NARODNAYA RESPUBLIKA`` -> ``donetskaya people's republic``), or ``None``
    when fewer than two such words (whose English is not the word itself) are in it; one
    is enough in a name with a romanised Russian legal form (``RUSSIAN_LEGAL``: ``OOO``,
    ``AO``) or when it is ``_LONG_WORD`` letters or longer (``SUDOREMONTA``), and
    ``changed_before`` words already read (acronyms read in full) count too."""
    pattern, english, starts = _latin()
    lowered = name.lower()
    words = lowered.split()
    needed = _MIN_WORDS - changed_before
    if needed > 1 and any(w in RUSSIAN_LEGAL for w in words):
        needed = 1
    if sum(1 for w in words if w[:3] in starts) < needed:
        return None
    changed = 0
    longest = 0

    def sub(m: re.Match[str]) -> str:
        nonlocal changed, longest
        index = m.lastindex
        word = english[index - 1] if index else m.group(0)
        if fuzz.ratio(word.replace("'", ""), m.group(0).replace("'", "")) < _COGNATE:
            changed += 1  # not the English word itself, nor a spelling of it (centre)
            longest = max(longest, len(m.group(0)))
        return f" {word} "

    out = pattern.sub(sub, lowered)
    if changed >= max(needed, 1) or (changed and longest >= _LONG_WORD):
        return " ".join(out.split())
    return None
