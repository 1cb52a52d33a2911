"""The bundled Entity List excerpt: parses cleanly, is dated and labelled, agrees with the CSL."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from compliance.watchlists.bundled import (
    EXCERPT_FILE,
    EXCERPT_META_FILE,
    EXCERPT_SOURCE,
    BundledDataError,
    bundled_excerpt,
    excerpt_meta,
)
from compliance.watchlists.entry import ListEntry
from compliance.watchlists.readers.csl_csv import CSL_COLUMNS, read_csl_csv
from compliance.watchlists.registry import bundled_lists_dir

REPO = Path(__file__).resolve().parents[2]
# Rules that listed Huawei and its affiliates; every entry they cite carries footnote 1.
HUAWEI_RULE_PAGES = {"84 FR 22961", "84 FR 22963", "84 FR 43495", "85 FR 51603"}


def _csv_rows() -> list[dict[str, str]]:
    with (bundled_lists_dir() / EXCERPT_FILE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _by_name() -> dict[str, ListEntry]:
    return {e.name: e for e in bundled_excerpt().entries}


def _numbers(entry: ListEntry) -> tuple[int, ...]:
    return tuple(f.number for f in entry.footnotes)


# --------------------------------------------------------------------------- the file itself


def test_excerpt_has_the_official_29_column_header() -> None:
    with (bundled_lists_dir() / EXCERPT_FILE).open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert tuple(header) == CSL_COLUMNS
    assert len(header) == 29


def test_every_row_is_an_entity_list_row() -> None:
    rows = _csv_rows()
    assert rows
    assert {r["source"] for r in rows} == {"Entity List (EL) - Bureau of Industry and Security"}


def test_excerpt_parses_with_no_read_issues_and_keeps_every_row() -> None:
    snapshot = bundled_excerpt()
    assert snapshot.issues == ()
    assert len(snapshot.entries) == len(_csv_rows())
    assert len({e.entry_id for e in snapshot.entries}) == len(snapshot.entries)
    assert {e.source for e in snapshot.entries} == {"EL"}


def test_snapshot_is_marked_as_an_excerpt_with_its_label_and_date() -> None:
    snapshot = bundled_excerpt()
    assert snapshot.source == EXCERPT_SOURCE
    assert snapshot.is_excerpt is True
    assert "not a full screening" in snapshot.label
    assert snapshot.published == datetime(2024, 12, 5, tzinfo=UTC)
    assert [f.name for f in snapshot.files] == [EXCERPT_FILE]


def test_snapshot_id_is_stable_across_reads() -> None:
    first, second = bundled_excerpt(), bundled_excerpt()
    assert first.snapshot_id == second.snapshot_id
    assert first.model_dump_json() == second.model_dump_json()


# --------------------------------------------------------------------------- footnotes


def test_entries_listed_by_the_huawei_rules_carry_footnotes_1_and_2() -> None:
    huawei = [
        e for e in bundled_excerpt().entries if HUAWEI_RULE_PAGES & set(e.federal_register_notices)
    ]
    assert len(huawei) >= 20
    for entry in huawei:
        assert _numbers(entry) == (1, 2), entry.name


def test_named_huawei_entries_carry_footnote_1() -> None:
    entries = _by_name()
    for name in (
        "Huawei Technologies Co., Ltd. (Huawei)",
        "HiSilicon Technologies Co., Ltd (HiSilicon)",
        "Huawei Cloud Beijing",
        "Huawei Technologies R&D UK",
    ):
        assert 1 in _numbers(entries[name]), name


def test_only_huawei_rule_entries_carry_footnote_1() -> None:
    # SiCarrier has "Huawei Starlight Department" as an alias but is not a footnote 1 entity.
    for entry in bundled_excerpt().entries:
        if 1 in _numbers(entry):
            assert HUAWEI_RULE_PAGES & set(entry.federal_register_notices), entry.name
    sicarrier = _by_name()["Shenzhen SiCarrier Technologies Co., Ltd."]
    assert any("Huawei" in a.name for a in sicarrier.aliases)
    assert _numbers(sicarrier) == ()


def test_semiconductor_entries_carry_the_footnotes_the_rules_gave_them() -> None:
    expected = {
        "Semiconductor Manufacturing International Corporation (SMIC)": (5,),
        "SMIC Northern Integrated Circuit Manufacturing (Beijing) Co., Ltd.": (5,),
        "Semiconductor Manufacturing International (Tianjin) Corporation": (),
        "SwaySure Technology Co., Ltd.": (5,),
        "Naura Technology Group Co., Ltd.": (),
        "Cambricon Technologies Corporation Limited": (4,),
    }
    entries = _by_name()
    for name, numbers in expected.items():
        assert _numbers(entries[name]) == numbers, name
    # 87 FR 77505 listed YMTC without footnote 4 (see docs/bundled-lists.md).
    assert _numbers(entries["Yangtze Memory Technologies Co., Ltd."]) == ()


def test_entity_list_quirk_and_before_last_alias_is_split_off() -> None:
    smic = _by_name()["Semiconductor Manufacturing International Corporation (SMIC)"]
    assert [a.name for a in smic.aliases] == [
        "Semiconductor Manufacturing International (Shanghai) Corporation",
        "SMIC Shanghai",
        "Semiconductor Mfg International Corp.",
    ]


# --------------------------------------------------------------------------- meta file


def test_meta_date_is_the_latest_federal_register_action() -> None:
    meta = excerpt_meta()
    dated = [d.published for d in meta.federal_register if d.published is not None]
    assert meta.date == max(dated)


def test_every_citation_in_the_excerpt_is_documented_in_the_meta_file() -> None:
    meta = excerpt_meta()
    documented = {c for d in meta.federal_register for c in (d.citation, *d.cited_as)}
    for entry in bundled_excerpt().entries:
        assert entry.federal_register_notices, entry.name
        missing = set(entry.federal_register_notices) - documented
        assert not missing, (entry.name, missing)


def test_cited_pages_lie_in_their_rule() -> None:
    for document in excerpt_meta().federal_register:
        volume, _, first = document.citation.partition(" FR ")
        for cite in document.cited_as:
            cite_volume, _, page = cite.partition(" FR ")
            assert cite_volume == volume, cite
            assert int(page) >= int(first), cite


def test_start_date_is_the_publication_date_of_a_cited_rule() -> None:
    meta = excerpt_meta()
    published_by_cite = {
        c: d.published
        for d in meta.federal_register
        if d.published is not None
        for c in (d.citation, *d.cited_as)
    }
    for entry in bundled_excerpt().entries:
        dates = {published_by_cite.get(c) for c in entry.federal_register_notices}
        assert entry.start_date in dates, entry.name
        assert entry.start_date == min(d for d in dates if d is not None), entry.name


# --------------------------------------------------------------------------- broken copies


def _copy_bundled(tmp_path: Path) -> Path:
    for name in (EXCERPT_FILE, EXCERPT_META_FILE):
        shutil.copy(bundled_lists_dir() / name, tmp_path / name)
    return tmp_path


def test_meta_claiming_full_list_is_refused(tmp_path: Path) -> None:
    directory = _copy_bundled(tmp_path)
    meta_path = directory / EXCERPT_META_FILE
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["is_excerpt"] = False
    meta_path.write_text(yaml.safe_dump(meta), encoding="utf-8")
    with pytest.raises(BundledDataError, match="is_excerpt"):
        bundled_excerpt(directory)


def test_missing_excerpt_file_is_a_clear_error(tmp_path: Path) -> None:
    directory = _copy_bundled(tmp_path)
    (directory / EXCERPT_FILE).unlink()
    with pytest.raises(BundledDataError, match="missing"):
        bundled_excerpt(directory)


def test_a_bad_row_is_reported_and_the_others_kept(tmp_path: Path) -> None:
    directory = _copy_bundled(tmp_path)
    path = directory / EXCERPT_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(csv.reader([lines[3]]))
    row[CSL_COLUMNS.index("name")] = ""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(lines[:3])
        csv.writer(handle, lineterminator="\n").writerow(row)
        handle.writelines(lines[4:])
    snapshot = bundled_excerpt(directory)
    assert len(snapshot.entries) == len(lines) - 2
    (issue,) = snapshot.issues
    assert (issue.line, issue.field, issue.skipped) == (4, "name", True)


# --------------------------------------------------------------------------- against the CSL


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\u2019", "'")).strip(" ,.").casefold()


@pytest.fixture(scope="module")
def csl_2026_entity_list(shared_data: Path) -> dict[str, list[ListEntry]]:
    path = shared_data / "lists" / "csl" / "2026-07-31_compact" / "consolidated.csv"
    snapshot = read_csl_csv(path)
    by_name: dict[str, list[ListEntry]] = {}
    for entry in snapshot.entries:
        if entry.source == "EL":
            for name, _ in entry.all_names:
                by_name.setdefault(_key(name), []).append(entry)
    return by_name


@pytest.mark.shared
def test_every_excerpt_entry_is_on_the_2026_csl_entity_list(
    csl_2026_entity_list: dict[str, list[ListEntry]],
) -> None:
    problems = []
    for entry in bundled_excerpt().entries:
        candidates = csl_2026_entity_list.get(_key(entry.name), [])
        agreeing = [
            c
            for c in candidates
            if _numbers(c) == _numbers(entry)
            and {_key(a.name) for a in entry.aliases} <= {_key(n) for n, _ in c.all_names}
            and set(entry.countries) <= set(c.countries)
        ]
        if not agreeing:
            problems.append(
                (entry.name, _numbers(entry), [(c.name, _numbers(c)) for c in candidates])
            )
    assert problems == []


# Street addresses the 2022 CSL renders differently from the regulation (docs/bundled-lists.md):
# it reads Huawei Marine's Dongguan address as "Dongguan, Tianjin", and it glues HiSilicon's
# locality to the entry name instead of the address.
CSL_2022_ADDRESS_EXCEPTIONS = {
    "Building R4, No. 2 City Avenue, Songshan Lake Science & Tech Industry Park, Dongguan, "
    "523808, CN",
    "Bantian Longgang District, Shenzhen, 518129, CN",
}


@pytest.mark.shared
def test_street_addresses_agree_with_the_2022_csl(shared_data: Path) -> None:
    path = shared_data / "lists" / "csl" / "2022-05_watchman" / "consolidated.csv"
    published = {
        _address_key(a.text or "")
        for e in read_csl_csv(path).entries
        if e.source == "EL"
        for a in e.addresses
    }
    checked = 0
    for entry in bundled_excerpt().entries:
        for address in entry.addresses:
            text = address.text or ""
            # "street, district, city, [postal,] CC": anything shorter is only a city.
            if text.count(",") < 3 or text in CSL_2022_ADDRESS_EXCEPTIONS:
                continue
            checked += 1
            assert _address_key(text) in published, (entry.name, text)
    assert checked >= 7


def _address_key(text: str) -> str:
    return re.sub(r"[\s,.]+", " ", text).strip().casefold()


@pytest.mark.shared
def test_changxin_memory_is_not_on_the_2026_csl_entity_list(
    csl_2026_entity_list: dict[str, list[ListEntry]],
) -> None:
    # Why the excerpt has no ChangXin Memory entry although it was expected in Dec 2024.
    assert not [k for k in csl_2026_entity_list if "changxin" in k or "cxmt" in k]


def test_demo_parties_file_has_the_documented_shape() -> None:
    path = REPO / "examples" / "parties.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["id", "name", "country", "address", "type", "erp_account"]
        rows = list(reader)
    assert 18 <= len(rows) <= 25
    assert len({r["id"] for r in rows}) == len(rows)
    assert [r["id"] for r in rows if not r["name"].strip()] == ["P-021"]
    assert any("\u0430" in r["name"] for r in rows), "Cyrillic homoglyph row"
    assert {r["type"] for r in rows} == {"entity", "individual"}


def test_meta_transcription_date_is_not_before_the_excerpt_date() -> None:
    meta = excerpt_meta()
    assert meta.transcribed >= meta.date
    assert isinstance(meta.date, date)
