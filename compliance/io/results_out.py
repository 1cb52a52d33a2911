"""Write screening results as JSON Lines, CSV or a human-readable table, one at a time.

Writers take ``(input row, result)`` pairs as they arrive, so a million-row batch is written
while it is screened and never held in memory. Output is a pure function of the results:
the same results always give the same bytes.

Spreadsheet safety: the CSV output is the file a compliance officer opens in Excel. A cell
beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return that is not a plain
number would be evaluated as a formula (``=HYPERLINK(...)`` in a party name, ``+cmd|calc``
in a pass-through column), so such cells are written with a leading apostrophe, following
the OWASP guidance on CSV injection. ``raw=True`` (``--raw-csv``) writes values verbatim for
machine consumers.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from typing import Any, Protocol, TextIO

from wcwidth import wcwidth

from compliance.io.parties import PartyRow
from compliance.screening.results import Hit, ScreeningResult

FORMATS = ("jsonl", "csv", "table")

#: Columns the CSV writer adds after the input's own columns.
CSV_RESULT_COLUMNS = (
    "row",
    "status",
    "error",
    "hit_count",
    "top_list",
    "top_entry_id",
    "top_listed_name",
    "top_matched_name",
    "top_score",
    "top_license_requirement",
    "top_footnotes",
    "hits",
    "snapshot_ids",
    "weights_id",
    "library_version",
)
#: Column names the CSV writer uses for the party when the input's own header is not known.
DEFAULT_INPUT_COLUMNS = ("id", "name", "country", "address", "type")

_FORMULA_START = frozenset("=+-@\t\r")
# Characters Python's str.splitlines (and some JSON Lines readers) take as line ends that
# JSON leaves unescaped: escaped, so one record stays one line for every reader.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

#: Hits shown per party in the table (every hit is in the JSON Lines and CSV output).
TABLE_MAX_HITS = 3
#: Table columns: header and display width (the reason column takes what is left).
TABLE_COLUMNS = (
    ("row", 5),
    ("status", 6),
    ("party", 30),
    ("matched list name", 30),
    ("score", 6),
    ("list entry", 24),
    ("why (aligned words)", 40),
)


class ResultWriter(Protocol):
    """Writes one input row's result at a time; ``close`` finishes the document."""

    def write(self, result: ScreeningResult, source: PartyRow | None = None) -> None: ...

    def close(self) -> None: ...


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would evaluate as a formula, prefixed with ``'`` (OWASP)."""
    if cell and cell[0] in _FORMULA_START and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def result_record(result: ScreeningResult, source: PartyRow | None = None) -> dict[str, Any]:
    """The JSON Lines record of one result: ``row``, ``id``, ``name``, ``status`` first.

    ``source`` is the input row the result belongs to: error rows take their id from it,
    and pass-through values of a JSON input come back as the JSON values they were.
    """
    party = result.party
    ident = party.id if party is not None else (source.id if source is not None else None)
    record: dict[str, Any] = {
        "row": result.row,
        "id": ident,
        "name": result.name,
        "status": result.status.value,
        "hits": [hit.model_dump(mode="json") for hit in result.hits],
    }
    if result.hits_omitted:
        record["hits_omitted"] = result.hits_omitted
    if result.lists_screened:
        record["lists_screened"] = list(result.lists_screened)
    if result.error is not None:
        record["error"] = result.error
    if party is not None:
        record["party"] = party.model_dump(mode="json", exclude={"extra"})
    passthrough: dict[str, Any] = dict(
        result.passthrough or (party.extra if party is not None else {})
    )
    if source is not None:
        passthrough.update(source.json_values)
    if passthrough:
        record["input"] = passthrough
    record["thresholds"] = result.thresholds.model_dump(mode="json")
    record["snapshots"] = [s.model_dump(mode="json") for s in result.snapshots]
    record["weights_id"] = result.weights_id
    record["library_version"] = result.library_version
    return record


def jsonl_line(result: ScreeningResult, source: PartyRow | None = None) -> str:
    """The JSON Lines text of one result (no newline): one record stays one line."""
    record = result_record(result, source)
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_LINE_BREAKS)


class JsonLinesWriter:
    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, result: ScreeningResult, source: PartyRow | None = None) -> None:
        self._out.write(jsonl_line(result, source))
        self._out.write("\n")

    def close(self) -> None:
        self._out.flush()


class CsvWriter:
    """One CSV row per input row: the input's columns as given, then the result columns."""

    def __init__(self, out: TextIO, input_columns: tuple[str, ...], *, raw: bool = False) -> None:
        self._writer = csv.writer(out, lineterminator="\n")
        self._out = out
        self._columns = input_columns or DEFAULT_INPUT_COLUMNS
        self._raw = raw
        clash = set(self._columns) & set(CSV_RESULT_COLUMNS)
        self._result_names = tuple(f"result_{c}" if c in clash else c for c in CSV_RESULT_COLUMNS)
        self._row([*self._columns, *self._result_names])

    def _row(self, cells: list[str]) -> None:
        self._writer.writerow(cells if self._raw else [neutralise(c) for c in cells])

    def write(self, result: ScreeningResult, source: PartyRow | None = None) -> None:
        if source is not None and source.record:
            values = [source.record.get(c, "") for c in self._columns]
        else:
            values = _input_values(result, self._columns)
        self._row([*values, *_result_values(result)])

    def close(self) -> None:
        self._out.flush()


