"""Read counterparties from CSV, Excel, JSON or JSON Lines into ``Party`` objects, row by row.

Every input record becomes exactly one ``PartyRow``, in input order: a record that cannot be
screened (an empty name, an undecodable byte, the wrong number of fields) carries the
reason, naming its row and field, together with its id and its other columns, so the
caller can map it back. A file that cannot be read as a whole (no header, a duplicate
column, an unknown encoding) raises :class:`InputError` before the first row is returned.

Rows are produced lazily: a million-row file is never held in memory.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from compliance.errors import InvalidInputError
from compliance.io.columns import ColumnMap, column_aliases, map_columns
from compliance.io.encoding import (
    SNIFF_BYTES,
    Encoding,
    Line,
    choose_encoding,
    read_lines,
    suggest_encoding,
    undecodable_message,
)
from compliance.screening.results import Party, PartyType
from compliance.text_input import control_character

#: How aliases are separated inside one CSV cell.
ALIAS_SEPARATOR = "|"
#: Delimiters tried when none is given, in order of preference on a tie.
DELIMITERS = (",", ";", "\t", "|")
#: A name (or alias) longer than this is an error row: no party is called that, and
#: normalising megabytes of text would stall the batch.
MAX_NAME_CHARS = 1000
#: Control characters a party field may hold: a tab, and the line break of a multi-line
#: spreadsheet cell; any other (NUL, a terminal escape) makes the row an error naming the
#: field, as the service refuses it (compliance/text_input.py).
CELL_CONTROLS = "\t\r\n"
#: The largest CSV field read (the csv module's default, 128 KiB, refuses real exports).
FIELD_SIZE_LIMIT = 256 * 1024 * 1024

csv.field_size_limit(FIELD_SIZE_LIMIT)


class InputError(InvalidInputError):
    """The input as a whole cannot be read (missing file, bad header, unknown encoding)."""


@dataclass(frozen=True)
class ReadOptions:
    """How to read an input file; every field defaults to detection."""

    encoding: str | None = None
    delimiter: str | None = None
    name_column: str | None = None
    sheet: str | None = None
    strict: bool = False


class PartyRow(BaseModel):
    """One input record: the party, or the reason it could not be built."""

    model_config = ConfigDict(frozen=True)

    row: int
    party: Party | None
    name: str
    id: str | None = None
    error: str | None = None
    passthrough: dict[str, str] = Field(
        default_factory=dict, description="columns not used for a party field, as text"
    )
    record: dict[str, str] = Field(
        default_factory=dict, description="every input column by its header, as text"
    )
    json_values: dict[str, Any] = Field(
        default_factory=dict,
        description="pass-through values of a JSON input that are not strings, as read",
    )


@cache
def party_fields() -> tuple[str, ...]:
    """The party fields an input column can feed: those of the alias table the model has."""
    return tuple(f for f in column_aliases() if f in Party.model_fields)


class PartyFile:
    """An input file opened for reading: header checked, columns known, rows lazy.

    ``columns`` lists the input's columns (header order for CSV and Excel, first
    appearance for JSON) before the first row is read, so a CSV writer can start at once.
    """

    def __init__(self, path: Path, options: ReadOptions | None = None) -> None:
        self.path = path
        self.options = options or ReadOptions()
        if str(path) == "-" and not path.exists():
            raise InputError(
                "-: standard input is not read; save it to a .csv, .xlsx, .json or .jsonl "
                "file and name that"
            )
        if not path.is_file():
            raise InputError(f"{path}: no such file" + (" (a folder)" if path.is_dir() else ""))
        suffix = path.suffix.lower()
        self.kind = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}.get(suffix, "csv")
        if suffix in (".xlsx", ".xlsm"):
            self.kind = "xlsx"
        elif suffix == ".xls":
            raise InputError(f"{path}: legacy .xls workbooks are not read; save as .xlsx or CSV")
        self.columns: tuple[str, ...] = ()
        self._rows: Iterator[PartyRow]
        try:
            self._rows = self._open()
        except InputError:
            raise
        except InvalidInputError as exc:
            raise InputError(f"{path}: {exc}") from None
        except OSError as exc:
            raise InputError(f"{path}: {exc.strerror or exc}") from None

    def __iter__(self) -> Iterator[PartyRow]:
        return self._rows

    def _open(self) -> Iterator[PartyRow]:
        if self.kind == "xlsx":
            return self._open_xlsx()
        if self.kind == "json":
            return self._open_json()
        if self.kind == "jsonl":
            return self._open_jsonl()
        return self._open_csv()

    # -- CSV -----------------------------------------------------------------------------

    def _encoding(self) -> Encoding:
        with self.path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
        return choose_encoding(head, self.options.encoding)

    def _open_csv(self) -> Iterator[PartyRow]:
        encoding = self._encoding()
        if self.options.strict:
            self._check_decodable(encoding)
        handle = self.path.open("rb")
        try:
            lines = read_lines(handle, encoding)
            feed = _LineFeed(lines)
            first = feed.peek()
            if first is None:
                raise InputError(f"{self.path}: empty file, expected a header row with 'name'")
            delimiter = self._delimiter(first.text)
            reader = csv.reader(feed, delimiter=delimiter)
            try:
                header = next(reader, None)
            except csv.Error as exc:
                raise InputError(f"{self.path}: line 1: {_csv_problem(exc)}") from None
            if header is None or not any(h.strip() for h in header):
                raise InputError(f"{self.path}: line 1: empty header, expected 'name'")
            if feed.bad:
                raise InputError(
                    f"{self.path}: line 1: "
                    f"{undecodable_message(feed.bad[0], encoding, self._suggest())}"
                )
            columns = map_columns(
                header, fields=party_fields(), name_column=self.options.name_column
            )
        except BaseException:
            handle.close()
            raise
        self.columns = columns.header
        return self._csv_rows(handle, feed, reader, columns, encoding)

    def _delimiter(self, header_line: str) -> str:
        given = self.options.delimiter
        if given is not None:
            named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
            value = named.get(given.lower(), given)
            if len(value) != 1 or value in '"\r\n':
                raise InputError(f"--delimiter {given!r}: one character, e.g. , ; | or tab")
            return value
        counts = {d: _count_outside_quotes(header_line, d) for d in DELIMITERS}
        best = max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first on a tie
        return best if counts[best] else ","

    def _csv_rows(
        self,
        handle: io.BufferedReader,
        feed: _LineFeed,
        reader: Any,
        columns: ColumnMap,
        encoding: Encoding,
    ) -> Iterator[PartyRow]:
        width = len(columns.header)
        with handle:
            while True:
                start = feed.consumed + 1
                feed.bad.clear()
                feed.quotes = 0
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield PartyRow(
                        row=start, party=None, name="", error=f"unreadable: {_csv_problem(exc)}"
                    )
                    continue
                if not any(v.strip() for v in values):
                    continue  # a blank line is not a record
                end = feed.consumed
                span = f"lines {start}-{end} were read as one record" if end > start else ""
                if span and feed.quotes % 2:
                    # a quote left open joins the following lines to this record (up to the
                    # next quote or the end of the file): never screen them as one name
                    yield _error_row(
                        start,
                        columns,
                        values,
                        f"a quote opened in this row is not closed where the row ends: {span} "
                        "(check the quotes of this row; the rows it joined were not screened)",
                    )
                    continue
                record = dict(zip(columns.header, values, strict=False))
                if feed.bad:
                    message = undecodable_message(feed.bad[0], encoding, self._suggest())
                    if self.options.strict:  # pragma: no cover - checked before the first row
                        raise InputError(f"{self.path}: row {start}: {message}")
                    field = next((k for k, v in record.items() if "\ufffd" in v), None)
                    where = f"field {field!r}: " if field else ""
                    yield _error_row(start, columns, values, f"{where}{message}")
                    continue
                if len(values) != width:
                    where = f" ({span}: check the quotes of this row)" if span else ""
                    yield _error_row(
                        start,
                        columns,
                        values,
                        f"expected {width} fields, found {len(values)}{where}",
                    )
                    continue
                yield row_from_values(start, columns, values)

    def _check_decodable(self, encoding: Encoding) -> None:
        """Under ``--strict``, one pass over the bytes before any work is done."""
        number = 0
        with self.path.open("rb") as handle:
            for number, line in enumerate(read_lines(handle, encoding), start=1):
                if line.bad_offset is not None:
                    raise InputError(
                        f"{self.path}: line {number}: "
                        f"{undecodable_message(line, encoding, self._suggest())} (--strict)"
                    )

    def _suggest(self) -> str | None:
        if not hasattr(self, "_suggestion"):
            with self.path.open("rb") as handle:
                self._suggestion = suggest_encoding(handle.read(SNIFF_BYTES * 4))
        return self._suggestion

    # -- Excel ---------------------------------------------------------------------------

    def _open_xlsx(self) -> Iterator[PartyRow]:
        import zipfile

        from openpyxl import load_workbook

        try:
            book = load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise InputError(f"{self.path}: not a readable .xlsx workbook ({exc})") from None
        try:
            if self.options.sheet is not None:
                if self.options.sheet not in book.sheetnames:
                    raise InputError(
                        f"{self.path}: no sheet {self.options.sheet!r} "
                        f"(sheets: {', '.join(book.sheetnames)})"
                    )
                sheet: Any = book[self.options.sheet]
            else:
                sheet = book.worksheets[0]
            if not hasattr(sheet, "iter_rows"):
                raise InputError(f"{self.path}: sheet {sheet.title!r} is a chart, not a table")
            rows = sheet.iter_rows(values_only=True)
            header_cells = next(rows, None)
            header = [_cell_text(v) for v in header_cells or ()]
            while header and not header[-1].strip():
                header.pop()  # Excel's used range often runs past the last named column
            if not header:
                raise InputError(f"{self.path}: row 1 of the sheet is empty, expected a header")
            columns = map_columns(
                header, fields=party_fields(), name_column=self.options.name_column
            )
        except BaseException:
            book.close()
            raise
        self.columns = columns.header
        return self._xlsx_rows(book, rows, columns)

    def _xlsx_rows(self, book: Any, rows: Iterator[Any], columns: ColumnMap) -> Iterator[PartyRow]:
        width = len(columns.header)
        try:
            for number, cells in enumerate(rows, start=2):
                values = [_cell_text(v) for v in cells]
                extra = values[width:]
                values = values[:width] + [""] * (width - len(values))
                if not any(v.strip() for v in values) and not any(v.strip() for v in extra):
                    continue
                if any(v.strip() for v in extra):
                    yield _error_row(
                        number,
                        columns,
                        values,
                        f"values beyond the last header column ({width + 1} and on)",
                    )
                    continue
                yield row_from_values(number, columns, values)
        finally:
            book.close()

    # -- JSON ----------------------------------------------------------------------------

    def _open_json(self) -> Iterator[PartyRow]:
        encoding = self._encoding()
        data = self.path.read_bytes()[encoding.bom :]
        try:
            text = data.decode(encoding.name)
            parsed = _loads(text)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{self.path}: byte offset {encoding.bom + exc.start}: not valid "
                f"{encoding.name}; name the encoding with --encoding"
            ) from None
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{self.path}: not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}"
            ) from None
        except _Unreadable as exc:
            raise InputError(f"{self.path}: {exc}") from None
        if not isinstance(parsed, list):
            kind = type(parsed).__name__.replace("dict", "object").replace("str", "string")
            raise InputError(
                f"{self.path}: expected a JSON array of party objects, found a JSON {kind} "
                "(one object per line is the .jsonl format)"
            )
        self.columns = _json_columns(item for item in parsed if isinstance(item, dict))
        suspect = SUSPECT.search(text) is not None
        return (
            self._from_json(item, number, suspect) for number, item in enumerate(parsed, start=1)
        )

    def _open_jsonl(self) -> Iterator[PartyRow]:
        encoding = self._encoding()
        if self.options.strict:
            self._check_decodable(encoding)
        self.columns = _json_columns(self._jsonl_objects(encoding))
        return self._jsonl_rows(encoding)

    def _jsonl_objects(self, encoding: Encoding) -> Iterator[dict[str, Any]]:
        with self.path.open("rb") as handle:
            for line in read_lines(handle, encoding):
                if line.text.strip():
                    try:
                        item = _loads(line.text)
                    except (json.JSONDecodeError, _Unreadable):
                        continue
                    if isinstance(item, dict):
                        yield item

    def _jsonl_rows(self, encoding: Encoding) -> Iterator[PartyRow]:
        with self.path.open("rb") as handle:
            for number, line in enumerate(read_lines(handle, encoding), start=1):
                if not line.text.strip():
                    continue
                if line.bad_offset is not None:
                    message = undecodable_message(line, encoding, self._suggest())
                    yield PartyRow(row=number, party=None, name="", error=message)
                    continue
                try:
                    item = _loads(line.text)
                except json.JSONDecodeError as exc:
                    yield PartyRow(
                        row=number,
                        party=None,
                        name="",
                        error=f"not valid JSON: column {exc.colno}: {exc.msg}",
                    )
                    continue
                except _Unreadable as exc:
                    yield PartyRow(row=number, party=None, name="", error=str(exc))
                    continue
                yield self._from_json(item, number, SUSPECT.search(line.text) is not None)

    def _from_json(self, item: Any, number: int, suspect: bool = True) -> PartyRow:
        if not isinstance(item, dict):
            kind = "array" if isinstance(item, list) else type(item).__name__
            return PartyRow(
                row=number,
                party=None,
                name="",
                error=f"expected a JSON object, found a JSON {kind}",
            )
        unfit = _unfit_fields(item) if suspect else []
        if unfit:
            row = self._from_json(_scrubbed(item), number)
            error = "; ".join(unfit) + (f"; {row.error}" if row.error else "")
            return row.model_copy(update={"party": None, "error": error})
        keys = [str(k) for k in item]
        try:
            columns = _json_map(tuple(keys), self.options.name_column)
        except InvalidInputError as exc:
            message = str(exc).removeprefix("line 1: ")
            record = {k: _json_text(v) for k, v in item.items()}
            return PartyRow(
                row=number,
                party=None,
                name="",
                error=message,
                passthrough=record,
                record=record,
            )
        values = [item[k] for k in item]
        return row_from_values(number, columns, values)


def read_parties(path: Path, options: ReadOptions | None = None) -> Iterator[PartyRow]:
    """Yield one ``PartyRow`` per record of a CSV, ``.xlsx``, ``.json`` or ``.jsonl`` file."""
    yield from PartyFile(path, options)


def party_from_fields(fields: dict[str, Any], row: int) -> PartyRow:
    """Build a ``PartyRow`` from one record's fields keyed by header name."""
    keys = tuple(fields)
    columns = map_columns(keys, fields=party_fields())
    return row_from_values(row, columns, list(fields.values()))


