"""A transliteration-scheme-neutral key for Latin renderings of Russian Cyrillic words.

The romanisation skeleton (``transliterate.skeleton``) folds the letters the usual schemes
write alike (``Shcherbakov`` / ``Scherbakov``); it keeps ``zh`` and ``sh``, ``ts`` and ``z``
apart, because in English renderings they are different letters. The German transcription
writes ж and ш both as ``sch``, ц as ``z`` and з as ``s``, so ``Druschba`` (Дружба),
``Zentr`` (Центр) and ``Nischni Nowgorod`` never meet the BGN/PCGN forms the lists use by
skeleton. The key of this module folds those letters too (rules in
``data/romanisation_key.yaml``, each with the schemes it reconciles), then applies the
skeleton. It is lossier than the skeleton (ж = ш, ц = з = с), so it is a fallback only:
``score.token_similarity`` pairs two words by it when nothing else pairs them, and the
index files each word under it exactly (``index.py``), so the keys and the scorer agree.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

from compliance._yaml import load_table
from compliance.errors import ConfigurationError
from compliance.screening.names import given_name_spellings
from compliance.screening.transliterate import skeleton_rules

_FILE = "data/romanisation_key.yaml"
_FOLDED_TWICE = re.compile(r"([A-Z])\1+")  # a folded sound written twice (ss, zz) is one
PREFIX = "~"  # the index prefix of a scheme key (never the first character of another key)


class RomanisationTableError(ConfigurationError):
    """The packaged romanisation-key table is malformed."""


Rules = tuple[tuple[re.Pattern[str], str], ...]


def _read(data: Any, section: str, required: bool) -> Rules:
    rules = data.get(section) if isinstance(data, dict) else None
    if rules is None and not required:
        return ()
    if not isinstance(rules, list) or not rules:
        raise RomanisationTableError(f"{_FILE}: '{section}' must be a non-empty list")
    out: list[tuple[re.Pattern[str], str]] = []
    for number, rule in enumerate(rules, start=1):
        where = f"{_FILE}: {section} rule {number}"
        if not isinstance(rule, dict):
            raise RomanisationTableError(f"{where} is not a mapping")
        old, new, reason = rule.get("from"), rule.get("to"), rule.get("reason")
        if not isinstance(old, str) or not old or not isinstance(new, str):
            raise RomanisationTableError(f"{where} needs 'from' and 'to'")
        if not isinstance(reason, str) or not reason.strip():
            raise RomanisationTableError(f"{where} ({old!r}) gives no reason")
        try:
            out.append((re.compile(old), new))
        except re.error as exc:
            raise RomanisationTableError(f"{where} ({old!r}): {exc}") from exc
    return tuple(out)


@cache
def _tables() -> tuple[Rules, Rules]:
    data: Any = load_table(files("compliance.screening").joinpath(_FILE).read_text("utf-8"))
    return _read(data, "rules", True), _read(data, "second_readings", False)


def _key(word: str) -> str:
    out = given_name_spellings().get(word, word)
    for pattern, replacement in _tables()[0]:
        out = pattern.sub(replacement, out)
    return _FOLDED_TWICE.sub(r"\1", skeleton_rules(out))


@lru_cache(maxsize=131_072)
def scheme_keys(word: str) -> tuple[str, ...]:
    """The scheme-neutral keys of a lower-case word: ``druzhba``, ``druschba`` and ``druzba``
    share one, and so do ``tsentr``, ``zentr`` and ``czentr``; a word with a second reading
    (German ``ch`` for х before a consonant: ``chss`` / ``khsz``) has two. Words that are not
    plain ASCII letters have none (digits and other scripts are not renderings)."""
    if not (word.isascii() and word.isalpha()):
        return ()
    first = _key(word)
    out = [first]
    for pattern, replacement in _tables()[1]:
        other = pattern.sub(replacement, word)
        if other != word:
            key = _key(other)
            if key not in out:
                out.append(key)
    return tuple(out)


def same_scheme(a: str, b: str, min_length: int) -> bool:
    """Whether two words share a scheme key of ``min_length`` letters or more."""
    kb = scheme_keys(b)
    return any(len(k) >= min_length and k in kb for k in scheme_keys(a))
