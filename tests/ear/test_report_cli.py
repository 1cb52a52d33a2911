"""Reports and the ``compliance evaluate`` command: formats, batch, errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from ear_case_factory import build, build_data, line

from compliance.cli import main
from compliance.cli.evaluate import EXIT_CASE_ERRORS, EXIT_INDETERMINATE, EXIT_SUBJECT
from compliance.ear.determination import evaluate
from compliance.ear.report import render

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "ear"


def test_markdown_report_has_each_route_and_the_line_account() -> None:
    d = evaluate(build({"bom": [line("300", "3A001.a.7")], "destination": "CN"}))
    text = render(d, "markdown")
    for heading in ("## Result", "## 2. De minimis", "## 3. Foreign-direct", "## Citations"):
        assert heading in text
    assert "| bom[0] |" in text and "license required to CN for NS2" in text
    assert "Result: SUBJECT" in text


def test_text_report_is_deterministic_and_has_no_markdown_tables() -> None:
    d = evaluate(build())
    assert render(d, "text") == render(evaluate(build()), "text")
    assert "|---" not in render(d, "text")


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(ValueError, match="format"):
        render(evaluate(build()), "pdf")  # type: ignore[arg-type]


def write(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_single_case_json_and_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["evaluate", str(EXAMPLES / "korean_dram_for_huawei.yaml")])
    out = json.loads(capsys.readouterr().out)
    assert out["subject"] == "subject" and code == EXIT_SUBJECT


def test_not_subject_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(write(tmp_path / "c.yaml", build_data()))]) == 0
    assert json.loads(capsys.readouterr().out)["subject"] == "not subject"


def test_batch_keeps_order_reports_bad_rows_and_sums_exit_bits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "batch.jsonl"
    rows = [
        build_data({"case_id": "a"}),
        build_data({"case_id": "b", "bom": [line("1"), line("x")]}),
        build_data({"case_id": "c", "bom": None, "item.eccn": "3A001.a.7", "destination": "CN"}),
    ]
    cases.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out_path = tmp_path / "out.jsonl"
    code = main(["evaluate", str(cases), "--output", str(out_path)])
    records = [json.loads(x) for x in out_path.read_text(encoding="utf-8").splitlines()]
    assert [r["source"].rsplit(":", 1)[1] for r in records] == ["1", "2", "3"]
    assert records[0]["determination"]["subject"] == "not subject"
    assert records[1]["error"].startswith("case.bom[1].value: ")
    assert records[2]["determination"]["subject"] == "indeterminate"
    assert code == EXIT_CASE_ERRORS | EXIT_INDETERMINATE
    assert "case.bom[1].value" in capsys.readouterr().err


def test_several_files_in_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [
        str(EXAMPLES / n) for n in ("korean_dram_for_huawei.yaml", "series600_part_to_taiwan.yaml")
    ]
    main(["evaluate", *files, "--format", "markdown"])
    out = capsys.readouterr().out
    assert out.count("# EAR jurisdiction determination") == 2


def test_unreadable_file_is_a_case_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["evaluate", str(tmp_path / "missing.yaml"), "--format", "text"])
    assert code == EXIT_CASE_ERRORS
    assert "cannot read file" in capsys.readouterr().out


def test_workers_give_the_same_output_and_keep_bad_rows(tmp_path: Path) -> None:
    cases = tmp_path / "batch.jsonl"
    rows = [
        build_data({"case_id": str(i), "destination": d}) for i, d in enumerate(["DE", "CN", "RU"])
    ]
    rows.insert(1, build_data({"case_id": "bad", "bom": [line("x")]}))
    cases.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    main(["evaluate", str(cases), "--output", str(one)])
    main(["evaluate", str(cases), "--output", str(two), "--workers", "2"])
    assert one.read_bytes() == two.read_bytes()
    assert "error" in json.loads(one.read_text(encoding="utf-8").splitlines()[1])


def test_workers_with_screening_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """A usage error (exit 2, compliance/cli/exit_codes.py): the options do not go together."""
    code = main(["evaluate", str(EXAMPLES / "korean_dram_for_huawei.yaml"), "--screen",
                 "--workers", "2"])  # fmt: skip
    assert code == 2 and "--workers" in capsys.readouterr().err
