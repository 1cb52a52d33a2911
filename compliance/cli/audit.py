"""``compliance audit verify|export``: check the hash chain, hand the trail to an auditor."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from compliance.cli.review import add_db_option, add_output_option, write_output

EXIT_BROKEN = 1
EXIT_FATAL = 2
_AUDIT_DB = "audit database"


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "audit",
        help="verify or export the tamper-evident audit trail",
        description="The audit trail records every screening run and decision made through "
        "'compliance review', hash-chained (see docs/review.md).",
    )
    sub = parser.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = sub.add_parser(
        "verify",
        help="check the chain; exit 1 and name the first broken record if it is broken",
    )
    add_db_option(verify, _AUDIT_DB)
    verify.add_argument(
        "--file", type=Path, default=None, help="verify an exported JSON Lines file instead"
    )
    verify.add_argument(
        "--head",
        default=None,
        help="the head hash noted earlier (from verify or export): also detects records "
        "removed from the end",
    )
    verify.set_defaults(handler=run_verify)
    export = sub.add_parser("export", help="write every record as JSON Lines (verified first)")
    add_db_option(export, _AUDIT_DB)
    add_output_option(export)
    export.set_defaults(handler=run_export)


def run_verify(args: argparse.Namespace) -> int:
    from compliance.review.audit import AuditLog, verify_jsonl

    if args.file is not None:
        try:
            with args.file.open(encoding="utf-8") as handle:
                report = verify_jsonl(handle, expected_head=args.head)
        except OSError as exc:
            print(f"compliance audit verify: {exc}", file=sys.stderr)
            return EXIT_FATAL
    else:
        with AuditLog(args.db) as log:
            report = log.verify(expected_head=args.head)
    if report.ok:
        print(f"audit chain OK: {report.records} records, head {report.head}")
        return 0
    broken = report.first_broken
    assert broken is not None
    seq = f" (seq {broken.seq})" if broken.seq is not None else ""
    print(
        f"audit chain BROKEN at record {broken.position}{seq}: {broken.reason}; "
        f"{report.records} records before it verify, last good head {report.head}",
        file=sys.stderr,
    )
    return EXIT_BROKEN


def run_export(args: argparse.Namespace) -> int:
    import io

    from compliance.review.audit import AuditChainError, AuditLog

    buffer = io.StringIO()
    with AuditLog(args.db) as log:
        try:
            report = log.export_jsonl(buffer)
        except AuditChainError as exc:
            print(f"compliance audit export: {exc}; nothing written", file=sys.stderr)
            return EXIT_BROKEN
    write_output(buffer.getvalue(), args.output)
    print(f"exported {report.records} records, head {report.head}", file=sys.stderr)
    return 0
