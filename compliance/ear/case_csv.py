"""EAR cases from a CSV file: one case a row, one fact a column.

A column is named by the case path the engine's questions use (``item.eccn``,
``knowledge.onward_to.iran``, ``parties[0].role``, ``bom[2].value``), so the answer to a
question goes in the column that question names. A cell is read as:

* empty: the fact is not known (left out of the case; never read as "no");
* ``[]``: a list known to be empty ("no inputs", "no listed entity");
* ``[a; b]`` (or ``[a, b]``): a list of plain values (footnotes, ECCNs, list names);
* anything else: the text itself, checked by the case model like any YAML or JSON value
  (``3,000.00`` is a number, ``3.000,00`` is an error naming the field).

The header is checked once: a column named twice, an empty name, an index that skips one
(``bom[1]`` without ``bom[0]``), or a name that is both a fact and a group of facts is one
error for the file. Rows are independent: a bad row is an error naming its line and field,
and never loses the good rows. Blank rows are skipped.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from compliance.ear.case import CaseInput, parse_case

_SEGMENT = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<index>[0-9]+)\])?")
_LIST_SPLIT = re.compile(r"[;,]")


class HeaderError(ValueError):
    """The header cannot name case facts; the message names the column."""


@dataclass(frozen=True)
class _Step:
    name: str
    index: int | None


def _steps(column: str) -> tuple[_Step, ...]:
    if not column:
        raise HeaderError("a column has an empty name")
    steps = []
    for part in column.split("."):
        found = _SEGMENT.fullmatch(part)
        if found is None:
            raise HeaderError(
                f"column {column!r}: {part!r} is not a field name, or a name with an index "
                "such as parties[0]"
            )
        index = found.group("index")
        steps.append(_Step(found.group("name"), None if index is None else int(index)))
    return tuple(steps)


def _check_header(columns: list[str]) -> list[tuple[_Step, ...]]:
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            raise HeaderError(f"column {column!r} is named twice")
        seen.add(column)
    paths = [_steps(c) for c in columns]
    keys = [tuple((s.name, s.index) for s in p) for p in paths]
    prefixes = {k[:n] for k in keys for n in range(1, len(k))}
    for column, key in zip(columns, keys, strict=True):
        if key in prefixes:
            raise HeaderError(f"column {column!r} is a group of facts: name one fact in it")
    indexed: dict[tuple[Any, ...], set[int]] = {}
    for key in keys:
        for n, (name, index) in enumerate(key):
            if index is not None:
                indexed.setdefault((*key[:n], name), set()).add(index)
    for where, indexes in indexed.items():
        if indexes != set(range(len(indexes))):
            gap = min(set(range(max(indexes) + 1)) - indexes)
            label = ".".join(str(p[0]) if p[1] is None else f"{p[0]}[{p[1]}]" for p in where[:-1])
            name = f"{label}.{where[-1]}" if label else str(where[-1])
            raise HeaderError(f"columns {name}[...] skip {name}[{gap}]: number them from 0")
    return paths


def _cell(text: str) -> object:
    value = text.strip()
    if value.startswith("[") and value.endswith("]"):
        inner = value[1:-1].strip()
        return [p.strip() for p in _LIST_SPLIT.split(inner)] if inner else []
    return value


def _put(case: dict[str, Any], steps: tuple[_Step, ...], value: object) -> None:
    node: Any = case
    for n, step in enumerate(steps):
        last = n == len(steps) - 1
        if step.index is None:
            if last:
                node[step.name] = value
            else:
                node = node.setdefault(step.name, {})
            continue
        items = node.setdefault(step.name, [])
        while len(items) <= step.index:
            items.append({})
        if last:
            items[step.index] = value
        else:
            node = items[step.index]


def _prune(value: Any) -> Any:
    """Drop list entries whose cells were all empty at the end of a list (``parties[1]`` of a
    row that names one party); an empty entry before a filled one stays, so the model names
    it."""
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_prune(v) for v in value]
        while items and items[-1] == {}:
            items.pop()
        return items
    return value


def read_csv_cases(text: str, name: str) -> list[CaseInput]:
    """The cases of a CSV file (header row first); ``[]`` when it holds no case."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        while header is not None and not any(c.strip() for c in header):
            header = next(reader, None)
        if header is None:
            return []
        columns = [c.strip() for c in header]
        if len(columns) == 1 and columns[0].count(";") > 0:
            return [
                CaseInput(
                    source=f"{name}:{reader.line_num}",
                    error="header: the columns are separated by ';'; CSV case files use commas "
                    "(save the sheet as 'CSV (comma delimited)')",
                )
            ]
        try:
            paths = _check_header(columns)
        except HeaderError as exc:
            return [CaseInput(source=f"{name}:{reader.line_num}", error=f"header: {exc}")]
        out: list[CaseInput] = []
        for row in reader:
            source = f"{name}:{reader.line_num}"
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(columns):
                out.append(
                    CaseInput(
                        source=source,
                        error=f"the row has {len(row)} cells, the header {len(columns)}",
                    )
                )
                continue
            data: dict[str, Any] = {}
            for steps, cell in zip(paths, row, strict=True):
                if cell.strip():
                    _put(data, steps, _cell(cell))
            out.append(parse_case(_prune(data), source))
        return out
    except csv.Error as exc:
        return [CaseInput(source=f"{name}:{reader.line_num}", error=f"not valid CSV: {exc}")]
