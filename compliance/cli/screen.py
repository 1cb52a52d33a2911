"""``compliance screen``: screen a CSV/JSON file of counterparties against the lists."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.cli.exit_codes import (
    EXIT_ALERT,
    EXIT_FATAL,
    EXIT_INTERRUPTED,
    EXIT_REVIEW,
    EXIT_ROW_ERRORS,
    EXIT_TERMINATED,
    EXIT_USAGE,
)
from compliance.cli.options import (
    add_db_option,
    add_deprecated_alias,
    add_format_option,
    add_list_codes_option,
    add_list_option,
    add_workers_option,
)
from compliance.errors import IntegrityError, InvalidInputError
from compliance.io.parties import InputError
from compliance.io.results_out import FORMATS
from compliance.review.run_records import BLOCK_ROWS
from compliance.screening.results import ScreeningResult, Status, Thresholds

if TYPE_CHECKING:
    from compliance.review.audit import AuditRecord
    from compliance.review.run_recorder import RunRecorder


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
    parser.add_argument(
        "input", type=Path, help="CSV (header with a name column), .xlsx, .json or .jsonl"
    )
    add_list_option(parser)
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
    add_format_option(
        parser,
        FORMATS,
        default=None,
        help="default: table on standard output; for --output, csv for a .csv name, else jsonl",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="write here instead of standard output (checked before screening; written "
        "under a temporary name and renamed when complete)",
    )
    add_list_codes_option(parser)
    parser.add_argument(
        "--max-hits", type=int, default=None, metavar="N",
        help="report the strongest N hits per row and count the rest",
    )  # fmt: skip
    add_workers_option(
        parser,
        auto=True,
        default="auto",
        help="processes for batch screening: a number >= 1 or 'auto' (default: the cores "
        "available)",
    )
    reading = parser.add_argument_group("reading the input")
    reading.add_argument(
        "--encoding",
        default=None,
        help="input encoding, e.g. cp1252 or latin-1 (default: UTF-8, or UTF-16/32 when the "
        "file starts with a byte-order mark)",
    )
    reading.add_argument(
        "--delimiter", default=None, help="CSV delimiter: , ; | or tab (default: sniffed)"
    )
    reading.add_argument("--name-column", default=None, help="the column holding the party name")
    reading.add_argument("--sheet", default=None, help=".xlsx sheet (default: the first)")
    reading.add_argument(
        "--strict",
        action="store_true",
        help="stop at an undecodable byte instead of reporting its row as an error",
    )
    parser.add_argument(
        "--raw-csv",
        action="store_true",
        help="write CSV cells verbatim (no apostrophe before =, +, -, @: for programs, not "
        "spreadsheets)",
    )
    add_db_option(
        parser,
        "review database: this run is appended to its hash-chained audit trail as it is "
        f"screened, a block record per {BLOCK_ROWS:,} results and a closing record (and its "
        "decisions applied; see docs/review.md)",
        dest="audit_log",
    )
    add_deprecated_alias(parser, "--audit-log", "--db", "audit_log", type=Path, metavar="PATH")
    parser.add_argument(
        "--no-audit", action="store_true", help="do not record this run in the audit trail"
    )
    parser.add_argument("--actor", default=None, help="who ran the screening (default: login)")
    parser.add_argument(
        "--ignore-decisions",
        action="store_true",
        help="report hits as screened, without applying the review decisions recorded in the "
        "review database (--db, default review.sqlite); see docs/review.md",
    )
    parser.set_defaults(handler=run)


class Terminated(BaseException):
    """SIGTERM (``kill``, a service manager) received: stop the run as Ctrl-C does."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated(f"signal {signum}")


