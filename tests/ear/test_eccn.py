"""ECCN parsing (15 CFR 738.2(d)): paragraphs, classes, EAR99, clear errors, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.ear.eccn import Eccn, EccnError, eccn_matches, parse_eccn


@pytest.mark.parametrize(
    ("text", "canonical", "category", "group", "number", "paragraphs"),
    [
        ("3A090.a", "3A090.a", 3, "A", "090", ("a",)),
        (" 3a090 . A ", "3A090.a", 3, "A", "090", ("a",)),
        ("3A090 a", "3A090.a", 3, "A", "090", ("a",)),
        ("3A001.z.1.a", "3A001.z.1.a", 3, "A", "001", ("z", "1", "a")),
        ("3A001a1", "3A001.a.1", 3, "A", "001", ("a", "1")),
        ("3B001.f.6", "3B001.f.6", 3, "B", "001", ("f", "6")),
        ("9A515.x", "9A515.x", 9, "A", "515", ("x",)),
        ("9a610.Y.1", "9A610.y.1", 9, "A", "610", ("y", "1")),
        ("5A992", "5A992", 5, "A", "992", ()),
        ("0A521", "0A521", 0, "A", "521", ()),
    ],
)
def test_parse_eccn_parts(
    text: str,
    canonical: str,
    category: int,
    group: str,
    number: str,
    paragraphs: tuple[str, ...],
) -> None:
    eccn = parse_eccn(text)
    assert (eccn.text, eccn.category, eccn.group, eccn.number, eccn.paragraphs) == (
        canonical,
        category,
        group,
        number,
        paragraphs,
    )
    assert str(eccn) == canonical
    assert eccn.base == canonical[:5]


@pytest.mark.parametrize("text", ["EAR99", "ear99", " EAR 99 "])
def test_ear99(text: str) -> None:
    eccn = parse_eccn(text)
    assert eccn.is_ear99
    assert eccn.base == "EAR99"
    assert (eccn.category, eccn.group, eccn.paragraphs) == (None, None, ())
    assert not (eccn.is_600_series or eccn.is_9x515 or eccn.is_0y521)


def test_flags() -> None:
    assert parse_eccn("9A610.y").is_600_series
    assert parse_eccn("0A606").is_600_series
    assert not parse_eccn("9A515").is_600_series
    assert parse_eccn("9E515.f").is_9x515
    assert not parse_eccn("3A515").is_9x515
    assert parse_eccn("0D521").is_0y521
    assert not parse_eccn("3A001").is_0y521


def test_class_names_parse_without_a_group() -> None:
    y521 = parse_eccn("0y521")
    x515 = parse_eccn("9X515")
    assert (str(y521), y521.group, y521.is_0y521, y521.is_class) == ("0Y521", None, True, True)
    assert (str(x515), x515.group, x515.is_9x515) == ("9x515", None, True)
    assert eccn_matches("9D515.a", "9x515")
    assert not eccn_matches("9D610", "9x515")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("3A09", "too short"),
        ("XA090", "category digit"),
        ("3F001", "product group letter A-E"),
        ("3AB01", "three digits"),
        ("3A0901", "too many digits"),
        ("3A090.", "ends with a dot"),
        ("3A090..a", "empty paragraph"),
        ("3A090.a-1", "unexpected character '-'"),
        ("3A090.abc", "not a CCL paragraph letter"),
        ("3A001.b.02", "not a CCL number"),
        ("EAR98", "only 'EAR99'"),
    ],
)
def test_parse_errors_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(EccnError, match=message) as info:
        parse_eccn(text)
    if text:
        assert repr(text) in str(info.value)


def test_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_eccn("nonsense")


@pytest.mark.parametrize(
    ("item", "pattern", "expected"),
    [
        ("3B001.f.6", "3B001.f.6", True),
        ("3B001.f.6.a", "3B001.f.6", True),
        ("3B001.f", "3B001.f.6", False),
        ("3B001.f.5", "3B001.f.6", False),
        ("3A090.b", "3A090", True),
        ("3A090", "3A090", True),
        ("3A090", "3A090.a", False),
        ("4A090.a", "3A090", False),
        ("EAR99", "EAR99", True),
        ("EAR99", "3A090", False),
    ],
)
def test_eccn_matches(item: str, pattern: str, expected: bool) -> None:
    assert eccn_matches(parse_eccn(item), pattern) is expected


_letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=2)
_numbers = st.integers(min_value=1, max_value=99).map(str)
_eccns = st.builds(
    lambda c, g, n, ps: f"{c}{g}{n:03d}" + "".join(f".{p}" for p in ps),
    st.integers(min_value=0, max_value=9),
    st.sampled_from("ABCDE"),
    st.integers(min_value=0, max_value=999),
    st.lists(st.one_of(_letters, _numbers), max_size=5),
)


@given(_eccns)
def test_round_trip(text: str) -> None:
    eccn = parse_eccn(text)
    assert parse_eccn(str(eccn)) == eccn
    assert str(eccn) == text


@given(_eccns)
def test_case_and_spacing_do_not_matter(text: str) -> None:
    messy = " " + text.replace(".", " . ").upper() + "  "
    assert parse_eccn(messy) == parse_eccn(text)


@given(_eccns, st.lists(st.one_of(_letters, _numbers), max_size=3))
def test_a_pattern_matches_everything_below_it(text: str, deeper: list[str]) -> None:
    pattern = parse_eccn(text)
    item = parse_eccn(text + "".join(f".{p}" for p in deeper))
    assert eccn_matches(item, pattern)
    assert eccn_matches(item, pattern.base)
    assert eccn_matches(pattern, item) is (not deeper)


def test_eccn_is_frozen() -> None:
    eccn = parse_eccn("3A090.a")
    with pytest.raises(ValueError):
        eccn.text = "3A090.b"  # type: ignore[misc]
    assert isinstance(eccn, Eccn)
