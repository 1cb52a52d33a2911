"""The Jinja2 environment of the review pages: autoescape on, and filters that keep listed
and submitted text inert and visible (bidi and invisible controls shown, not obeyed).

Everything a page shows from a list or an input file goes through autoescape; names are
also wrapped in ``<bdi>`` by the templates so a right-to-left override cannot reorder the
text around them, and the ``shown`` filter replaces each bidi or invisible control with a
visible marker, because a hidden character in a counterparty's name is itself evidence.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

# Bidi embeddings/overrides/isolates and marks, zero-width and other format characters.
_CONTROLS = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad\u061c]")
_FR_CITATION = re.compile(r"^(\d{1,3}) FR (\d{1,6})$")
_ADJUSTMENT = re.compile(r"^(?P<reason>.+): (?P<amount>[+-]\d+\.\d+)$")


def shown(value: object, limit: int | None = None) -> Markup:
    """Escaped text with every control character shown as a marker; optionally clipped.

    Clipping is for tables only (a 10,000-character name must not push the page apart);
    the hit page shows the text whole.
    """
    text = "" if value is None else str(value)
    clipped = ""
    if limit is not None and len(text) > limit:
        clipped = f"… ({len(text):,} characters)"
        text = text[:limit]
    parts: list[str] = []
    last = 0
    for m in _CONTROLS.finditer(text):
        parts.append(str(escape(text[last : m.start()])))
        ch = m.group(0)
        name = unicodedata.name(ch, "FORMAT CHARACTER")
        parts.append(f'<span class="ctl" title="{escape(name)}">[U+{ord(ch):04X}]</span>')
        last = m.end()
    parts.append(str(escape(text[last:])))
    if clipped:
        parts.append(f'<span class="clip">{escape(clipped)}</span>')
    return Markup("".join(parts))


def fr_link(citation: str) -> str | None:
    """federalregister.gov's address for a '89 FR 12345' citation, else None (no link)."""
    m = _FR_CITATION.match(citation.strip())
    if m is None:
        return None
    return f"https://www.federalregister.gov/citation/{m.group(1)}-FR-{m.group(2)}"


def safe_url(url: str | None) -> str | None:
    """An http(s) address from a list, else None: no ``javascript:`` or ``data:`` links."""
    if not url:
        return None
    cleaned = url.strip()
    if re.match(r"^https?://[^\s\"'<>]+$", cleaned, re.IGNORECASE) is None:
        return None
    return cleaned


def adjustment(text: str) -> str:
    """'country agrees: +0.0300' as 'country agrees: score raised by 0.0300'."""
    m = _ADJUSTMENT.match(text)
    if m is None:
        return text
    amount = m.group("amount")
    verb = "lowered" if amount.startswith("-") else "raised"
    return f"{m.group('reason')}: score {verb} by {amount.lstrip('+-')}"


def evidence_word(kind: str, value: str) -> str:
    """The evidence's agreement codes in words."""
    words = {
        "agree": f"the {kind} agrees with the listed entry",
        "partial": f"the {kind} partly agrees with the listed entry",
        "disagree": f"the {kind} differs from the listed entry",
        "unknown": f"no {kind} to compare",
    }
    return words.get(value, f"{kind}: {value}")


def make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("compliance.web", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters: dict[str, Any] = {
        "shown": shown,
        "fr_link": fr_link,
        "safe_url": safe_url,
        "adjustment": adjustment,
        "evidence_word": evidence_word,
    }
    env.filters.update(filters)
    return env
