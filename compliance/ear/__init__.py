"""EAR jurisdiction: is a foreign-made item subject to the EAR, and what license follows?

De minimis (15 CFR 734.4, Supp. No. 2 to part 734) and the foreign-direct product rules
(15 CFR 734.9). Public names are imported lazily: the rule modules import ``compliance.ear.case``
and must not pull in the engine while they load.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from compliance.ear.case import (
        BomLicenseOverride,
        BomLine,
        Case,
        CaseParty,
        EntityListing,
        InputList,
        Item,
        ItemKind,
        Knowledge,
        OnwardKnowledge,
        PartyRole,
        ProductionFacts,
        ProductionInput,
        WrittenAssurance,
    )
    from compliance.ear.de_minimis import DeMinimisOutcome, DeMinimisResult
    from compliance.ear.determination import Determination, Subject, evaluate, to_json
    from compliance.ear.licensing import LicenseFinding
    from compliance.ear.questions import Question
    from compliance.ear.report import render
    from compliance.ear.settings import RulesetSettings

_EXPORTS = {
    "BomLicenseOverride": "compliance.ear.case",
    "BomLine": "compliance.ear.case",
    "Case": "compliance.ear.case",
    "CaseParty": "compliance.ear.case",
    "EntityListing": "compliance.ear.case",
    "InputList": "compliance.ear.case",
    "OnwardKnowledge": "compliance.ear.case",
    "WrittenAssurance": "compliance.ear.case",
    "DeMinimisOutcome": "compliance.ear.de_minimis",
    "Question": "compliance.ear.questions",
    "Item": "compliance.ear.case",
    "ItemKind": "compliance.ear.case",
    "Knowledge": "compliance.ear.case",
    "PartyRole": "compliance.ear.case",
    "ProductionFacts": "compliance.ear.case",
    "ProductionInput": "compliance.ear.case",
    "DeMinimisResult": "compliance.ear.de_minimis",
    "Determination": "compliance.ear.determination",
    "Subject": "compliance.ear.determination",
    "evaluate": "compliance.ear.determination",
    "to_json": "compliance.ear.determination",
    "LicenseFinding": "compliance.ear.licensing",
    "render": "compliance.ear.report",
    "RulesetSettings": "compliance.ear.settings",
}

__all__ = [
    "BomLicenseOverride",
    "BomLine",
    "Case",
    "CaseParty",
    "DeMinimisOutcome",
    "DeMinimisResult",
    "Determination",
    "EntityListing",
    "InputList",
    "Item",
    "ItemKind",
    "Knowledge",
    "LicenseFinding",
    "OnwardKnowledge",
    "PartyRole",
    "ProductionFacts",
    "ProductionInput",
    "Question",
    "RulesetSettings",
    "Subject",
    "WrittenAssurance",
    "evaluate",
    "render",
    "to_json",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'compliance.ear' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
