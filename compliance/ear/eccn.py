"""Export Control Classification Numbers (15 CFR 738.2(d)) parsed into their parts.

An ECCN is a category digit (0-9), a product group letter (A-E) and a three-digit number, e.g.
``3A090``; a classification may go down to a paragraph (``3A090.a``, ``3B001.f.6``, ``9A610.y.1``).
Items not on the CCL are ``EAR99`` (15 CFR 734.3(c)). Parsing is forgiving about case and spaces
(``" 3a090 . A "`` is ``3A090.a``) but strict about structure, so a typo fails loudly instead of
silently matching nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

__all__ = ["EAR99", "Eccn", "EccnError", "eccn_matches", "parse_eccn"]

EAR99 = "EAR99"

_BASE = re.compile(r"(?P<category>[0-9])(?P<group>[A-EXY])(?P<number>[0-9]{3})")
# Class names the EAR itself writes with a placeholder group letter (15 CFR 772.1).
_WILDCARD_GROUP = {"X": "x", "Y": "Y"}
_TOKEN = re.compile(r"[a-z]+|[0-9]+")
_PARAGRAPH_CHARS = re.compile(r"[a-z0-9.]*")


class EccnError(ValueError):
    """The text is not an ECCN; the message says which part is wrong."""


class Eccn(BaseModel):
    """One ECCN, optionally down to a paragraph. ``str(eccn)`` is the canonical text.

    ``group`` is None for EAR99 and for the class names ``9x515`` / ``0Y521`` that the EAR uses
    for "any product group" (15 CFR 772.1); those parse so that rules can name them.
    """

    model_config = ConfigDict(frozen=True)

    text: str
    category: int | None
    group: str | None
    number: str
    paragraphs: tuple[str, ...] = ()

    @property
    def base(self) -> str:
        """The five-character ECCN without paragraphs (``EAR99`` stays ``EAR99``)."""
        if self.is_ear99:
            return EAR99
        return self.text.split(".", 1)[0]

    @property
    def is_ear99(self) -> bool:
        return self.category is None

    @property
    def is_class(self) -> bool:
        """True for the class names 9x515 / 0Y521 (no single product group)."""
        return self.category is not None and self.group is None

    @property
    def is_600_series(self) -> bool:
        """A "600 series" ECCN: third character 6, i.e. numbers 600-699 (15 CFR 772.1)."""
        return not self.is_ear99 and 600 <= int(self.number) <= 699

    @property
    def is_9x515(self) -> bool:
        """A "9x515" ECCN (9A515, 9B515, 9C515, 9D515, 9E515; 15 CFR 772.1)."""
        return not self.is_ear99 and self.category == 9 and self.number == "515"

    @property
    def is_0y521(self) -> bool:
        """A temporary "0Y521" ECCN (number 521 in any category; 15 CFR 734.3, 774 Supp. 5)."""
        return not self.is_ear99 and self.number == "521"

    def __str__(self) -> str:
        return self.text


def _clean(text: str) -> str:
    return re.sub(r"\s*\.\s*", ".", text.strip())


def _split_paragraphs(rest: str, original: str) -> tuple[str, ...]:
    """Split ``.f.6`` / ``f6`` / ``.z.1.a`` into ("f", "6") etc.; letters and numbers alternate."""
    rest = re.sub(r"\s+", ".", rest.lower())
    if rest.startswith("."):
        rest = rest[1:]
    if not rest:
        if original.strip().endswith("."):
            raise EccnError(f"ECCN {original!r}: ends with a dot; name a paragraph after it")
        return ()
    if not _PARAGRAPH_CHARS.fullmatch(rest):
        bad = next(ch for ch in rest if not (ch.isascii() and (ch.isalnum() or ch == ".")))
        raise EccnError(f"ECCN {original!r}: unexpected character {bad!r} in the paragraph part")
    parts: list[str] = []
    for chunk in rest.split("."):
        if not chunk:
            raise EccnError(f"ECCN {original!r}: empty paragraph (two dots or a trailing dot)")
        parts.extend(_TOKEN.findall(chunk))
    for part in parts:
        if part.isdigit() and part.startswith("0"):
            raise EccnError(f"ECCN {original!r}: paragraph number {part!r} is not a CCL number")
        if part.isalpha() and len(part) > 2:
            raise EccnError(f"ECCN {original!r}: paragraph {part!r} is not a CCL paragraph letter")
    return tuple(parts)


def parse_eccn(text: str) -> Eccn:
    """Parse ``text`` into an :class:`Eccn`; raise :class:`EccnError` saying what is wrong.

    Memoised: the same few hundred texts (rule patterns, BOM lines) recur in every case, and an
    ``Eccn`` is immutable, so sharing one instance is safe. Errors are not cached.
    """
    if not isinstance(text, str):
        raise EccnError(f"ECCN must be text, got {type(text).__name__}")
    return _parse(text)


@lru_cache(maxsize=8192)
def _parse(text: str) -> Eccn:
    cleaned = _clean(text)
    if not cleaned:
        raise EccnError("ECCN is empty")
    compact = cleaned.upper().replace(" ", "")
    if compact == EAR99:
        return Eccn(text=EAR99, category=None, group=None, number="99")
    if compact.startswith("EAR"):
        raise EccnError(f"ECCN {text!r}: only 'EAR99' is a valid EAR designation of that form")
    head = cleaned[:5].upper()
    match = _BASE.fullmatch(head)
    if match is None:
        raise EccnError(f"ECCN {text!r}: {_explain_base(head)}")
    group: str | None = match["group"]
    if group in _WILDCARD_GROUP:
        head = head[0] + _WILDCARD_GROUP[group] + head[2:]
        group = None
    rest = cleaned[5:]
    if rest and rest[0].isdigit():
        raise EccnError(f"ECCN {text!r}: too many digits; the ECCN number has three digits")
    paragraphs = _split_paragraphs(rest, text)
    canonical = head + "".join(f".{p}" for p in paragraphs)
    return Eccn(
        text=canonical,
        category=int(match["category"]),
        group=group,
        number=match["number"],
        paragraphs=paragraphs,
    )


def _explain_base(head: str) -> str:
    if len(head) < 5:
        return "too short; an ECCN is a digit, a letter A-E and three digits (e.g. 3A090) or EAR99"
    if not head[0].isdigit():
        return f"first character {head[0]!r} must be a category digit 0-9"
    if head[1] not in "ABCDE":
        return f"second character {head[1]!r} must be a product group letter A-E"
    return f"characters 3-5 {head[2:5]!r} must be three digits"


def eccn_matches(item: Eccn | str, pattern: Eccn | str) -> bool:
    """True when ``item`` falls under ``pattern``: same ECCN and the pattern's paragraphs are a
    prefix of the item's ("3B001.f" covers "3B001.f.6"; "3A090" covers every 3A090 paragraph)."""
    item_e = item if isinstance(item, Eccn) else parse_eccn(item)
    pattern_e = pattern if isinstance(pattern, Eccn) else parse_eccn(pattern)
    if pattern_e.group is None and not pattern_e.is_ear99:
        # class pattern such as 9x515 or 0Y521: any product group
        same = (item_e.category, item_e.number) == (pattern_e.category, pattern_e.number)
        if not same or item_e.is_ear99:
            return False
    elif item_e.base != pattern_e.base:
        return False
    n = len(pattern_e.paragraphs)
    return item_e.paragraphs[:n] == pattern_e.paragraphs
