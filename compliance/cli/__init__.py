"""The ``compliance`` command line: parses arguments, calls the library, prints.

Each subcommand lives in its own module exposing ``register(subparsers)``; no behaviour lives
here, so an ERP integration importing the library gets exactly what the CLI gets.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from compliance._version import __version__
from compliance.cli.exit_codes import EXIT_FATAL, EXIT_USAGE
from compliance.errors import ComplianceError

SUBCOMMAND_MODULES = ("screen", "evaluate", "lists", "rescreen", "review", "audit", "serve")


class _VersionAction(argparse.Action):
    """``--version``: the library version and which build of the hot path runs."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object, **__: object) -> None:
        from compliance._native import native_status

        parser.exit(message=f"compliance {__version__} ({native_status()})\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or of ``only`` that one (a one-name call should not
    import the EAR engine to screen a party: start-up is most of its time)."""
    parser = argparse.ArgumentParser(
        prog="compliance",
        description="U.S. export-control compliance: restricted-party screening and EAR "
        "de minimis / foreign-direct product determinations.",
    )
    parser.add_argument(
        "--version", action=_VersionAction, nargs=0, help="show the version and build"
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMAND_MODULES if only is None else (only,):
        try:
            module = importlib.import_module(f"compliance.cli.{name}")
        except ModuleNotFoundError as exc:  # a subcommand still being written
            if exc.name == f"compliance.cli.{name}":
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in arguments if not a.startswith("-")), None)
    parser = build_parser(command if command in SUBCOMMAND_MODULES else None)
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exc:  # --help (0) or a usage error (2): a code, as every handler returns
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    handler = args.handler
    try:
        code: int = handler(args)
    except Exception as exc:
        # the last guard: a file that is not what an option says (a --db that is not a
        # SQLite database, an undecodable file, a folder without permission) ends in one
        # line naming the problem, never a traceback; anything else is a bug and is raised
        if not _about_the_input(exc):
            raise
        return _report(args.command, exc)
    return code


def _about_the_input(exc: Exception) -> bool:
    import sqlite3  # only when something failed: a one-name call starts without it

    return isinstance(exc, OSError | sqlite3.Error | UnicodeError | ComplianceError)


def _report(command: str, exc: Exception) -> int:
    import sqlite3

    from compliance.errors import InvalidInputError, NotFoundError

    hint = ""
    if isinstance(exc, sqlite3.DatabaseError):
        hint = " (is a --db or --counterparty-db file not a SQLite database?)"
    print(f"compliance {command}: {type(exc).__name__}: {exc}{hint}", file=sys.stderr)
    return EXIT_USAGE if isinstance(exc, InvalidInputError | NotFoundError) else EXIT_FATAL


if __name__ == "__main__":
    sys.exit(main())