class TableWriter:
    """A fixed-width table for people: one line per hit under its party, streamed.

    Widths are display widths (``wcwidth``: a CJK character or an emoji takes two cells),
    so columns stay aligned; control and bidirectional-formatting characters (U+202E
    would reverse the rest of the line) are shown escaped as ``\\u202e``.
    """

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._line([name for name, _ in TABLE_COLUMNS])
        self._line(["-" * width for _, width in TABLE_COLUMNS])

    def _line(self, cells: list[str]) -> None:
        # the last column (the reason) is never cut: it may be an error message
        parts = [fit(cell, width) for cell, (_, width) in zip(cells, TABLE_COLUMNS, strict=True)]
        parts[-1] = cells[-1]
        self._out.write("  ".join(parts).rstrip() + "\n")

    def write(self, result: ScreeningResult, source: PartyRow | None = None) -> None:
        row = "" if result.row is None else str(result.row)
        name = visible(result.name)
        if result.error is not None or not result.hits:
            self._line([row, result.status.value, name, "", "", "", visible(result.error or "")])
            return
        for i, hit in enumerate(result.hits[:TABLE_MAX_HITS]):
            fn = ",".join(str(f.number) for f in hit.footnotes)
            entry = f"{hit.list}:{hit.entry_id.removeprefix(hit.list + ':')}" + (
                f" FN{fn}" if fn else ""
            )
            why = visible(reason(hit))
            if hit.review is not None and hit.review.state != "open":
                # a recorded decision applied to this hit (docs/review.md): say which
                decision = (
                    f" by decision #{hit.review.decision_id}" if hit.review.decision_id else ""
                )
                why = f"[{hit.review.state}{decision}] {why}"
            self._line(
                [
                    row if i == 0 else "",
                    hit.status.value,
                    name if i == 0 else "",
                    visible(hit.matched_name),
                    f"{hit.score:.4f}",
                    entry,
                    why,
                ]
            )
        more = len(result.hits) - TABLE_MAX_HITS
        if more > 0:
            self._line(["", "", "", f"+ {more} more hits", "", "", ""])

    def close(self) -> None:
        self._out.flush()


def make_writer(
    fmt: str, out: TextIO, input_columns: tuple[str, ...] = (), *, raw_csv: bool = False
) -> ResultWriter:
    if fmt == "jsonl":
        return JsonLinesWriter(out)
    if fmt == "csv":
        return CsvWriter(out, input_columns, raw=raw_csv)
    if fmt == "table":
        return TableWriter(out)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def write_jsonl(results: Iterable[ScreeningResult], out: TextIO) -> None:
    _write_all(JsonLinesWriter(out), results)


def write_csv(
    results: Iterable[ScreeningResult],
    out: TextIO,
    input_columns: tuple[str, ...],
    *,
    raw: bool = False,
) -> None:
    _write_all(CsvWriter(out, input_columns, raw=raw), results)


def write_table(results: Iterable[ScreeningResult], out: TextIO) -> None:
    _write_all(TableWriter(out), results)


def render(results: list[ScreeningResult], fmt: str, input_columns: tuple[str, ...] = ()) -> str:
    buffer = io.StringIO()
    _write_all(make_writer(fmt, buffer, input_columns), results)
    return buffer.getvalue()


def _write_all(writer: ResultWriter, results: Iterable[ScreeningResult]) -> None:
    for result in results:
        writer.write(result)
    writer.close()


def reason(hit: Hit) -> str:
    """The aligned words of a hit in one short phrase: ``hauwei~huawei technologies``."""
    parts = []
    for pair in hit.evidence.aligned:
        parts.append(pair.query if pair.query == pair.listed else f"{pair.query}~{pair.listed}")
    return " ".join(parts)


def visible(text: str) -> str:
    """``text`` with control, format (bidi) and unassigned characters escaped."""
    if text.isascii() and text.isprintable():
        return text
    out = []
    for char in text:
        if unicodedata.category(char) in _ESCAPED_CATEGORIES:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def display_width(text: str) -> int:
    return sum(max(wcwidth(char), 0) for char in text)


def fit(text: str, width: int) -> str:
    """``text`` cut (with ``…``) and padded to exactly ``width`` display cells."""
    if display_width(text) <= width:
        return text + " " * (width - display_width(text))
    kept, used = [], 0
    for char in text:
        w = max(wcwidth(char), 0)
        if used + w > width - 1:
            break
        kept.append(char)
        used += w
    return "".join(kept) + "…" + " " * (width - 1 - used)


def _input_values(result: ScreeningResult, columns: tuple[str, ...]) -> list[str]:
    party = result.party
    values: list[str] = []
    for column in columns:
        if column == "name":
            values.append(result.name)
        elif party is None:
            values.append(result.passthrough.get(column, ""))
        elif column == "aliases":
            values.append("|".join(party.aliases))
        elif column in ("id", "country", "address"):
            values.append(getattr(party, column) or "")
        elif column == "type":
            values.append(party.type.value if party.type else "")
        else:
            values.append(party.extra.get(column, ""))
    return values


def _result_values(result: ScreeningResult) -> list[str]:
    top = result.hits[0] if result.hits else None
    hits = "|".join(f"{h.reference}:{h.score:.4f}" for h in result.hits)
    return [
        "" if result.row is None else str(result.row),
        result.status.value,
        result.error or "",
        str(len(result.hits)),
        top.list if top else "",
        top.entry_id if top else "",
        top.listed_name if top else "",
        top.matched_name if top else "",
        f"{top.score:.4f}" if top else "",
        (top.license_requirement or "") if top else "",
        ",".join(str(f.number) for f in top.footnotes) if top else "",
        hits,
        " ".join(s.snapshot_id for s in result.snapshots),
        result.weights_id or "",
        result.library_version,
    ]
