"""``compliance audit verify|export|checkpoint|keygen``: check and hand over the audit trail.

Every action opens the review database read-only (``verify``, ``export`` and ``checkpoint``
never create or change it); a missing database is an error (exit 2), never an empty "OK".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from compliance.cli.exit_codes import EXIT_CHECK_FAILED, EXIT_USAGE
from compliance.cli.options import add_db_option, add_output_option, write_output

EXIT_BROKEN = EXIT_CHECK_FAILED  # 1: the chain or a finding failed the check
EXIT_FATAL = EXIT_USAGE  # 2: no such trail, or bad arguments (compliance.cli.exit_codes)
_AUDIT_DB = "audit database"


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "audit",
        help="verify, export or checkpoint the tamper-evident audit trail",
        description="The audit trail records every screening run and decision, hash-chained "
        "(see docs/review.md). Exit codes: 0 verified, 1 broken or a finding, 2 no such "
        "trail or bad arguments.",
    )
    sub = parser.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = sub.add_parser(
        "verify",
        help="check the chain, the decisions it proves and the append-only triggers",
    )
    add_db_option(verify, _AUDIT_DB)
    verify.add_argument(
        "--file", type=Path, default=None, help="verify an exported JSON Lines file instead"
    )
    verify.add_argument(
        "--checkpoint",
        type=Path,
        default=None,
        metavar="FILE",
        help="a checkpoint from 'audit checkpoint': the chain must still hold its hash at its "
        "position (records appended since are listed)",
    )
    verify.add_argument(
        "--public-key",
        type=Path,
        default=None,
        metavar="PEM",
        help="trusted Ed25519 public key: the checkpoint's signature must verify with it",
    )
    verify.add_argument(
        "--head",
        default=None,
        help="a head hash noted earlier: the chain must still contain it (at --at SEQ if given)",
    )
    verify.add_argument("--at", type=int, default=None, metavar="SEQ", help="with --head")
    verify.set_defaults(handler=run_verify)

    export = sub.add_parser("export", help="write every record as JSON Lines (verified first)")
    add_db_option(export, _AUDIT_DB)
    add_output_option(export)
    export.set_defaults(handler=run_export)

    checkpoint = sub.add_parser(
        "checkpoint", help="write the chain's current position (seq, hash, recording time)"
    )
    add_db_option(checkpoint, _AUDIT_DB)
    add_output_option(checkpoint)
    checkpoint.add_argument(
        "--sign-key",
        type=Path,
        default=None,
        metavar="PEM",
        help="Ed25519 private key to sign the checkpoint with (needs compliance[signing])",
    )
    checkpoint.set_defaults(handler=run_checkpoint)

    close_run = sub.add_parser(
        "close-run",
        help="close a streamed screening run whose process was killed, as incomplete",
        description="A run killed mid-way (SIGKILL, a lost machine) leaves block records "
        "and no closing record, which 'audit verify' reports. Once the process is known to "
        "be gone, this appends the closing record, marked incomplete and closed afterwards "
        "by you with your reason, recomputed from the blocks the verified chain holds.",
    )
    add_db_option(close_run, _AUDIT_DB)
    close_run.add_argument("run", help="the run id 'audit verify' names")
    close_run.add_argument("--reason", required=True, help="why the run stopped (recorded)")
    close_run.add_argument("--actor", default=None, help="who closes it (default: the login name)")
    close_run.add_argument(
        "--even-if-recent",
        action="store_true",
        help="close it even though it wrote a block in the last 10 minutes",
    )
    close_run.set_defaults(handler=run_close_run)

    keygen = sub.add_parser("keygen", help="make an Ed25519 key pair for signing checkpoints")
    keygen.add_argument("--private-key", type=Path, required=True, metavar="PEM")
    keygen.add_argument("--public-key", type=Path, required=True, metavar="PEM")
    keygen.set_defaults(handler=run_keygen)


def _default_db() -> Path:
    from compliance.review.audit import default_path

    return default_path()


def _fail(action: str, message: object, code: int = EXIT_FATAL) -> int:
    print(f"compliance audit {action}: {message}", file=sys.stderr)
    return code


def run_verify(args: argparse.Namespace) -> int:
    from compliance._sqlite import readable
    from compliance.errors import ComplianceError, IntegrityError

    try:
        with readable(args.db if args.db is not None else _default_db()):
            return _verify(args)
    except IntegrityError as exc:  # a signature that does not verify, a damaged database
        return _fail("verify", exc, EXIT_BROKEN)
    except (ComplianceError, OSError) as exc:
        return _fail("verify", exc)


def _verify(args: argparse.Namespace) -> int:
    from compliance.review.audit import Anchor, verify_jsonl
    from compliance.review.checkpoint import load_public_key, read_checkpoint
    from compliance.review.verify import verify_store

    if args.at is not None and args.head is None:
        return _fail("verify", "--at needs --head")
    if args.head is not None and args.checkpoint is not None:
        return _fail("verify", "give --checkpoint or --head, not both")
    checkpoint = read_checkpoint(args.checkpoint) if args.checkpoint is not None else None
    public_key = load_public_key(args.public_key) if args.public_key is not None else None
    anchor = Anchor(hash=args.head, seq=args.at) if args.head is not None else None
    if args.file is not None:
        signed_by = None
        if public_key is not None and checkpoint is not None:
            from compliance.review.checkpoint import check_signature

            signed_by = check_signature(checkpoint, public_key)
        if checkpoint is not None:
            anchor = checkpoint.anchor()
        with args.file.open(encoding="utf-8") as handle:
            report = verify_jsonl(handle, anchor)
        if report.anchor is not None and signed_by is not None:
            report = report.model_copy(
                update={"anchor": report.anchor.model_copy(update={"signed_by": signed_by})}
            )
    else:
        report = verify_store(args.db, anchor=anchor, checkpoint=checkpoint, public_key=public_key)
    broken = report.first_broken
    if broken is None:
        state = "OK" if report.ok else "intact, with findings"
        print(f"audit chain {state}: {report.records} records, head {report.head}")
    else:
        where = f"line {broken.line}" if broken.line is not None else f"record {broken.position}"
        seq = f" (seq {broken.seq})" if broken.seq is not None and broken.line is None else ""
        print(
            f"audit chain BROKEN at {where}{seq}: {broken.reason}; {report.records} records "
            f"before it verify, last good head {report.head}",
            file=sys.stderr,
        )
    if report.legacy_records:
        print(f"note: {report.legacy_records} records were written before recording times")
    checked = report.anchor
    if checked is not None and checked.held:
        print(f"checkpoint holds: record {checked.seq} has hash {checked.hash}")
        if checked.signed_by is not None:
            print(f"checkpoint signature verified (key {checked.signed_by})")
        elif checkpoint is not None and checkpoint.signature is not None:
            print("checkpoint signature NOT checked: give --public-key to check it")
        for a in checked.appended:
            print(
                f"appended since, not covered by it: seq {a.seq} {a.kind} by {a.actor} "
                f"recorded {a.recorded_at or 'at an unknown time'}"
            )
    for finding in report.findings:
        print(f"FINDING ({finding.what}): {finding.message}", file=sys.stderr)
    return 0 if report.ok else EXIT_BROKEN


def run_export(args: argparse.Namespace) -> int:
    import io

    from compliance._sqlite import connect_readonly, readable
    from compliance.errors import ComplianceError
    from compliance.review.audit import AuditChainError, default_path, export_jsonl, table_exists
    from compliance.review.verify import NoAuditTrail, verify_store

    path = args.db if args.db is not None else default_path()
    buffer = io.StringIO()
    try:
        with readable(path):
            db = connect_readonly(path)
            try:
                if not table_exists(db, "audit_records"):
                    raise NoAuditTrail(f"{path}: no audit trail in this database")
                report = export_jsonl(db, buffer)
            finally:
                db.close()
            findings = verify_store(path).findings
    except AuditChainError as exc:
        return _fail("export", f"{exc}; nothing written", EXIT_BROKEN)
    except (ComplianceError, OSError) as exc:
        return _fail("export", exc)
    write_output(buffer.getvalue(), args.output)
    print(f"exported {report.records} records, head {report.head}", file=sys.stderr)
    for finding in findings:
        print(f"FINDING ({finding.what}): {finding.message}", file=sys.stderr)
    return EXIT_BROKEN if findings else 0


def run_checkpoint(args: argparse.Namespace) -> int:
    from compliance._sqlite import connect_readonly, readable
    from compliance.errors import ComplianceError
    from compliance.review.audit import default_path, table_exists
    from compliance.review.checkpoint import load_private_key, sign, take_checkpoint
    from compliance.review.verify import NoAuditTrail

    path = args.db if args.db is not None else default_path()
    try:
        key = load_private_key(args.sign_key) if args.sign_key is not None else None
        with readable(path):
            db = connect_readonly(path)
            try:
                if not table_exists(db, "audit_records"):
                    raise NoAuditTrail(f"{path}: no audit trail in this database")
                checkpoint = take_checkpoint(db)
            finally:
                db.close()
        if key is not None:
            checkpoint = sign(checkpoint, key)
    except (ComplianceError, OSError) as exc:
        return _fail("checkpoint", exc)
    write_output(checkpoint.to_json(), args.output)
    signed = f", signed by key {checkpoint.signature.key_id}" if checkpoint.signature else ""
    print(f"checkpoint at seq {checkpoint.seq}, hash {checkpoint.hash}{signed}", file=sys.stderr)
    return 0


def run_close_run(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from compliance.errors import ComplianceError, IntegrityError
    from compliance.review.audit import AuditLog, default_path, table_exists
    from compliance.review.run_recorder import ABANDONED_AFTER, close_abandoned_run
    from compliance.review.verify import NoAuditTrail

    path = args.db if args.db is not None else default_path()
    try:
        if not path.exists():
            raise NoAuditTrail(f"{path}: no such database")
        with AuditLog(path) as log:
            if not table_exists(log.db, "audit_records"):
                raise NoAuditTrail(f"{path}: no audit trail in this database")
            idle = timedelta(0) if args.even_if_recent else ABANDONED_AFTER
            record = close_abandoned_run(
                log, args.run, reason=args.reason, actor=args.actor, idle=idle
            )
    except IntegrityError as exc:
        return _fail("close-run", exc, EXIT_BROKEN)
    except (ComplianceError, OSError) as exc:  # no such run or trail, no reason, too recent
        return _fail("close-run", exc, EXIT_USAGE)
    payload = record.payload
    print(
        f"run {args.run} closed as incomplete by record {record.seq}: {payload['rows']} rows in "
        f"{len(payload['blocks'])} blocks, counts {payload['counts']}",
        file=sys.stderr,
    )
    return 0


def run_keygen(args: argparse.Namespace) -> int:
    from compliance.errors import ComplianceError
    from compliance.review.checkpoint import generate_keypair

    try:
        key = generate_keypair(args.private_key, args.public_key)
    except (ComplianceError, OSError) as exc:
        return _fail("keygen", exc)
    print(
        f"key {key}: private key {args.private_key} (keep it away from the database), "
        f"public key {args.public_key}",
        file=sys.stderr,
    )
    return 0
