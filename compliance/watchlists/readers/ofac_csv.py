"""Reader for OFAC's legacy CSV set: SDN (``sdn.csv`` + ``alt.csv`` + ``add.csv`` +
``sdn_comments.csv``) or Consolidated non-SDN (``cons_prim.csv``, ``cons_alt.csv``,
``cons_add.csv``, ``cons_comments.csv``), joined on ``ent_num``.

Quirks handled (data/lists/SOURCES.md, section 2): no header row, CRLF, a DOS EOF byte
``\\x1a`` at the end, the null value ``-0-`` (with a trailing space), programs joined as
``RUSSIA-EO14024] [SDGT``, remarks cut mid-word and continued in the comments file, and weak
aliases that exist only as ``a.k.a. 'NAME'`` inside the remarks. An alias, address or comment
whose ``ent_num`` has no primary record is reported, never silently dropped. An ``add.csv``
row whose fields are all ``-0-`` is OFAC's way of saying no address is known: it adds none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from compliance.watchlists.entry import Address, Alias, AliasStrength, EntryKind, ListEntry
from compliance.watchlists.readers._common import (
    ListFormatError,
    csv_records,
    decode,
    has_undecodable,
    repair_cells,
    source_file,
    wrong_width,
)
from compliance.watchlists.readers.country_names import country_code, is_known_country_name
from compliance.watchlists.readers.ofac_non_sdn import (
    RULES_FILE,
    non_sdn_list,
    non_sdn_list_name,
)
from compliance.watchlists.readers.person_fields import remark_fields
from compliance.watchlists.snapshot import ListSnapshot, ReadIssue, SourceFile

OFAC_PRIMARY_FILES: tuple[str, ...] = ("sdn.csv", "cons_prim.csv")


@dataclass(frozen=True)
class _Layout:
    primary: str
    aliases: str
    addresses: str
    comments: str
    code: str
    source_name: str
    source: str
    label: str
    list_url: str


_LAYOUTS: dict[str, _Layout] = {
    "sdn": _Layout(
        primary="sdn.csv",
        aliases="alt.csv",
        addresses="add.csv",
        comments="sdn_comments.csv",
        code="SDN",
        source_name="Specially Designated Nationals (SDN) - Treasury Department",
        source="ofac-sdn",
        label="OFAC Specially Designated Nationals and Blocked Persons List (SDN)",
        list_url="https://sanctionslist.ofac.treas.gov/Home/SdnList",
    ),
    "cons": _Layout(
        primary="cons_prim.csv",
        aliases="cons_alt.csv",
        addresses="cons_add.csv",
        comments="cons_comments.csv",
        code="NON-SDN",
        source_name="Consolidated Sanctions List (non-SDN) - Treasury Department",
        source="ofac-consolidated",
        label="OFAC Consolidated Sanctions List (non-SDN lists)",
        list_url="https://sanctionslist.ofac.treas.gov/Home/ConsolidatedList",
    ),
}

_NULL = "-0-"
_KINDS = {
    "individual": EntryKind.INDIVIDUAL,
    "vessel": EntryKind.VESSEL,
    "aircraft": EntryKind.AIRCRAFT,
}
# a.k.a. 'NAME' - the name may itself hold apostrophes ('ABU-'UMAR'), so it ends only at a
# quote followed by ";", by a sentence-ending "." or by the end of the remarks.
_WEAK_ALIAS = re.compile(r"\b([af])\.k\.a\.\s+'(.+?)'(?=\s*(?:;|\.(?:\s|$)|$))")
_NATIONALITY = re.compile(r"\b(?:nationality|citizen)\s+([^;.()]+)")


def read_ofac_csv(
    path: Path | None = None,
    *,
    prefix: str | None = None,
    primary: Path | None = None,
    aliases: Path | None = None,
    addresses: Path | None = None,
    comments: Path | None = None,
    source: str | None = None,
    label: str | None = None,
    is_excerpt: bool = False,
) -> ListSnapshot:
    """Read an OFAC CSV set.

    ``path`` is a directory holding the files or the primary file itself (its siblings are
    found by name); ``prefix`` ("sdn" or "cons") picks the set when a directory holds both.
    Explicit ``primary``/``aliases``/``addresses``/``comments`` paths override the lookup.
    Missing secondary files are allowed (a set may ship ``sdn.csv`` alone).
    """
    layout, files = _resolve(path, prefix, primary, aliases, addresses, comments)
    issues: list[ReadIssue] = []
    provenance: list[SourceFile] = []

    def rows(role: str, width: int, raw: int = -1) -> list[tuple[int, list[str | None]]]:
        file_path = files.get(role)
        if file_path is None:
            return []
        data = file_path.read_bytes()
        provenance.append(source_file(file_path, data))
        return _read_rows(data, file_path.name, width, issues, raw_column=raw)

    primary_rows = rows("primary", 12, raw=11)
    alias_rows = rows("aliases", 5)
    address_rows = rows("addresses", 6)
    comment_rows = rows("comments", 2, raw=1)
    primary_name = files["primary"].name

    records: dict[str, _Primary] = {}
    for line, row in primary_rows:
        record = _primary(row, primary_name, line, issues)
        if record is None:
            continue
        if record.ent_num in records:
            issues.append(
                ReadIssue(
                    file=primary_name,
                    line=line,
                    field="ent_num",
                    reason=f"ent_num {record.ent_num} repeats line "
                    f"{records[record.ent_num].line}: row left out",
                    skipped=True,
                )
            )
            continue
        records[record.ent_num] = record

    def owner(role: str, line: int, ent_num: str | None) -> _Primary | None:
        record = records.get(ent_num) if ent_num else None
        if record is None:
            issues.append(
                ReadIssue(
                    file=files[role].name,
                    line=line,
                    field="ent_num",
                    reason=f"ent_num {ent_num!r} has no record in {primary_name}: row left out",
                    skipped=True,
                )
            )
        return record

    for line, row in comment_rows:
        record = owner("comments", line, row[0])
        if record is not None and row[1]:
            record.overflow.append(row[1])
    for line, row in alias_rows:
        record = owner("aliases", line, row[0])
        if record is None:
            continue
        if not row[3]:
            issues.append(
                ReadIssue(
                    file=files["aliases"].name,
                    line=line,
                    field="alt_name",
                    reason="empty",
                    skipped=True,
                )
            )
            continue
        alias_type = row[2].lower().replace(".", "") if row[2] else None
        record.aliases.append(Alias(name=row[3], alias_type=alias_type))
    for line, row in address_rows:
        record = owner("addresses", line, row[0])
        if record is not None:
            address = _address(row, files["addresses"].name, line, issues)
            if address is not None:
                record.addresses.append(address)

    entries = tuple(_entry(r, layout, issues) for r in records.values())
    return ListSnapshot(
        source=source or layout.source,
        label=label or layout.label,
        files=tuple(provenance),
        entries=entries,
        issues=tuple(sorted(issues, key=lambda i: (i.file, i.line))),
        is_excerpt=is_excerpt,
    )


def _resolve(
    path: Path | None,
    prefix: str | None,
    primary: Path | None,
    aliases: Path | None,
    addresses: Path | None,
    comments: Path | None,
) -> tuple[_Layout, dict[str, Path]]:
    """The layout and the files to read (role -> path), explicit paths taking precedence."""
    if prefix is not None and prefix not in _LAYOUTS:
        raise ListFormatError(f"OFAC prefix must be 'sdn' or 'cons', not {prefix!r}")
    directory: Path | None = None
    if path is not None:
        path = Path(path)
        if path.is_dir():
            directory = path
        else:
            directory = path.parent
            primary = primary or path
    layout = _LAYOUTS[prefix or _guess_prefix(directory, primary)]
    found: dict[str, Path | None] = {
        "primary": primary,
        "aliases": aliases,
        "addresses": addresses,
        "comments": comments,
    }
    if directory is not None:
        for role, given in found.items():
            candidate = directory / getattr(layout, role)
            if given is None and candidate.is_file():
                found[role] = candidate
    files = {role: p for role, p in found.items() if p is not None}
    if "primary" not in files or not files["primary"].is_file():
        where = directory if directory is not None else primary
        raise ListFormatError(f"{where}: no OFAC primary file ({layout.primary}) found")
    return layout, files


def _guess_prefix(directory: Path | None, primary: Path | None) -> str:
    """ "sdn" or "cons" from the primary file's name, or from the one primary in ``directory``."""
    if primary is not None:
        name = primary.name.lower()
        return next((p for p, lay in _LAYOUTS.items() if lay.primary == name), "sdn")
    present = [
        p for p, lay in _LAYOUTS.items() if directory and (directory / lay.primary).is_file()
    ]
    if len(present) > 1:
        raise ListFormatError(
            f"{directory}: holds both sdn.csv and cons_prim.csv; pass prefix='sdn' or 'cons', "
            "or the primary file itself"
        )
    if not present:
        raise ListFormatError(
            f"{directory}: no OFAC primary file ({' or '.join(OFAC_PRIMARY_FILES)}) found"
        )
    return present[0]


