"""End to end with the real Screener: a decided false positive stays decided until the
list entry changes, then comes back as an alert."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from compliance.review.decisions import DecisionStore, decide
from compliance.review.suppression import HitState, apply_decisions
from compliance.screening.results import Party, Status
from compliance.screening.screener import Screener
from compliance.watchlists.bundled import bundled_excerpt

T0 = datetime(2026, 11, 29, tzinfo=UTC)


def test_amended_entry_lifts_the_suppression(tmp_path: Path) -> None:
    snapshot = bundled_excerpt()
    entry = snapshot.entries[0]
    party = Party(name=entry.name, id="P-1", country=entry.countries[0])
    first = Screener([snapshot]).screen(party)
    assert first.status is Status.ALERT
    hit = next(h for h in first.hits if h.entry_id == entry.entry_id)
    assert hit.entry_hash == entry.content_hash()
    store = DecisionStore(tmp_path / "r.sqlite")
    for h in first.hits:  # every hit decided: the party is clear
        store.record(decide(party, h, "false_positive", reviewer="a", reason="r", time=T0))
    assert apply_decisions(first, store, now=T0).status is Status.CLEAR
    again = Screener([snapshot]).screen(party)
    assert apply_decisions(again, store, now=T0).status is Status.CLEAR

    amended = entry.model_copy(update={"remarks": f"{entry.remarks or ''} amended"})
    changed = snapshot.model_copy(update={"entries": (amended, *snapshot.entries[1:])})
    reviewed = apply_decisions(Screener([changed]).screen(party), store, now=T0)
    assert reviewed.status is Status.ALERT
    back = next(h for h in reviewed.hits if h.hit.entry_id == entry.entry_id)
    assert back.state is HitState.OPEN and "list entry changed" in back.notes[0]
