"""Reader for the BIS Denied Persons List file ``dpl.txt`` (15 CFR part 764, Supp. No. 2 orders).

Tab-separated, every field double-quoted, header ``Name, Street_Address, City, State, Country,
Postal_Code, Effective_Date, Expiration_Date, Standard_Order, Last_Update, Action,
FR_Citation``; dates ``MM/DD/YYYY``. The file has one row per denial order or Federal Register
notice, so a person can appear on several rows: each row stays its own entry, because each
carries its own order dates and citation. The list has no aliases.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from compliance.watchlists.entry import Address, ListEntry
from compliance.watchlists.readers._common import (
    ListFormatError,
    csv_records,
    decode,
    has_undecodable,
    parse_us_date,
    repair_cells,
    single_file_snapshot,
    wrong_width,
)
from compliance.watchlists.readers.csl_fields import is_iso2
from compliance.watchlists.snapshot import ListSnapshot, ReadIssue

DPL_COLUMNS: tuple[str, ...] = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
)
DPL_CODE = "DPL"
DPL_SOURCE_NAME = "Denied Persons List (DPL) - Bureau of Industry and Security"
DPL_URL = "https://www.bis.gov/licensing/end-user-guidance/denied-persons-list-dpl"

# Citations are written one after another: "68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06".
_NEXT_CITATION = re.compile(r"\s+(?=\d+\s*F\.?\s?R\.?\s)")


def is_dpl_header(header: list[str]) -> bool:
    names = [h.strip().lstrip("\ufeff") for h in header]
    return names[:2] == ["Name", "Street_Address"] and "Effective_Date" in names


def read_dpl_txt(
    path: Path,
    *,
    source: str = "bis-dpl",
    label: str = "BIS Denied Persons List",
    is_excerpt: bool = False,
) -> ListSnapshot:
    """Read ``dpl.txt``; raises ``ListFormatError`` when the header is not the DPL's."""
    data = path.read_bytes()
    text = decode(data)
    file = path.name
    issues: list[ReadIssue] = []
    records = csv_records(text, file=file, issues=issues, delimiter="\t")
    first = next(records, None)
    if first is None or not is_dpl_header(first[1]):
        raise ListFormatError(
            f"{file}: line 1: not a Denied Persons List header ({', '.join(DPL_COLUMNS[:3])}, ...)"
        )
    header = [h.strip().lstrip("\ufeff") for h in first[1]]
    index = {name: i for i, name in enumerate(header)}
    missing = [c for c in DPL_COLUMNS if c not in index]
    if missing:
        raise ListFormatError(f"{file}: line 1: header lacks {', '.join(missing)}")
    check_bytes = has_undecodable(text)
    entries: list[ListEntry] = []
    seen: dict[str, int] = {}
    for number, raw_cells in records:
        if len(raw_cells) != len(header):
            issues.append(
                wrong_width(file, number, len(header), len(raw_cells), "tab-separated fields")
            )
            continue
        cells = [c.strip() for c in raw_cells]
        if check_bytes:
            cells = repair_cells(cells, header, file=file, line=number, issues=issues)
        row = {name: (cells[i] or None) for name, i in index.items()}
        entry = _entry(row, file=file, line=number, issues=issues)
        if entry is None:
            continue
        count = seen.get(entry.entry_id, 0) + 1
        seen[entry.entry_id] = count
        if count > 1:
            entry = entry.model_copy(update={"entry_id": f"{entry.entry_id}#{count}"})
        entries.append(entry)
    return single_file_snapshot(
        path, data, entries, issues, source=source, label=label, is_excerpt=is_excerpt
    )


def split_citations(text: str | None) -> tuple[str, ...]:
    """``"68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06"`` -> the two citations."""
    if not text:
        return ()
    return tuple(p.strip(" ,;") for p in _NEXT_CITATION.split(text.strip()) if p.strip(" ,;"))


def _entry(
    row: dict[str, str | None], *, file: str, line: int, issues: list[ReadIssue]
) -> ListEntry | None:
    name = row["Name"]
    if name is None:
        issues.append(ReadIssue(file=file, line=line, field="Name", reason="empty", skipped=True))
        return None
    country = row["Country"]
    if country is not None and not is_iso2(country):
        issues.append(
            ReadIssue(
                file=file,
                line=line,
                field="Country",
                reason=f"{country!r} is not an ISO-2 country code: kept as address text only",
                skipped=False,
            )
        )
    parts = (row["Street_Address"], row["City"], row["State"], row["Postal_Code"], country)
    published = ", ".join(p for p in parts if p)
    addresses: tuple[Address, ...] = ()
    if published:
        addresses = (
            Address(
                street=row["Street_Address"],
                city=row["City"],
                state=row["State"],
                postal_code=row["Postal_Code"],
                country=country if country and is_iso2(country) else None,
                text=published,
            ),
        )
    notices = split_citations(row["FR_Citation"])
    key = "\0".join((name, row["Effective_Date"] or "", "|".join(notices)))
    remarks = "; ".join(
        f"{label}: {row[column]}"
        for label, column in (("Action", "Action"), ("Standard order", "Standard_Order"))
        if row[column]
    )
    return ListEntry(
        source=DPL_CODE,
        source_name=DPL_SOURCE_NAME,
        entry_id=f"{DPL_CODE}:{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}",
        name=name,
        addresses=addresses,
        countries=tuple(a.country for a in addresses if a.country),
        remarks=remarks or None,
        federal_register_notices=notices,
        start_date=parse_us_date(
            row["Effective_Date"], file=file, line=line, field="Effective_Date", issues=issues
        ),
        end_date=parse_us_date(
            row["Expiration_Date"], file=file, line=line, field="Expiration_Date", issues=issues
        ),
        source_list_url=DPL_URL,
    )
