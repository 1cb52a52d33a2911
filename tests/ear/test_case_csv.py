"""CSV case files (issue 10 walk, branch ear2): one case a row, columns named by the same dotted
paths the questions name (``knowledge.onward_to.iran``, ``parties[0].role``); an empty cell is
unknown, ``[]`` is "known to be none"; a bad row is an error naming its row and column and never
loses the good rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.cli import main
from compliance.cli.evaluate import EXIT_CASE_ERRORS, EXIT_SUBJECT
from compliance.ear.case import read_cases
from compliance.ear.determination import Subject, evaluate

HEADER = [
    "case_id",
    "item.description",
    "item.eccn",
    "item.country_of_manufacture",
    "item.exported_from",
    "item.price",
    "bom[0].description",
    "bom[0].origin_country",
    "production.technology_and_software",
    "production.plant_direct_product_of",
    "parties[0].role",
    "parties[0].name",
    "parties[0].entity_list.listed",
    "parties[0].entity_list.footnotes",
    "knowledge.onward_to.russia_belarus",
    "knowledge.onward_to.iran",
    "knowledge.onward_to.macau_or_d5",
    "knowledge.entity_list_party",
    "knowledge.affiliate_of_listed_party",
    "knowledge.government_of_iran_party",
    "knowledge.listed_entity_production",
    "destination",
    "export_date",
]
PUMP = ["pump-vn", "Pump", "", "MY", "MY", "1,200.00", "Housing", "non-US", "[]", "[]",
        "end user", "Hanoi Water Works", "false", "", "no", "no", "no", "no", "no", "no", "[]",
        "VN", "2026-03-01"]  # fmt: skip
HUAWEI = ["dram-huawei", "DRAM module", "EAR99", "KR", "KR", "", "", "", "", "[(e)(1)]",
          "end user", "Huawei", "true", "[1]", "", "", "", "", "", "", "",
          "CN", "2026-03-01"]  # fmt: skip


def write(tmp_path: Path, rows: list[list[str]], name: str = "cases.csv") -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_rows_are_cases_with_unknowns_and_known_nones(tmp_path: Path) -> None:
    read = read_cases(write(tmp_path, [HEADER, PUMP, HUAWEI]))
    assert [r.error for r in read] == [None, None]
    pump, dram = (r.case for r in read)
    assert pump is not None and dram is not None
    assert pump.item.eccn is None and pump.production.technology_and_software == ()
    assert pump.knowledge.listed_entity_production == ()
    assert str(pump.item.price) == "1200.00"
    assert dram.bom is None  # empty cells: not known, never "none"
    assert dram.parties[0].entity_list is not None and dram.parties[0].entity_list.footnotes == (1,)
    assert evaluate(pump).subject is Subject.NO
    assert [r.source for r in read] == [
        f"{tmp_path / 'cases.csv'}:2",
        f"{tmp_path / 'cases.csv'}:3",
    ]


def test_a_bad_row_names_row_and_column_and_keeps_the_others(tmp_path: Path) -> None:
    bad = list(PUMP)
    bad[HEADER.index("item.price")] = "1.200,00"
    read = read_cases(write(tmp_path, [HEADER, PUMP, bad, HUAWEI]))
    assert read[0].case is not None and read[2].case is not None
    assert read[1].case is None and read[1].source.endswith(":3")
    assert read[1].error is not None and "item.price" in read[1].error


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["item.description", "item.description", "destination", "export_date"], "twice"),
        (["item.description", "destination", "export_date", "bom[1].eccn"], "skip bom[0]"),
        (["item.description", "destination", "export_date", "item"], "item"),
        (["item.description", "destination", "export_date", "parties[x].role"], "parties[x]"),
        (["item.description", "destination", "export_date", ""], "empty"),
    ],
)
def test_a_bad_header_is_one_error_naming_the_column(
    tmp_path: Path, header: list[str], message: str
) -> None:
    row = ["a", "CN", "2026-03-01", "x"][: len(header)]
    read = read_cases(write(tmp_path, [header, row]))
    assert len(read) == 1 and read[0].case is None
    assert read[0].error is not None and message in read[0].error


def test_unknown_column_names_the_field(tmp_path: Path) -> None:
    read = read_cases(
        write(
            tmp_path,
            [
                ["item.description", "destination", "export_date", "item.ecn"],
                ["a", "CN", "2026-03-01", "3A001"],
            ],
        )
    )
    assert read[0].error is not None and "item.ecn" in read[0].error


@pytest.mark.parametrize("text", ["", "item.description,destination,export_date\n", "\n\n"])
def test_a_csv_without_a_case_is_an_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "none.csv"
    path.write_text(text, encoding="utf-8")
    read = read_cases(path)
    assert len(read) == 1 and read[0].error == f"no case in {path}"


def test_a_short_or_long_row_is_an_error_for_that_row(tmp_path: Path) -> None:
    read = read_cases(write(tmp_path, [HEADER, PUMP[:-1], [*PUMP, "extra"], PUMP]))
    assert read[0].error is not None and "23" in read[0].error
    assert read[1].error is not None and read[2].case is not None


def test_blank_rows_are_skipped(tmp_path: Path) -> None:
    read = read_cases(write(tmp_path, [HEADER, PUMP, [""] * len(HEADER), [], HUAWEI]))
    assert [r.error for r in read] == [None, None]


def test_cli_evaluates_a_csv_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = list(PUMP)
    bad[HEADER.index("destination")] = "Atlantis"
    path = write(tmp_path, [HEADER, PUMP, HUAWEI, bad])
    code = main(["evaluate", str(path), "--format", "json"])
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3
    assert code == EXIT_SUBJECT | EXIT_CASE_ERRORS
    assert '"error"' in out[2] and "destination" in out[2] and ":4" in out[2]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(blank=st.lists(st.booleans(), min_size=len(HEADER), max_size=len(HEADER)))
def test_blanking_cells_only_ever_unknowns_facts(tmp_path: Path, blank: list[bool]) -> None:
    """Any cells left empty: one entry per row, and a fact read is the fact written or
    unknown, never a default "no" (the invariant of issue 10 section 2)."""
    row = ["" if b else cell for b, cell in zip(blank, PUMP, strict=True)]
    read = read_cases(write(tmp_path, [HEADER, row, PUMP]))
    assert len(read) == 2 and read[1].case is not None
    got = read[0].case
    if got is not None:
        for column, attr in (
            ("knowledge.onward_to.iran", got.knowledge.onward_to.iran),
            ("knowledge.entity_list_party", got.knowledge.entity_list_party),
            ("knowledge.government_of_iran_party", got.knowledge.government_of_iran_party),
        ):
            assert attr is (None if blank[HEADER.index(column)] else False)
