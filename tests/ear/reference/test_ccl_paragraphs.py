"""Paragraph-level ECCN validation against the CCL's paragraph tree (15 CFR 774 Supp. No. 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ear_case_factory import build as build_case
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from compliance.ear.case import Item
from compliance.ear.eccn import parse_eccn
from compliance.ear.questions import case_warnings
from compliance.ear.reference import ccl
from compliance.ear.reference._data import load
from compliance.ear.reference.build_paragraphs import build, entry_tree
from compliance.ear.reference.ccl_paragraphs import (
    check_paragraphs,
    checked_categories,
    entry_paragraphs,
)


def _tree_entries() -> dict[str, dict[str, str]]:
    entries = load("ccl_paragraphs.yaml")["entries"]
    assert isinstance(entries, dict)
    return entries


def test_every_paragraph_of_every_entry_is_accepted() -> None:
    checked = 0
    for base, raw in _tree_entries().items():
        for label in str(raw.get("paragraphs", "")).split():
            eccn = parse_eccn(f"{base}.{label}")
            assert check_paragraphs(eccn).status == "valid", eccn
            assert Item(eccn=eccn.text, description="x").eccn == eccn.text
            checked += 1
    assert checked > 1500  # 1,941 paragraphs in the 163 checkable entries (2026-07-23)


def test_every_reserved_paragraph_is_rejected_and_says_reserved() -> None:
    seen = 0
    for base, raw in _tree_entries().items():
        for label in str(raw.get("reserved", "")).split():
            found = check_paragraphs(parse_eccn(f"{base}.{label}"))
            assert found.status == "invalid" and "[Reserved]" in found.message, (base, label)
            seen += 1
    assert seen > 50


def test_a_child_of_a_leaf_is_rejected_for_every_entry() -> None:
    """Below each last paragraph there is nothing: ``<leaf>.zz`` is invalid everywhere."""
    for base, raw in _tree_entries().items():
        labels = str(raw.get("paragraphs", "")).split()
        if "unchecked" in raw:
            continue
        opened = str(raw.get("open", "")).split()
        for label in labels or [""]:
            if label.split(".")[0] in opened or label in opened:
                continue
            text = f"{base}.{label}.zz" if label else f"{base}.zz"
            assert check_paragraphs(parse_eccn(text)).status == "invalid", text


def test_every_paragraph_our_license_rows_name_is_in_the_tree() -> None:
    """Our rows were written by hand from the regulation: the generated tree must have every
    paragraph they name (a miss means the tree would reject a real classification)."""
    for base in ccl.all_eccns():
        entry = ccl.lookup(base)
        assert entry is not None
        for row in entry.license_rows:
            for p in (*(row.applies_to_paragraphs or ()), *row.excluded_paragraphs):
                assert check_paragraphs(parse_eccn(p)).status != "invalid", (base, p)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("3A999.zz", "no paragraph .zz"),
        ("5A002.a.9", "under 5A002.a it has .a.1, .a.2, .a.3, .a.4"),
        ("3A991.y", "no paragraph .y"),
        ("5A002.f", "[Reserved]"),
        ("5A992.a", "[Reserved]"),
        ("3A090.f", "no paragraph .f"),
        ("3B002.e", "no paragraph .e"),
        ("5A002.a.6", "no paragraph .a.6"),
    ],
)
def test_a_paragraph_the_ccl_lacks_is_an_input_error(text: str, said: str) -> None:
    with pytest.raises(ValidationError) as err:
        Item(eccn=text, description="x")
    message = str(err.value)
    assert said in message and "15 CFR 774 Supp. No. 1" in message and "eccn" in message


@pytest.mark.parametrize(
    "text",
    [
        "3A001.a.1.b",
        "5A992.c",
        "5A992.z.1",
        "3A090.a.1",
        "3A090.c",  # high-bandwidth memory, added by 89 FR 96790 (2024-12-05)
        "3A001.z.1.b",
        "3B001.f.6",
        "3A611.y.1",
        "5A002.a.4.b",
        "3A090",
        "0Y521",
        "9x515",
        "EAR99",
    ],
)
def test_valid_paragraph_forms_are_accepted(text: str) -> None:
    assert Item(eccn=text, description="x").eccn == parse_eccn(text).text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("3A999.g", "ends at .f there"),  # the label after the last one: maybe dropped
        ("5A002.a.5", "ends at .a.4 there"),
        ("5A992.z.3", "ends at .z.2 there"),
        ("1A003.a.1", "has .a but not the paragraphs below it"),  # the parse lost .a's text
        ("1B003.a.2", "below it"),
    ],
)
def test_a_paragraph_the_tree_cannot_rule_out_is_accepted_and_warned(text: str, said: str) -> None:
    found = check_paragraphs(parse_eccn(text))
    assert found.status == "unchecked" and said in found.message
    assert Item(eccn=text, description="x").eccn == text
    assert any(said in w for w in case_warnings(build_case({"item.eccn": text})))


def test_an_unchecked_paragraph_is_accepted_with_a_warning() -> None:
    for text, why in (
        ("9A610.y.1", "covers Categories 1, 3, 4, 5 only"),
        ("3A611.b", "the parse lacks"),
    ):
        case = build_case({"item.eccn": text})
        warnings = case_warnings(case)
        assert any(f"paragraph .{text.split('.', 1)[1]}" in w and why in w for w in warnings)
    assert not case_warnings(build_case({"item.eccn": "3A001.a.1.b"}))
    assert checked_categories() == frozenset({1, 3, 4, 5})
    assert entry_paragraphs("9A610") is None
    assert entry_paragraphs("3A999") == ("a", "b", "c", "d", "e", "e.1", "e.2", "f")


def test_entry_tree_keeps_reserved_spans_and_flags_gaps() -> None:
    """The generator on a hand-made item list (no shared data needed)."""
    items = [
        {"kind": "item", "paragraph": "a", "text": "Things"},
        {"kind": "item", "paragraph": "a.1", "text": "One"},
        {"kind": "text", "paragraph": None, "text": "z.1.b Commodities that are described"},
        {"kind": "item", "paragraph": "b", "text": "through y. [Reserved]"},
        {"kind": "item", "paragraph": "c", "text": "A Note's list item"},
        {"kind": "note", "paragraph": "1", "text": "Technical note"},
    ]
    paragraphs, reserved, why, opened = entry_tree(items, ["a.2"])
    assert paragraphs == ["a", "a.1", "a.2", "z", "z.1", "z.1.b"]
    assert opened == ["a.2"]  # named elsewhere, its own paragraphs not known
    assert reserved[0] == "b" and reserved[-1] == "y" and len(reserved) == 24
    assert why == "the parse lacks z.1.a (a gap before z.1.b)"
    assert entry_tree([{"kind": "item", "paragraph": "b", "text": "x"}])[2] is not None


@pytest.mark.shared
def test_the_data_file_is_what_the_script_generates(shared_data: Path) -> None:
    source = shared_data / "ear" / "seelpeed-export-controls-agent-mcp_2026-07-23" / "ccl.json"
    if not source.is_file():
        pytest.skip("../shared/data/ear is not available")
    bundled = Path(__file__).parents[3] / "compliance" / "ear" / "reference"
    assert build(source) == (bundled / "ccl_paragraphs.yaml").read_text(encoding="utf-8")


_CHECKED = sorted(
    (base, tuple(str(raw["paragraphs"]).split()))
    for base, raw in _tree_entries().items()
    if "unchecked" not in raw and str(raw.get("paragraphs", "")).split()
)


@given(st.sampled_from(_CHECKED), st.data())
def test_paragraph_tree_is_prefix_closed_and_extensions_of_leaves_fail(
    entry: tuple[str, tuple[str, ...]], data: st.DataObject
) -> None:
    """Every prefix of an accepted paragraph is accepted; a paragraph below a leaf is refused,
    and the refusal names the entry (15 CFR 774 Supp. No. 1 paragraph structure)."""
    base, labels = entry
    label = data.draw(st.sampled_from(labels))
    parts = label.split(".")
    for n in range(1, len(parts) + 1):
        prefix = ".".join(parts[:n])
        assert check_paragraphs(parse_eccn(f"{base}.{prefix}")).status == "valid"
    child = "1" if parts[-1].isalpha() else "a"
    opened = str(_tree_entries()[base].get("open", "")).split()
    if f"{label}.{child}" not in labels and not any(label.startswith(o) for o in opened):
        found = check_paragraphs(parse_eccn(f"{base}.{label}.{child}"))
        assert found.status == "invalid" and base in found.message


def test_unchecked_paragraphs_of_production_inputs_and_onward_items_are_warned() -> None:
    case = build_case(
        {
            "production": {
                "technology_and_software": [{"eccn": "9E610.a", "us_origin": True}],
                "plant_direct_product_of": ["734.9(e)(1) list", "2E003.a"],
            },
            "knowledge.onward_item_eccns": ["9A610.y.1"],
        }
    )
    warnings = case_warnings(case)
    for path in (
        "production.technology_and_software[0].eccn 9E610.a",
        "production.plant_direct_product_of[1] 2E003.a",
        "knowledge.onward_item_eccns[0] 9A610.y.1",
    ):
        assert any(w.startswith(path) and "not checked" in w for w in warnings), path
    assert not any("734.9(e)(1) list" in w for w in warnings)
