"""compliance: U.S. export-control compliance.

Screening counterparties against restricted-party lists (BIS Entity List, the trade.gov
Consolidated Screening List, OFAC SDN) and deciding whether a foreign-made item is subject
to the EAR (de minimis, 15 CFR 734.4; foreign-direct product rules, 15 CFR 734.9).

Public names are imported lazily so ``import compliance`` stays cheap for ERP integrations.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from compliance import _native
from compliance._version import __version__

_native.install()  # before any screening module loads: compiled build or pure reference

if TYPE_CHECKING:
    from compliance.ear import Case, Determination, evaluate
    from compliance.screening.results import Hit, Party, ScreeningResult, Status, Thresholds
    from compliance.screening.screener import Screener
    from compliance.watchlists.entry import ListEntry
    from compliance.watchlists.load import load_list
    from compliance.watchlists.snapshot import ListSnapshot

_EXPORTS = {
    "Screener": "compliance.screening.screener",
    "Party": "compliance.screening.results",
    "Hit": "compliance.screening.results",
    "ScreeningResult": "compliance.screening.results",
    "Status": "compliance.screening.results",
    "Thresholds": "compliance.screening.results",
    "ListEntry": "compliance.watchlists.entry",
    "ListSnapshot": "compliance.watchlists.snapshot",
    "load_list": "compliance.watchlists.load",
    "evaluate": "compliance.ear",
    "Case": "compliance.ear",
    "Determination": "compliance.ear",
}

__all__ = [
    "Case",
    "Determination",
    "Hit",
    "ListEntry",
    "ListSnapshot",
    "Party",
    "Screener",
    "ScreeningResult",
    "Status",
    "Thresholds",
    "__version__",
    "evaluate",
    "load_list",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'compliance' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
