"""The CSL field conventions: list codes, multi-value splitting, addresses, notices."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.watchlists.entry import EntryKind
from compliance.watchlists.readers.csl_fields import (
    list_code,
    parse_address,
    parse_addresses,
    parse_kind,
    split_items,
    split_notices,
)


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("Entity List (EL) - Bureau of Industry and Security", "EL"),
        ("Military End User (MEU) List - Bureau of Industry and Security", "MEU"),
        ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", "NS-MBS"),
        ("Specially Designated Nationals (SDN) - Treasury Department", "SDN"),
        ("ITAR Debarred (DTC) - State Department", "DTC"),
        ("Some New List", "Some New List"),
    ],
)
def test_list_code(source: str, code: str) -> None:
    assert list_code(source) == code


def test_split_items_published_forms() -> None:
    assert split_items("A; B; and C") == ("A", "B", "C")
    assert split_items("Open Joint Stock Company 140 Repair Plant; and JSC 140 Repair Plant") == (
        "Open Joint Stock Company 140 Repair Plant",
        "JSC 140 Repair Plant",
    )
    assert split_items("DJEL;\u00a0Dongfang Jingyuan Electron Limited") == (
        "DJEL",
        "Dongfang Jingyuan Electron Limited",
    )
    assert split_items("X; Y;") == ("X", "Y")
    assert split_items("Andes Trading; Anderson") == ("Andes Trading", "Anderson")
    assert split_items("") == ()
    assert split_items(None) == ()


_NAME = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=";"),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(lambda s: s and not s.startswith("and "))
)


@given(st.lists(_NAME, min_size=1, max_size=6), st.booleans())
def test_split_items_round_trip(names: list[str], and_form: bool) -> None:
    joined = "; ".join(names[:-1])
    if len(names) > 1:
        joined += ("; and " if and_form else "; ") + names[-1]
    else:
        joined = names[0]
    assert split_items(joined) == tuple(names)


@pytest.mark.parametrize(
    ("text", "street", "city", "postal", "country"),
    [
        (
            "ul. Panferova d. 18, Moscow, 119261, RU",
            "ul. Panferova d. 18",
            "Moscow",
            "119261",
            "RU",
        ),
        ("Nizhniye Mnevniki, 110, Moscow, RU", "Nizhniye Mnevniki, 110", "Moscow", None, "RU"),
        ("Moscow, RU", None, "Moscow", None, "RU"),
        ("RU", None, None, None, "RU"),
        ("Komitas 26/114, Yerevan, Armenia, AM", "Komitas 26/114, Yerevan", "Armenia", None, "AM"),
        # No trailing ISO-2 code: only the published text is kept.
        ("113 Hezuo Road, Shijiazhuang, Hebei, China", None, None, None, None),
        ("Moscow", None, None, None, None),
    ],
)
def test_parse_address(
    text: str, street: str | None, city: str | None, postal: str | None, country: str | None
) -> None:
    address = parse_address(text)
    assert (address.street, address.city, address.postal_code, address.country) == (
        street,
        city,
        postal,
        country,
    )
    assert address.text == text


def test_parse_addresses_splits_on_and() -> None:
    addresses = parse_addresses("A St, Minsk, BY; B St, Moscow, RU; and C St, Kyiv, UA")
    assert [a.country for a in addresses] == ["BY", "RU", "UA"]


_PART = st.text(alphabet="abcdefgh XYZ-./0123", min_size=1, max_size=12).map(str.strip).filter(bool)


@given(st.lists(_PART, min_size=0, max_size=4), st.sampled_from(["RU", "CN", "AE", "US"]))
def test_parse_address_keeps_text_and_trailing_country(parts: list[str], country: str) -> None:
    text = ", ".join([*parts, country])
    address = parse_address(text)
    assert address.text == text
    assert address.country == country
    rebuilt = [p for p in (address.street, address.city, address.postal_code) if p]
    assert ", ".join(rebuilt) == ", ".join(parts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("84 FR 22961, 85 FR 29852", ("84 FR 22961", "85 FR 29852")),
        ("83 FR 37423; 87 FR 77505", ("83 FR 37423", "87 FR 77505")),
        ("81 FR 61595, 9/7/2016", ("81 FR 61595, 9/7/2016",)),
        ("82 F.R. 16788, 16789 4/6/2017", ("82 F.R. 16788, 16789 4/6/2017",)),
        ("Vol. 88, No. 151, 08/08/2023", ("Vol. 88, No. 151, 08/08/2023",)),
        ("", ()),
        (None, ()),
    ],
)
def test_split_notices(text: str | None, expected: tuple[str, ...]) -> None:
    assert split_notices(text) == expected


def test_parse_kind() -> None:
    assert parse_kind("Individual") is EntryKind.INDIVIDUAL
    assert parse_kind("vessel") is EntryKind.VESSEL
    assert parse_kind("") is None
    assert parse_kind(None) is None
    with pytest.raises(ValueError, match="Robot"):
        parse_kind("Robot")
