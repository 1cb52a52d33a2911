"""Hand-built list entries and snapshots for the screening tests."""

from __future__ import annotations

from compliance.watchlists.entry import Alias, AliasStrength, EntryKind, Footnote, ListEntry
from compliance.watchlists.snapshot import ListSnapshot, SourceFile


def entry(
    entry_id: str,
    name: str,
    *aliases: str,
    source: str = "SDN",
    countries: tuple[str, ...] = (),
    kind: EntryKind | None = EntryKind.ENTITY,
    weak: tuple[str, ...] = (),
    **extra: object,
) -> ListEntry:
    return ListEntry(
        source=source,
        source_name=f"{source} list",
        entry_id=entry_id,
        kind=kind,
        name=name,
        aliases=(
            *(Alias(name=a) for a in aliases),
            *(Alias(name=w, strength=AliasStrength.WEAK) for w in weak),
        ),
        countries=countries,
        **extra,  # type: ignore[arg-type]
    )


def snapshot(*entries: ListEntry, source: str = "test") -> ListSnapshot:
    return ListSnapshot(
        source=source,
        label="hand-built test list",
        files=(SourceFile(name=f"{source}.csv", sha256="ab" * 32, size=1),),
        entries=entries,
    )


FOOTNOTE_1 = Footnote(
    number=1,
    meaning="foreign-direct product rule for footnote 1 entities",
    citation="15 CFR 734.9(e)(1)",
)

HAND_ENTRIES: tuple[ListEntry, ...] = (
    entry("sdn-11420", "11420 CORP."),
    entry("sdn-emma", "EMMA LLC"),
    entry(
        "el-haige",
        "Guangzhou Haige Communications Group Incorporated Company",
        "Haige Communications",
        source="EL",
        countries=("CN",),
        license_requirement="For all items subject to the EAR. (See 15 CFR 744.11)",
        license_policy="Presumption of denial",
        federal_register_notices=("85 FR 52901",),
    ),
    entry(
        "cmic-cnooc-ets",
        "CNOOC Energy Technology & Services Limited",
        source="CMIC",
        countries=("CN",),
    ),
    entry(
        "el-huawei",
        "Huawei Technologies Co., Ltd.",
        "Huawei",
        source="EL",
        countries=("CN",),
        footnotes=(FOOTNOTE_1,),
        federal_register_notices=("84 FR 22961", "85 FR 29852"),
    ),
    entry("sdn-abc", "XYZ Company"),
    entry("sdn-abc2", "Kolmogorov Trading Company"),
    entry(
        "sdn-rostec",
        "State Corporation Rostec",
        "Rostekh",
        source="SDN",
        countries=("RU",),
        weak=("Rostec Weak Alias Holding",),
    ),
    entry("sdn-person", "IVANOV, Sergei Petrovich", kind=EntryKind.INDIVIDUAL, countries=("RU",)),
    entry("dpl-zeta", "Zeta Photonics GmbH", source="DPL", countries=("DE",)),
    entry("sdn-fund5", "Borealis Fund 5"),
    entry("sdn-weakonly", "Quintessa Aerodynamics", weak=("Omnivex Kinetics",)),
)
