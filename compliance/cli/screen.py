"""``compliance screen``: screen a CSV/JSON file of counterparties against the lists."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.cli.exit_codes import EXIT_ALERT, EXIT_FATAL, EXIT_REVIEW, EXIT_ROW_ERRORS
from compliance.io.parties import InputError, PartyRow, read_parties
from compliance.io.results_out import FORMATS, render
from compliance.screening.results import ScreeningResult, Status, Thresholds

if TYPE_CHECKING:
    from compliance.screening.screener import Screener


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "screen",
        help="screen counterparties (CSV, JSON or JSON Lines) against restricted-party lists",
        description=(
            "Screen each row of INPUT against restricted-party lists. One output record per "
            "input row, in input order. Exit code: 0 all clear; otherwise the sum of 8 (a row "
            "needs review), 16 (a row alerted), 32 (a row could not be screened); 1 fatal error."
        ),
    )
    parser.add_argument("input", type=Path, help="CSV with a 'name' header, or .json/.jsonl")
    parser.add_argument(
        "--list",
        dest="lists",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="list file or OFAC directory (repeatable); default: the newest snapshot in the "
        "local store, else the bundled Entity List excerpt",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help=f"review threshold, 0..1 (default {Thresholds().review})",
    )
    parser.add_argument(
        "--alert-threshold",
        type=float,
        default=None,
        help=f"alert threshold, 0..1 (default {Thresholds().alert})",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="default: table on a terminal, jsonl otherwise",
    )
    parser.add_argument("--output", type=Path, default=None, help="write here instead of stdout")
    parser.add_argument("--workers", type=int, default=1, help="processes for batch screening")
    parser.add_argument(
        "--audit-log",
        type=Path,
        default=None,
        metavar="PATH",
        help="append this run to the hash-chained audit trail at PATH (default: review.sqlite "
        "in the data directory, see docs/review.md)",
    )
    parser.add_argument(
        "--no-audit", action="store_true", help="do not record this run in the audit trail"
    )
    parser.add_argument("--actor", default=None, help="who ran the screening (default: login)")
    parser.add_argument(
        "--ignore-decisions",
        action="store_true",
        help="report hits as screened, without applying the review decisions recorded in the "
        "review database (--audit-log, default review.sqlite); see docs/review.md",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from compliance.screening.persist import load_or_build_screener
    from compliance.watchlists.load import ListFormatError

    try:
        thresholds = _thresholds(args.threshold, args.alert_threshold)
    except ValueError as exc:
        print(f"compliance screen: {exc}", file=sys.stderr)
        return 2
    try:
        rows = list(read_parties(args.input))
    except InputError as exc:
        print(f"compliance screen: {exc}", file=sys.stderr)
        return EXIT_FATAL
    try:
        # the store's saved index when intact, else built (and saved) once
        loaded = load_or_build_screener(lists=args.lists, thresholds=thresholds)
    except (OSError, ListFormatError) as exc:
        print(f"compliance screen: cannot read list: {exc}", file=sys.stderr)
        return EXIT_FATAL
    for line in loaded.lists:
        print(f"lists: {line}", file=sys.stderr)
    for warning in loaded.warnings:
        print(warning if warning.startswith("WARNING") else f"lists: {warning}", file=sys.stderr)
    screener = loaded.screener
    screened = _screen_with_progress(screener, rows, args.workers)
    results = screened if args.ignore_decisions else _apply_decisions(screened, args.audit_log)

    fmt = args.format or ("table" if args.output is None and sys.stdout.isatty() else "jsonl")
    text = render(results, fmt, _input_columns(rows))
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    _summary(results)
    if not args.no_audit:
        _record_audit(screened, args.input, args.audit_log, args.actor)
    return exit_code(results)


def _record_audit(
    results: list[ScreeningResult], source: Path, path: Path | None, actor: str | None
) -> None:
    """Every screening run, clear rows included, becomes a hash-chained audit record."""
    import hashlib

    from compliance.review.audit import AuditLog, screening_event

    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    with AuditLog(path) as log:
        (record,) = log.append_many([screening_event(results, input_sha256=digest, actor=actor)])
    print(f"audit: run recorded as record {record.seq} ({record.hash[:16]})", file=sys.stderr)


def _apply_decisions(results: list[ScreeningResult], path: Path | None) -> list[ScreeningResult]:
    """Recorded decisions applied (library: ``apply_recorded_decisions``); one stderr line
    per suppressed or unverifiable hit, and a count."""
    from compliance.review.suppression import HitState, apply_recorded_decisions

    applied = apply_recorded_decisions(results, path)
    for r in applied.reviewed:
        for h in r.hits:
            if h.state is HitState.SUPPRESSED and h.decision is not None:
                print(
                    f"row {r.result.row}: {h.hit.list}:{h.hit.entry_id} suppressed by decision "
                    f"#{h.decision.seq} ({h.decision.verdict.value} by {h.decision.reviewer})",
                    file=sys.stderr,
                )
            elif h.state is HitState.UNVERIFIABLE:
                print(
                    f"row {r.result.row}: {h.hit.list}:{h.hit.entry_id}: {h.notes[0]}",
                    file=sys.stderr,
                )
    if applied.store is not None:
        print(
            f"decisions: {applied.suppressed} hits suppressed by recorded decisions, "
            f"{applied.unverifiable} decisions not verifiable ({applied.store})",
            file=sys.stderr,
        )
    return list(applied.results)


def exit_code(results: list[ScreeningResult]) -> int:
    statuses = {r.status for r in results}
    code = 0
    if Status.REVIEW in statuses:
        code |= EXIT_REVIEW
    if Status.ALERT in statuses:
        code |= EXIT_ALERT
    if Status.ERROR in statuses:
        code |= EXIT_ROW_ERRORS
    return code


def _thresholds(review: float | None, alert: float | None) -> Thresholds:
    default = Thresholds()
    review_value = default.review if review is None else review
    alert_value = default.alert if alert is None else alert
    for name, value in (("--threshold", review_value), ("--alert-threshold", alert_value)):
        if not 0.0 < value <= 1.0:
            raise ValueError(f"{name} must be in (0, 1], got {value}")
    if review_value > alert_value:
        raise ValueError(
            f"--threshold ({review_value}) must not exceed --alert-threshold ({alert_value})"
        )
    return Thresholds(review=review_value, alert=alert_value)


def _screen_with_progress(
    screener: Screener, rows: list[PartyRow], workers: int
) -> list[ScreeningResult]:
    from compliance.io.batch import screen_rows

    if not sys.stderr.isatty():
        return screen_rows(screener, rows, workers=workers)
    from tqdm import tqdm

    with tqdm(total=len(rows), unit="party", file=sys.stderr) as bar:

        def advance(count: int) -> None:
            bar.update(count)

        return screen_rows(screener, rows, workers=workers, on_progress=advance)


def _input_columns(rows: list[PartyRow]) -> tuple[str, ...]:
    """The known columns, then every pass-through column in order of first appearance."""
    columns = ["id", "name", "country", "address", "type"]
    seen = set(columns)
    for row in rows:
        for key in row.passthrough:
            if key not in seen:
                seen.add(key)
                columns.append(key)
    return tuple(columns)


def _summary(results: list[ScreeningResult]) -> None:
    counts = {s: 0 for s in Status}
    for r in results:
        counts[r.status] += 1
    parts = ", ".join(f"{counts[s]} {s.value}" for s in Status)
    print(f"screened {len(results)} rows: {parts}", file=sys.stderr)
