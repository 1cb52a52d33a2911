"""Every subcommand's options follow one naming convention (compliance/cli/options.py), and
every handler speaks the one exit-code convention (compliance/cli/exit_codes.py)."""

from __future__ import annotations

import argparse
import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from compliance.cli import SUBCOMMAND_MODULES, build_parser, main
from compliance.cli.options import DeprecatedAlias

CLI = Path(__file__).resolve().parents[2] / "compliance" / "cli"


def _subparsers(parser: argparse.ArgumentParser) -> Iterator[argparse._SubParsersAction]:  # type: ignore[type-arg]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield action


def walk(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.Action]]:
    """(command path, action) for every option of every (sub)command, parents included."""
    for action in parser._actions:
        yield path, action
    for sub in _subparsers(parser):
        for name, child in sub.choices.items():
            yield from walk(child, (*path, name))


def all_options() -> list[tuple[str, str, argparse.Action]]:
    out = []
    for command, action in walk(build_parser()):
        for option in action.option_strings:
            out.append((" ".join(command), option, action))
    return out


OPTIONS = all_options()


def test_the_walk_sees_every_subcommand() -> None:
    commands = {c.split(" ")[0] for c, _, _ in OPTIONS if c}
    assert commands == set(SUBCOMMAND_MODULES)
    assert len(OPTIONS) > 100  # it reads the real parsers, not an empty one


def _help(action: argparse.Action) -> str:
    return (action.help or "").lower()


@pytest.mark.parametrize(
    ("command", "option", "action"),
    OPTIONS,
    ids=[f"{c or 'compliance'} {o}" for c, o, _ in OPTIONS],
)
def test_naming_convention(command: str, option: str, action: argparse.Action) -> None:
    if isinstance(action, DeprecatedAlias):
        assert "deprecated" in _help(action)
        return
    text = _help(action)
    if option == "--store":
        assert action.dest == "store"
        assert "snapshot store" in text, f"{command} --store must mean the snapshot store"
    if option == "--db" or option.endswith("-db"):
        assert "database" in text, f"{command} {option} must name a database"
    if option == "--db":
        assert "review database" in text or "audit database" in text, command
    takes_path = action.type is Path and option != "--list"
    if takes_path and "snapshot store" in text.split("(")[0]:
        assert option == "--store", f"{command} {option}: a snapshot store is --store"
    if takes_path and "database" in text.split("(")[0]:
        assert option == "--db" or option.endswith("-db"), f"{command} {option}: {text}"
    if option == "--list":
        assert action.dest == "lists" and isinstance(action, argparse._AppendAction)
    if option == "--lists":
        assert action.dest == "list_codes"
    if option == "--format":
        assert action.choices, f"{command} --format must list its choices"
    if option == "--workers":
        assert action.type is not None and action.metavar in ("N", "N|auto")
    if option == "--output":
        assert action.dest == "output"


@pytest.mark.parametrize(
    ("argv", "old", "dest", "new"),
    [
        (["screen", "x.csv", "--audit-log", "r.sqlite"], "--audit-log", "audit_log", "--db"),
        (
            ["review", "alerts", "--stored", "--store", "c.sqlite"],
            "--store",
            "counterparty_db",
            "--counterparty-db",
        ),
        (["rescreen", "--db", "c.sqlite"], "--db", "counterparty_db", "--counterparty-db"),
    ],
)
def test_old_spellings_still_work_and_warn(
    argv: list[str], old: str, dest: str, new: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = build_parser().parse_args(argv)
    assert getattr(args, dest) == Path(argv[-1])
    err = capsys.readouterr().err
    assert f"{old} is deprecated; use {new}" in err


def test_new_spellings_do_not_warn(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(["screen", "x.csv", "--db", "r.sqlite"])
    assert args.audit_log == Path("r.sqlite")
    args = build_parser().parse_args(["rescreen", "--counterparty-db", "c.sqlite"])
    assert args.counterparty_db == Path("c.sqlite")
    assert "deprecated" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["screen", "x.csv", "--workers", "0"],
        ["evaluate", "x.yaml", "--workers", "auto"],
        ["rescreen", "--workers", "-1"],
        ["lists", "diff", "--format", "xml"],
        ["screen", "x.csv", "--no-such-option"],
    ],
)
def test_bad_option_values_are_usage_errors(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert "Traceback" not in capsys.readouterr().err


def _returns(module: str) -> Iterator[tuple[int, object]]:
    tree = ast.parse((CLI / f"{module}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Constant):
            yield node.lineno, node.value.value


@pytest.mark.parametrize("module", SUBCOMMAND_MODULES)
def test_handlers_return_named_exit_codes(module: str) -> None:
    """A bare number other than 0 would be a private convention: use compliance.cli.exit_codes."""
    importlib.import_module(f"compliance.cli.{module}")
    bare = [(line, v) for line, v in _returns(module) if isinstance(v, int) and v != 0]
    assert not bare, f"compliance/cli/{module}.py returns bare exit codes at {bare}"
