"""Look-alike characters that can hide a Latin name from a naive matcher.

A single Cyrillic ``а`` inside ``Huаwei`` defeats string equality while looking identical on
screen. Inside a word that also contains Latin letters, these characters are read as the
Latin letter they imitate (the intent of the writer), not transliterated by sound.
"""

from __future__ import annotations

# Cyrillic and Greek letters that render like a Latin letter (Unicode confusables subset).
CONFUSABLES: dict[str, str] = {
    # Cyrillic capitals
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԁ": "D",
    "Ү": "Y", "Ғ": "F", "Ԛ": "Q", "Ԝ": "W",
    # Cyrillic small
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d",
    "ү": "y", "ԛ": "q", "ԝ": "w", "һ": "h", "ɡ": "g",
    # Greek capitals
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Greek small
    "α": "a", "ο": "o", "ρ": "p", "ι": "i", "κ": "k", "ν": "v", "υ": "u", "χ": "x",
    "τ": "t", "ϲ": "c", "ϳ": "j",
}  # fmt: skip

# Characters that render as nothing (or as a plain space) and must never split or hide a name.
INVISIBLE: frozenset[str] = frozenset(
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u061c"  # Arabic letter mark
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u17b4\u17b5"  # Khmer inherent vowels
    "\u180b\u180c\u180d\u180e\u180f"  # Mongolian selectors and vowel separator
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space/non-joiner/joiner, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07"  # variation selectors
    "\ufe08\ufe09\ufe0a\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f"
    "\ufeff"  # byte-order mark / zero-width no-break space
)


# Latin capitals that look like Cyrillic ones: a Russian name typed with Latin look-alikes
# (``OOO TEXHOMAP`` is ``ООО ТЕХНОМАР``, Tekhnomar, on the SDN list) reads as nonsense in
# Latin. A word of such capitals with at least one letter whose Cyrillic twin sounds
# different (H is н, P is р, X is х, C is с, B is в, Y is у) is read as Cyrillic in one more
# reading (``lookalike_cyrillic``), only in a name that carries a Russian legal form.
_LATIN_AS_CYRILLIC = {
    "A": "а", "B": "в", "C": "с", "E": "е", "H": "н", "K": "к", "M": "м", "O": "о",
    "P": "р", "T": "т", "X": "х", "Y": "у",
}  # fmt: skip
_SOUNDS_DIFFERENT = frozenset("BCHPXY")


def lookalike_cyrillic(name: str, legal_forms: frozenset[str]) -> str | None:
    """``name`` with its words of Cyrillic look-alike Latin capitals read as Cyrillic and
    romanised (``OOO TEXHOMAP`` -> ``ooo tekhnomar``); ``None`` when it has none, or when no
    word of it (lower case) is one of ``legal_forms``."""
    words = name.split()
    if not any(w.lower() in legal_forms for w in words):
        return None
    changed = False
    out = []
    for word in words:
        if (
            len(word) >= 4
            and all(ch in _LATIN_AS_CYRILLIC for ch in word)
            and any(ch in _SOUNDS_DIFFERENT for ch in word)
        ):
            from compliance.screening.transliterate import cyrillic_to_latin

            word = cyrillic_to_latin("".join(_LATIN_AS_CYRILLIC[ch] for ch in word))
            changed = True
        out.append(word.lower())
    return " ".join(out) if changed else None
