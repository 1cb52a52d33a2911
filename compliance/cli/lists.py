"""``compliance lists``: update, inspect, diff and pin the local list snapshots.

Exit codes: 0 success; 1 an update was refused or failed, or ``status`` found a source in use
missing or stale (or no source in use at all); 2 bad arguments or an unknown snapshot.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from compliance.cli.exit_codes import EXIT_FATAL, EXIT_USAGE
from compliance.cli.options import (
    add_format_option,
    add_output_option,
    add_store_option,
    write_output,
)
from compliance.watchlists.lineage import default_pair, resolve_snapshot
from compliance.watchlists.registry import ListSource, RegistryError, load_registry
from compliance.watchlists.status import (
    DEFAULT_MAX_AGE_DAYS,
    SOURCES_ENV,
    needs_attention,
    sources_in_use,
    status_rows,
)
from compliance.watchlists.store import SnapshotStore, StoreError

__all__ = ["DEFAULT_MAX_AGE_DAYS", "SOURCES_ENV", "register", "sources_in_use", "status_rows"]


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "lists",
        help="update, inspect, diff and pin restricted-party list snapshots",
        description="Manage the local snapshots of the official restricted-party lists.",
    )
    add_store_option(parser)
    parser.add_argument(
        "--registry",
        type=Path,
        default=None,
        help="source registry YAML (default: the bundled lists/sources.yaml)",
    )
    parser.add_argument(
        "--keep",
        type=_positive,
        default=10,
        help="snapshots kept per source (default 10; a pinned one is always kept)",
    )
    sub = parser.add_subparsers(dest="lists_command", required=True, metavar="ACTION")

    up = sub.add_parser("update", help="download, check and publish the official lists")
    up.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="NAME",
        help="registry source to update (repeatable; default: all)",
    )
    up.add_argument(
        "--force",
        action="store_true",
        help="publish despite an empty list or a drop of more than 5%% "
        "(recorded in the manifest); never publishes an unreadable file",
    )
    up.add_argument("--reason", default=None, help="why --force was needed (recorded)")
    up.add_argument(
        "--base-url",
        default=None,
        help="fetch every file as BASE_URL/<file name> (a mirror; https only, "
        "plain http on loopback)",
    )
    up.add_argument("--timeout", type=float, default=60.0, help="read timeout in seconds")
    up.add_argument("--retries", type=int, default=3, help="retries per file")
    up.add_argument(
        "--deadline",
        type=float,
        default=900.0,
        metavar="SECONDS",
        help="total time one file may take across all attempts and waits (default 900)",
    )
    up.add_argument("--json", action="store_true", help="print the outcomes as JSON")
    _index_option(up)
    up.set_defaults(handler=run_update)

    imp = sub.add_parser("import", help="publish local files as a snapshot (air-gapped use)")
    imp.add_argument("--source", required=True, help="registry source the files belong to")
    imp.add_argument(
        "files",
        nargs="+",
        type=Path,
        help="the files, or a folder holding them, in any order (OFAC sets are matched by content)",
    )
    imp.add_argument(
        "--published",
        default=None,
        metavar="YYYY-MM-DD",
        help="publication date of the files, when their format does not state it",
    )
    imp.add_argument("--force", action="store_true")
    imp.add_argument("--reason", default=None)
    _index_option(imp)
    imp.set_defaults(handler=run_import)

    st = sub.add_parser(
        "status",
        help="each source: dates, age, counts, hashes, warnings; exit 1 if one in use is "
        "missing or stale",
    )
    st.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="NAME",
        help="a source this site uses (repeatable); default: $COMPLIANCE_LIST_SOURCES "
        "(comma-separated), else every source with a snapshot",
    )
    st.add_argument("--json", action="store_true")
    st.add_argument("--now", default=None, help="ISO time to compute ages at (default: now)")
    st.set_defaults(handler=run_status)

    ls = sub.add_parser("snapshots", help="list stored snapshots")
    ls.add_argument("--source", default=None)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=run_snapshots)

    df = sub.add_parser("diff", help="entries added, removed and changed between snapshots")
    df.add_argument(
        "old",
        nargs="?",
        default=None,
        help="snapshot id (prefix) or list file; default: the previous snapshot",
    )
    df.add_argument(
        "new",
        nargs="?",
        default=None,
        help="snapshot id (prefix) or list file; default: the current snapshot",
    )
    df.add_argument("--source", default=None, help="source whose snapshots to compare")
    add_format_option(df, ("table", "json", "summary"), default="table")
    add_output_option(df)
    df.set_defaults(handler=run_diff)

    pin = sub.add_parser("pin", help="use one snapshot for its source until unpinned")
    pin.add_argument("snapshot_id", help="snapshot id or unambiguous prefix")
    pin.set_defaults(handler=run_pin)

    unpin = sub.add_parser("unpin", help="go back to the newest snapshot of a source")
    unpin.add_argument("source")
    unpin.set_defaults(handler=run_unpin)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return number


def _store(args: argparse.Namespace) -> SnapshotStore:
    return SnapshotStore(args.store, keep=args.keep)


def _registry(args: argparse.Namespace) -> tuple[ListSource, ...]:
    return load_registry(args.registry)


def _err(message: str) -> None:
    print(f"compliance lists: {message}", file=sys.stderr)


def run_update(args: argparse.Namespace) -> int:
    from compliance.watchlists.update import HttpSettings, update_source

    try:
        sources = _registry(args)
    except RegistryError as exc:
        _err(str(exc))
        return EXIT_USAGE
    by_name = {s.name: s for s in sources}
    unknown = [n for n in args.source if n not in by_name]
    if unknown:
        _err(f"unknown source(s): {', '.join(unknown)}; known: {', '.join(by_name)}")
        return EXIT_USAGE
    chosen = [by_name[n] for n in args.source] if args.source else list(sources)
    if args.deadline <= 0:
        _err(f"--deadline must be positive, got {args.deadline:g}")
        return EXIT_USAGE
    settings = HttpSettings(
        read_timeout=args.timeout, retries=args.retries, total_timeout=args.deadline
    )
    store = _store(args)
    outcomes = []
    for source in chosen:
        try:
            outcome = update_source(
                source,
                store,
                base_url=args.base_url,
                force=args.force,
                force_reason=args.reason,
                settings=settings,
            )
        except ValueError as exc:
            _err(str(exc))
            return EXIT_USAGE
        outcomes.append(outcome)
        if not args.json:
            print(_describe_outcome(outcome))
    if args.json:
        print(json.dumps([o.model_dump(mode="json") for o in outcomes], sort_keys=True, indent=2))
    _refresh_index(args, store, outcomes)
    return 0 if all(o.ok for o in outcomes) else EXIT_FATAL


def _index_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-index",
        action="store_true",
        help="do not build the screening index after publishing (the next screening does)",
    )


def _refresh_index(args: argparse.Namespace, store: SnapshotStore, outcomes: list[Any]) -> None:
    """After a publication, build the saved screening index of the new current snapshots,
    so the next screening (CLI or service) loads it instead of building it."""
    if args.no_index or not any(o.outcome == "published" for o in outcomes):
        return
    from compliance.screening.persist import ensure_index

    try:
        loaded = ensure_index(store)
    except Exception as exc:  # the lists are published; screening will build the index
        _err(f"screening index not built ({type(exc).__name__}: {exc}); screening builds it")
        return
    if loaded.index is not None:
        print(f"screening index {loaded.how}: {loaded.index}", file=sys.stderr)


def _describe_outcome(outcome: Any) -> str:
    head = f"{outcome.source}: {outcome.outcome}"
    if outcome.outcome in {"refused", "failed"}:  # nothing new: name what stays in use
        if outcome.previous_snapshot_id:
            head += f"; the last good snapshot {outcome.previous_snapshot_id} stays in use"
        else:
            head += "; no snapshot of this source is in use"
    elif outcome.snapshot_id:
        head += f" (snapshot {outcome.snapshot_id})"
    lines = [head]
    if outcome.counts:
        lines.append(
            f"  rows repaired or left out by the reader: {outcome.repaired_rows}; "
            f"read issues reported: {outcome.read_issues}"
        )
    if outcome.forced:
        lines.append("  FORCED past these checks (recorded in the manifest):")
    lines += [f"  - {p}" for p in outcome.problems]
    lines += [f"  warning: {w}" for w in outcome.warnings]
    return "\n".join(lines)


def run_import(args: argparse.Namespace) -> int:
    from compliance.watchlists.update import import_source

    try:
        source = {s.name: s for s in _registry(args)}[args.source]
    except KeyError:
        _err(f"unknown source {args.source!r}")
        return EXIT_USAGE
    except RegistryError as exc:
        _err(str(exc))
        return EXIT_USAGE
    store = _store(args)
    published = None
    if args.published is not None:
        try:
            published = datetime.fromisoformat(args.published).replace(tzinfo=UTC)
        except ValueError:
            _err(f"--published {args.published!r} is not a date (YYYY-MM-DD)")
            return EXIT_USAGE
    try:
        outcome = import_source(
            source,
            store,
            args.files,
            published=published,
            force=args.force,
            force_reason=args.reason,
        )
    except OSError as exc:
        _err(f"could not import: {exc}")
        return EXIT_FATAL
    print(_describe_outcome(outcome))
    _refresh_index(args, store, [outcome])
    return 0 if outcome.ok else EXIT_FATAL


def run_status(args: argparse.Namespace) -> int:
    try:
        now = datetime.fromisoformat(args.now) if args.now else datetime.now(UTC)
    except ValueError:
        _err(f"--now {args.now!r} is not an ISO date-time")
        return EXIT_USAGE
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    try:
        sources = _registry(args)
    except RegistryError as exc:
        _err(str(exc))
        return EXIT_USAGE
    store = _store(args)
    try:
        in_use, basis = sources_in_use(store, sources, args.source)
    except RegistryError as exc:
        _err(str(exc))
        return EXIT_USAGE
    if not in_use:
        _err(
            "no source has a snapshot and none is configured (--source or "
            f"${SOURCES_ENV}): nothing to call fresh; run 'compliance lists update'"
        )
        return EXIT_FATAL
    rows = status_rows(store, sources, now, in_use)
    if args.json:
        print(json.dumps(rows, sort_keys=True, indent=2, ensure_ascii=False))
    else:
        print(f"sources in use ({basis}): {', '.join(in_use)}")
        for row in rows:
            if row["in_use"] or row["snapshot_id"] is not None:
                print(_status_text(row))
        idle = [r["source"] for r in rows if not r["in_use"] and r["snapshot_id"] is None]
        if idle:
            print(f"not in use, no snapshot: {', '.join(idle)}")
    return EXIT_FATAL if needs_attention(rows) else 0


def _status_text(row: dict[str, Any]) -> str:
    lines = [f"{row['source']}" + ("" if row["in_use"] else "  (not in use: not judged)")]
    if row["snapshot_id"] is not None:
        pinned = " (pinned)" if row.get("pinned") else ""
        lines.append(f"  snapshot   {row['snapshot_id']}{pinned}  {row['label']}")
        lines.append(f"  published  {row['published'] or 'publication date unknown'}")
        lines.append(f"  retrieved  {row['retrieved'] or 'unknown'}")
        age = "unknown" if row["age_days"] is None else f"{row['age_days']} days"
        lines.append(f"  age        {age} ({row['age_basis']}); maximum {row['max_age_days']}")
        counts = ", ".join(f"{k} {v}" for k, v in row["counts"].items())
        lines.append(f"  entries    {row['entries']}: {counts}")
        lines.append(
            f"  rows       {row['repaired_rows']} repaired or left out by the reader, "
            f"{row['read_issues']} read issues"
        )
        for f in row["files"]:
            lines.append(f"  file       {f['name']} {f['size']} bytes sha256 {f['sha256']}")
    lines += [f"  WARNING    {w}" for w in row["warnings"]]
    return "\n".join(lines)


def run_snapshots(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        manifests = store.list_snapshots(args.source)
    except StoreError as exc:
        _err(str(exc))
        return EXIT_USAGE
    if args.json:
        data = [m.model_dump(mode="json") for m in manifests]
        print(json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False))
        return 0
    for m in manifests:
        mark = "*" if store.selected(m.source) == m else " "
        forced = " FORCED" if m.forced else ""
        print(
            f"{mark} {m.source:<22} {m.snapshot_id}  #{m.sequence:<3} "
            f"{(m.retrieved.isoformat() if m.retrieved else '-'):<26} {m.entries:>7}{forced}"
        )
    return 0


# snapshot lineage lives in the library (compliance.watchlists.lineage); thin aliases here
_resolve = resolve_snapshot
_default_pair = default_pair


def run_diff(args: argparse.Namespace) -> int:
    from compliance.watchlists.diff import diff_snapshots, to_json, to_table

    store = _store(args)
    try:
        if args.old is None or args.new is None:
            old_ref, new_ref = _default_pair(store, args.source)
            old_ref = args.old or old_ref
        else:
            old_ref, new_ref = args.old, args.new
        old, new = _resolve(store, old_ref), _resolve(store, new_ref)
    except (StoreError, OSError, ValueError) as exc:
        _err(str(exc))
        return EXIT_USAGE
    diff = diff_snapshots(old, new)
    detail = args.format == "table"
    text = to_json(diff) if args.format == "json" else to_table(diff, detail=detail)
    write_output(text, args.output)
    return 0


def run_pin(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        manifest = store.find(args.snapshot_id)
        store.pin(manifest.source, manifest.snapshot_id)
    except StoreError as exc:
        _err(str(exc))
        return EXIT_USAGE
    print(f"{manifest.source}: pinned to {manifest.snapshot_id}")
    return 0


def run_unpin(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        removed = store.unpin(args.source)
    except StoreError as exc:
        _err(str(exc))
        return EXIT_USAGE
    print(f"{args.source}: {'unpinned' if removed else 'was not pinned'}")
    return 0
