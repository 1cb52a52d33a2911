"""Helpers every list reader shares: provenance, decoding, errors and small text rules."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from compliance.watchlists.snapshot import ReadIssue, SourceFile

_SURROGATE = re.compile("[\udc80-\udcff]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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
    value = clean(value)
    if value is None:
        return None
    if _ISO_DATE.fullmatch(value):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.year >= 1900:
            return parsed
    issues.append(
        ReadIssue(
            file=file,
            line=line,
            field=field,
            reason=f"malformed date {value!r}: kept the row, date left empty",
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
