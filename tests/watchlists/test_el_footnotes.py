"""Entity List footnote markers read from License Requirement text."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.watchlists.footnotes import (
    FOOTNOTES,
    footnote_numbers,
    footnotes_for,
    normalise_license_requirement,
    strip_markers,
)
from compliance.watchlists.readers.csl_csv import read_csl_csv
from compliance.watchlists.readers.csl_json import read_csl_json

EL = "Entity List (EL) - Bureau of Industry and Security"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Published forms (SOURCES.md, docs/ear-reference.md section 5.2, the 2026 CSL).
        ("For all items subject to the EAR, see §§ 734.9(e)1 and 744.11 of the EAR2", (1, 2)),
        ("For all items subject to the EAR, see §§ 734.9(e) 1 and 744.11 of the EAR 2", (1, 2)),
        ("For All Items Subject to the EAR (See §734.9(e)1, and §744.11 of the EAR)2.", (1, 2)),
        ("(See §§734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR.)", (3,)),
        ("(See §734.9(g), 3 §746.8(a)(3), and §744.21(b) of the EAR).", (3,)),
        ("(See §§734.9(g)3, 746.8(a)(3), and 744.2l(b) of the EAR)", (3,)),
        ("For all items subject to the EAR. (See §§ 734.9(e)(2) and 744.11 of the EAR)4", (4,)),
        ("For all items subject to the EAR. (See §§ 734.9(e)(2) and 744.11 of the EAR) 4", (4,)),
        ("(See §§734.4(a)(9), 734.9(e)(3), and 744.11 of the EAR)5", (5,)),
        # No marker: citation digits only.
        ("For all items subject to the EAR.  (See §744.11 of the EAR)", ()),
        ("For all items subject to the EAR. (See §744.2 (d) of the EAR)", ()),
        ("(See §§ 734.9(g), 746.8(a)(3), and 744.21(b) of the EAR)", ()),
        ("License Exception GOV under § 740.11(b)(2) and (e).", ()),
        ("General License No. 11 of December 20, 2016.", ()),
        ("HS codes: 271111, 2711210000, 2709", ()),
        ("items designated as EAR99", ()),
        # Pre-2022 Huawei rows: the FDP reference without a marker is footnote 1.
        ("For all items subject to the EAR, see §§ 736.2(b)(3)(vi), and 744.11 of the EAR", (1,)),
        ("", ()),
    ],
)
def test_known_texts(text: str, expected: tuple[int, ...]) -> None:
    assert footnote_numbers(text) == expected


def test_none_has_no_footnotes() -> None:
    assert footnote_numbers(None) == ()
    assert footnotes_for(None) == ()


def test_every_footnote_cites_the_supplement_and_its_rule() -> None:
    rules = {
        1: "734.9(e)(1)",
        2: "772.1",
        3: "734.9(g)",
        4: "734.9(e)(2)",
        5: "734.4(a)(9)",
    }
    assert sorted(FOOTNOTES) == [1, 2, 3, 4, 5]
    for number, footnote in FOOTNOTES.items():
        assert footnote.number == number
        assert f"Supplement No. 4 to 15 CFR part 744, footnote {number}" in footnote.citation
        assert rules[number] in footnote.citation
    assert "unverified" in FOOTNOTES[2].citation
    assert "744.11(a)(2)(i)" in FOOTNOTES[1].citation
    assert "734.9(e)(3)" in FOOTNOTES[5].citation and "744.11(a)(2)(v)" in FOOTNOTES[5].citation


def _entity_list_requirements(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [r["license_requirement"] for r in csv.DictReader(handle) if r["source"] == EL]


_FDP_REFERENCE = re.compile(r"734\.9|736\.2\(b\)\(3\)\(vi\)")


def test_2022_entity_list(shared_data: Path) -> None:
    texts = _entity_list_requirements(shared_data / "lists/csl/2022-05_watchman/consolidated.csv")
    assert len(texts) == 2001
    counts = Counter(n for t in texts for n in footnote_numbers(t))
    assert counts[3] == 147  # SOURCES.md
    assert counts[1] == sum("736.2(b)(3)(vi)" in t for t in texts)
    assert set(counts) == {1, 3}


def test_2026_entity_list_citation_digits_are_never_footnotes(shared_data: Path) -> None:
    texts = _entity_list_requirements(shared_data / "lists/csl/2026-07-31_compact/consolidated.csv")
    assert len(texts) == 3420
    for text in texts:
        numbers = footnote_numbers(text)
        if numbers:
            # Every footnote comes with the FDP rule it points to.
            assert _FDP_REFERENCE.search(text), text
        if not _FDP_REFERENCE.search(text):
            assert numbers == (), text
    counts = Counter(n for t in texts for n in footnote_numbers(t))
    # Footnote 1 and 2 travel together on the Huawei rows; 16 footnote-5 entities were
    # added in December 2024 (docs/ear-reference.md, 89 FR 96790).
    assert counts[1] == counts[2] > 0
    assert counts[5] == 16
    assert counts[3] > 0 and counts[4] > 0
    # Every row with a text marker after "(g)" carries footnote 3.
    assert counts[3] == sum(bool(re.search(r"734\.9\(g\),? ?3", t)) for t in texts)


def test_2026_huawei_has_footnote_1(shared_data: Path) -> None:
    snapshot = read_csl_json(shared_data / "lists/csl/2026-07-31_compact/screening-list.json")
    huawei = [
        e
        for e in snapshot.entries
        if e.source == "EL" and e.name == "Huawei Technologies Co., Ltd."
    ]
    assert huawei
    for entry in huawei:
        assert 1 in [f.number for f in entry.footnotes]


def test_footnotes_only_on_entity_list_rows(shared_data: Path) -> None:
    snapshot = read_csl_csv(shared_data / "lists/csl/2026-07-31_compact/consolidated.csv")
    assert all(not e.footnotes for e in snapshot.entries if e.source != "EL")


@given(st.text())
def test_parser_never_returns_a_number_outside_1_to_5(text: str) -> None:
    numbers = footnote_numbers(text)
    assert all(1 <= n <= 5 for n in numbers)
    assert list(numbers) == sorted(set(numbers))


_MARKER_CONTEXT = st.sampled_from(["(See §744.11 of the EAR)", "of the EAR", "734.9(g),", "(e)"])


@given(_MARKER_CONTEXT, st.integers(min_value=1, max_value=5), st.sampled_from(["", ".", " and"]))
def test_marker_found_in_any_published_position(prefix: str, number: int, suffix: str) -> None:
    assert number in footnote_numbers(f"For all items {prefix}{number}{suffix}")


@given(st.text(alphabet=st.sampled_from(list("§()., ;EAR0123456789abs")), max_size=60))
def test_stripping_markers_only_removes_footnote_digits(text: str) -> None:
    stripped = strip_markers(text)
    removed: list[str] = []
    rest = iter(stripped)
    pending = next(rest, None)
    for char in text:
        if char == pending:
            pending = next(rest, None)
        else:
            removed.append(char)
    assert pending is None  # stripped is text with some characters taken out
    assert all(c in "12345" for c in removed)
    # (The alphabet cannot spell the marker-less "736.2(b)(3)(vi)" reference.)
    assert bool(removed) == bool(footnote_numbers(text))


@given(st.text(alphabet=st.sampled_from(list("§(). abcEAR79")), max_size=60))
def test_normalised_requirement_ignores_spacing(text: str) -> None:
    spaced = re.sub(" ", "   ", text)
    assert normalise_license_requirement(spaced) == normalise_license_requirement(text)


def test_normalised_requirement_groups_published_variants() -> None:
    variants = [
        "For all items subject to the EAR.  (See §744.11 of the EAR)",
        "For all items subject to the EAR. (See §744.11 of the EAR).",
        "For all items subject to the EAR. (See § 744.11 of the EAR)",
        "For all items subject to the EAR.  (See §744.11 of the EAR) ",
        "For all items subject to the EAR. (See §744.11 of the EAR.)",
    ]
    assert len({normalise_license_requirement(v) for v in variants}) == 1
    different = "For all items subject to the EAR. (See §§ 734.9(e)(2) and 744.11 of the EAR)4"
    assert normalise_license_requirement(different) != normalise_license_requirement(variants[0])
    assert normalise_license_requirement(None) is None


def test_normalisation_reduces_2022_requirement_groups(shared_data: Path) -> None:
    texts = _entity_list_requirements(shared_data / "lists/csl/2022-05_watchman/consolidated.csv")
    published = set(texts)
    assert len(published) == 43  # SOURCES.md
    grouped = {normalise_license_requirement(t) for t in texts}
    assert len(grouped) < len(published)
    # Grouping never merges texts with different footnotes.
    by_group: dict[str | None, set[tuple[int, ...]]] = {}
    for text in published:
        by_group.setdefault(normalise_license_requirement(text), set()).add(footnote_numbers(text))
    assert all(len(v) == 1 for v in by_group.values())
