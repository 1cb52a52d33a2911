"""Reader for the trade.gov CSL as JSON: the official bulk file and its compacted copy.

Official ``consolidated.json``: ``{"search_performed_at": ..., "results": [record, ...]}``
where a record uses the CSV field names but ``alt_names``/``programs``/``citizenships``/
``nationalities`` are lists and ``addresses`` is a list of objects
(``address, city, state, postal_code, country``).

Compacted form (data/lists/csl/2026-07-31_compact/screening-list.json): short keys
(``n a s t c e lr lp pg fr u``) with the repeated strings interned in ``tables``; it carries
countries but no street addresses, dates or ids. ``sourceGeneratedAt`` is the publication time.

JSON has no useful physical lines (the compact file is one line), so a ``ReadIssue`` from this
reader gives the 1-based record position in ``line`` and the record path in ``reason``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from compliance.watchlists.entry import Address, ListEntry
from compliance.watchlists.readers._common import (
    ListFormatError,
    decode,
    single_file_snapshot,
)
from compliance.watchlists.readers.csl_fields import (
    CslRecord,
    build_entry,
    is_iso2,
    split_items,
    split_notices,
)
from compliance.watchlists.snapshot import ListSnapshot, ReadIssue

_LEADING_AND = re.compile(r"^and\s+(?=\S)")
_COMPACT_TABLES = {
    "s": "sources",
    "lr": "licenceRequirements",
    "lp": "licencePolicies",
    "pg": "programmes",
    "u": "urls",
}


def is_csl_json(document: object) -> bool:
    """True for the official (``results``) or compacted (``entries`` + ``tables``) CSL JSON."""
    if not isinstance(document, dict):
        return False
    if isinstance(document.get("results"), list):
        return True
    return isinstance(document.get("entries"), list) and isinstance(document.get("tables"), dict)


def read_csl_json(
    path: Path,
    *,
    source: str = "trade.gov-csl",
    label: str = "Consolidated Screening List (trade.gov)",
    is_excerpt: bool = False,
) -> ListSnapshot:
    """Read either CSL JSON form; raises ``ListFormatError`` if the file is neither."""
    data = path.read_bytes()
    try:
        document = json.loads(decode(data))
    except json.JSONDecodeError as exc:
        raise ListFormatError(f"{path.name}: line {exc.lineno}: invalid JSON ({exc.msg})") from None
    if not is_csl_json(document):
        raise ListFormatError(
            f"{path.name}: not CSL JSON (expected an object with 'results', "
            "or 'entries' and 'tables')"
        )
    issues: list[ReadIssue] = []
    if isinstance(document.get("results"), list):
        entries = _read_official(document["results"], path.name, issues)
        published = _timestamp(document.get("search_performed_at"), path.name, issues)
    else:
        entries = _read_compact(document, path.name, issues)
        published = _timestamp(document.get("sourceGeneratedAt"), path.name, issues)
    return single_file_snapshot(
        path,
        data,
        _unique_ids(entries),
        issues,
        source=source,
        label=label,
        is_excerpt=is_excerpt,
        published=published,
    )


def _timestamp(value: object, file: str, issues: list[ReadIssue]) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
    issues.append(
        ReadIssue(
            file=file,
            line=1,
            field="publication time",
            reason=f"unreadable publication time {value!r}: left empty",
            skipped=False,
        )
    )
    return None


def _text(value: object) -> str | None:
    """A scalar JSON value as stripped text; empty, null and containers give ``None``."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _texts(value: object) -> tuple[str, ...]:
    """A JSON list of strings, or a "; "-joined string, as a tuple of stripped strings.

    List items are split like CSV cells too: a few published aliases hold several names
    joined with ";" (e.g. "DJEL;\u00a0Dongfang Jingyuan Electron Limited"), and one keeps the
    Entity List's "and " before a last alias ("and SKB DNIKhTI"): it is removed as in the CSV.
    """
    if isinstance(value, list):
        items = (item for v in value for item in split_items(_text(v)))
        return tuple(_LEADING_AND.sub("", item) for item in items)
    return split_items(_text(value))


def _address(value: object) -> Address | None:
    if not isinstance(value, dict):
        return None
    parts = {k: _text(value.get(k)) for k in ("address", "city", "state", "postal_code")}
    country = _text(value.get("country"))
    if country is not None:
        country = country.upper() if is_iso2(country.upper()) else country
    published = ", ".join(p for p in (*parts.values(), country) if p)
    if not published:
        return None
    return Address(
        street=parts["address"],
        city=parts["city"],
        state=parts["state"],
        postal_code=parts["postal_code"],
        country=country if country and is_iso2(country) else None,
        text=published,
    )


