"""``compliance evaluate``: EAR jurisdiction (de minimis, foreign-direct product) for cases."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from compliance.cli.exit_codes import (
    EXIT_CASE_ERRORS,
    EXIT_FATAL,
    EXIT_INDETERMINATE,
    EXIT_SUBJECT,
    EXIT_USAGE,
)
from compliance.cli.options import (
    add_format_option,
    add_list_option,
    add_output_option,
    add_workers_option,
    write_output,
)
from compliance.ear.case import CaseInput, read_cases

FORMATS = ("json", "text", "markdown")


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "evaluate",
        help="decide whether foreign-made items are subject to the EAR (15 CFR 734.4, 734.9)",
        description=(
            "Evaluate each case (YAML, JSON, or JSON Lines or CSV for a batch). "
            "Output in case order. "
            "--format json writes one determination as a JSON object, or, for several cases, "
            "JSON Lines records {source, determination | error}. Exit code: 0 every case not "
            "subject; otherwise the sum of 8 (a case is subject), 16 (a case is "
            "indeterminate), 32 (a case could not be read); 1 fatal error."
        ),
    )
    parser.add_argument(
        "cases", type=Path, nargs="+", help="CASE.yaml, CASE.json, CASES.jsonl or CASES.csv"
    )
    add_format_option(parser, FORMATS, default="json")
    add_output_option(parser)
    parser.add_argument(
        "--screen",
        action="store_true",
        help="screen parties whose Entity List status is not given (default lists, or --list)",
    )
    add_list_option(parser, "list file for --screen (repeatable); implies --screen")
    add_workers_option(
        parser,
        auto=False,
        default=1,
        help="evaluate a batch in N processes (not with --screen); output order is unchanged",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate and print; no Python traceback reaches the user for any input."""
    try:
        return _run(args)
    except (OSError, ValueError, ArithmeticError, LookupError, RecursionError) as exc:
        print(f"compliance evaluate: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FATAL


def _run(args: argparse.Namespace) -> int:
    from compliance.ear.determination import Determination, Subject

    screening = bool(args.screen or args.lists)
    if args.workers > 1 and screening:
        print("compliance evaluate: --workers must be 1 with --screen", file=sys.stderr)
        return EXIT_USAGE
    try:
        screener = _screener(args.lists) if screening else None
    except (OSError, ValueError) as exc:
        print(f"compliance evaluate: cannot load lists: {exc}", file=sys.stderr)
        return EXIT_FATAL
    inputs = [entry for path in args.cases for entry in read_cases(path)]
    results: list[tuple[CaseInput, Determination | None, str | None]] = _evaluate_all(
        inputs, screener, args.workers
    )
    try:
        write_output(render(results, args.format), args.output)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"compliance evaluate: cannot write {args.output}: {reason}", file=sys.stderr)
        return EXIT_FATAL
    code = 0
    for entry, det, error in results:
        if error is not None:
            print(f"compliance evaluate: {entry.source}:\n{error}", file=sys.stderr)
            code |= EXIT_CASE_ERRORS
        elif det is not None and det.subject is Subject.YES:
            code |= EXIT_SUBJECT
        elif det is not None and det.subject is Subject.INDETERMINATE:
            code |= EXIT_INDETERMINATE
    return code


def _evaluate_all(
    inputs: list[CaseInput], screener: Any, workers: int
) -> list[tuple[CaseInput, Any, str | None]]:
    """Every input in order: its determination, or why it has none."""
    from compliance.ear.determination import BatchError, evaluate, evaluate_many

    valid = [entry.case for entry in inputs if entry.case is not None]
    if screener is None:
        done = iter(evaluate_many(valid, workers=workers))
    else:
        done = iter(_screened(valid, screener, evaluate))
    out: list[tuple[CaseInput, Any, str | None]] = []
    for entry in inputs:
        if entry.case is None:
            out.append((entry, None, entry.error))
            continue
        result = next(done)
        if isinstance(result, BatchError):
            out.append((entry, None, result.error))
        else:
            out.append((entry, result, None))
    return out


def _screened(cases: list[Any], screener: Any, evaluate: Any) -> list[Any]:
    from compliance.ear.determination import BatchError

    out: list[Any] = []
    for index, case in enumerate(cases):
        try:
            out.append(evaluate(case, screener=screener))
        except (ValueError, ArithmeticError, LookupError, RecursionError) as exc:
            out.append(
                BatchError(index=index, case_id=case.case_id, error=f"cannot evaluate: {exc}")
            )
    return out


def _screener(lists: list[Path]) -> Any:
    from compliance.screening.persist import load_or_build_screener

    loaded = load_or_build_screener(lists=lists)  # the store's saved index when there is one
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
    return loaded.screener


def render(results: list[tuple[CaseInput, Any, str | None]], fmt: str) -> str:
    """Determinations (and errors) in case order, in the chosen format."""
    from compliance.ear.determination import to_json
    from compliance.ear.report import render as report

    if fmt == "json":
        if len(results) == 1 and results[0][1] is not None:
            return to_json(results[0][1]) + "\n"
        lines = []
        for entry, det, error in results:
            record: dict[str, Any] = {"source": entry.source}
            if det is not None:
                record["determination"] = det.model_dump(mode="json")
            else:
                record["error"] = error
            lines.append(json.dumps(record, sort_keys=True, ensure_ascii=False))
        return "".join(line + "\n" for line in lines)
    chunks = []
    for entry, det, error in results:
        if det is not None:
            chunks.append(report(det, "markdown" if fmt == "markdown" else "text"))
        else:
            chunks.append(f"ERROR in {entry.source}:\n{error}\n")
    separator = "\n---\n\n" if fmt == "markdown" else "\n" + "=" * 78 + "\n\n"
    return separator.join(chunks)
