"""``compliance rescreen``: bring stored counterparties' results up to the current lists.

Typical use after ``compliance lists update``: re-screen only what the update can affect,
print new, resolved and unchanged alerts. Exit code: 0 no new alert; 8 a new hit needs
review; 16 a new hit alerts; 32 some input rows could not be stored; 1 fatal; 2 bad use.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from compliance.cli.exit_codes import EXIT_ALERT, EXIT_FATAL, EXIT_REVIEW, EXIT_ROW_ERRORS
from compliance.cli.options import (
    add_counterparty_db_option,
    add_format_option,
    add_list_option,
    add_output_option,
    add_store_option,
    add_workers_option,
    write_output,
)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "rescreen",
        help="re-screen stored counterparties after a list update (delta, exact)",
        description=(
            "Re-screen the counterparties in the counterparty store against the current list "
            "snapshots. Only counterparties an update can affect are run through the matcher; "
            "the result equals a full re-screen. Exit code: 0 no new alert; 8 a new hit needs "
            "review; 16 a new hit alerts; 32 input rows could not be stored; 1 fatal."
        ),
    )
    add_counterparty_db_option(parser, old="--db")
    add_store_option(parser)
    parser.add_argument(
        "--add",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="add or update counterparties from CSV/JSON/JSONL first "
        "(an 'id' column is required; repeatable)",
    )
    parser.add_argument(
        "--remove",
        action="append",
        default=[],
        metavar="ID",
        help="remove a counterparty by id (repeatable)",
    )
    add_list_option(
        parser, "screen against these list files instead of the snapshot store's current snapshots"
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="re-screen every counterparty (in the kept weights epoch)",
    )
    parser.add_argument(
        "--reweight",
        action="store_true",
        help="start a new weights epoch: recount word rarities on the current lists and "
        "re-screen every counterparty in full (scores may move; see docs/lists.md)",
    )
    add_workers_option(parser, auto=False, default=1, help="processes for the re-screen")
    add_format_option(parser, ("summary", "json"), default="summary")
    add_output_option(parser)
    parser.add_argument(
        "--export",
        type=Path,
        default=None,
        help="also write every stored result as JSON Lines, by counterparty id",
    )
    parser.set_defaults(handler=run)


def _err(message: str) -> None:
    print(f"compliance rescreen: {message}", file=sys.stderr)


def _add(store: Any, paths: list[Path]) -> int:
    from compliance.io.parties import InputError, read_parties

    bad = 0
    for path in paths:
        good = []
        try:
            for row in read_parties(path):
                if row.party is None:
                    _err(f"{path}: row {row.row}: {row.error}; not stored")
                    bad += 1
                elif not row.party.id:
                    _err(f"{path}: row {row.row}: field 'id' is empty; not stored")
                    bad += 1
                else:
                    good.append(row.party)
        except InputError as exc:
            raise ValueError(str(exc)) from exc
        changed = store.add(good)
        print(f"{path}: {len(good)} counterparties read, {changed} new or changed", file=sys.stderr)
    return bad


def _old_snapshots(store: Any, snapshots: Any) -> list[Any] | None:
    """The snapshots most stored results were screened against, if still in the store."""
    from compliance.watchlists.store import StoreError

    in_use = store.contexts_in_use()
    if not in_use:
        return None
    context_id = max(sorted(in_use), key=lambda c: in_use[c])
    refs = store.context(context_id).snapshots
    try:
        return [snapshots.get(r.snapshot_id) for r in refs]
    except StoreError as exc:
        _err(f"previous snapshots not available ({exc}); screening in full")
        return None


def run(args: argparse.Namespace) -> int:
    from compliance.rescreen import CounterpartyError, CounterpartyStore, rescreen
    from compliance.watchlists.store import SnapshotStore, StoreError

    snapshots = SnapshotStore(args.store)
    try:
        if args.lists:
            from compliance.watchlists.load import load_list

            current = [load_list(p) for p in args.lists]
        else:
            current = snapshots.current()
    except (OSError, ValueError, StoreError) as exc:
        _err(f"cannot read lists: {exc}")
        return EXIT_FATAL
    if not current:
        _err("no list snapshot: run 'compliance lists update' or pass --list")
        return EXIT_FATAL
    with CounterpartyStore(args.counterparty_db) as store:
        try:
            bad_rows = _add(store, args.add)
        except (ValueError, CounterpartyError) as exc:
            _err(str(exc))
            return EXIT_FATAL
        if args.remove:
            store.remove(args.remove)
        old = None if args.full or args.reweight else _old_snapshots(store, snapshots)
        report = rescreen(
            store,
            current,
            old_snapshots=old,
            full=args.full,
            reweight=args.reweight,
            workers=args.workers,
        )
        if args.export:
            _export(store, args.export)
    text = (
        json.dumps(report.model_dump(mode="json"), sort_keys=True, indent=2, ensure_ascii=False)
        + "\n"
        if args.format == "json"
        else _summary(report)
    )
    write_output(text, args.output)
    code = 0
    if any(c.after == "alert" for c in report.new_alerts):
        code |= EXIT_ALERT
    elif report.new_alerts:
        code |= EXIT_REVIEW
    if bad_rows:
        code |= EXIT_ROW_ERRORS
    return code


def _export(store: Any, path: Path) -> None:
    results = store.results()
    lines = sorted(
        (r.party.id or "", r.model_dump_json()) for r in results.values() if r.party is not None
    )
    path.write_text("".join(body + "\n" for _, body in lines), encoding="utf-8")


def _summary(report: Any) -> str:
    lines = [
        f"snapshots: {', '.join(report.old_snapshots) or '(none)'} -> "
        f"{', '.join(report.new_snapshots)}",
        f"counterparties: {report.counterparties}; screened {report.screened} "
        f"({report.screened_against_changes} against the changed entries only), "
        f"carried over {report.carried}",
        f"list entries added or changed {report.entries_added_or_changed}, removed "
        f"{report.entries_removed}",
        f"weights epoch: {report.weights_id} ({report.epoch_reason})",
    ]
    lines += [f"note: {r}" for r in report.full_reasons]
    counts = ", ".join(f"{k} {v}" for k, v in sorted(report.status_counts.items()))
    lines.append(f"results now: {counts}")
    for title, items in (
        ("NEW", report.new_alerts),
        ("RESOLVED", report.resolved_alerts),
        ("UNCHANGED", report.unchanged_alerts),
    ):
        lines.append(f"{title} ({len(items)})")
        for c in items:
            status = c.after if title != "RESOLVED" else c.before
            score = c.score_after if title != "RESOLVED" else c.score_before
            lines.append(
                f"  {c.counterparty_id}  {c.name}  ->  {c.list} {c.listed_name} [{status} {score}]"
            )
    return "\n".join(lines) + "\n"
