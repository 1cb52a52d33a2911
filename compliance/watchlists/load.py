"""One entry point that recognises a list file (or OFAC directory) and reads it.

Detection looks at content, not file names alone: a CSV's header says whether it is the CSL
or a company's internal list; a JSON's top-level keys say whether it is the official CSL JSON
or the compacted form; a tab-separated header says BIS Denied Persons List and a
``<CONSOLIDATED_LIST`` root the UN list. OFAC files have no header, so they are recognised by
name (``sdn.csv`` / ``cons_prim.csv``, or a directory holding one).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

from compliance.watchlists.readers._common import ListFormatError, decode
from compliance.watchlists.readers.csl_csv import is_csl_header, read_csl_csv
from compliance.watchlists.readers.csl_json import is_csl_json, read_csl_json
from compliance.watchlists.readers.dpl_txt import is_dpl_header, read_dpl_txt
from compliance.watchlists.readers.internal_csv import is_internal_header, read_internal_csv
from compliance.watchlists.readers.ofac_csv import OFAC_PRIMARY_FILES, read_ofac_csv
from compliance.watchlists.readers.un_xml import is_un_xml, read_un_xml
from compliance.watchlists.snapshot import ListSnapshot

__all__ = ["FORMATS", "ListFormatError", "detect_format", "load_list"]

_READERS: dict[str, Callable[[Path], ListSnapshot]] = {
    "csl-csv": read_csl_csv,
    "csl-json": read_csl_json,
    "ofac-csv": read_ofac_csv,
    "dpl-txt": read_dpl_txt,
    "un-xml": read_un_xml,
    "internal-csv": read_internal_csv,
}
FORMATS: tuple[str, ...] = tuple(_READERS)

_SNIFF_BYTES = 64 * 1024
_CSL_JSON_KEY = re.compile(r'"(?:results|tables)"\s*:')


def load_list(path: Path, *, format: str | None = None) -> ListSnapshot:
    """Read any supported list; ``format`` (one of ``FORMATS``) skips detection."""
    path = Path(path)
    if not path.exists():
        raise ListFormatError(f"{path}: no such file or directory")
    fmt = format if format is not None else detect_format(path)
    reader = _READERS.get(fmt)
    if reader is None:
        raise ListFormatError(f"unknown list format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return reader(path)


def detect_format(path: Path) -> str:
    """The format name of ``path``, or ``ListFormatError`` saying what was looked for."""
    if path.is_dir():
        if any((path / name).is_file() for name in OFAC_PRIMARY_FILES):
            return "ofac-csv"
        raise ListFormatError(
            f"{path}: directory holds none of {', '.join(OFAC_PRIMARY_FILES)} (OFAC list files)"
        )
    if path.name.lower() in OFAC_PRIMARY_FILES:
        return "ofac-csv"
    with path.open("rb") as handle:
        head = decode(handle.read(_SNIFF_BYTES))
    stripped = head.lstrip()
    if stripped.startswith(("{", "[")):
        return _detect_json(path, head)
    if stripped.startswith("<"):
        if is_un_xml(head):
            return "un-xml"
        raise ListFormatError(f"{path}: XML but not the UN consolidated list (<CONSOLIDATED_LIST>)")
    first_line = head.split("\n", 1)[0]
    if "\t" in first_line and is_dpl_header(_first_csv_record(first_line, "\t") or []):
        return "dpl-txt"
    first_record = _first_csv_record(head)
    if first_record and is_csl_header(first_record):
        return "csl-csv"
    if first_record and is_internal_header(first_record):
        return "internal-csv"
    raise ListFormatError(
        f"{path}: not a recognised list: expected a CSL CSV header (_id,source,...,name,...), "
        "an internal-list CSV header (id,name,...), CSL JSON, a BIS dpl.txt header, "
        "UN consolidated XML, or OFAC sdn.csv/cons_prim.csv"
    )


def _detect_json(path: Path, head: str) -> str:
    """CSL JSON by its top-level keys; a full parse only to explain a file that is not one."""
    if _CSL_JSON_KEY.search(head):
        return "csl-json"  # the reader checks the whole structure
    try:
        document = json.loads(decode(path.read_bytes()))
    except json.JSONDecodeError as exc:
        raise ListFormatError(f"{path}: line {exc.lineno}: invalid JSON ({exc.msg})") from None
    if is_csl_json(document):
        return "csl-json"
    raise ListFormatError(
        f"{path}: JSON is not a CSL file (expected an object with 'results' or 'entries')"
    )


def _first_csv_record(head: str, delimiter: str = ",") -> list[str] | None:
    try:
        return next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), None)
    except csv.Error:
        return None
