"""The character rule every door applies to free text (compliance/text_input.py)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from compliance.text_input import control_character


@given(st.text())
def test_refused_exactly_when_a_control_character_is_present(text: str) -> None:
    bad = [i for i, c in enumerate(text) if c != "\t" and unicodedata.category(c) == "Cc"]
    problem = control_character(text)
    if bad:
        assert problem == f"control character U+{ord(text[bad[0]]):04X} at {bad[0]}"
    else:
        assert problem is None


def test_boundaries() -> None:
    assert control_character("") is None
    assert control_character("tab\tok") is None
    assert control_character("line\nbreak") == "control character U+000A at 4"
    assert control_character("line\r\nbreak", allowed="\r\n") is None
    assert control_character("\x7f") == "control character U+007F at 0"  # DEL is Cc
    assert control_character("\x85") == "control character U+0085 at 0"  # NEL (C1) too
    assert control_character("\u202eevil\u202c") is None  # bidi controls are Cf: kept
    assert control_character("Zoë Ltd 株式会社") is None
