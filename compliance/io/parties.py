"""Read counterparties from CSV, JSON or JSON Lines into ``Party`` objects, row by row.

A bad row becomes a ``PartyRow`` with an error naming the row and field; it never stops the
batch and is never dropped, so every input row gets exactly one output record.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from compliance.screening.persons import parse_dob
from compliance.screening.results import Party, PartyType

#: Person fields (``Party`` has the same names): compared with what the lists publish.
PERSON_COLUMNS = ("dob", "nationality", "place_of_birth", "id_number")

#: Columns with a meaning; every other column is passed through unchanged.
KNOWN_COLUMNS = ("name", "id", "country", "address", "type", "aliases", *PERSON_COLUMNS)
#: How aliases are separated inside one CSV cell.
ALIAS_SEPARATOR = "|"


class InputError(Exception):
    """The input as a whole cannot be read (missing file, no header, no ``name`` column)."""


class PartyRow(BaseModel):
    """One input record: the party, or the reason it could not be built."""

    model_config = ConfigDict(frozen=True)

    row: int
    party: Party | None
    name: str
    error: str | None = None
    passthrough: dict[str, str] = {}


def read_parties(path: Path) -> Iterator[PartyRow]:
    """Yield one ``PartyRow`` per record of a ``.csv``, ``.json`` or ``.jsonl`` file."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if suffix in (".jsonl", ".ndjson"):
        yield from _read_jsonl(path)
    elif suffix == ".json":
        yield from _read_json(path)
    else:
        yield from _read_csv(path)


def party_from_fields(fields: dict[str, Any], row: int) -> PartyRow:
    """Build a ``PartyRow`` from one record's fields (keys already lower-cased)."""
    passthrough = {
        k: "" if v is None else str(v) for k, v in fields.items() if k not in KNOWN_COLUMNS
    }
    raw_name = fields.get("name")
    name = "" if raw_name is None else str(raw_name).strip()
    problems: list[str] = []
    if not name:
        problems.append("field 'name': empty")
    dob = _clean(fields.get("dob"))
    if dob is not None and parse_dob(dob) is None:
        problems.append(f"field 'dob': {dob!r} is not YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY")
    raw_type = _clean(fields.get("type"))
    party_type: PartyType | None = None
    if raw_type is not None:
        lowered = raw_type.lower()
        aliases_of_type = {"company": "entity", "organization": "entity", "person": "individual"}
        lowered = aliases_of_type.get(lowered, lowered)
        try:
            party_type = PartyType(lowered)
        except ValueError:
            problems.append(f"field 'type': {raw_type!r} is not 'entity' or 'individual'")
    aliases_value = fields.get("aliases")
    if isinstance(aliases_value, list):
        aliases = tuple(str(a).strip() for a in aliases_value if str(a).strip())
    else:
        text = _clean(aliases_value)
        aliases = tuple(a.strip() for a in text.split(ALIAS_SEPARATOR) if a.strip()) if text else ()
    if problems:
        return PartyRow(
            row=row, party=None, name=name, error="; ".join(problems), passthrough=passthrough
        )
    try:
        party = Party(
            name=name,
            id=_clean(fields.get("id")),
            aliases=aliases,
            country=_clean(fields.get("country")),
            address=_clean(fields.get("address")),
            type=party_type,
            dob=_clean(fields.get("dob")),
            nationality=_clean(fields.get("nationality")),
            place_of_birth=_clean(fields.get("place_of_birth")),
            id_number=_clean(fields.get("id_number")),
            extra=passthrough,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return PartyRow(
            row=row,
            party=None,
            name=name,
            error=f"field '{where}': {first['msg']}",
            passthrough=passthrough,
        )
    return PartyRow(row=row, party=party, name=name, passthrough=passthrough)


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _read_csv(path: Path) -> Iterator[PartyRow]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"{path}: {exc}") from exc
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: empty file, expected a header row with 'name'") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: line 1: {exc}") from exc
        columns = [h.strip().lower() for h in header]
        if "name" not in columns:
            raise InputError(f"{path}: line 1: header has no 'name' column (found {header})")
        while True:
            line = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                yield PartyRow(row=line, party=None, name="", error=f"unreadable row: {exc}")
                continue
            if not any(v.strip() for v in values):
                continue  # a blank line is not a record
            if len(values) != len(columns):
                fields = dict(zip(columns, values, strict=False))
                yield PartyRow(
                    row=line,
                    party=None,
                    name=(fields.get("name") or "").strip(),
                    error=f"expected {len(columns)} fields, found {len(values)}",
                )
                continue
            yield party_from_fields(dict(zip(columns, values, strict=True)), line)


def _read_jsonl(path: Path) -> Iterator[PartyRow]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            yield _from_json_value(text, number)


def _read_json(path: Path) -> Iterator[PartyRow]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON array of party objects")
    for number, item in enumerate(data, start=1):
        yield _from_object(item, number)


def _from_json_value(text: str, number: int) -> PartyRow:
    try:
        item = json.loads(text)
    except json.JSONDecodeError as exc:
        return PartyRow(row=number, party=None, name="", error=f"not valid JSON: {exc.msg}")
    return _from_object(item, number)


def _from_object(item: Any, number: int) -> PartyRow:
    if not isinstance(item, dict):
        return PartyRow(row=number, party=None, name="", error="expected a JSON object")
    return party_from_fields({str(k).lower(): v for k, v in item.items()}, number)
