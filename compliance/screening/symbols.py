"""What is name material: letters and digits of writing systems, nothing else.

A symbol never becomes a word. Before this module, ``Huawei 🚀 Technologies`` was read as
"huawei rocket technologies", ``™`` as "tm" and the flag 🇨🇳 as "cn" (NFKC and anyascii spell
symbols out), and those words counted as rare identifying words: anyone could slip a listed
name past screening by adding an emoji to a purchase order (issue 16, section 1).

Dropped (to nothing, so that a symbol inserted inside a word leaves the word whole): every
character of the Unicode symbol categories (``Sm`` math, ``Sc`` currency, ``Sk`` modifiers such
as emoji skin tones, ``So`` pictographs, dingbats, box drawing, ™ ® ©, regional-indicator
flag letters), enclosing marks (``Me``: keycaps), format characters (``Cf``: zero-width
joiners of emoji ZWJ sequences, emoji tag sequences of subdivision flags), private-use
characters, unassigned code points of the emoji planes (emoji newer than the Python Unicode
tables), and punctuation that transliteration would spell as letters (``§`` -> "S").
Keycap sequences (``1️⃣``) are dropped whole, digit included.

Read as their letter or digit: symbols that *are* a letter or digit drawn in a box or circle
(Enclosed Alphanumerics and their supplement: ``Ⓗ`` -> ``H``, ``🅷`` -> ``H``), because
spelling a name with them is a disguise, not decoration.

Kept: ``+``, which names use as a word ("and", ``Müller + Sohn``), as ``&``.

:func:`strip_symbols` is applied before NFKC (which would spell ``™`` as ``TM``);
:func:`dropped_symbols` lists what was removed, for the evidence of a hit.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from compliance.screening.confusables import INVISIBLE

# Letter-like symbol blocks: Enclosed Alphanumerics, Enclosed Alphanumeric Supplement
# (without its regional indicators, which are flag halves, not letters).
_LETTER_LIKE = ((0x2460, 0x24FF), (0x1F100, 0x1F1E5))
_EMOJI_PLANE = 0x1F000  # unassigned code points from here on are (future) emoji
_KEPT = frozenset("+")
_LETTER_NAME = re.compile(r"LATIN (?:CAPITAL|SMALL) LETTER ([A-Z])$|DIGIT (\w+)$")
_DIGITS = {
    "ZERO": "0", "ONE": "1", "TWO": "2", "THREE": "3", "FOUR": "4",
    "FIVE": "5", "SIX": "6", "SEVEN": "7", "EIGHT": "8", "NINE": "9",
}  # fmt: skip
_KEYCAP = re.compile("[0-9#*]\ufe0f?\u20e3")
# ASCII symbols (categories Sc, Sk, Sm): "$", "^", "`", "<", "=", ">", "|", "~"; "+" is kept
_ASCII_SYMBOLS = re.compile(r"[$^`<=>|~]")


@lru_cache(maxsize=8_192)
def reading(ch: str) -> str:
    """What one non-ASCII character contributes to a name: itself, its letter, or nothing."""
    cat = unicodedata.category(ch)
    major = cat[0]
    if major in "LNZ" or cat in ("Mn", "Mc", "Cc"):
        return ch
    cp = ord(ch)
    if major == "S":
        if any(lo <= cp <= hi for lo, hi in _LETTER_LIKE):
            return _letter_of(ch)
        return ""
    if major == "P":
        return "" if any(c.isalnum() for c in anyascii(ch)) else ch
    if cat == "Cn":
        return "" if cp >= _EMOJI_PLANE else ch
    return ""  # Me, Cf, Co, Cs


def _letter_of(ch: str) -> str:
    """``Ⓗ`` -> ``H`` (by compatibility decomposition), ``🅷`` -> ``H`` (by its name)."""
    folded = "".join(c for c in unicodedata.normalize("NFKC", ch) if c.isalnum())
    if folded and folded.isascii():
        return folded
    m = _LETTER_NAME.search(unicodedata.name(ch, ""))
    if m is None:
        return ""
    return m.group(1) or _DIGITS.get(m.group(2), "")


def is_name_material(ch: str) -> bool:
    """False for a character that :func:`strip_symbols` (or the invisible-character step
    before it) removes."""
    if ch in INVISIBLE:
        return False
    if ch.isascii():
        return ch in _KEPT or _ASCII_SYMBOLS.match(ch) is None
    return reading(ch) != ""


def strip_symbols(text: str) -> str:
    """``text`` without its symbols; letter-like symbols read as their letter."""
    if "\u20e3" in text:
        text = _drop_keycaps(text)
    if _ASCII_SYMBOLS.search(text) is not None:
        text = _ASCII_SYMBOLS.sub("", text)
    if text.isascii():
        return text
    return "".join([c if c.isascii() else reading(c) for c in text])


def _drop_keycaps(text: str) -> str:
    """A keycap (U+20E3) takes the digit, ``#`` or ``*`` it encloses with it, even when other
    dropped characters stand between them (``0$\ufe0f\u20e3``)."""
    kept: list[str] = []
    for c in text:
        if c == "\u20e3":
            if kept and kept[-1] in _KEYCAP_BASES:
                kept.pop()
        elif is_name_material(c) or c in _KEYCAP_BASES:
            kept.append(c)
    return "".join(kept)


_KEYCAP_BASES = frozenset("0123456789#*")


def dropped_symbols(text: str) -> tuple[str, ...]:
    """The runs of characters :func:`strip_symbols` removes from ``text``, in order, each
    once (``("🚀", "™")``): what the evidence of a hit says was not compared."""
    if text.isascii() and _ASCII_SYMBOLS.search(text) is None:
        return ()  # the usual case: nothing to drop
    found: list[str] = []
    run: list[str] = []
    for m in _KEYCAP.finditer(text):
        found.append(m.group(0))
    rest = _KEYCAP.sub(" ", text) if "\u20e3" in text else text
    for c in rest:
        if is_name_material(c):
            if run:
                found.append("".join(run))
                run = []
        else:
            run.append(c)
    if run:
        found.append("".join(run))
    return tuple(dict.fromkeys(found))
