"""Reader for the UN Security Council Consolidated List XML (``consolidated.xml``).

``<CONSOLIDATED_LIST dateGenerated=...>`` holds ``<INDIVIDUALS>`` and ``<ENTITIES>``. Names of
individuals are ``FIRST_NAME`` ... ``FOURTH_NAME`` in the order the list gives them (not
surname first); ``NAME_ORIGINAL_SCRIPT`` (Arabic, Cyrillic, Korean ...) is kept as an alias.
Alias quality ``Good`` / ``a.k.a.`` / ``f.k.a.`` gives a strong alias, ``Low`` a weak one
(the UN's own wording: low-quality aliases alone are not enough to identify someone).
Country names are UN names, mapped to ISO-2 by ``country_names``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

from compliance.watchlists.entry import Address, Alias, AliasStrength, EntryKind, ListEntry
from compliance.watchlists.readers._common import (
    ListFormatError,
    decode,
    parse_iso_date,
    single_file_snapshot,
)
from compliance.watchlists.readers.country_names import country_code, is_known_country_name
from compliance.watchlists.snapshot import ListSnapshot, ReadIssue

UN_CODE = "UN"
UN_SOURCE_NAME = "UN Security Council Consolidated List"
UN_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"

_RECORD_START = re.compile(r"<(INDIVIDUAL|ENTITY)[\s>/]")
_QUALITY = {
    "good": (AliasStrength.STRONG, "aka"),
    "a.k.a.": (AliasStrength.STRONG, "aka"),
    "f.k.a.": (AliasStrength.STRONG, "fka"),
    "low": (AliasStrength.WEAK, "aka"),
}
_ZONED_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:Z|[+-]\d{2}:\d{2})")
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def is_un_xml(head: str) -> bool:
    return "<CONSOLIDATED_LIST" in head


def read_un_xml(
    path: Path,
    *,
    source: str = "un-consolidated",
    label: str = UN_SOURCE_NAME,
    is_excerpt: bool = False,
) -> ListSnapshot:
    """Read the UN consolidated XML; raises ``ListFormatError`` for other XML or broken XML."""
    data = path.read_bytes()
    file = path.name
    text = decode(data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 1
        raise ListFormatError(f"{file}: line {line}: not well-formed XML ({exc})") from None
    if root.tag != "CONSOLIDATED_LIST":
        raise ListFormatError(f"{file}: root element is <{root.tag}>, not <CONSOLIDATED_LIST>")
    # ElementTree keeps no line numbers; records start with a bare tag, in document order.
    starts = iter(_record_lines(text))
    issues: list[ReadIssue] = []
    published = _generated(root.get("dateGenerated"), file, issues)
    entries: list[ListEntry] = []
    for record in root.iter():
        if record.tag not in ("INDIVIDUAL", "ENTITY"):
            continue
        line = next(starts, 0)
        entry = _entry(record, file=file, line=line, issues=issues)
        if entry is not None:
            entries.append(entry)
    return single_file_snapshot(
        path,
        data,
        entries,
        issues,
        source=source,
        label=label,
        is_excerpt=is_excerpt,
        published=published,
    )


def _record_lines(text: str) -> list[int]:
    lines: list[int] = []
    line, position = 1, 0
    for match in _RECORD_START.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        lines.append(line)
    return lines


def _generated(value: str | None, file: str, issues: list[ReadIssue]) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        issues.append(
            ReadIssue(
                file=file,
                line=2,
                field="dateGenerated",
                reason=f"unreadable dateGenerated {value!r}: left empty",
                skipped=False,
            )
        )
        return None


def _text(element: ET.Element | None, *, collapse: bool = True) -> str | None:
    """Element text; names get runs of whitespace collapsed, free text is only stripped."""
    if element is None or element.text is None:
        return None
    value = " ".join(element.text.split()) if collapse else element.text.strip()
    return value or None


def _without_zone(value: str | None) -> str | None:
    """``2015-04-07-04:00`` (an XML Schema date with its time zone) -> ``2015-04-07``."""
    if value is not None and _ZONED_DATE.fullmatch(value):
        return value[:10]
    return value


def _values(record: ET.Element, tag: str) -> tuple[str, ...]:
    return tuple(v for v in (_text(e) for e in record.findall(f"{tag}/VALUE")) if v)


def _entry(
    record: ET.Element, *, file: str, line: int, issues: list[ReadIssue]
) -> ListEntry | None:
    individual = record.tag == "INDIVIDUAL"
    name = " ".join(p for p in (_text(record.find(t)) for t in _NAME_PARTS) if p)
    reference = _text(record.find("REFERENCE_NUMBER")) or _text(record.find("DATAID"))
    if not name or reference is None:
        field = "FIRST_NAME" if not name else "REFERENCE_NUMBER"
        issues.append(ReadIssue(file=file, line=line, field=field, reason="empty", skipped=True))
        return None

    def report(field: str, reason: str) -> None:
        issues.append(ReadIssue(file=file, line=line, field=field, reason=reason, skipped=False))

    aliases: list[Alias] = []
    original = _text(record.find("NAME_ORIGINAL_SCRIPT"))
    if original:
        aliases.append(Alias(name=original, alias_type="original script"))
    for alias in record.findall("INDIVIDUAL_ALIAS" if individual else "ENTITY_ALIAS"):
        alias_name = _text(alias.find("ALIAS_NAME"))
        if alias_name is None:
            continue  # the list writes an empty <..._ALIAS> when there is none
        quality = (_text(alias.find("QUALITY")) or "").lower()
        strength, alias_type = _QUALITY.get(quality, (AliasStrength.STRONG, "aka"))
        if quality and quality not in _QUALITY:
            report("QUALITY", f"unknown alias quality {quality!r}: alias kept as strong")
        aliases.append(Alias(name=alias_name, strength=strength, alias_type=alias_type))

    addresses: list[Address] = []
    countries: set[str] = set()

    def country(name: str | None, field: str) -> str | None:
        if name is None:
            return None
        if not is_known_country_name(name):
            report(field, f"country {name!r} has no ISO-2 mapping: kept as text only")
        code = country_code(name)
        if code:
            countries.add(code)
        return code

    for element in record.findall("INDIVIDUAL_ADDRESS" if individual else "ENTITY_ADDRESS"):
        parts = {
            t: _text(element.find(t))
            for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE")
        }
        published = ", ".join(p for t, p in parts.items() if p and t != "NOTE")
        if parts["NOTE"]:
            published = f"{published} ({parts['NOTE']})" if published else parts["NOTE"]
        if not published:
            continue
        addresses.append(
            Address(
                street=parts["STREET"],
                city=parts["CITY"],
                state=parts["STATE_PROVINCE"],
                postal_code=parts["ZIP_CODE"],
                country=country(parts["COUNTRY"], "COUNTRY"),
                text=published,
            )
        )
    for nationality in _values(record, "NATIONALITY"):
        country(nationality, "NATIONALITY")

    return ListEntry(
        source=UN_CODE,
        source_name=UN_SOURCE_NAME,
        entry_id=f"{UN_CODE}:{reference}",
        kind=EntryKind.INDIVIDUAL if individual else EntryKind.ENTITY,
        name=name,
        aliases=tuple(aliases),
        addresses=tuple(addresses),
        countries=tuple(sorted(countries)),
        programs=tuple(p for p in (_text(record.find("UN_LIST_TYPE")),) if p),
        title="; ".join((*_values(record, "TITLE"), *_values(record, "DESIGNATION"))) or None,
        remarks=_text(record.find("COMMENTS1"), collapse=False),
        start_date=parse_iso_date(
            _without_zone(_text(record.find("LISTED_ON"))),
            file=file,
            line=line,
            field="LISTED_ON",
            issues=issues,
        ),
        source_list_url=UN_URL,
    )