def _read_rows(
    data: bytes, file: str, width: int, issues: list[ReadIssue], *, raw_column: int = -1
) -> list[tuple[int, list[str | None]]]:
    """Rows of one headerless OFAC file with ``-0-`` turned into ``None``.

    Cells are stripped except ``raw_column``: remarks are cut mid-text and continued in the
    comments file, so a space at either side of the cut is part of the text.
    """
    text = decode(data).rstrip("\x1a")
    check_bytes = has_undecodable(text)
    columns = [f"column {position + 1}" for position in range(width)]  # headerless files
    out: list[tuple[int, list[str | None]]] = []
    for line, row in csv_records(text, file=file, issues=issues):
        if len(row) != width:
            issues.append(wrong_width(file, line, width, len(row), "columns"))
            continue
        if check_bytes:
            row = repair_cells(row, columns, file=file, line=line, issues=issues)
        values: list[str | None] = []
        for position, cell in enumerate(row):
            stripped = cell.strip()
            if stripped in ("", _NULL):
                values.append(None)
            else:
                values.append(cell if position == raw_column else stripped)
        out.append((line, values))
    return out


@dataclass
class _Primary:
    line: int
    ent_num: str
    name: str
    kind: EntryKind | None
    programs: tuple[str, ...]
    title: str | None
    remarks: str | None
    aliases: list[Alias]
    addresses: list[Address]
    overflow: list[str]