def row_from_values(row: int, columns: ColumnMap, values: list[Any]) -> PartyRow:
    """The ``PartyRow`` of one record, ``values`` in header order (text or JSON values)."""
    header = columns.header
    record = {h: _json_text(v) for h, v in zip(header, values, strict=False)}
    passthrough = {header[i]: record[header[i]] for i in columns.passthrough if i < len(values)}
    json_values = {
        header[i]: values[i]
        for i in columns.passthrough
        if i < len(values) and values[i] is not None and not isinstance(values[i], str)
    }
    raw = {field: values[i] for field, i in columns.fields.items() if i < len(values)}
    ident = _text(raw.get("id"))
    problems: list[str] = []
    texts: dict[str, str | None] = {}
    for field, value in raw.items():
        if field == "aliases":
            continue
        if isinstance(value, dict | list):
            problems.append(f"field {header[columns.fields[field]]!r}: expected text, found JSON")
            continue
        texts[field] = _text(value)
    for field, text in texts.items():
        if text and _CONTROL.search(text):
            problem = control_character(text, allowed=CELL_CONTROLS)
            problems.append(f"field {header[columns.fields[field]]!r}: {problem}")
    name = texts.get("name") or ""
    name_field = header[columns.fields["name"]] if "name" in columns.fields else "name"
    if not name:
        problems.append(f"field {name_field!r}: empty")
    elif len(name) > MAX_NAME_CHARS:
        problems.append(
            f"field {name_field!r}: {len(name)} characters, more than the "
            f"{MAX_NAME_CHARS}-character limit for a name"
        )
    party_type: PartyType | None = None
    if texts.get("type") is not None:
        raw_type = texts["type"] or ""
        lowered = raw_type.lower()
        aliases_of_type = {"company": "entity", "organization": "entity", "person": "individual"}
        try:
            party_type = PartyType(aliases_of_type.get(lowered, lowered))
        except ValueError:
            problems.append(
                f"field {header[columns.fields['type']]!r}: {raw_type!r} is not 'entity' or "
                "'individual'"
            )
    aliases = _aliases(raw.get("aliases"))
    for alias in aliases:
        if _CONTROL.search(alias):
            problems.append(f"field 'aliases': {control_character(alias, allowed=CELL_CONTROLS)}")
            break
    if any(len(a) > MAX_NAME_CHARS for a in aliases):
        problems.append(f"field 'aliases': an alias longer than {MAX_NAME_CHARS} characters")
    common: dict[str, Any] = {
        "row": row,
        "name": name[:MAX_NAME_CHARS],
        "id": ident,
        "passthrough": passthrough,
        "record": record,
        "json_values": json_values,
    }
    if problems:
        return PartyRow(party=None, error="; ".join(problems), **common)
    extra_fields = {
        f: texts.get(f) for f in party_fields() if f not in ("name", "id", "type", "aliases")
    }
    try:
        party = Party(
            name=name,
            id=ident,
            aliases=aliases,
            type=party_type,
            extra=passthrough,
            **extra_fields,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return PartyRow(party=None, error=f"field {where!r}: {first['msg']}", **common)
    return PartyRow(party=party, **common)


class _LineFeed:
    """Feeds decoded lines to ``csv.reader`` and remembers which ones held bad bytes."""

    def __init__(self, lines: Iterable[Line]) -> None:
        self._lines = iter(lines)
        self._peeked: Line | None = None
        self.consumed = 0
        self.quotes = 0  # double quotes on the lines of the record being read
        self.bad: list[Line] = []

    def peek(self) -> Line | None:
        if self._peeked is None:
            self._peeked = next(self._lines, None)
        return self._peeked

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._peeked if self._peeked is not None else next(self._lines)
        self._peeked = None
        self.consumed += 1
        self.quotes += line.text.count('"')
        if line.bad_offset is not None:
            self.bad.append(line)
        return line.text


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def _error_row(row: int, columns: ColumnMap, values: list[str], reason: str) -> PartyRow:
    """An ``error`` row that still carries the id, name and other columns it had."""
    record = dict(zip(columns.header, values, strict=False))
    position = columns.fields.get("id")
    ident = _text(values[position]) if position is not None and position < len(values) else None
    index = columns.fields.get("name", len(values))
    name = values[index].strip() if index < len(values) else ""
    passthrough = {columns.header[i]: values[i] for i in columns.passthrough if i < len(values)}
    return PartyRow(
        row=row,
        party=None,
        name=name[:MAX_NAME_CHARS],
        id=ident,
        error=reason,
        passthrough=passthrough,
        record=record,
    )


@cache
def _json_map(keys: tuple[str, ...], name_column: str | None) -> ColumnMap:
    return map_columns(keys, fields=party_fields(), name_column=name_column, require_name=False)


def _json_columns(items: Iterable[dict[str, Any]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        for key in item:
            seen.setdefault(_SURROGATE.sub("\ufffd", str(key)))
    return tuple(seen)


class _Unreadable(ValueError):
    """JSON text that is valid but that Python's parser will not read (too deeply nested,
    an integer of more digits than ``sys.get_int_max_str_digits``)."""


class _NotJSON:
    """A number JSON has no spelling for (``NaN``, ``Infinity``, ``1e999``): Python's parser
    reads it, a strict JSON writer cannot write it back, and a name ``NaN`` is no name."""

    __slots__ = ("literal",)

    def __init__(self, literal: str) -> None:
        self.literal = literal


_DECODER = json.JSONDecoder(parse_constant=_NotJSON)  # one for all (json.loads makes one a call)


def _loads(text: str) -> Any:
    """``json.loads`` keeping non-finite numbers as :class:`_NotJSON` for the row's error,
    and Python's own limits as :class:`_Unreadable` with a message."""
    try:
        return _DECODER.decode(text)
    except RecursionError:
        raise _Unreadable("not readable JSON: nested deeper than the reader follows") from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:
        if "digits" not in str(exc):
            raise
        raise _Unreadable(
            f"not readable JSON: a number of more than {sys.get_int_max_str_digits()} digits "
            "(write long identifiers as strings)"
        ) from None


_SURROGATE = re.compile("[\ud800-\udfff]")
#: What JSON text must hold for a value to be unfit (a surrogate escape, NaN or Infinity,
#: an exponent of three digits): only then are the parsed values walked.
SUSPECT = re.compile(r"\\u[dD][89a-fA-F]|NaN|Infinity|[eE][+-]?[0-9]{3}")
#: Control characters (Unicode category Cc) other than CELL_CONTROLS, found in C.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _unfit(value: Any) -> str | None:
    """Why a JSON value holds something that is not text or a JSON number, else None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = _SURROGATE.search(item)
            if found:
                return (
                    f"lone surrogate \\u{ord(found.group()):04x} (not a character: the "
                    "writer split a UTF-16 pair)"
                )
        elif isinstance(item, _NotJSON):
            return f"{item.literal} is not a JSON number (RFC 8259); write null for no value"
        elif isinstance(item, float) and not math.isfinite(item):
            return "a number too large for a float is not a JSON number Python can write back"
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _unfit_fields(item: Any) -> list[str]:
    """``field 'x': <why>`` for every field of a JSON object that cannot be written back."""
    if not isinstance(item, dict):
        return []
    problems = []
    for key, value in item.items():
        reason = _unfit(key) or _unfit(value)
        if reason:
            problems.append(f"field {_SURROGATE.sub(chr(0xFFFD), str(key))!r}: {reason}")
    return problems


def _scrubbed(value: Any) -> Any:
    """``value`` with lone surrogates as U+FFFD and non-finite numbers as their literal."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, _NotJSON):
        return value.literal
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {_scrubbed(k): _scrubbed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    return value


def _csv_problem(exc: csv.Error) -> str:
    """The csv module's complaint in a user's words where it is known."""
    if "new-line character seen in unquoted field" in str(exc):
        return (
            "a carriage return (CR) without a line feed: the file has classic Mac line ends; "
            "save it with Windows (CRLF) or Unix (LF) line ends"
        )
    return str(exc)


def _json_text(value: Any) -> str:
    """A value as text: strings as they are, other JSON values as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _cell_text(value: Any) -> str:
    """An Excel cell as the text a CSV export would show (12.0 -> 12, dates in ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat() if value.time() != time(0) else value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = _json_text(value).strip()
    return text or None


def _aliases(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(a).strip() for a in value if a is not None and str(a).strip())
    text = _text(value)
    if not text:
        return ()
    return tuple(a.strip() for a in text.split(ALIAS_SEPARATOR) if a.strip())
