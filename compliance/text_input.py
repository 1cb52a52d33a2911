"""The character rule for free text arriving through a door (HTTP body, page form).

Control characters (NUL, terminal escapes, ...) in a name, country, reason or filter are
refused with the field named, by the service and the review pages alike, so they never reach
the matcher, a log line or the audit trail. Bidirectional controls are not control
characters: they are kept (a party is screened as given) and pages show such text in
``<bdi>``.
"""

from __future__ import annotations

import unicodedata


def control_character(value: str, *, allowed: str = "\t") -> str | None:
    """Why ``value`` is refused (its first control character and position), or None."""
    for position, char in enumerate(value):
        if char not in allowed and unicodedata.category(char) == "Cc":
            return f"control character U+{ord(char):04X} at {position}"
    return None
