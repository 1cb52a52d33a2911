"""Hand-built parties and hits, so review tests do not depend on scoring details."""

from __future__ import annotations

from compliance.screening.results import (
    Evidence,
    Hit,
    Party,
    ScreeningResult,
    SnapshotRef,
    Status,
    Thresholds,
)

SNAP = SnapshotRef(snapshot_id="s1", source="test", label="test lists", published=None, files=())


def hit(
    list_code: str = "EL",
    entry_id: str = "e1",
    entry_hash: str = "h1",
    status: Status = Status.ALERT,
    listed_name: str = "Acme Listed Co",
    license_policy: str | None = None,
) -> Hit:
    return Hit(
        list=list_code,
        list_name=f"{list_code} list",
        entry_id=entry_id,
        listed_name=listed_name,
        matched_name=listed_name,
        matched_alias=False,
        query_name=listed_name,
        score=0.95 if status is Status.ALERT else 0.85,
        status=status,
        evidence=Evidence(name_score=0.95),
        license_requirement="For all items subject to the EAR",
        license_policy=license_policy,
        entry_hash=entry_hash,
        snapshot_id="s1",
    )


def result(party: Party, *hits: Hit) -> ScreeningResult:
    status = Status.CLEAR
    if hits:
        status = Status.ALERT if any(h.status is Status.ALERT for h in hits) else Status.REVIEW
    return ScreeningResult(
        party=party,
        name=party.name,
        status=status,
        hits=hits,
        thresholds=Thresholds(),
        snapshots=(SNAP,),
        library_version="test",
    )
