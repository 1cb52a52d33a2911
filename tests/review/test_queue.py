"""The review queue: order, keyset paging, filters, counts, and states that follow decisions."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.errors import InvalidInputError, NotFoundError
from compliance.review.audit import AuditLog
from compliance.review.decisions import DecisionStore, Verdict, decide
from compliance.review.queue import QueueFilters, ReviewQueue, parse_cursor, screen_into_queue
from compliance.review.suppression import HitState
from compliance.screening.results import Party, Status
from tests.review.helpers import hit, result

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def _fill(queue: ReviewQueue, specs: list[tuple[Status, int]]) -> None:
    """One party per spec, each with one hit of that level, queued ``minutes`` after T0."""
    for i, (level, minutes) in enumerate(specs):
        party = Party(name=f"Party {i}", id=f"P{i}")
        queue.add(
            [result(party, hit(entry_id=f"e{i}", status=level))],
            now=T0 + timedelta(minutes=minutes),
        )


def _recount(queue: ReviewQueue) -> dict[str, dict[str, int]]:
    """The counts the hard way, to check the counters kept by triggers."""
    found: dict[str, dict[str, int]] = {}
    for state, level, n in queue.db.execute(
        "SELECT state, level, COUNT(*) FROM queue_items GROUP BY state, level"
    ):
        found.setdefault(state, {})[level] = n
    return found


def _walk(queue: ReviewQueue, limit: int, filters: QueueFilters | None = None) -> list[int]:
    seen: list[int] = []
    after: str | None = None
    while True:
        page = queue.page(filters, after=after, limit=limit, now=T0)
        seen += [i.item for i in page.items]
        if page.next_cursor is None:
            return seen
        after = page.next_cursor


def test_alert_first_then_review_then_oldest(tmp_path: Path) -> None:
    with ReviewQueue(tmp_path / "r.sqlite") as q:
        _fill(q, [(Status.REVIEW, 1), (Status.ALERT, 5), (Status.REVIEW, 0), (Status.ALERT, 2)])
        items = q.page(now=T0).items
    assert [(i.level, i.party_name) for i in items] == [
        (Status.ALERT, "Party 3"),
        (Status.ALERT, "Party 1"),
        (Status.REVIEW, "Party 2"),
        (Status.REVIEW, "Party 0"),
    ]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    specs=st.lists(
        st.tuples(st.sampled_from([Status.ALERT, Status.REVIEW]), st.integers(0, 5)),
        min_size=0,
        max_size=25,
    ),
    limit=st.integers(1, 7),
)
def test_keyset_pages_visit_every_item_once_in_order(
    tmp_path_factory: pytest.TempPathFactory, specs: list[tuple[Status, int]], limit: int
) -> None:
    with ReviewQueue(tmp_path_factory.mktemp("q") / "r.sqlite") as q:
        _fill(q, specs)
        whole = q.page(limit=200, now=T0).items
        assert _walk(q, limit) == [i.item for i in whole]
        # each page, asked for as "before the first item of the next page", comes back whole
        pages = [whole[i : i + limit] for i in range(0, len(whole), limit)]
        for earlier, later in itertools.pairwise(pages):
            back = q.page(before=later[0].cursor, limit=limit, now=T0)
            assert back.items == earlier
            assert back.next_cursor == earlier[-1].cursor
    expected = sorted(
        range(len(specs)), key=lambda i: (specs[i][0] is Status.REVIEW, specs[i][1], i)
    )
    assert [int(i.party_name.split()[1]) for i in whole] == expected


def test_readding_keeps_the_place_in_the_queue(tmp_path: Path) -> None:
    party = Party(name="Acme", id="A1")
    with ReviewQueue(tmp_path / "r.sqlite") as q:
        q.add([result(party, hit())], now=T0)
        q.add([result(party, hit())], now=T0 + timedelta(days=3))
        items = q.page(now=T0).items
    assert len(items) == 1
    assert items[0].first_seen.startswith("2026-01-05T12:00:00")


def test_decisions_move_items_out_of_the_open_queue_and_into_the_audit(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    with ReviewQueue(db) as q:
        _fill(q, [(Status.ALERT, 0), (Status.ALERT, 1), (Status.REVIEW, 2)])
        first, second, third = q.page(now=T0).items
        tm = q.decide(first.item, Verdict.TRUE_MATCH, reviewer="alice", reason="same", now=T0)
        q.decide(second.item, "escalate", reviewer="bob", reason="ask legal", now=T0)
        q.decide(
            third.item,
            Verdict.FALSE_POSITIVE,
            reviewer="alice",
            reason="other firm",
            expires=T0 + timedelta(days=30),
            now=T0,
        )
        assert q.page(now=T0).items == ()
        assert q.get(first.item, now=T0).reviewed.state is HitState.CONFIRMED
        escalated = q.page(QueueFilters(state=HitState.ESCALATED), now=T0).items
        assert [i.item for i in escalated] == [second.item]
        assert escalated[0].reviewer == "bob"
        assert q.page(QueueFilters(state=HitState.ESCALATED, reviewer="alice"), now=T0).items == ()
        counts = q.counts(now=T0).totals()
        assert counts == {
            "open": 0,
            "suppressed": 1,
            "confirmed": 1,
            "escalated": 1,
            "unverifiable": 0,
        }
        assert _recount(q) == q.counts(now=T0).by_state_level
        # the expiry brings the false positive back, with a note naming the lapsed decision
        later = T0 + timedelta(days=31)
        back = q.page(now=later).items
        assert [i.item for i in back] == [third.item]
        assert _recount(q) == q.counts(now=later).by_state_level
        assert "expired" in q.get(third.item, now=later).reviewed.notes[0]
    assert tm.reviewer == "alice" and tm.seq == 1
    with AuditLog(db) as log:
        kinds = [(r.kind, r.actor) for r in log.records()]
        assert log.verify().ok
    assert kinds == [("decision", "alice"), ("decision", "bob"), ("decision", "alice")]


def test_a_decision_recorded_elsewhere_is_picked_up(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    party = Party(name="Acme", id="A1")
    res = result(party, hit())
    with ReviewQueue(db) as q:
        q.add([res], now=T0)
        assert len(q.page(now=T0).items) == 1
        with AuditLog(db) as log, DecisionStore(db, audit=log) as store:
            store.record(
                decide(party, res.hits[0], "false_positive", reviewer="cli", reason="r", time=T0)
            )
        assert q.page(now=T0).items == ()
        assert q.counts(now=T0).totals()["suppressed"] == 1


def test_filters(tmp_path: Path) -> None:
    with ReviewQueue(tmp_path / "r.sqlite") as q:
        q.add([result(Party(name="Acme Trading", id="X-1"), hit("EL", "e1"))], now=T0)
        q.add([result(Party(name="acme shipping", id="X-2"), hit("SDN", "e2"))], now=T0)
        q.add(
            [result(Party(name="Borealis", id="X-3"), hit("EL", "e3", status=Status.REVIEW))],
            now=T0,
        )

        def names(**kw: object) -> list[str]:
            return [i.party_name for i in q.page(QueueFilters.model_validate(kw), now=T0).items]

        assert names(list="EL") == ["Acme Trading", "Borealis"]
        assert names(level="review") == ["Borealis"]
        assert names(counterparty="ACME") == ["Acme Trading", "acme shipping"]
        assert names(counterparty="X-3") == ["Borealis"]
        assert names(list="SDN", counterparty="acme s") == ["acme shipping"]
        assert q.counts(now=T0).open_by_list == {"EL": 2, "SDN": 1}


def test_related_items_share_the_counterparty_or_the_entry(tmp_path: Path) -> None:
    with ReviewQueue(tmp_path / "r.sqlite") as q:
        q.add([result(Party(name="Acme", id="A"), hit("EL", "e1"), hit("EL", "e2"))], now=T0)
        q.add([result(Party(name="Zeta", id="Z"), hit("EL", "e1"))], now=T0)
        q.add([result(Party(name="Other", id="O"), hit("EL", "e9"))], now=T0)
        items = {(i.party_name, i.entry_id): i.item for i in q.page(now=T0).items}
        for key in [("Acme", "e2"), ("Zeta", "e1"), ("Other", "e9")]:
            q.decide(items[key], "true_match", reviewer="a", reason="r", now=T0)
        related = q.related(q.get(items[("Acme", "e1")], now=T0))
    assert sorted((i.party_name, i.entry_id) for i in related) == [("Acme", "e2"), ("Zeta", "e1")]


def test_bad_requests_are_refused_with_the_field_named(tmp_path: Path) -> None:
    with ReviewQueue(tmp_path / "r.sqlite") as q:
        _fill(q, [(Status.ALERT, 0)])
        item = q.page(now=T0).items[0].item
        with pytest.raises(InvalidInputError, match="cursor"):
            q.page(after="1|not a time|3")
        with pytest.raises(InvalidInputError, match="limit"):
            q.page(limit=0)
        with pytest.raises(InvalidInputError, match="reason"):
            q.decide(item, "true_match", reviewer="a", reason="  ", now=T0)
        with pytest.raises(InvalidInputError, match="expires_at"):
            q.decide(
                item, "true_match", reviewer="a", reason="r", expires=T0 + timedelta(1), now=T0
            )
        with pytest.raises(InvalidInputError, match="expires_at"):
            q.decide(item, "false_positive", reviewer="a", reason="r", expires=T0, now=T0)
        with pytest.raises(NotFoundError):
            q.get(999)
        assert q.page(now=T0).items[0].item == item  # nothing was recorded
    assert parse_cursor("0|2026-01-05T12:00:00.000000Z|4") == (0, "2026-01-05T12:00:00.000000Z", 4)


def test_screen_into_queue_audits_the_run_first(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    party = Party(name="Acme", id="A1")
    waiting = screen_into_queue(db, [result(party, hit(), hit(entry_id="e2"))], actor="sam", now=T0)
    assert waiting == 2
    with AuditLog(db) as log:
        records = list(log.records())
    assert [(r.kind, r.actor) for r in records] == [("screening", "sam")]
    assert records[0].payload["results"][0]["name"] == "Acme"
