"""``compliance review``: open alerts, decisions, decision export, ownership screening.

Parties are screened afresh from the input file (the JSON Lines output of ``compliance screen``
does not carry every screened field, and a decision is keyed on all of them). Each screening
run made here is appended to the audit trail, and so is each decision.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.cli.exit_codes import EXIT_ALERT, EXIT_FATAL, EXIT_REVIEW, EXIT_USAGE
from compliance.cli.options import (
    add_counterparty_db_option,
    add_db_option,
    add_list_option,
    add_output_option,
    write_output,
)

if TYPE_CHECKING:
    from compliance.review.suppression import ReviewedHit, ReviewedResult
    from compliance.screening.results import ScreeningResult
    from compliance.screening.screener import Screener


class CliError(Exception):
    """A problem reported as one line on stderr with exit code ``code``."""

    def __init__(self, message: str, code: int = EXIT_FATAL) -> None:
        super().__init__(message)
        self.code = code


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "review",
        help="review alerts: list open ones, record decisions, export them, ownership",
        description="Decisions suppress a false positive only while the counterparty's "
        "screened fields and the list entry are unchanged (docs/review.md).",
    )
    sub = parser.add_subparsers(dest="review_command", required=True, metavar="ACTION")

    alerts = sub.add_parser("alerts", help="screen INPUT and list hits still needing a decision")
    _screen_options(alerts)
    alerts.add_argument("--all", action="store_true", help="also list suppressed/decided hits")
    alerts.add_argument("--as-of", default=None, help="time for expiry checks (ISO-8601, UTC)")
    add_output_option(alerts)
    alerts.set_defaults(handler=run_alerts)

    decide = sub.add_parser("decide", help="record a decision on one hit of one input row")
    _screen_options(decide)
    decide.add_argument("--row", type=int, default=None, help="the row number from 'alerts'")
    decide.add_argument("--id", default=None, help="with --stored: the counterparty id")
    decide.add_argument("--entry", required=True, metavar="LIST:ENTRY_ID", help="e.g. EL:1234")
    decide.add_argument(
        "--verdict", required=True, choices=("true_match", "false_positive", "escalate")
    )
    decide.add_argument("--reviewer", required=True)
    decide.add_argument("--reason", required=True)
    decide.add_argument("--expires", default=None, help="false positives: ISO-8601 time")
    decide.add_argument("--time", default=None, help="decision time (default now, UTC)")
    decide.set_defaults(handler=run_decide)

    export = sub.add_parser("export", help="write every decision as JSON Lines, oldest first")
    add_db_option(export)
    add_output_option(export)
    export.set_defaults(handler=run_export)

    owners = sub.add_parser(
        "ownership", help="flag parties owned 50%% or more by listed parties (OFAC, BIS)"
    )
    owners.add_argument("graph", type=Path, help="CSV with owner,owned,percent")
    owners.add_argument(
        "--parties",
        type=Path,
        required=True,
        help="the owners to screen (CSV/JSON); graph nodes are their 'id', else 'name'",
    )
    _list_and_db_options(owners)
    owners.add_argument("--on", required=True, help="transaction date, YYYY-MM-DD")
    owners.add_argument(
        "--affiliates-after",
        choices=("in_force", "suspended"),
        default="in_force",
        help="BIS Affiliates rule status after 2026-11-09, which is unconfirmed (default "
        "in_force: 90 FR 50857 re-imposes it absent an extension)",
    )
    owners.add_argument("--as-of", default=None, help="time for decision expiry checks")
    add_output_option(owners)
    owners.set_defaults(handler=run_ownership)


def _list_and_db_options(parser: argparse.ArgumentParser) -> None:
    add_list_option(parser, "list file (repeatable); default as for 'compliance screen'")
    parser.add_argument("--actor", default=None, help="who runs this (default: login name)")
    add_db_option(parser)


def _screen_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "input",
        type=Path,
        nargs="?",
        default=None,
        help="the counterparties, as for 'compliance screen' (or use --stored)",
    )
    parser.add_argument(
        "--stored",
        action="store_true",
        help="use the latest results in the counterparty store ('compliance rescreen') "
        "instead of screening INPUT",
    )
    add_counterparty_db_option(parser, old="--store")
    _list_and_db_options(parser)


def _results(args: argparse.Namespace) -> list[ScreeningResult]:
    """Screen INPUT (audited), or read the counterparty store's latest results."""
    if args.stored == (args.input is not None):
        raise CliError("give either INPUT or --stored", EXIT_USAGE)
    if args.input is not None:
        return _screen_and_audit(args, args.input)
    from compliance.rescreen.store import CounterpartyStore

    with CounterpartyStore(args.counterparty_db) as store:
        found = store.results()
    return sorted(
        found.values(),
        key=lambda r: (r.party.id if r.party is not None and r.party.id else "", r.name),
    )


