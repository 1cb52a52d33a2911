"""Variants of a listed name that the listing itself implies.

Entity List names often carry a trailing parenthetical short name or acronym ("Huawei
Technologies Co., Ltd. (Huawei)", "... Corporation (SMIC)") or a location after the legal form
("Chengdu Huawei Technologies Co., Ltd., Chengdu, Sichuan"). A counterparty master holds the
name without them, so each is also indexed as a variant of the entry: the name without the
parenthetical or trailing location, and the parenthetical on its own (an alias).

A parenthetical or suffix made only of places or generic words ("(UK)", "(Beijing)") is not
stripped: it is what distinguishes a subsidiary from its parent, and dropping it would let
"Huawei Technologies (UK) Co., Ltd." tie with the parent for the parent's exact name.

Every variant is a contiguous run of the full name's tokens, so its blocking keys are a
subset of the full name's (``compliance.screening.index.token_keys``): delta re-screening,
which looks up stored counterparties by the keys of listed names, stays exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.screening.normalize import Token, TokenClass, normalize_name
from compliance.screening.vocabulary import LOCATIONS

_TRAILING_PARENTHETICAL = re.compile(r"^(?P<head>.*?\S)\s*\((?P<inner>[^()]+)\)\s*\.?\s*$")


@dataclass(frozen=True, slots=True)
class Variant:
    text: str  # what is shown as the matched name
    tokens: tuple[Token, ...]
    alias: bool  # True for the parenthetical on its own


def _identifying(tokens: tuple[Token, ...]) -> bool:
    """An ordinary word or number that is not a place: the run names a party."""
    return any(
        (t.cls is TokenClass.ORDINARY or t.cls is TokenClass.NUMBER) and not t.promoted
        for t in tokens
    )


def _parenthetical(text: str, tokens: tuple[Token, ...]) -> list[Variant]:
    m = _TRAILING_PARENTHETICAL.match(text)
    if m is None:
        return []
    head_text, inner_text = m.group("head").rstrip(" ,;"), m.group("inner").strip()
    head_words = [t.text for t in normalize_name(head_text).tokens]
    inner_words = [t.text for t in normalize_name(inner_text).tokens]
    if not head_words or head_words + inner_words != [t.text for t in tokens]:
        return []
    # slices of the full name's tokens (a head made only of generic words is not promoted
    # here: its words stay generic, so it is no variant at all)
    head, inner = tokens[: len(head_words)], tokens[len(head_words) :]
    if not _identifying(inner):
        return []
    out = [Variant(inner_text, inner, True)]
    if _identifying(head):
        out.insert(0, Variant(head_text, head, False))
    return out


def _trailing_location(text: str, tokens: tuple[Token, ...]) -> list[Variant]:
    """The name up to its last legal form, when only places follow it."""
    last_legal = max((i for i, t in enumerate(tokens) if t.cls is TokenClass.LEGAL), default=-1)
    tail = tokens[last_legal + 1 :]
    if last_legal < 1 or not tail or any(t.text not in LOCATIONS for t in tail):
        return []
    head = tokens[: last_legal + 1]
    if not _identifying(head):
        return []
    # the written text up to the comma that starts the trailing places
    parts = text.split(",")
    for cut in range(len(parts) - 1, 0, -1):
        head_text = ",".join(parts[:cut]).strip()
        if normalize_name(head_text).tokens == head:
            return [Variant(head_text, head, False)]
    return []


def name_variants(text: str, tokens: tuple[Token, ...]) -> list[Variant]:
    """Variants implied by a listed name (see the module docstring); none for most names."""
    if ("," not in text and not text.rstrip().rstrip(".").rstrip().endswith(")")) or any(
        t.promoted for t in tokens
    ):
        return []
    out = _parenthetical(text, tokens)
    for v in list(out) or [Variant(text, tokens, False)]:
        if not v.alias:
            out.extend(_trailing_location(v.text, v.tokens))
    return out
