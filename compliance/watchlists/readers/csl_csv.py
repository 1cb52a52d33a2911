"""Reader for the official 29-column trade.gov Consolidated Screening List CSV.

Columns are found by header name, so the 2022 file, the 2025 format and the 2026 re-laid
CSV read alike. A bad row becomes a ``ReadIssue`` (file, physical line, field, reason) and
reading goes on: one bad row never costs the good ones.
"""

from __future__ import annotations

from pathlib import Path

from compliance.watchlists.entry import ListEntry
from compliance.watchlists.readers._common import (
    ListFormatError,
    csv_records,
    decode,
    has_undecodable,
    repair_cells,
    single_file_snapshot,
    wrong_width,
)
from compliance.watchlists.readers.csl_fields import (
    CslRecord,
    build_entry,
    parse_addresses,
    split_items,
    split_notices,
    split_programs,
)
from compliance.watchlists.snapshot import ListSnapshot, ReadIssue

CSL_COLUMNS: tuple[str, ...] = (
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
)
REQUIRED_COLUMNS = frozenset({"source", "name"})


def is_csl_header(header: list[str]) -> bool:
    """True when a CSV header is the CSL's (all required columns, mostly CSL names)."""
    names = {h.strip().lstrip("\ufeff") for h in header}
    return names >= REQUIRED_COLUMNS and len(names & set(CSL_COLUMNS)) >= 10


def read_csl_csv(
    path: Path,
    *,
    source: str = "trade.gov-csl",
    label: str = "Consolidated Screening List (trade.gov)",
    is_excerpt: bool = False,
) -> ListSnapshot:
    """Read a CSL CSV file into a snapshot; raises ``ListFormatError`` if it is not one."""
    data = path.read_bytes()
    entries, issues = parse_csl_csv_text(decode(data), file=path.name)
    return single_file_snapshot(
        path, data, entries, issues, source=source, label=label, is_excerpt=is_excerpt
    )


def parse_csl_csv_text(text: str, *, file: str) -> tuple[list[ListEntry], list[ReadIssue]]:
    """Entries and issues from CSL CSV text; ``file`` names the file in every issue."""
    issues: list[ReadIssue] = []
    records = csv_records(text, file=file, issues=issues)
    first = next(records, None)
    if first is None:
        raise ListFormatError(f"{file}: empty file, expected a CSL CSV header")
    header_line, raw_header = first
    header = [h.strip().lstrip("\ufeff") for h in raw_header]
    if not is_csl_header(header):
        raise ListFormatError(
            f"{file}: line {header_line}: not a Consolidated Screening List header "
            f"(needs columns {sorted(REQUIRED_COLUMNS)} among the CSL's 29)"
        )
    width = len(header)
    index = {name: i for i, name in enumerate(header)}
    positions = [index.get(name, width) for name in _FIELDS]
    check_bytes = has_undecodable(text)
    entries: list[ListEntry] = []
    for line, row in records:
        if len(row) != width:
            issues.append(wrong_width(file, line, width, len(row), "columns"))
            continue
        if check_bytes:
            row = repair_cells(row, header, file=file, line=line, issues=issues)
        entry = _row_to_entry(row, positions, file=file, line=line, issues=issues)
        if entry is not None:
            entries.append(entry)
    return entries, issues


_FIELDS: tuple[str, ...] = (
    "name",
    "source",
    "_id",
    "entity_number",
    "type",
    "programs",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "license_requirement",
    "license_policy",
    "remarks",
    "source_list_url",
    "source_information_url",
    "alt_names",
    "citizenships",
    "nationalities",
    "dates_of_birth",
    "places_of_birth",
    "ids",
)


def _row_to_entry(
    row: list[str], positions: list[int], *, file: str, line: int, issues: list[ReadIssue]
) -> ListEntry | None:
    """``positions`` maps ``_FIELDS`` to columns; a missing column points past the row end."""
    row.append("")
    (
        name,
        source,
        record_id,
        entity_number,
        kind,
        programs,
        title,
        addresses,
        notices,
        start_date,
        end_date,
        requirement,
        policy,
        remarks,
        list_url,
        information_url,
        alt_names,
        citizenships,
        nationalities,
        dates_of_birth,
        places_of_birth,
        ids,
    ) = [row[i].strip() or None for i in positions]
    if name is None or source is None:
        column = "name" if name is None else "source"
        issues.append(ReadIssue(file=file, line=line, field=column, reason="empty", skipped=True))
        return None
    record = CslRecord(
        file=file,
        line=line,
        source=source,
        name=name,
        record_id=record_id,
        entity_number=entity_number,
        type=kind,
        programs=split_programs(programs),
        title=title,
        addresses=parse_addresses(addresses),
        federal_register_notices=split_notices(notices),
        start_date=start_date,
        end_date=end_date,
        license_requirement=requirement,
        license_policy=policy,
        remarks=remarks,
        source_list_url=list_url,
        source_information_url=information_url,
        alt_names=split_items(alt_names),
        citizenships=split_items(citizenships),
        nationalities=split_items(nationalities),
        dates_of_birth=split_items(dates_of_birth),
        places_of_birth=split_items(places_of_birth),
        ids=split_items(ids),
    )
    return build_entry(record, issues)