def _guard(fn: Any, args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from compliance._sqlite import readable
    from compliance.errors import IntegrityError, NotFoundError
    from compliance.review.audit import default_path

    databases = [str(getattr(args, "db", None) or default_path())]
    if getattr(args, "store", None) is not None:
        databases.append(str(args.store))
    try:
        with readable(" or ".join(databases)):
            code: int = fn(args)
    except CliError as exc:
        print(f"compliance review: {exc}", file=sys.stderr)
        return exc.code
    except IntegrityError as exc:
        print(f"compliance review: {exc}", file=sys.stderr)
        return EXIT_FATAL
    except NotFoundError as exc:
        print(f"compliance review: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ValueError, ValidationError) as exc:
        print(f"compliance review: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return code


def run_alerts(args: argparse.Namespace) -> int:
    return _guard(_alerts, args)


def run_decide(args: argparse.Namespace) -> int:
    return _guard(_decide, args)


def run_export(args: argparse.Namespace) -> int:
    return _guard(_export, args)


def run_ownership(args: argparse.Namespace) -> int:
    return _guard(_ownership, args)


# -- shared steps ----------------------------------------------------------------------------


def _screener(paths: list[Path]) -> Screener:
    """The lists named, else the store's (its saved index), else the excerpt (warned)."""
    from compliance.screening.persist import load_or_build_screener
    from compliance.watchlists.load import ListFormatError

    try:
        loaded = load_or_build_screener(lists=paths)
    except (OSError, ListFormatError) as exc:
        raise CliError(f"cannot read list: {exc}") from exc
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
    return loaded.screener


def _screen_and_audit(args: argparse.Namespace, path: Path) -> list[ScreeningResult]:
    """Screen every row of ``path`` and append the run to the audit trail."""
    from compliance.io.parties import InputError
    from compliance.review.workflow import screen_file_and_audit

    screener = _screener(args.lists)
    try:
        return screen_file_and_audit(screener, path, args.db, actor=args.actor)
    except InputError as exc:
        raise CliError(str(exc)) from exc


def _time(text: str | None, option: str) -> datetime | None:
    from compliance.review._canonical import parse_utc

    if text is None:
        return None
    try:
        return parse_utc(text)
    except ValueError as exc:
        raise CliError(f"{option}: {exc}", EXIT_USAGE) from exc


def _reviewed(args: argparse.Namespace, results: list[ScreeningResult]) -> list[ReviewedResult]:
    from compliance.review.workflow import reviewed

    return reviewed(results, args.db, now=_time(args.as_of, "--as-of"))


def _hit_line(r: ReviewedResult, h: ReviewedHit) -> str:
    party = r.result.party
    record = {
        "row": r.result.row,
        "id": party.id if party else None,
        "name": r.result.name,
        "party_status": r.status.value,
        "list": h.hit.list,
        "entry_id": h.hit.entry_id,
        "listed_name": h.hit.listed_name,
        "matched_name": h.hit.matched_name,
        "score": h.hit.score,
        "hit_status": h.hit.status.value,
        "state": h.state.value,
        "decision": h.decision.model_dump(mode="json") if h.decision else None,
        "notes": list(h.notes),
        "key": h.key.model_dump(mode="json"),
    }
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# -- actions ---------------------------------------------------------------------------------


def _alerts(args: argparse.Namespace) -> int:
    from compliance.review.suppression import NEEDS_REVIEWER, HitState
    from compliance.screening.results import Status

    reviewed = _reviewed(args, _results(args))
    lines: list[str] = []
    code = 0
    for r in reviewed:
        if r.result.error is not None:
            print(f"row {r.result.row}: not screened: {r.result.error}", file=sys.stderr)
        for h in r.hits:
            is_open = h.state in NEEDS_REVIEWER
            if is_open:
                alerting = h.hit.status is Status.ALERT or h.state is HitState.UNVERIFIABLE
                code |= EXIT_ALERT if alerting else EXIT_REVIEW
            if is_open or args.all:
                lines.append(_hit_line(r, h))
    write_output("".join(line + "\n" for line in lines), args.output)
    print(f"{sum(len(r.open_hits) for r in reviewed)} open hits", file=sys.stderr)
    return code


def _decide(args: argparse.Namespace) -> int:
    """One decision, one audit record: the hit is read from the recorded screening run of
    INPUT (or the counterparty store's latest result), never screened again."""
    from compliance.review.audit import default_path
    from compliance.review.decisions import DecisionStore, decide
    from compliance.review.recorded import find_hit, recorded_results, recorded_run

    list_code, sep, entry_id = args.entry.partition(":")
    if not sep or not list_code or not entry_id:
        raise CliError(f"--entry: expected LIST:ENTRY_ID, got {args.entry!r}", EXIT_USAGE)
    if (args.row is None) == (args.id is None):
        raise CliError("give --row (with INPUT) or --id (with --stored)", EXIT_USAGE)
    if args.stored == (args.input is not None):
        raise CliError("give either INPUT or --stored", EXIT_USAGE)
    database = args.db if args.db is not None else default_path()
    if args.input is not None and not database.is_file():
        # the decision is on a recorded screening run, which can only be in an existing
        # database: a typo in --db must not leave a new, empty one behind
        raise CliError(
            f"{database}: no such review database, so no recorded screening of "
            f"{args.input} (check --db, or screen it first)",
            EXIT_USAGE,
        )
    with DecisionStore(args.db) as store:
        if args.input is not None:
            try:
                digest = hashlib.sha256(args.input.read_bytes()).hexdigest()
            except OSError as exc:
                raise CliError(f"{args.input}: {exc}", EXIT_USAGE) from exc
            run = recorded_run(store.db, digest, load=False)
            # a block at a time, only the row or counterparty asked for
            results: Iterable[ScreeningResult] = recorded_results(
                store.db, run, row=args.row, counterparty_id=args.id
            )
            print(f"deciding on the hit recorded by screening run {run.seq}", file=sys.stderr)
        else:
            results = _results(args)
        party, hit = find_hit(results, list_code, entry_id, row=args.row, counterparty_id=args.id)
        decision = decide(
            party,
            hit,
            args.verdict,
            reviewer=args.reviewer,
            reason=args.reason,
            time=_time(args.time, "--time"),
            expires=_time(args.expires, "--expires"),
        )
        stored = store.record(decision, actor=args.actor)
    print(json.dumps(stored.model_dump(mode="json"), sort_keys=True, ensure_ascii=False))
    return 0


def _export(args: argparse.Namespace) -> int:
    import io

    from compliance.review.decisions import DecisionStore

    buffer = io.StringIO()
    with DecisionStore.open_readonly(args.db) as store:  # an export never creates the store
        count = store.export_jsonl(buffer)
    write_output(buffer.getvalue(), args.output)
    print(f"exported {count} decisions", file=sys.stderr)
    return 0


def _ownership(args: argparse.Namespace) -> int:
    from compliance.review.ownership import (
        AffiliatesSetting,
        FindingStatus,
        OwnershipError,
        OwnershipSettings,
        listed_owners,
        read_ownership_csv,
        screen_ownership,
    )

    try:
        on = date.fromisoformat(args.on)
    except ValueError as exc:
        raise CliError(f"--on: {exc}", EXIT_USAGE) from exc
    try:
        graph = read_ownership_csv(args.graph)
    except (OSError, OwnershipError) as exc:
        raise CliError(str(exc)) from exc
    reviewed = _reviewed(args, _screen_and_audit(args, args.parties))
    by_node: dict[str, ReviewedResult] = {}
    for r in reviewed:
        party = r.result.party
        if party is None:
            print(f"row {r.result.row}: not screened: {r.result.error}", file=sys.stderr)
            continue
        node = party.id or party.name
        if node in by_node:
            raise CliError(f"row {r.result.row}: node {node!r} appears twice in --parties")
        by_node[node] = r
    owners, warnings = listed_owners(by_node)
    settings = OwnershipSettings(
        on=on, affiliates_after_suspension=AffiliatesSetting(args.affiliates_after)
    )
    report = screen_ownership(graph, owners, settings, warnings=warnings)
    for issue in report.issues:
        where = f"row {issue.row}, " if issue.row is not None else ""
        print(f"{args.graph.name}: {where}{issue.field}: {issue.reason}", file=sys.stderr)
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    write_output(report.model_dump_json(indent=2) + "\n", args.output)
    code = 0
    for f in report.findings:
        if f.status is FindingStatus.FLAGGED:
            code |= EXIT_ALERT
        elif f.status is FindingStatus.UNRESOLVED:
            code |= EXIT_REVIEW
    return code
