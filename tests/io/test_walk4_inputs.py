"""The walk4 inputs (a demanding new user's files): each ends in a row naming its row and
field, or one line about the file, never a traceback, a silently merged row, or output
that is not what its format promises (docs/benchmarks.md, 'walk4')."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from compliance.io.parties import InputError, PartyRow, read_parties


def rows_of(path: Path, data: bytes) -> list[PartyRow]:
    path.write_bytes(data)
    return list(read_parties(path))


def assert_output_safe(row: PartyRow) -> None:
    """What the writers serialise encodes as UTF-8 and as strict JSON."""
    dumped = row.model_dump(mode="json")
    text = json.dumps(dumped, ensure_ascii=False, allow_nan=False)
    text.encode("utf-8")


# -- JSON numbers and nesting Python's parser refuses ------------------------------------


def test_a_json_array_with_a_huge_integer_is_one_line_about_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="digits"):
        rows_of(tmp_path / "p.json", b'[{"name": "Acme", "id": ' + b"9" * 5000 + b"}]")


def test_a_json_array_nested_too_deeply_is_one_line_about_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nested"):
        rows_of(tmp_path / "p.json", b"[" * 100_000 + b"]" * 100_000)


def test_jsonl_lines_python_cannot_parse_are_error_rows(tmp_path: Path) -> None:
    data = (
        b'{"name": "Acme", "id": '
        + b"9" * 5000
        + b"}\n"
        + b"[" * 100_000
        + b"]" * 100_000
        + b"\n"
        + b'{"name": "Good Two"}\n'
    )
    rows = rows_of(tmp_path / "p.jsonl", data)
    assert [r.row for r in rows] == [1, 2, 3]
    assert rows[0].error is not None and "digits" in rows[0].error
    assert rows[1].error is not None and "nested" in rows[1].error
    assert rows[2].party is not None and rows[2].error is None


# -- values JSON allows but no text is ----------------------------------------------------


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_a_lone_surrogate_is_that_rows_error_and_the_output_stays_utf8(
    tmp_path: Path, suffix: str
) -> None:
    items = [
        {"name": "Acme\\ud800 Ltd", "erp": "x"},
        {"name": "Good", "erp": "\\udfff"},
        {"name": "Fine"},
    ]
    lines = [json.dumps(i).replace("\\\\", "\\") for i in items]
    data = ("[" + ",".join(lines) + "]" if suffix == ".json" else "\n".join(lines) + "\n").encode()
    rows = rows_of(tmp_path / f"p{suffix}", data)
    assert [r.row for r in rows] == [1, 2, 3]
    assert rows[0].party is None and rows[0].error is not None
    assert "'name'" in rows[0].error and "surrogate" in rows[0].error
    assert rows[1].party is None and rows[1].error is not None and "'erp'" in rows[1].error
    assert rows[2].party is not None and rows[2].error is None
    for row in rows:
        assert_output_safe(row)


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_and_infinity_are_that_rows_error_never_invalid_json_output(
    tmp_path: Path, suffix: str, literal: str
) -> None:
    lines = ['{"name": "Acme", "score": ' + literal + "}", '{"name": "Good"}']
    data = ("[" + ",".join(lines) + "]" if suffix == ".json" else "\n".join(lines) + "\n").encode()
    rows = rows_of(tmp_path / f"p{suffix}", data)
    assert [r.row for r in rows] == [1, 2]
    assert rows[0].party is None and rows[0].error is not None
    assert "'score'" in rows[0].error
    assert rows[0].name == "Acme"
    assert rows[1].party is not None
    for row in rows:
        assert_output_safe(row)
        assert not any(
            isinstance(v, float) and not math.isfinite(v) for v in row.json_values.values()
        )


def test_a_nan_name_is_not_screened_as_the_word_nan(tmp_path: Path) -> None:
    rows = rows_of(tmp_path / "p.json", b'[{"name": NaN}, {"name": "Good"}]')
    assert rows[0].party is None and rows[0].error is not None and "'name'" in rows[0].error
    assert rows[1].party is not None


# -- CSV quoting and line ends ---------------------------------------------------------------


def test_an_unclosed_quote_does_not_swallow_the_next_rows_silently(tmp_path: Path) -> None:
    rows = rows_of(tmp_path / "p.csv", b'id,name\n1,"Acme\n2,Huawei\n3,Foo\n')
    assert rows[0].row == 2 and rows[0].party is None and rows[0].error is not None
    assert "quote" in rows[0].error and "lines 2-4" in rows[0].error


def test_a_record_spanning_lines_with_the_wrong_width_says_which_lines(tmp_path: Path) -> None:
    rows = rows_of(
        tmp_path / "p.csv", b'id,name,country\n1,"Acme,US\n2,Huawei,CN\n3,"Foo",US\n4,Ok,US\n'
    )
    assert rows[0].row == 2 and rows[0].error is not None and "lines 2-4" in rows[0].error
    assert rows[-1].party is not None and rows[-1].party.name == "Ok"


def test_a_quoted_line_break_in_a_name_still_reads(tmp_path: Path) -> None:
    rows = rows_of(tmp_path / "p.csv", b'id,name\n1,"Huawei\nTechnologies"\n2,Acme\n')
    assert [r.error for r in rows] == [None, None]
    assert rows[0].party is not None and rows[0].party.name == "Huawei\nTechnologies"
    assert [r.row for r in rows] == [2, 4]


def test_classic_mac_line_ends_are_one_line_about_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="line 1"):
        rows_of(tmp_path / "p.csv", b"id,name\r1,Acme\r2,Huawei\r")


# -- control characters ----------------------------------------------------------------------


def test_a_stray_nul_byte_is_that_rows_error_not_the_whole_file(tmp_path: Path) -> None:
    """One NUL in a UTF-8 export is not a UTF-16 file: the row names it, the rest are read
    (UTF-16 without a byte-order mark, a NUL every other byte, is still refused)."""
    rows = rows_of(tmp_path / "p.csv", b"id,name\n1,Ac\x00me Corp\n2,Huawei\n")
    assert rows[0].party is None and rows[0].error is not None
    assert "'name'" in rows[0].error and "U+0000" in rows[0].error
    assert rows[1].party is not None and rows[1].party.name == "Huawei"
    with pytest.raises(InputError, match="NUL"):
        rows_of(tmp_path / "w.csv", "id,name\n1,Acme\n".encode("utf-16-le"))


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_control_characters_in_party_fields_are_refused_as_the_service_does(
    tmp_path: Path, suffix: str
) -> None:
    """Terminal escapes never reach the matcher or the audit trail (compliance/text_input.py);
    a line break inside a quoted cell (Alt+Enter in a spreadsheet) is kept."""
    if suffix == ".csv":
        data = b'id,name,country\n1,"Acme\x1b[2J",US\n2,Beta,"C\x07N"\n3,"Two\nLines",US\n'
    else:
        data = (
            b'{"name": "Acme\\u001b[2J"}\n{"name": "Beta", "country": "C\\u0007N"}\n'
            b'{"name": "Two\\nLines"}\n'
        )
    rows = rows_of(tmp_path / f"p{suffix}", data)
    assert rows[0].party is None and rows[0].error is not None
    assert "'name'" in rows[0].error and "U+001B" in rows[0].error
    assert rows[1].party is None and rows[1].error is not None
    assert "'country'" in rows[1].error and "U+0007" in rows[1].error
    assert rows[2].party is not None and rows[2].error is None
    for row in rows:
        assert_output_safe(row)


def test_a_dash_for_standard_input_is_named_not_a_missing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="standard input"):
        list(read_parties(Path("-")))