def run(args: argparse.Namespace) -> int:
    """Screen, and on Ctrl-C or SIGTERM stop cleanly: the partial output file is removed (the
    final name is never written), the audit trail closes the run as incomplete, and the exit
    code is 130 or 143 with a message, not a traceback."""
    import signal

    previous = None
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (a library caller): leave signals alone
        previous = None
    try:
        return _screen(args)
    except (KeyboardInterrupt, Terminated) as exc:
        what = "SIGTERM" if isinstance(exc, Terminated) else "Ctrl-C (SIGINT)"
        kept = f"no file was written to {args.output}" if args.output else "output incomplete"
        audit = "" if args.no_audit else "; the audit trail records the run as incomplete"
        print(f"compliance screen: stopped by {what}: {kept}{audit}", file=sys.stderr)
        return EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _screen(args: argparse.Namespace) -> int:
    from compliance.io.batch import auto_workers, parse_workers, screen_stream
    from compliance.io.output_file import AtomicOutput
    from compliance.io.parties import PartyFile, ReadOptions
    from compliance.io.results_out import make_writer
    from compliance.io.summary import BatchSummary
    from compliance.screening.persist import load_or_build_screener
    from compliance.watchlists.load import ListFormatError

    try:
        thresholds = _thresholds(args.threshold, args.alert_threshold)
        workers = parse_workers(args.workers)
    except ValueError as exc:
        print(f"compliance screen: {exc}", file=sys.stderr)
        return EXIT_USAGE
    options = ReadOptions(
        encoding=args.encoding,
        delimiter=args.delimiter,
        name_column=args.name_column,
        sheet=args.sheet,
        strict=args.strict,
    )
    try:  # a bad input file or output path stops here, before any list is loaded
        party_file = PartyFile(args.input, options)
    except InputError as exc:
        print(f"compliance screen: {exc}", file=sys.stderr)
        return EXIT_FATAL
    output: AtomicOutput | None = None
    if args.output is not None and _same_file(args.output, args.input):
        print(
            f"compliance screen: --output {args.output} is the input file: the results would "
            "replace the parties screened (and the audit trail's fingerprint of them); "
            "choose another name",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.output is not None and args.output.suffix.lower() in _SPREADSHEET_SUFFIXES:
        print(
            f"compliance screen: --output {args.output}: screening results are not written "
            "as a workbook; name it .csv (opens in a spreadsheet, formula cells neutralised) "
            "or .jsonl",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.output is not None:
        try:
            output = AtomicOutput(args.output)
        except OSError as exc:
            print(f"compliance screen: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if not args.ignore_decisions:
        problem = _Decisions.unreadable(args.audit_log)
        if problem is not None:
            print(
                f"compliance screen: cannot apply the recorded review decisions: {problem} "
                "(--ignore-decisions screens without them)",
                file=sys.stderr,
            )
            if output is not None:
                output.abort()
            return EXIT_FATAL
    recorder = None if args.no_audit else _open_recorder(args)
    if isinstance(recorder, int):
        if output is not None:
            output.abort()
        return recorder
    stopped: str | None = "stopped by an error before the end of the input"
    try:
        try:
            # the store's saved index when intact, else built (and saved) once
            loaded = load_or_build_screener(
                lists=args.lists,
                thresholds=thresholds,
                list_codes=args.list_codes.split(",") if args.list_codes else None,
                max_hits=args.max_hits,
            )
        except (OSError, ListFormatError) as exc:
            print(f"compliance screen: cannot read list: {exc}", file=sys.stderr)
            return EXIT_FATAL
        except InvalidInputError as exc:  # an unknown list code, a bad --max-hits
            print(f"compliance screen: {exc}", file=sys.stderr)
            return EXIT_USAGE
        for line in loaded.lists:
            print(f"lists: {line}", file=sys.stderr)
        for warning in loaded.warnings:
            text = warning if warning.startswith("WARNING") else f"lists: {warning}"
            print(text, file=sys.stderr)
        screener = loaded.screener
        snapshots = screener.snapshot_refs
        fmt = args.format or _default_format(args.output)
        out = output.stream if output is not None else sys.stdout
        writer = make_writer(fmt, out, party_file.columns, raw_csv=args.raw_csv)
        summary = BatchSummary()
        decisions = None if args.ignore_decisions else _Decisions(args.audit_log)
        progress = _progress()
        pending: list[tuple[Any, ScreeningResult]] = []

        def flush() -> None:
            # Decisions are applied a block at a time (one read-only open of the review
            # database per block); the audit trail records the results as screened, a
            # block record at a time (memory: one block, see review/run_records.py).
            applied = [r for _, r in pending]
            if decisions is not None:
                applied = decisions.apply(applied)
            for (row, screened), result in zip(pending, applied, strict=True):
                writer.write(result, row)
                summary.add(result)
                if recorder is not None:
                    recorder.add(screened)
            pending.clear()

        try:
            for row, result in screen_stream(
                screener, party_file, workers=workers or auto_workers()
            ):
                pending.append((row, result))
                if len(pending) >= _DECISION_BLOCK:
                    flush()
                if progress is not None:
                    progress.update(1)
            flush()
        except InputError as exc:  # --strict: an undecodable byte after the first block
            print(f"compliance screen: {exc}", file=sys.stderr)
            stopped = f"stopped: {exc}"
            return EXIT_FATAL
        except IntegrityError as exc:  # the review database damaged while the run went on
            print(f"compliance screen: {exc}", file=sys.stderr)
            stopped = f"stopped: {exc}"
            return EXIT_FATAL
        except BrokenPipeError:  # `| head`: the reader has gone; stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            stopped = "stopped: the output reader went away"
            return EXIT_FATAL
        finally:
            if progress is not None:
                progress.close()
        writer.close()
        if output is not None:
            output.commit()
            output = None
        stopped = None
    except BaseException as exc:  # Ctrl-C, a full disk: recorded as why the run stopped
        stopped = f"stopped: {type(exc).__name__}" + (f": {exc}" if str(exc) else "")
        raise
    finally:
        if output is not None:
            output.abort()
        if recorder is not None and stopped is not None:
            # an error, Ctrl-C, a full disk: the run is closed as incomplete, with why
            _close_recorder(recorder, stopped)
    lists_used = "; ".join(f"{s.label} (snapshot {s.snapshot_id[:12]})" for s in snapshots)
    print(summary.line(lists_used), file=sys.stderr)
    if decisions is not None:
        decisions.report()
    if recorder is not None:
        record = _close_recorder(recorder, None)
        assert record is not None  # a complete run is always recorded
        print(
            f"audit: run recorded in {recorder.blocks} block record"
            f"{'' if recorder.blocks == 1 else 's'}, closed by record "
            f"{record.seq} ({record.hash[:16]})",
            file=sys.stderr,
        )
    return summary.exit_code


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and os.path.samefile(a, b)
    except OSError:
        return False


_SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
"""Output names a spreadsheet would open as a workbook: CSV or JSON Lines under such a name
is refused rather than written (the spreadsheet reports a corrupt file)."""


def _default_format(output: Path | None) -> str:
    """A table for people on standard output; for a file, what its name says."""
    if output is None:
        return "table"
    return "csv" if output.suffix.lower() == ".csv" else "jsonl"


def _progress() -> Any:
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit="party", file=sys.stderr)


def _open_recorder(args: argparse.Namespace) -> RunRecorder | int:
    """The audit trail's recorder of this run, opened before any screening: a store that
    cannot be opened stops the run here (exit 2), not after the batch is screened.

    Every screening run, clear rows included, is recorded (``review/run_records.py``)."""
    import sqlite3

    from compliance.review.audit import AuditLog
    from compliance.review.run_recorder import RunRecorder
    from compliance.watchlists.store import sha256_file

    where = args.audit_log or "the default review database"
    try:
        digest, _size = sha256_file(args.input)
        log = AuditLog(args.audit_log)
    except IntegrityError as exc:  # a file that is not a database where the trail should be
        print(f"compliance screen: cannot open the audit trail: {exc}", file=sys.stderr)
        return EXIT_FATAL
    except (OSError, sqlite3.Error) as exc:
        print(f"compliance screen: cannot open the audit trail ({where}): {exc}", file=sys.stderr)
        return EXIT_USAGE
    return RunRecorder(log, input_sha256=digest, actor=args.actor)


def _close_recorder(recorder: RunRecorder, interrupted: str | None) -> AuditRecord | None:
    """Close the run (complete when ``interrupted`` is None) and the audit trail. A run
    stopped before its first row (lists unreadable) records nothing."""
    if interrupted is not None and recorder.rows == 0:
        recorder.log.close()
        return None
    try:
        return recorder.close(complete=interrupted is None, interrupted=interrupted)
    finally:
        recorder.log.close()


_DECISION_BLOCK = 512


class _Decisions:
    """Recorded review decisions applied to the stream (library: ``apply_recorded_decisions``):
    one stderr line per suppressed or unverifiable hit, and the totals at the end."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.store: str | None = None
        self.suppressed = 0
        self.unverifiable = 0

    @staticmethod
    def unreadable(path: Path | None) -> str | None:
        """Why the review database cannot be read, checked before any screening; None when
        it reads or does not exist (nothing to apply)."""
        from compliance.errors import ComplianceError
        from compliance.review.audit import default_path
        from compliance.review.decisions import DecisionStore

        target = path if path is not None else default_path()
        if not target.is_file():
            return None
        try:
            DecisionStore.open_readonly(target).close()
        except (ComplianceError, OSError) as exc:
            return str(exc)
        return None

    def apply(self, results: list[ScreeningResult]) -> list[ScreeningResult]:
        from compliance.review.suppression import HitState, apply_recorded_decisions

        applied = apply_recorded_decisions(results, self.path)
        self.store = applied.store
        self.suppressed += applied.suppressed
        self.unverifiable += applied.unverifiable
        for r in applied.reviewed:
            for h in r.hits:
                if h.state is HitState.SUPPRESSED and h.decision is not None:
                    print(
                        f"row {r.result.row}: {h.hit.list}:{h.hit.entry_id} suppressed by "
                        f"decision #{h.decision.seq} ({h.decision.verdict.value} by "
                        f"{h.decision.reviewer})",
                        file=sys.stderr,
                    )
                elif h.state is HitState.UNVERIFIABLE:
                    print(
                        f"row {r.result.row}: {h.hit.list}:{h.hit.entry_id}: {h.notes[0]}",
                        file=sys.stderr,
                    )
        return list(applied.results)

    def report(self) -> None:
        if self.store is not None:
            print(
                f"decisions: {self.suppressed} hits suppressed by recorded decisions, "
                f"{self.unverifiable} decisions not verifiable ({self.store})",
                file=sys.stderr,
            )


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
