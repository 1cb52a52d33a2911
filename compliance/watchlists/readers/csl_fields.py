"""The conventions of the trade.gov Consolidated Screening List fields, shared by its CSV and JSON.

Everything here is a small pure function from a published value to typed values; the readers
deal with files, rows and issues. Format notes: data/lists/SOURCES.md, section 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compliance.watchlists.entry import Address, Alias, EntryKind, ListEntry
from compliance.watchlists.footnotes import footnotes_for
from compliance.watchlists.readers._common import parse_iso_date
from compliance.watchlists.readers.person_fields import birth_dates, csl_identifiers
from compliance.watchlists.snapshot import ReadIssue

_CODE = re.compile(r"\(([A-Z][A-Za-z0-9-]*)(?: List)?\)")
# "; " separates items; the Entity List writes "; and " before the last one.
_ITEM_SEPARATOR = re.compile(r";\s+(?:and\s+)?")
_ISO2 = re.compile(r"[A-Z]{2}")
_POSTAL = re.compile(r"(?=[^,]*\d)[A-Z0-9][A-Z0-9 -]{1,9}", re.IGNORECASE)
_FR_CITE = re.compile(r"\bF\.?\s?R\b")
_NOTICE_SEPARATOR = re.compile(r"[,;]\s+")

ENTITY_LIST = "EL"

_KINDS = {
    "individual": EntryKind.INDIVIDUAL,
    "entity": EntryKind.ENTITY,
    "vessel": EntryKind.VESSEL,
    "aircraft": EntryKind.AIRCRAFT,
}


def list_code(source: str) -> str:
    """Short list code from the CSL ``source`` text.

    "Entity List (EL) - Bureau of Industry and Security" -> "EL";
    "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department" -> "NS-MBS".
    A source without a parenthesised code keeps its full text as the code.
    """
    match = _CODE.search(source)
    return match.group(1) if match else source.strip()


def split_items(text: str | None) -> tuple[str, ...]:
    """Split a CSL multi-value field on "; " (and the Entity List's "; and ").

    Any whitespace after the semicolon counts (a few aliases are joined with ";" + no-break
    space); a stray trailing ";" is dropped. Repeats are kept: the published list is kept as is.
    """
    if not text:
        return ()
    if ";" not in text:
        stripped = text.strip()
        return (stripped,) if stripped else ()
    parts = (part.strip().rstrip(";").rstrip() for part in _ITEM_SEPARATOR.split(text))
    return tuple(part for part in parts if part)


def split_programs(text: str | None) -> tuple[str, ...]:
    return split_items(text)


def split_notices(text: str | None) -> tuple[str, ...]:
    """Federal Register citations: "84 FR 22961, 85 FR 29852" (or "; ") -> two citations.

    A comma-separated piece that names no "FR"/"F.R." continues the previous citation, so
    "82 F.R. 16788, 16789 4/6/2017" and "Vol. 88, No. 151, 08/08/2023" stay whole.
    """
    if not text or not text.strip():
        return ()
    notices: list[str] = []
    for piece in _NOTICE_SEPARATOR.split(text.strip()):
        piece = piece.strip()
        if not piece:
            continue
        if notices and not _FR_CITE.search(piece):
            notices[-1] = f"{notices[-1]}, {piece}"
        else:
            notices.append(piece)
    return tuple(notices)


def parse_address(text: str) -> Address:
    """One CSL address "street, city, state, postal, CC" whose empty parts were dropped.

    Only the trailing ISO-2 country and a postal code before it are reliable; of the rest the
    last part becomes ``city`` and anything before it ``street`` (state cannot be told apart
    from city). Text not ending in an ISO-2 code is kept in ``text`` alone. The published
    text is always kept in ``text`` and is what an auditor should read.
    """
    text = text.strip()
    if _ISO2.fullmatch(text):
        return Address(country=text, text=text)
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts or not _ISO2.fullmatch(parts[-1]):
        # Without the trailing code the layout is not the CSL's: keep the text, guess nothing.
        return Address(text=text)
    country = parts.pop()
    postal = parts.pop() if len(parts) > 1 and _POSTAL.fullmatch(parts[-1]) else None
    city = parts.pop() if parts else None
    street = ", ".join(parts) or None
    return Address(street=street, city=city, postal_code=postal, country=country, text=text)


def parse_addresses(text: str | None) -> tuple[Address, ...]:
    return tuple(parse_address(item) for item in split_items(text))


def parse_kind(value: str | None) -> EntryKind | None:
    """``Individual``/``Entity``/``Vessel``/``Aircraft``; empty (BIS, State rows) -> ``None``.

    Raises ``ValueError`` for any other value so the caller can report it.
    """
    if value is None or not value.strip():
        return None
    kind = _KINDS.get(value.strip().lower())
    if kind is None:
        raise ValueError(f"unknown type {value!r}")
    return kind


def is_iso2(value: str) -> bool:
    return _ISO2.fullmatch(value) is not None


@dataclass
class CslRecord:
    """One CSL record with its multi-value fields already split (CSV or JSON alike)."""

    file: str
    line: int
    source: str
    name: str
    record_id: str | None = None
    entity_number: str | None = None
    type: str | None = None
    programs: tuple[str, ...] = ()
    title: str | None = None
    addresses: tuple[Address, ...] = ()
    federal_register_notices: tuple[str, ...] = ()
    start_date: str | None = None
    end_date: str | None = None
    license_requirement: str | None = None
    license_policy: str | None = None
    remarks: str | None = None
    source_list_url: str | None = None
    source_information_url: str | None = None
    alt_names: tuple[str, ...] = ()
    citizenships: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    dates_of_birth: tuple[str, ...] = ()
    places_of_birth: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    extra_countries: tuple[str, ...] = field(default=())


def build_entry(record: CslRecord, issues: list[ReadIssue]) -> ListEntry:
    """The ``ListEntry`` for one CSL record; repairs are reported in ``issues``."""
    code = list_code(record.source)
    try:
        kind = parse_kind(record.type)
    except ValueError as exc:
        issues.append(
            ReadIssue(
                file=record.file,
                line=record.line,
                field="type",
                reason=f"{exc}: kept the row with no type",
                skipped=False,
            )
        )
        kind = None
    countries: set[str] = {a.country for a in record.addresses if a.country}
    countries.update(record.extra_countries)
    nationalities: set[str] = set()
    for field_name, values in (
        ("citizenships", record.citizenships),
        ("nationalities", record.nationalities),
    ):
        for value in values:
            if is_iso2(value):
                countries.add(value)
                nationalities.add(value)
            else:
                issues.append(
                    ReadIssue(
                        file=record.file,
                        line=record.line,
                        field=field_name,
                        reason=f"{value!r} is not an ISO-2 country code: not added to countries",
                        skipped=False,
                    )
                )
    entry_id = record.record_id or (
        f"{code}:{record.entity_number}" if record.entity_number else f"{code}:line{record.line}"
    )
    return ListEntry(
        source=code,
        source_name=record.source.strip(),
        entry_id=entry_id,
        kind=kind,
        name=record.name,
        aliases=tuple(Alias(name=a) for a in record.alt_names),
        addresses=record.addresses,
        countries=tuple(sorted(countries)),
        programs=record.programs,
        title=record.title,
        remarks=record.remarks,
        license_requirement=record.license_requirement,
        license_policy=record.license_policy,
        footnotes=footnotes_for(record.license_requirement) if code == ENTITY_LIST else (),
        federal_register_notices=record.federal_register_notices,
        start_date=parse_iso_date(
            record.start_date, file=record.file, line=record.line, field="start_date", issues=issues
        ),
        end_date=parse_iso_date(
            record.end_date, file=record.file, line=record.line, field="end_date", issues=issues
        ),
        source_list_url=record.source_list_url,
        source_information_url=record.source_information_url,
        birth_dates=tuple(dict.fromkeys(d for v in record.dates_of_birth for d in birth_dates(v))),
        places_of_birth=record.places_of_birth,
        nationalities=tuple(sorted(nationalities)),
        identifiers=csl_identifiers(record.ids),
    )