def _primary(
    row: list[str | None], file: str, line: int, issues: list[ReadIssue]
) -> _Primary | None:
    ent_num, name, sdn_type, program, title = row[0], row[1], row[2], row[3], row[4]
    if ent_num is None or not ent_num.isdigit():
        issues.append(
            ReadIssue(
                file=file,
                line=line,
                field="ent_num",
                reason=f"ent_num {ent_num!r} is not a number: row left out",
                skipped=True,
            )
        )
        return None
    if name is None:
        issues.append(
            ReadIssue(file=file, line=line, field="SDN_Name", reason="empty", skipped=True)
        )
        return None
    kind: EntryKind | None = EntryKind.ENTITY
    if sdn_type is not None:
        kind = _KINDS.get(sdn_type.lower())
        if kind is None:
            issues.append(
                ReadIssue(
                    file=file,
                    line=line,
                    field="SDN_Type",
                    reason=f"unknown type {sdn_type!r}: kept the row with no type",
                    skipped=False,
                )
            )
    return _Primary(
        line=line,
        ent_num=ent_num,
        name=name,
        kind=kind,
        programs=split_programs(program),
        title=title,
        remarks=row[11],
        aliases=[],
        addresses=[],
        overflow=[],
    )


def split_programs(value: str | None) -> tuple[str, ...]:
    """``"RUSSIA-EO14024] [SDGT"`` -> ``("RUSSIA-EO14024", "SDGT")``."""
    if not value:
        return ()
    parts = (p.strip().strip("[]").strip() for p in value.split("] ["))
    return tuple(dict.fromkeys(p for p in parts if p))


def weak_aliases(remarks: str | None) -> tuple[Alias, ...]:
    """Weak aliases written in the remarks as ``a.k.a. 'NAME'`` (or ``f.k.a. 'NAME'``)."""
    if not remarks:
        return ()
    found: dict[tuple[str, str], Alias] = {}
    for match in _WEAK_ALIAS.finditer(remarks):
        alias_type = f"{match.group(1)}ka"
        name = match.group(2).strip()
        if name:
            found.setdefault(
                (name, alias_type),
                Alias(name=name, strength=AliasStrength.WEAK, alias_type=alias_type),
            )
    return tuple(found.values())


def _address(
    row: list[str | None], file: str, line: int, issues: list[ReadIssue]
) -> Address | None:
    street, locality, country_name, remarks = row[2], row[3], row[4], row[5]
    published = ", ".join(p for p in (street, locality, country_name) if p)
    if remarks:
        published = f"{published} ({remarks})" if published else remarks
    if not published:
        return None
    code = country_code(country_name)
    if country_name is not None and not is_known_country_name(country_name):
        issues.append(
            ReadIssue(
                file=file,
                line=line,
                field="country",
                reason=f"country {country_name!r} has no ISO-2 mapping: kept as text only",
                skipped=False,
            )
        )
    return Address(street=street, city=locality, country=code, text=published)


def _nationalities(remarks: str | None) -> set[str]:
    codes: set[str] = set()
    for match in _NATIONALITY.finditer(remarks or ""):
        code = country_code(match.group(1))
        if code is not None:
            codes.add(code)
    return codes


def _entry(record: _Primary, layout: _Layout, issues: list[ReadIssue]) -> ListEntry:
    remarks = "".join([record.remarks or "", *record.overflow]).strip() or None
    countries = {a.country for a in record.addresses if a.country}
    nationalities = _nationalities(remarks)
    countries |= nationalities
    dates, places, ids = remark_fields(remarks)
    code, source_name = layout.code, layout.source_name
    if layout.primary == "cons_prim.csv":  # one file, several lists: told apart by program
        found = non_sdn_list(record.programs, remarks)
        if found is None:
            issues.append(
                ReadIssue(
                    file=layout.primary,
                    line=record.line,
                    field="Program",
                    reason=f"programs {list(record.programs)} name no known non-SDN list "
                    f"(lists/{RULES_FILE}): kept as {layout.code}",
                    skipped=False,
                )
            )
        else:
            code, source_name = found, non_sdn_list_name(found) or source_name
    return ListEntry(
        source=code,
        source_name=source_name,
        entry_id=f"{layout.code}:{record.ent_num}",
        kind=record.kind,
        name=record.name,
        aliases=(*record.aliases, *weak_aliases(remarks)),
        addresses=tuple(record.addresses),
        countries=tuple(sorted(countries)),
        programs=record.programs,
        title=record.title,
        remarks=remarks,
        source_list_url=layout.list_url,
        birth_dates=dates,
        places_of_birth=places,
        nationalities=tuple(sorted(nationalities)),
        identifiers=ids,
    )
