"""Helpers every list reader shares: provenance, decoding, errors and small text rules."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

from compliance.watchlists.entry import ListEntry
from compliance.watchlists.snapshot import ListSnapshot, ReadIssue, SourceFile

_SURROGATE = re.compile("[\udc80-\udcff]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class ListFormatError(ValueError):
    """The file is not a list format we can read (as opposed to a bad row inside one)."""


def source_file(path: Path, data: bytes, *, published: datetime | None = None) -> SourceFile:
    """Provenance for one file: name, SHA-256 and size of the exact bytes that were parsed."""
    return SourceFile(
        name=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        published=published,
    )


def single_file_snapshot(
    path: Path,
    data: bytes,
    entries: Sequence[ListEntry],
    issues: Sequence[ReadIssue],
    *,
    source: str,
    label: str,
    is_excerpt: bool,
    published: datetime | None = None,
) -> ListSnapshot:
    """The snapshot of a list read from one file, ``data`` being the bytes that were parsed."""
    return ListSnapshot(
        source=source,
        label=label,
        files=(source_file(path, data, published=published),),
        entries=tuple(entries),
        issues=tuple(issues),
        is_excerpt=is_excerpt,
    )


def wrong_width(file: str, line: int, expected: int, found: int, unit: str) -> ReadIssue:
    """A row with the wrong number of cells is skipped: its values cannot be placed."""
    return ReadIssue(
        file=file, line=line, reason=f"expected {expected} {unit}, found {found}", skipped=True
    )


def repair_cells(
    cells: Sequence[str],
    fields: Sequence[str],
    *,
    file: str,
    line: int,
    issues: list[ReadIssue],
) -> list[str]:
    """``cells`` with undecodable bytes replaced, reporting each repaired cell by its field."""
    repaired: list[str] = []
    for field, cell in zip(fields, cells, strict=True):
        if has_undecodable(cell):
            issues.append(
                ReadIssue(
                    file=file,
                    line=line,
                    field=field,
                    reason="bytes that are not UTF-8 replaced with U+FFFD",
                    skipped=False,
                )
            )
            cell = repair_undecodable(cell)
        repaired.append(cell)
    return repaired


def decode(data: bytes) -> str:
    """UTF-8 (BOM tolerated); undecodable bytes survive as surrogates so rows can report them.

    Decoding the whole file strictly would lose every good row because of one bad byte.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="surrogateescape")


def has_undecodable(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def repair_undecodable(text: str) -> str:
    """Replace undecodable bytes with U+FFFD so the rest of the value is kept."""
    return text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")


def clean(value: str | None) -> str | None:
    """Strip a published value; empty means absent."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def parse_iso_date(
    value: str | None, *, file: str, line: int, field: str, issues: list[ReadIssue]
) -> date | None:
    """An ISO ``YYYY-MM-DD`` date, or ``None`` with a (non-skipping) issue when malformed.

    Years before 1900 (e.g. ``0017-05-26`` in the 2022 CSL) are typos, not dates: reported.
    """
    return _parse_date(value, _from_iso, "", file=file, line=line, field=field, issues=issues)


def parse_us_date(
    value: str | None, *, file: str, line: int, field: str, issues: list[ReadIssue]
) -> date | None:
    """A U.S. ``MM/DD/YYYY`` date (BIS files), or ``None`` with an issue when malformed."""
    return _parse_date(
        value, _from_us, " (expected MM/DD/YYYY)", file=file, line=line, field=field, issues=issues
    )


def _from_iso(value: str) -> date | None:
    if not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _from_us(value: str) -> date | None:
    match = _US_DATE.fullmatch(value)
    if match is None:
        return None
    month, day, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _parse_date(
    value: str | None,
    parse: Callable[[str], date | None],
    expected: str,
    *,
    file: str,
    line: int,
    field: str,
    issues: list[ReadIssue],
) -> date | None:
    """Empty is absent; a malformed or pre-1900 date is reported and the row kept."""
    value = clean(value)
    if value is None:
        return None
    parsed = parse(value)
    if parsed is not None and parsed.year >= 1900:
        return parsed
    issues.append(
        ReadIssue(
            file=file,
            line=line,
            field=field,
            reason=f"malformed date {value!r}{expected}: kept the row, date left empty",
            skipped=False,
        )
    )
    return None


def csv_records(
    text: str, *, file: str, issues: list[ReadIssue], delimiter: str = ","
) -> Iterator[tuple[int, list[str]]]:
    """``(line, row)`` for each CSV record, ``line`` the 1-based physical line it starts on.

    Records spanning several lines (quoted newlines in remarks) are one record. Blank lines are
    skipped; a record the csv module cannot parse becomes a skipping ``ReadIssue``.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    end_of_previous = 0
    while True:
        line = end_of_previous + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            issues.append(ReadIssue(file=file, line=line, reason=f"bad CSV: {exc}", skipped=True))
            end_of_previous = reader.line_num
            continue
        end_of_previous = reader.line_num
        if row and any(cell.strip() for cell in row):
            yield line, row
