"""Options shared by the subcommands, so each means one thing everywhere.

- ``--list PATH`` (repeatable): a list file or OFAC folder to screen against instead of the
  default lists (``compliance.watchlists.defaults.resolve_lists``).
- ``--lists CODES``: screen only these list codes, comma-separated.
- ``--workers``: processes for a batch.
- ``--format``: the output format, always with its choices.
- ``--store DIR``: the *snapshot store* (list snapshots), nothing else.
- ``--db PATH``: a SQLite database: the review database (decisions, audit trail, review
  queue), or with a prefix another one (``--counterparty-db``).
- ``--output PATH``: where the result goes instead of standard output.

An old spelling kept for compatibility is a :class:`DeprecatedAlias`: it still works, writes
to the new option's destination and prints one warning naming the new spelling.
``tests/cli/test_option_names.py`` walks every subcommand's parser and holds them to this.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DEFAULT_DB_HELP = "(default: $COMPLIANCE_DATA_DIR/review.sqlite, else the user data directory)"
DEFAULT_STORE_HELP = "(default: $COMPLIANCE_DATA_DIR/snapshots, else the user data directory)"


class DeprecatedAlias(argparse.Action):
    """An old option spelling: stores into the new option's ``dest`` and warns once."""

    def __init__(self, option_strings: Sequence[str], dest: str, *, new: str, **kwargs: Any):
        self.new = new
        kwargs.setdefault("help", f"deprecated spelling of {new}")
        super().__init__(option_strings, dest, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        print(
            f"{parser.prog}: warning: {option_string} is deprecated; use {self.new}",
            file=sys.stderr,
        )
        setattr(namespace, self.dest, values)


def add_deprecated_alias(
    parser: argparse.ArgumentParser | Any, old: str, new: str, dest: str, **kwargs: Any
) -> None:
    """Accept ``old`` as a deprecated spelling of the option ``new`` (same ``dest``)."""
    parser.add_argument(
        old, dest=dest, action=DeprecatedAlias, new=new, default=argparse.SUPPRESS, **kwargs
    )


def add_list_option(parser: argparse.ArgumentParser | Any, help: str | None = None) -> None:
    """``--list PATH`` (repeatable) into ``args.lists``."""
    parser.add_argument(
        "--list",
        dest="lists",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help=help
        or "list file or OFAC directory (repeatable); default: the current snapshots in the "
        "snapshot store, else the bundled Entity List excerpt",
    )


def add_list_codes_option(parser: argparse.ArgumentParser | Any) -> None:
    """``--lists CODES`` into ``args.list_codes`` (the comma-separated text)."""
    parser.add_argument(
        "--lists",
        dest="list_codes",
        default=None,
        metavar="CODES",
        help="screen only these list codes, comma-separated (EL,SDN,...)",
    )


def workers_value(text: str) -> int | str:
    """``--workers``: a whole number >= 1, or ``auto`` (kept as the text ``"auto"``)."""
    if text.strip().lower() == "auto":
        return "auto"
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number or 'auto'") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 or 'auto', got {text}")
    return number


def positive_int(text: str) -> int:
    """A whole number >= 1 (argparse reports anything else as a usage error)."""
    value = workers_value(text)
    if isinstance(value, str):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    return value


def add_workers_option(
    parser: argparse.ArgumentParser | Any,
    *,
    auto: bool,
    default: int | str,
    help: str,
) -> None:
    """``--workers``: processes; ``auto`` (the cores available) only where ``auto`` is true."""
    parser.add_argument(
        "--workers",
        type=workers_value if auto else positive_int,
        default=default,
        metavar="N|auto" if auto else "N",
        help=help,
    )


def add_format_option(
    parser: argparse.ArgumentParser | Any,
    choices: Sequence[str],
    *,
    default: str | None,
    help: str | None = None,
) -> None:
    """``--format`` with its choices named in the help."""
    parser.add_argument(
        "--format",
        choices=tuple(choices),
        default=default,
        help=help or f"output format (default {default})",
    )


def add_store_option(parser: argparse.ArgumentParser | Any) -> None:
    """``--store DIR``: the snapshot store."""
    parser.add_argument(
        "--store", type=Path, default=None, help=f"snapshot store directory {DEFAULT_STORE_HELP}"
    )


def add_db_option(
    parser: argparse.ArgumentParser | Any,
    what: str = "review database holding decisions and the audit trail",
    *,
    dest: str = "db",
) -> None:
    """``--db PATH``: the review database (decisions, audit trail and review queue share it)."""
    parser.add_argument(
        "--db", dest=dest, type=Path, default=None, metavar="PATH", help=f"{what} {DEFAULT_DB_HELP}"
    )


def add_counterparty_db_option(parser: argparse.ArgumentParser | Any, old: str) -> None:
    """``--counterparty-db PATH``: the counterparty database of ``compliance rescreen``;
    ``old`` is the spelling the subcommand used before (kept, with a warning)."""
    parser.add_argument(
        "--counterparty-db",
        type=Path,
        default=None,
        metavar="PATH",
        help="counterparty database of 'compliance rescreen' (default: "
        "$COMPLIANCE_DATA_DIR/counterparties.sqlite, else the user data directory)",
    )
    add_deprecated_alias(parser, old, "--counterparty-db", "counterparty_db", type=Path)


def add_output_option(parser: argparse.ArgumentParser | Any) -> None:
    """``--output PATH``: where the result is written instead of standard output."""
    parser.add_argument("--output", type=Path, default=None, help="default: stdout")


def write_output(text: str, output: Path | None) -> None:
    """``text`` to ``--output``, or to stdout when it is not given."""
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
