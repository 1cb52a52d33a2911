"""Reader for a company's own restricted-party list (format: docs/internal-list-format.md).

A UTF-8 CSV with a header row. ``id`` and ``name`` are required; every other column is
optional. Multi-value cells use ``|``. Entries get the list code ``INTERNAL``.
"""

from __future__ import annotations

from pathlib import Path

from compliance.watchlists.entry import Alias, EntryKind, ListEntry
from compliance.watchlists.readers._common import (
    ListFormatError,
    csv_records,
    decode,
    has_undecodable,
    parse_iso_date,
    repair_cells,
    single_file_snapshot,
    wrong_width,
)
from compliance.watchlists.readers.csl_fields import is_iso2, parse_address
from compliance.watchlists.snapshot import ListSnapshot, ReadIssue

INTERNAL_CODE = "INTERNAL"
REQUIRED = ("id", "name")
OPTIONAL = (
    "aliases",
    "type",
    "countries",
    "addresses",
    "programs",
    "reason",
    "added",
    "expires",
    "url",
)
COLUMNS = REQUIRED + OPTIONAL
SEPARATOR = "|"

_KINDS = {kind.value: kind for kind in EntryKind}


def is_internal_header(header: list[str]) -> bool:
    """True when a header has the required ``id`` and ``name`` columns."""
    names = {h.strip().lstrip("\ufeff").lower() for h in header}
    return all(r in names for r in REQUIRED)


def read_internal_csv(
    path: Path,
    *,
    source: str = "internal",
    label: str = "Internal restricted-party list",
    is_excerpt: bool = False,
) -> ListSnapshot:
    """Read an internal list; raises ``ListFormatError`` when the header lacks ``id``/``name``."""
    data = path.read_bytes()
    text = decode(data)
    file = path.name
    issues: list[ReadIssue] = []
    records = csv_records(text, file=file, issues=issues)
    first = next(records, None)
    if first is None:
        raise ListFormatError(f"{file}: empty file, expected a header with columns id,name")
    header = [h.strip().lstrip("\ufeff").lower() for h in first[1]]
    missing = [r for r in REQUIRED if r not in header]
    if missing:
        raise ListFormatError(
            f"{file}: line {first[0]}: header lacks required column(s) {', '.join(missing)}"
        )
    for name in header:
        if name and name not in COLUMNS:
            issues.append(
                ReadIssue(
                    file=file,
                    line=first[0],
                    field=name,
                    reason=f"unknown column {name!r} ignored (documented: {', '.join(COLUMNS)})",
                    skipped=False,
                )
            )
    check_bytes = has_undecodable(text)
    seen: dict[str, int] = {}
    entries: list[ListEntry] = []
    for line, row in records:
        if len(row) != len(header):
            issues.append(wrong_width(file, line, len(header), len(row), "columns"))
            continue
        if check_bytes:
            row = repair_cells(row, header, file=file, line=line, issues=issues)
        cells = {name: value.strip() for name, value in zip(header, row, strict=True)}
        entry = _entry(cells, label, file=file, line=line, issues=issues)
        if entry is None:
            continue
        if entry.entry_id in seen:
            issues.append(
                ReadIssue(
                    file=file,
                    line=line,
                    field="id",
                    reason=f"id {entry.entry_id!r} repeats line {seen[entry.entry_id]}: "
                    "row left out",
                    skipped=True,
                )
            )
            continue
        seen[entry.entry_id] = line
        entries.append(entry)
    return single_file_snapshot(
        path, data, entries, issues, source=source, label=label, is_excerpt=is_excerpt
    )


def _split(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(dict.fromkeys(p.strip() for p in value.split(SEPARATOR) if p.strip()))


def _entry(
    cells: dict[str, str], label: str, *, file: str, line: int, issues: list[ReadIssue]
) -> ListEntry | None:
    for required in REQUIRED:
        if not cells.get(required):
            issues.append(
                ReadIssue(file=file, line=line, field=required, reason="empty", skipped=True)
            )
            return None

    def report(field: str, reason: str) -> None:
        issues.append(ReadIssue(file=file, line=line, field=field, reason=reason, skipped=False))

    kind: EntryKind | None = None
    if cells.get("type"):
        kind = _KINDS.get(cells["type"].lower())
        if kind is None:
            report("type", f"unknown type {cells['type']!r}: kept the row with no type")
    countries: set[str] = set()
    for code in _split(cells.get("countries")):
        if is_iso2(code.upper()):
            countries.add(code.upper())
        else:
            report("countries", f"{code!r} is not an ISO-2 country code: left out of countries")
    addresses = tuple(parse_address(a) for a in _split(cells.get("addresses")))
    countries.update(a.country for a in addresses if a.country)
    return ListEntry(
        source=INTERNAL_CODE,
        source_name=label,
        entry_id=cells["id"],
        kind=kind,
        name=cells["name"],
        aliases=tuple(Alias(name=a) for a in _split(cells.get("aliases"))),
        addresses=addresses,
        countries=tuple(sorted(countries)),
        programs=_split(cells.get("programs")),
        remarks=cells.get("reason") or None,
        start_date=parse_iso_date(
            cells.get("added"), file=file, line=line, field="added", issues=issues
        ),
        end_date=parse_iso_date(
            cells.get("expires"), file=file, line=line, field="expires", issues=issues
        ),
        source_information_url=cells.get("url") or None,
    )
