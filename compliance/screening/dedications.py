"""Dedications in organisation names: "named after" a person.

Russian and Soviet organisations are often dedicated to a person, and the lists write the
dedication differently: the SDN list gives ``NOVOSIBIRSK AIRCRAFT PLANT NAMED AFTER V.P.
CHKALOV`` where the Entity List has *Chkalov Novosibirsk Aviation Plant*, and ``ZAVOD IM VA
DEGTIAREVA`` (``имени``, "named after", abbreviated ``им.``) or ``N.A.``. The marker and the
person's initials say nothing about which organisation it is; the surname does. A name with
a dedication gets one more reading without the marker and the initials, and one without
the whole dedication when it ends the name (``dedication_stripped``), screened beside the
name as written, never instead of it.
"""

from __future__ import annotations

import re

from compliance.screening.normalize import TokenClass, normalize_name

# The marker ("named after", "n.a.", the Russian "imeni" / "im." romanised) after at least
# one word of the name, then the person's initials ("V.P.", "A.Y.", "F E", "VA" glued; a bare
# "IM" only with initials after it), then the surname, which stays.
_INITIALS = r"(?:(?:[a-z]\.\s?|[a-z]\s+){1,3}|[a-z]{2}\s+(?=[a-z]{3,}))"
_DEDICATION = re.compile(
    rf"(?i)(?<=[\s,])(?:(?:named\s+after|n\.\s?a\.|imeni|im\.)\s*{_INITIALS}?|im\s+{_INITIALS})"
    r"(?=[a-z]{3,})"
)
_CHEAP = re.compile(r"(?i)\b(?:named|imeni|im)\b|\bn\.\s?a\.")


def _identifying(text: str) -> bool:
    """A word of ``text`` identifies a party (an ordinary word, not a promoted generic one):
    the name without its dedication is not left as generic words alone (``ZAVOD``)."""
    return any(t.cls is TokenClass.ORDINARY and not t.promoted for t in normalize_name(text).tokens)


_TRAILING = re.compile(r"(?i)\s+[a-z][a-z'-]+\s*$")


def dedication_stripped(name: str) -> tuple[str, ...]:
    """``name`` without its dedication marker and the person's initials
    (``... PLANT NAMED AFTER V.P. CHKALOV`` -> ``... PLANT CHKALOV``) and, when the
    dedication ends the name, without the surname as well (``... PLANT``: the other list may
    leave the dedication out, *Uralvagonzavod*); empty when it has none."""
    if _CHEAP.search(name) is None:
        return ()
    m = _DEDICATION.search(name)
    if m is None:
        return ()
    kept = " ".join((name[: m.start()] + name[m.end() :]).split())
    head = " ".join(name[: m.start()].split())
    tail = name[m.end() :]
    out = [kept]
    if _TRAILING.fullmatch(" " + tail) and _identifying(head):
        out.append(head)
    return tuple(out)
