"""Which OFAC non-SDN list an entry belongs to, from its programs and remarks.

OFAC's Consolidated (non-SDN) CSV files carry no list column; the lists (SSI, PLC, CAP,
CMIC, NS-MBS, formerly FSE) are told apart by program tags and, for CAPTA, by the directive
named in the remarks. The rules are data: ``lists/ofac_non_sdn_lists.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from compliance._yaml import load_table
from compliance.watchlists.registry import bundled_lists_dir

RULES_FILE = "ofac_non_sdn_lists.yaml"
UNKNOWN_CODE = "NON-SDN"


@dataclass(frozen=True)
class _Rule:
    code: str
    program: str
    remarks: str | None

    def matches(self, programs: Sequence[str], remarks: str) -> bool:
        if self.remarks is not None and self.remarks not in remarks:
            return False
        if self.program.endswith("-"):
            return any(p.startswith(self.program) for p in programs)
        return self.program in programs


@cache
def _table() -> tuple[dict[str, str], tuple[_Rule, ...]]:
    data = load_table((bundled_lists_dir() / RULES_FILE).read_text(encoding="utf-8"))
    names = {str(k): str(v) for k, v in data["lists"].items()}
    rules = tuple(_Rule(str(r["code"]), str(r["program"]), r.get("remarks")) for r in data["rules"])
    unknown = sorted({r.code for r in rules} - set(names))
    if unknown:
        raise ValueError(f"{RULES_FILE}: rules name lists with no full name: {unknown}")
    return names, rules


def non_sdn_list(programs: Sequence[str], remarks: str | None) -> str | None:
    """The list code (``SSI``, ``PLC``, ...) of an entry, or None when no rule matches."""
    _, rules = _table()
    for rule in rules:
        if rule.matches(programs, remarks or ""):
            return rule.code
    return None


def non_sdn_list_name(code: str) -> str | None:
    """The full name of a non-SDN list code, as the CSL writes it."""
    names, _ = _table()
    return names.get(code)
