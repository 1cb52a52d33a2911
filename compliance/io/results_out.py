"""Write screening results as JSON Lines, CSV or a human-readable table.

Output is a pure function of the results: the same results always give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any, TextIO

from compliance.io.parties import PERSON_COLUMNS
from compliance.screening.results import ScreeningResult

FORMATS = ("jsonl", "csv", "table")

#: Columns the CSV writer adds after the input's own columns.
CSV_RESULT_COLUMNS = (
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


def result_record(result: ScreeningResult) -> dict[str, Any]:
    """The JSON Lines record of one result: ``name``, ``status`` and ``hits`` first."""
    party = result.party
    record: dict[str, Any] = {
        "row": result.row,
        "id": party.id if party else None,
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
    passthrough = result.passthrough or (party.extra if party is not None else {})
    if passthrough:
        record["input"] = dict(passthrough)
    record["thresholds"] = result.thresholds.model_dump(mode="json")
    record["snapshots"] = [s.model_dump(mode="json") for s in result.snapshots]
    record["weights_id"] = result.weights_id
    record["library_version"] = result.library_version
    return record


def write_jsonl(results: Iterable[ScreeningResult], out: TextIO) -> None:
    for result in results:
        out.write(json.dumps(result_record(result), ensure_ascii=False, separators=(",", ":")))
        out.write("\n")


def write_csv(
    results: Iterable[ScreeningResult], out: TextIO, input_columns: tuple[str, ...]
) -> None:
    """One CSV row per input row: the input's columns, then the result columns."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*input_columns, *CSV_RESULT_COLUMNS])
    for result in results:
        writer.writerow([*_input_values(result, input_columns), *_result_values(result)])


def write_table(results: Iterable[ScreeningResult], out: TextIO) -> None:
    """A fixed-width table for people at a terminal; one line per hit under its party."""
    rows: list[tuple[str, str, str, str, str, str]] = []
    for result in results:
        row = "" if result.row is None else str(result.row)
        if result.error is not None:
            rows.append((row, result.status.value, _cut(result.name, 40), "", "", result.error))
            continue
        if not result.hits:
            rows.append((row, result.status.value, _cut(result.name, 40), "", "", ""))
            continue
        for i, hit in enumerate(result.hits):
            fn = ",".join(str(f.number) for f in hit.footnotes)
            detail = hit.reference + (f" FN{fn}" if fn else "")
            if len(hit.listings) > 1:
                detail += " also " + ", ".join(x.reference for x in hit.listings[1:])
            rows.append(
                (
                    row if i == 0 else "",
                    hit.status.value,
                    _cut(result.name, 40) if i == 0 else "",
                    _cut(hit.matched_name, 48),
                    f"{hit.score:.4f}",
                    detail,
                )
            )
    header = ("row", "status", "party", "matched list name", "score", "list entry")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for line in [header, *rows]:
        out.write("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())
        out.write("\n")


def render(results: list[ScreeningResult], fmt: str, input_columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    if fmt == "jsonl":
        write_jsonl(results, buffer)
    elif fmt == "csv":
        write_csv(results, buffer, input_columns)
    elif fmt == "table":
        write_table(results, buffer)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return buffer.getvalue()


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
        elif column in ("id", "country", "address", *PERSON_COLUMNS):
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


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
