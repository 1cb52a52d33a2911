"""The UN Security Council Consolidated List XML reader."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from compliance.watchlists.entry import AliasStrength, EntryKind
from compliance.watchlists.load import detect_format
from compliance.watchlists.readers._common import ListFormatError
from compliance.watchlists.readers.un_xml import read_un_xml

UN = Path("lists/un/2026-02-27/consolidated.xml")


def test_shared_file(shared_data: Path) -> None:
    path = shared_data / UN
    snap = read_un_xml(path)
    assert detect_format(path) == "un-xml"
    kinds = Counter(e.kind for e in snap.entries)
    assert kinds == {EntryKind.INDIVIDUAL: 730, EntryKind.ENTITY: 273}  # SOURCES.md
    assert snap.files[0].published == datetime(2026, 2, 27, 0, 0, 9, 554000, tzinfo=UTC)
    assert snap.issues == ()
    root = ET.parse(path).getroot()
    quality = Counter(
        (q.text or "").strip()
        for alias in root.iter()
        if alias.tag in ("INDIVIDUAL_ALIAS", "ENTITY_ALIAS")
        and (alias.findtext("ALIAS_NAME") or "").strip()
        for q in [alias.find("QUALITY")]
        if q is not None
    )
    aliases = [a for e in snap.entries for a in e.aliases]
    weak = [a for a in aliases if a.strength is AliasStrength.WEAK]
    assert len(weak) == quality["Low"]
    originals = [a for a in aliases if a.alias_type == "original script"]
    assert len(originals) == 378  # SOURCES.md: records carrying NAME_ORIGINAL_SCRIPT
    assert len(aliases) == sum(quality.values()) + len(originals)


def test_shared_known_entry(shared_data: Path) -> None:
    snap = read_un_xml(shared_data / UN)
    entry = next(e for e in snap.entries if e.entry_id == "UN:CDi.002")
    assert entry.name == "FRANK KAKOLELE BWAMBALE"
    assert entry.programs == ("DRC",)
    assert entry.countries == ("CD",)
    assert entry.start_date == date(2005, 11, 1)
    assert [a.name for a in entry.aliases] == [
        "FRANK KAKORERE",
        "FRANK KAKORERE BWAMBALE",
        "AIGLE BLANC",
    ]
    adf = next(e for e in snap.entries if e.entry_id == "UN:CDe.001")
    assert ("NALU", "fka") in [(a.name, a.alias_type) for a in adf.aliases]


XML = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-01-02T03:04:05Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID>
      <FIRST_NAME>ALI</FIRST_NAME>
      <SECOND_NAME>AHMED</SECOND_NAME>
      <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
      <REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER>
      <LISTED_ON>2015-04-07-04:00</LISTED_ON>
      <NAME_ORIGINAL_SCRIPT>علي أحمد</NAME_ORIGINAL_SCRIPT>
      <NATIONALITY><VALUE>Atlantis</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu Ali</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ADDRESS><CITY>Baghdad</CITY><COUNTRY>Iraq</COUNTRY></INDIVIDUAL_ADDRESS>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>2</DATAID>
      <REFERENCE_NUMBER>QDi.998</REFERENCE_NUMBER>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>3</DATAID>
      <FIRST_NAME>ACME FRONT</FIRST_NAME>
      <REFERENCE_NUMBER>QDe.999</REFERENCE_NUMBER>
      <LISTED_ON>2019-13-40</LISTED_ON>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
"""


def test_handcrafted(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_text(XML, encoding="utf-8")
    snap = read_un_xml(path)
    ali, acme = snap.entries
    assert ali.name == "ALI AHMED"
    assert ali.start_date == date(2015, 4, 7)
    assert [(a.name, a.strength) for a in ali.aliases] == [
        ("علي أحمد", AliasStrength.STRONG),
        ("Abu Ali", AliasStrength.WEAK),
    ]
    assert ali.countries == ("IQ",)
    assert acme.kind is EntryKind.ENTITY and acme.start_date is None
    assert [(i.line, i.field, i.skipped) for i in snap.issues] == [
        (4, "NATIONALITY", False),
        (17, "FIRST_NAME", True),
        (23, "LISTED_ON", False),
    ]


def test_not_un_xml(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<root/>", encoding="utf-8")
    with pytest.raises(ListFormatError, match="CONSOLIDATED_LIST"):
        read_un_xml(path)
    path.write_text("<CONSOLIDATED_LIST>", encoding="utf-8")
    with pytest.raises(ListFormatError, match="line 1: not well-formed"):
        read_un_xml(path)
