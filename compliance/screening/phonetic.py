"""Consonant skeletons: names written in Arabic or Hebrew script against their Latin forms.

Arabic and Hebrew leave short vowels unwritten, so ``سليماني`` romanised letter by letter is
``slymany`` while the list writes ``Soleimani``. Both reduce to the same consonant skeleton
(``slmn``): the article ``al``/``el`` off long words, one spelling per given name
(``names.py``), the letters those renderings confuse folded (``_KEY_RULES``), the letters
those scripts write as vowels or not at all (``a e i o u y w``) removed, doubled letters
collapsed. Two names meet when every identifying word of the query meets a word of
the listed name (or two neighbouring query words meet one listed word: ``نصر الله`` /
``Nasrallah``). Vowel-free equality is weaker evidence than spelling: a meeting name scores
``PHONETIC_NAME_SCORE`` less ``PER_UNMATCHED`` per listed word left over, which is review at
most, never alert, with the reason in the evidence.

The same keys serve Greek (vowels written differently: ``Χεζμπολάχ`` / ``Hizballah``). The
key drops ``w`` (``و`` is mostly the vowel ``u``/``o``) and a final ``h`` (``-ah`` is the
vowel of ``ة`` in one rendering and the letter ``ح`` in another: ``Mullah``/``ملا``,
``Salih``/``صالح``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from compliance.screening.names import given_name_spellings
from compliance.screening.normalize import Token

PHONETIC_NAME_SCORE = 0.88
PER_UNMATCHED = 0.02
MIN_KEY_LETTERS = 5  # a meeting made of fewer key letters than this is noise (one fewer
# for two words or more: ``Ali Khamenei`` is ``l`` + ``hmn``)
_NOT_LETTER = re.compile(r"[^a-z]")
_SILENT = re.compile(r"[aeiouyw]")
_DOUBLE = re.compile(r"([a-z])\1+")
# Arabic or Hebrew letters, or a Greek word (two Greek letters or more, no Latin letter
# touching them: Greek letters inside a Latin word are look-alikes, read as the Latin letters
# they imitate, ``confusables.py``: ``BUKΗΟRΙ``).
# The Arabic presentation forms end at U+FEFC: U+FEFF is the invisible byte-order mark,
# which must not send a Latin name down this path (the speed mix's "invisible" treatment).
SCRIPTS = re.compile(
    r"[\u0590-\u06ff\u0750-\u077f\ufb1d-\ufdff\ufe70-\ufefc]|(?<![A-Za-z])[\u0370-\u03ff\u1f00-\u1fff]{2,}(?![A-Za-z])"
)
_GIVEN = given_name_spellings()
# Letters folded in a key, in order. Digraphs first: ``dj`` (French ``ج``, Djamel), ``ch``
# (French ``ش``, Akkacha), ``th``/``dh``/``gh`` (``ث``/``ض``/``غ`` written ``t``/``d``/``g`` just
# as often: Tharwat/Tarwat, Romdhane/Ramadan, Laagoub/Lghoub), ``ph``, ``ck``, ``kh``
# (Khalid/Halid), ``tz`` (Hebrew ``צ`` for ``ص``; not ``ts``: ``ت`` then ``ص`` is Intissar). Then
# letters: ``j``/``g`` (``ج`` is ``g`` in Egyptian names), ``q``/``c``/``k``, ``z``/``s``, and
# the labials ``b p f v`` as one (Soundex's class: Arabic has no ``p`` and writes a foreign
# ``v`` with ``ف``; Hebrew ``ב`` is ``b`` or ``v``, ``פ`` ``p`` or ``f``: Yaqoub/Yaakov).
_KEY_RULES: tuple[tuple[str, str], ...] = (
    ("dj", "j"), ("ch", "sh"), ("th", "t"), ("dh", "d"), ("gh", "g"), ("ph", "f"), ("ck", "k"),
    ("kh", "h"), ("tz", "s"), ("j", "g"), ("q", "k"), ("c", "k"), ("x", "ks"),
    ("z", "s"), ("p", "b"), ("f", "b"), ("v", "b"),
)  # fmt: skip


@lru_cache(maxsize=65_536)
def consonant_key(word: str) -> str:
    """``soleimani`` / ``slymany`` -> ``slmn``; ``zawahiri`` / ``alzwahry`` -> ``shr``."""
    text = _NOT_LETTER.sub("", word.lower())
    if len(text) > 4 and text.startswith(("al", "el")) and text != "allah":
        text = text[2:]
    text = _GIVEN.get(text, text)  # one spelling per given name before letters are folded
    for old, new in _KEY_RULES:
        if old in text:
            text = text.replace(old, new)
    key = _DOUBLE.sub(r"\1", _SILENT.sub("", text))
    return key[:-1] if len(key) > 1 and key[-1] == "h" else key


def join_keys(a: str, b: str) -> str:
    """The key of two neighbouring words written as one (``نصر الله`` / ``Nasrallah``)."""
    return _DOUBLE.sub(r"\1", a + b)


def name_keys(tokens: Sequence[Token]) -> tuple[str, ...]:
    """The consonant keys of a name's identifying words (ordinary words), empty keys out."""
    return tuple(k for t in tokens if t.substantive and (k := consonant_key(t.word)))


def phonetic_score(query: tuple[str, ...], listed: tuple[str, ...]) -> float | None:
    """The name score when every query key meets a listed key (one each; two neighbouring
    query keys may meet one listed key together, or one query key two neighbouring listed
    keys), else ``None``. The meeting with the most key letters and fewest listed keys left
    over is kept (a small search: names have a handful of words)."""
    if not query or not listed:
        return None
    best = _meet(query, 0, listed, list(listed))
    if best is None:
        return None
    letters, left = best
    if letters < MIN_KEY_LETTERS and not (
        letters == MIN_KEY_LETTERS - 1 and (len(query) > 1 or not left)
    ):
        return None
    return PHONETIC_NAME_SCORE - PER_UNMATCHED * left


def _meet(
    query: tuple[str, ...], i: int, listed: tuple[str, ...], left: list[str]
) -> tuple[int, int] | None:
    """(key letters met, listed keys left) for ``query[i:]`` against ``left``, or None."""
    if i == len(query):
        return 0, len(left)
    key = query[i]
    options: list[tuple[int, list[str], int]] = []  # (query keys used, left after, letters)
    if i + 1 < len(query) and (joined := join_keys(key, query[i + 1])) in left:
        options.append((2, _without(left, joined), len(joined)))
    if key in left:
        options.append((1, _without(left, key), len(key)))
    pair = _listed_pair(key, listed, left)
    if pair is not None:
        options.append((1, _without(_without(left, pair[0]), pair[1]), len(key)))
    best: tuple[int, int] | None = None
    for used, rest, letters in options:
        found = _meet(query, i + used, listed, rest)
        if found is not None:
            total = (found[0] + letters, found[1])
            if best is None or (total[0], -total[1]) > (best[0], -best[1]):
                best = total
    return best


def _without(keys: list[str], key: str) -> list[str]:
    out = list(keys)
    out.remove(key)
    return out


def _listed_pair(key: str, listed: tuple[str, ...], left: list[str]) -> tuple[str, str] | None:
    """Two neighbouring listed keys, both still unmet, that ``key`` writes as one word
    (``عبدالستار`` / ``ABD AL-SATTAR``)."""
    for a, b in pairwise(listed):
        if a in left and b in left and (a != b or left.count(a) > 1) and join_keys(a, b) == key:
            return a, b
    return None
