"""Hostile case files: every one is an error naming the field (or line), never a traceback and
never a silently different number (found by trying `compliance evaluate` as a new user)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from compliance.ear.case import Case, read_cases
from compliance.ear.determination import evaluate

CLI = "import sys; from compliance.cli import main; sys.exit(main())"

BASE = """item:
  description: Pump
  eccn: EAR99
  country_of_manufacture: MX
  exported_from: MX
  price: {price}
destination: DE
export_date: '2026-03-02'
bom:
  - {{description: seal, origin_country: US, eccn: 3A001.b.2, value: {value}}}
"""


def _one(tmp_path: Path, text: str, suffix: str = ".yaml") -> tuple[Case | None, str | None]:
    path = tmp_path / f"case{suffix}"
    path.write_text(text, encoding="utf-8")
    (found,) = read_cases(path)
    return found.case, found.error


@pytest.mark.parametrize(
    ("price", "value", "field", "shown"),
    [
        ("017", "1", "case.item.price", "'017'"),  # YAML 1.1 octal: would be 15
        ("1000", "010", "case.bom[0].value", "'010'"),  # would be 8
        ("0x10", "1", "case.item.price", "'0x10'"),  # would be 16
        ("1:00", "1", "case.item.price", "'1:00'"),  # base 60: would be 60
        ("1_000", "1", "case.item.price", "'1_000'"),
        (".inf", "1", "case.item.price", "'.inf'"),
        ("1e3", "1", "case.item.price", "'1e3'"),
        ("'0017.5'", "1", "case.item.price", "'0017.5'"),
    ],
)
def test_yaml_numbers_read_otherwise_by_yaml_are_errors_naming_the_field(
    tmp_path: Path, price: str, value: str, field: str, shown: str
) -> None:
    case, error = _one(tmp_path, BASE.format(price=price, value=value))
    assert case is None and error is not None
    assert error.startswith(field) and "not an unambiguous number" in error and shown in error


def test_long_yaml_and_json_decimals_are_kept_exactly(tmp_path: Path) -> None:
    text = "1000.123456789012345678901"
    case, error = _one(tmp_path, BASE.format(price=text, value="0.1"))
    assert error is None and case is not None
    assert case.item.price == Decimal(text) and case.bom is not None
    assert case.bom[0].value == Decimal("0.1")
    doc = {"item": {"description": "x", "price": 0}, "destination": "DE"}
    raw = json.dumps({**doc, "export_date": "2026-03-02"}).replace('"price": 0', f'"price": {text}')
    case, error = _one(tmp_path, raw, ".json")
    assert error is None and case is not None and case.item.price == Decimal(text)


def test_a_key_given_twice_is_an_error_naming_it_and_both_lines(tmp_path: Path) -> None:
    case, error = _one(tmp_path, BASE.format(price="1000\n  price: 5", value="1"))
    assert case is None and error is not None
    assert "key 'price' is given twice" in error and "line 6" in error and "line 7" in error
    raw = '{"item": {"description": "x"}, "destination": "DE", "destination": "CN", '
    case, error = _one(tmp_path, raw + '"export_date": "2026-03-02"}', ".json")
    assert case is None and error is not None and "key 'destination' is given twice" in error
    lines = raw + '"export_date": "2026-03-02"}\n'
    case, error = _one(tmp_path, lines, ".jsonl")
    assert case is None and error is not None and "given twice" in error


def test_a_merge_key_may_still_be_overridden(tmp_path: Path) -> None:
    text = (
        "item:\n  <<: {description: Old, eccn: EAR99}\n  description: Pump\n"
        "destination: DE\nexport_date: '2026-03-02'\n"
    )
    case, error = _one(tmp_path, text)
    assert error is None and case is not None and case.item.description == "Pump"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_5000_digit_number_is_refused_by_the_field_not_by_python(
    tmp_path: Path, suffix: str
) -> None:
    digits = "1" + "0" * 5000
    if suffix == ".json":
        text = (
            f'{{"item": {{"description": "x", "price": {digits}}}, '
            '"destination": "DE", "export_date": "2026-03-02"}'
        )
    else:
        text = BASE.format(price=digits, value="1")
    case, error = _one(tmp_path, text, suffix)
    assert case is None and error is not None
    assert error.startswith("case.item.price") and "set_int_max_str_digits" not in error


@pytest.mark.parametrize(
    ("suffix", "text"),
    [(".yaml", "a: " + "[" * 5000 + "]" * 5000), (".json", "[" * 100_000 + "]" * 100_000)],
)
def test_deep_nesting_is_a_plain_error(tmp_path: Path, suffix: str, text: str) -> None:
    case, error = _one(tmp_path, text, suffix)
    assert case is None and error is not None and "nested too deeply" in error


def test_an_alias_bomb_of_a_few_kilobytes_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 30)]
    case, error = _one(tmp_path, "\n".join(lines) + "\n")
    assert case is None and error is not None and "through aliases" in error


def test_unknown_keys_and_wrong_types_name_their_field(tmp_path: Path) -> None:
    text = BASE.format(price="1000", value="1").replace("  eccn: EAR99", "  ecn: EAR99")
    assert _one(tmp_path, text)[1] == "case.item.ecn: Extra inputs are not permitted"
    text = BASE.format(price="1000", value="1").replace("destination: DE", "destination: 5")
    assert _one(tmp_path, text)[1] == "case.destination: expected text, got int"
    text = BASE.format(price="1000", value="1").replace("'2026-03-02'", "2026-02-30")
    error = _one(tmp_path, text)[1]
    assert error is not None and error.startswith("case.export_date") and "day value" in error


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("octal.yaml", BASE.format(price="017", value="1")),
        ("dup.yaml", BASE.format(price="1000\n  price: 5", value="1")),
        ("deep.json", "[" * 100_000 + "]" * 100_000),
        ("big.jsonl", '{"item": {"description": "x", "price": ' + "9" * 5000 + "}}\n"),
    ],
)
def test_cli_reports_them_without_a_traceback(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", CLI, "evaluate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in run.stderr + run.stdout
    assert run.returncode == 32, run.stderr


@pytest.mark.slow
def test_a_10000_line_bom_is_read_and_decided_line_by_line(tmp_path: Path) -> None:
    rows = [
        f'  - {{description: part {i}, origin_country: US, eccn: EAR99, value: "1.00"}}'
        for i in range(10_000)
    ]
    text = BASE.format(price="100000", value="1") + "\n".join(rows) + "\n"
    case, error = _one(tmp_path, text)
    assert error is None and case is not None and case.bom is not None
    assert len(case.bom) == 10_001
    d = evaluate(case)
    assert len(d.de_minimis.lines) == 10_001
    # every line is accounted for; the 10,000 EAR99 lines need no license to Germany and are
    # not counted (Supp. No. 2 to part 734 (a)(1)), only the $1 3A001.b.2 line may be
    assert d.de_minimis.numerator <= Decimal("1")


@pytest.mark.slow
def test_a_1_mb_alias_file_is_refused_without_expanding_it(tmp_path: Path) -> None:
    """142,000 aliases of a 100-item list would be 14 million nodes once expanded; the count is
    made on the composed graph (each anchor measured once), so this stays at a few tens of MB."""
    head = "a: &a [" + ",".join(["x"] * 100) + "]\nb:\n"
    text = head + "  - *a\n" * ((1_000_000 - len(head)) // 7)
    assert 990_000 < len(text) <= 1_000_000
    case, error = _one(tmp_path, text)
    assert case is None and error is not None and "through aliases" in error


def test_an_unwritable_output_is_one_plain_line(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(BASE.format(price="1000", value="1"), encoding="utf-8")
    target = tmp_path / "missing-dir" / "out.json"
    run = subprocess.run(
        [sys.executable, "-c", CLI, "evaluate", str(path), "--output", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert run.stderr.strip() == (
        f"compliance evaluate: cannot write {target}: No such file or directory"
    )