def _read_official(
    results: Sequence[object], file: str, issues: list[ReadIssue]
) -> list[ListEntry]:
    entries: list[ListEntry] = []
    for position, raw in enumerate(results, start=1):
        where = f"results[{position - 1}]"
        if not isinstance(raw, dict):
            issues.append(_not_an_object(file, position, where))
            continue
        name, source_text = _text(raw.get("name")), _text(raw.get("source"))
        if name is None or source_text is None:
            missing = "name" if name is None else "source"
            issues.append(
                ReadIssue(
                    file=file,
                    line=position,
                    field=missing,
                    reason=f"{where}: empty {missing}",
                    skipped=True,
                )
            )
            continue
        raw_addresses = raw.get("addresses")
        addresses = tuple(
            a
            for a in (
                _address(v) for v in (raw_addresses if isinstance(raw_addresses, list) else [])
            )
            if a is not None
        )
        record = CslRecord(
            file=file,
            line=position,
            source=source_text,
            name=name,
            record_id=_text(raw.get("id")) or _text(raw.get("_id")),
            entity_number=_text(raw.get("entity_number")),
            type=_text(raw.get("type")),
            programs=_texts(raw.get("programs")),
            title=_text(raw.get("title")),
            addresses=addresses,
            federal_register_notices=split_notices(_text(raw.get("federal_register_notice"))),
            start_date=_text(raw.get("start_date")),
            end_date=_text(raw.get("end_date")),
            license_requirement=_text(raw.get("license_requirement")),
            license_policy=_text(raw.get("license_policy")),
            remarks=_text(raw.get("remarks")),
            source_list_url=_text(raw.get("source_list_url")),
            source_information_url=_text(raw.get("source_information_url")),
            alt_names=_texts(raw.get("alt_names")),
            citizenships=_texts(raw.get("citizenships")),
            nationalities=_texts(raw.get("nationalities")),
            dates_of_birth=_texts(raw.get("dates_of_birth")),
            places_of_birth=_texts(raw.get("places_of_birth")),
            ids=_id_items(raw.get("ids")),
        )
        entries.append(build_entry(record, issues))
    return entries


def _id_items(value: Any) -> tuple[str, ...]:
    """The JSON ``ids`` as CSV-style items (``"Passport, 836238033, KP"``): a list of
    objects with ``type``/``number``/``country``, or of strings."""
    if not isinstance(value, list):
        return _texts(value)
    items: list[str] = []
    for item in value:
        if isinstance(item, dict):
            parts = [_text(item.get(k)) or "" for k in ("type", "number", "country")]
            items.append(", ".join(parts).rstrip(", "))
        elif isinstance(item, str) and item.strip():
            items.append(item.strip())
    return tuple(items)


def _not_an_object(file: str, position: int, where: str) -> ReadIssue:
    """A list element that is not a JSON object cannot be an entry: skipped, reported."""
    return ReadIssue(file=file, line=position, reason=f"{where}: not an object", skipped=True)


def _read_compact(document: dict[str, Any], file: str, issues: list[ReadIssue]) -> list[ListEntry]:
    tables = document["tables"]
    entries: list[ListEntry] = []
    for position, raw in enumerate(document["entries"], start=1):
        where = f"entries[{position - 1}]"
        if not isinstance(raw, dict):
            issues.append(_not_an_object(file, position, where))
            continue
        looked_up: dict[str, str | None] = {}
        source_unreadable = False
        for key, table_name in _COMPACT_TABLES.items():
            looked_up[key], ok = _lookup(tables, table_name, raw.get(key))
            if not ok:
                source_unreadable = source_unreadable or key == "s"
                issues.append(
                    ReadIssue(
                        file=file,
                        line=position,
                        field=key,
                        reason=f"{where}.{key}: {raw.get(key)!r} is not an index into "
                        f"tables.{table_name}",
                        skipped=key == "s",
                    )
                )
        if source_unreadable:
            continue
        name, source_text = _text(raw.get("n")), looked_up["s"]
        if name is None or source_text is None:
            missing = "n" if name is None else "s"
            issues.append(
                ReadIssue(
                    file=file,
                    line=position,
                    field=missing,
                    reason=f"{where}: empty {'name' if missing == 'n' else 'source'}",
                    skipped=True,
                )
            )
            continue
        countries = _texts(raw.get("c"))
        record = CslRecord(
            file=file,
            line=position,
            source=source_text,
            name=name,
            record_id=None,
            entity_number=_text(raw.get("e")),
            type=_text(raw.get("t")),
            programs=split_items(looked_up["pg"]),
            addresses=tuple(Address(country=c if is_iso2(c) else None, text=c) for c in countries),
            federal_register_notices=split_notices(_text(raw.get("fr"))),
            license_requirement=looked_up["lr"],
            license_policy=looked_up["lp"],
            source_list_url=looked_up["u"],
            alt_names=_texts(raw.get("a")),
        )
        entry = build_entry(record, issues)
        if record.entity_number is None:
            entry = entry.model_copy(update={"entry_id": _content_id(entry)})
        entries.append(entry)
    return entries


def _lookup(tables: dict[str, Any], table_name: str, index: object) -> tuple[str | None, bool]:
    """The interned string at ``index``; ``(None, True)`` when absent, ``ok=False`` if bad."""
    if index is None:
        return None, True
    table = tables.get(table_name)
    if isinstance(index, bool) or not isinstance(index, int) or not isinstance(table, list):
        return None, False
    if not 0 <= index < len(table):
        return None, False
    return _text(table[index]), True


def _content_id(entry: ListEntry) -> str:
    """A stable id for a record the list gives none: hash of what identifies it."""
    key = "\0".join(
        (
            entry.source,
            entry.name,
            "|".join(entry.federal_register_notices),
            "|".join(entry.countries),
            entry.license_requirement or "",
        )
    )
    return f"{entry.source}:{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"


def _unique_ids(entries: list[ListEntry]) -> list[ListEntry]:
    """Make repeated ids unique with a ``#n`` suffix, in file order (deterministic)."""
    seen: dict[str, int] = {}
    out: list[ListEntry] = []
    for entry in entries:
        count = seen.get(entry.entry_id, 0) + 1
        seen[entry.entry_id] = count
        out.append(
            entry
            if count == 1
            else entry.model_copy(update={"entry_id": f"{entry.entry_id}#{count}"})
        )
    return out
