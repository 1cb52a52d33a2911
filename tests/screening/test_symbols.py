"""Symbols never become words (issue 16, section 1): emoji, flags, ™ and the like are dropped,
letter-like symbols read as their letter, and the evidence says what was dropped."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from compliance.screening.normalize import fold_text, normalize_text
from compliance.screening.results import Party, Status
from compliance.screening.screener import Screener
from compliance.screening.symbols import dropped_symbols, reading, strip_symbols

_RANK = {Status.CLEAR: 0, Status.REVIEW: 1, Status.ALERT: 2, Status.ERROR: -1}


def _symbol_chars() -> list[str]:
    """Every assigned character of the categories S* except the letter-like ones (``Ⓗ``
    spells a letter: that is reading, tested apart) and ``+`` (a word: "and")."""
    return [
        ch
        for ch in map(chr, range(sys.maxunicode + 1))
        if unicodedata.category(ch).startswith("S")
        and ch != "+"
        and (ch.isascii() or reading(ch) == "")
    ]


SYMBOLS = _symbol_chars()

# emoji sequences: ZWJ families, skin tones, variation selectors, flags, tags, keycaps
_BASE = st.sampled_from(["🚀", "👍", "👨", "👩", "❤", "☎", "✈", "🏴", "🧑", "🌍", "💰", "🫎"])
_TONE = st.sampled_from(["", "\U0001f3fb", "\U0001f3fd", "\U0001f3ff"])
_VS = st.sampled_from(["", "\ufe0f", "\ufe0e"])
_SINGLE = st.builds(lambda b, t, v: b + t + v, _BASE, _TONE, _VS)
_ZWJ = st.lists(_SINGLE, min_size=2, max_size=4).map("\u200d".join)
_FLAG = st.tuples(st.integers(0x1F1E6, 0x1F1FF), st.integers(0x1F1E6, 0x1F1FF)).map(
    lambda p: chr(p[0]) + chr(p[1])
)
_TAG_FLAG = st.sampled_from(["gbeng", "gbsct", "gbwls", "usca"]).map(
    lambda s: "🏴" + "".join(chr(0xE0000 + ord(c)) for c in s) + "\U000e007f"
)
_KEYCAP = st.sampled_from("0123456789#*").map(lambda c: c + "\ufe0f\u20e3")
EMOJI = st.one_of(_SINGLE, _ZWJ, _FLAG, _TAG_FLAG, _KEYCAP)

LISTED = [
    "Huawei Technologies Co., Ltd.",
    "Guangzhou Haige Communications Group Incorporated Company",
    "State Corporation Rostec",
    "IVANOV, Sergei Petrovich",
    "Zeta Photonics GmbH",
    "Borealis Fund 5",
    "CNOOC Energy Technology & Services Limited",
]


def _insert(name: str, position: int, inserted: str) -> str:
    position %= len(name) + 1
    return name[:position] + inserted + name[position:]


@example(name="Huawei Technologies Co., Ltd.", position=6, symbol="™")
@example(name="Huawei Technologies Co., Ltd.", position=0, symbol="$")
@given(st.sampled_from(LISTED), st.integers(0, 80), st.sampled_from(SYMBOLS))
def test_a_symbol_inserted_anywhere_changes_nothing(name: str, position: int, symbol: str) -> None:
    assert fold_text(_insert(name, position, symbol)) == fold_text(name)


@given(st.sampled_from(LISTED), st.integers(0, 80), EMOJI)
def test_an_emoji_sequence_inserted_anywhere_changes_nothing(
    name: str, position: int, emoji: str
) -> None:
    assert fold_text(_insert(name, position, emoji)) == fold_text(name)


# a symbol inserted inside a keycap sequence ("0$️⃣") once left the digit behind
@example(
    name="Huawei Technologies Co., Ltd.",
    inserts=[
        (0, "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"),
        (27, "0️⃣"),
        (28, "$"),
    ],
)
@given(
    st.sampled_from(LISTED),
    st.lists(st.tuples(st.integers(0, 80), st.one_of(st.sampled_from(SYMBOLS), EMOJI)), max_size=4),
)
def test_inserted_symbols_never_lower_the_status(
    hand_screener: Screener, name: str, inserts: list[tuple[int, str]]
) -> None:
    treated = name
    for position, inserted in inserts:
        treated = _insert(treated, position, inserted)
    before = hand_screener.screen(Party(name=name))
    after = hand_screener.screen(Party(name=treated))
    assert _RANK[after.status] >= _RANK[before.status]
    assert after.hits[0].entry_id == before.hits[0].entry_id


@pytest.mark.parametrize(
    "query",
    ["Huawei 🚀 Technologies", "Huawei Technologies Co. Ltd. 🇨🇳", "Huawei ™", "Huawei®"],
)
def test_the_reported_evasions_alert_and_say_what_was_dropped(
    hand_screener: Screener, query: str
) -> None:
    result = hand_screener.screen(Party(name=query))
    assert result.status is Status.ALERT
    hit = result.hits[0]
    assert hit.entry_id == "el-huawei"
    assert hit.evidence.dropped == dropped_symbols(query)
    assert hit.evidence.dropped  # something was dropped, and it says so
    assert not {"rocket", "cn", "tm", "r"} & set(normalize_text(query).split())


def test_evidence_lists_each_dropped_sequence_once() -> None:
    assert dropped_symbols("Hua👨\u200d👩\u200d👧wei 🇨🇳 ™ 🇨🇳") == (
        "👨\u200d👩\u200d👧",
        "🇨🇳",
        "™",
    )
    assert dropped_symbols("Huawei") == ()
    assert dropped_symbols("1\ufe0f\u20e3 Huawei") == ("1\ufe0f\u20e3",)


def test_letter_like_symbols_read_as_their_letter() -> None:
    assert normalize_text("ⒽⓊⒶⓌⒺⒾ") == "huawei"
    assert normalize_text("🅷🆄🅰🆆🅴🅸 Technologies") == "huawei tech"
    assert normalize_text("🄷uawei") == "huawei"


def test_symbols_spelt_out_by_nfkc_or_anyascii_are_dropped() -> None:
    assert normalize_text("Huawei ™ ℠ ℡ № © ® § ¶") == "huawei"
    assert normalize_text("Huawei $ € ¥ £ ∑ ≠ ┼ ✈ ⚙") == "huawei"


def test_plus_is_still_a_word() -> None:
    assert normalize_text("Müller + Sohn") == normalize_text("Müller & Sohn")


def test_a_name_of_symbols_only_is_an_error_not_clear(hand_screener: Screener) -> None:
    assert hand_screener.screen(Party(name="🚀 ™ 🇨🇳")).status is Status.ERROR
    assert strip_symbols("🚀 ™") == " "
