"""Single screens over HTTP as served for latency: the hits cap (``max_hits``), the lean route
for ``POST /v1/screen`` and small screens on the event loop all give the library's answer."""

from __future__ import annotations

import functools
import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.review.audit import AuditLog
from compliance.screening.persist import load_or_build_screener
from compliance.screening.results import Party, ScreeningResult
from compliance.screening.screener import Screener
from compliance.service import ServiceConfig
from compliance.service.config import Limits
from compliance.service.routers.screening import capped
from compliance.service.state import Generation
from compliance.watchlists.load import load_list
from compliance.watchlists.registry import bundled_lists_dir
from compliance.watchlists.store import SnapshotStore

from .conftest import Running, ServiceFactory, publish_excerpt, start

MANY = {"name": "SMIC Holdings Limited"}  # hits nine entries of the bundled excerpt


def _library(running: Running, party: dict[str, str]) -> ScreeningResult:
    return load_or_build_screener(running.store).screener.screen(Party.model_validate(party))


def _json(result: ScreeningResult) -> object:
    return json.loads(result.model_dump_json())


def test_the_default_cap_keeps_the_strongest_hits_and_counts_the_rest(
    service_factory: ServiceFactory,
) -> None:
    running = service_factory(max_hits=3)
    full = _library(running, MANY)
    assert len(full.hits) > 5  # the test needs a party with many hits
    with running.client() as client:
        default = client.post("/v1/screen", json=MANY).json()
        every = client.post("/v1/screen", params={"max_hits": 0}, json=MANY).json()
        five = client.post("/v1/screen", params={"max_hits": 5}, json=MANY).json()
        batch = client.post("/v1/screen/batch", json={"parties": [MANY]}).json()
        lines = client.post(
            "/v1/screen/batch",
            json={"parties": [MANY]},
            headers={"Accept": "application/x-ndjson"},
        ).text.splitlines()
        limits = client.get("/v1/lists").json()["limits"]
    assert every == _json(full)  # ?max_hits=0: every hit, as the library gives them
    assert "hits_omitted" not in every
    assert default == _json(capped(full, 3))
    assert default["hits"] == every["hits"][:3]  # the strongest first
    assert default["hits_omitted"] == len(full.hits) - 3
    assert default["status"] == every["status"]  # decided on every hit
    assert five["hits"] == every["hits"][:5] and five["hits_omitted"] == len(full.hits) - 5
    assert batch["results"] == [default] and [json.loads(line) for line in lines] == [default]
    assert limits["max_hits"] == 3


@pytest.mark.parametrize("value", ["-1", "x", "1.5"])
def test_a_bad_max_hits_is_a_422_naming_it(running: Running, value: str) -> None:
    with running.client() as client:
        single = client.post("/v1/screen", params={"max_hits": value}, json=MANY)
        batch = client.post("/v1/screen/batch", params={"max_hits": value}, json={"parties": []})
    for response in (single, batch):
        assert response.status_code == 422, response.text
        assert response.json()["error"]["fields"][0]["field"] == "max_hits"


def test_lean_and_generic_routes_answer_alike(running: Running) -> None:
    """The lean route takes ``application/json`` with at most ``max_hits``; other content
    types and queries go FastAPI's generic way: the same bytes either way."""
    body = json.dumps(MANY).encode()
    with running.client() as client:
        lean = client.post("/v1/screen", content=body, headers={"Content-Type": "application/json"})
        generic = client.post(
            "/v1/screen", content=body, headers={"Content-Type": "application/vnd.api+json"}
        )
        lean_two = client.post(
            "/v1/screen?max_hits=2", content=body, headers={"Content-Type": "application/json"}
        )
        generic_two = client.post(
            "/v1/screen?max_hits=2&max_hits=2",
            content=body,
            headers={"Content-Type": "application/json"},
        )
    assert lean.status_code == generic.status_code == 200
    assert lean.content == generic.content
    assert lean_two.content == generic_two.content and len(lean_two.json()["hits"]) == 2
    assert lean.headers["x-compliance-snapshots"] == generic.headers["x-compliance-snapshots"]


def test_long_parties_screen_in_a_thread_short_ones_inline_alike(running: Running) -> None:
    short = {"name": "Huawei", "country": "CN"}
    long = {"name": "Huawei Technologies " + "Holdings " * 40}  # > inline_max_chars
    assert len(long["name"]) > Limits().inline_max_chars
    with running.client() as client:
        for party in (short, long):
            answer = client.post("/v1/screen", params={"max_hits": 0}, json=party)
            assert answer.json() == _json(_library(running, party))


def test_an_inline_screen_never_waits_for_a_busy_screener() -> None:
    screener = load_or_build_screener(lists=[bundled_lists_dir() / "entity_list_excerpt.csv"])
    generation = Generation(screener, datetime(2026, 12, 7, tzinfo=UTC))
    assert generation.try_run(lambda s: s.name_count) == (screener.screener.name_count,)
    held, release = threading.Event(), threading.Event()

    def batch() -> None:
        def work(_: object) -> None:
            held.set()
            release.wait(10)

        generation.run(work)

    thread = threading.Thread(target=batch)
    thread.start()
    try:
        assert held.wait(10)
        assert generation.try_run(lambda s: s.name_count) is None  # busy: not waited for
    finally:
        release.set()
        thread.join()
    assert generation.try_run(lambda s: 7) == (7,)


def test_the_audit_trail_keeps_every_hit(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "store")
    publish_excerpt(store, tmp_path / "v1")
    config = ServiceConfig(
        store=store.root,
        review_db=tmp_path / "review.sqlite",
        limits=Limits(max_hits=2),
        reload_interval_s=0,
        audit_screenings=True,
    )
    running = start(config, store, tmp_path)
    try:
        with running.client() as client:
            answer = client.post("/v1/screen", json=MANY).json()
    finally:
        running.stop()
    with AuditLog(tmp_path / "review.sqlite") as log:
        recorded = [r for r in log.records() if r.kind == "screening"][-1]
    kept = recorded.payload["results"][0]
    assert len(answer["hits"]) == 2 and answer["hits_omitted"] == len(kept["hits"]) - 2
    assert kept["hits"][:2] == answer["hits"] and "hits_omitted" not in kept


@functools.cache
def _excerpt_screener() -> Screener:
    return Screener([load_list(bundled_lists_dir() / "entity_list_excerpt.csv")])


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(["SMIC Holdings Limited", "Huawei", "SMIC", "Nordic Mobile AB"]),
    cap=st.integers(min_value=0, max_value=15),
)
def test_capped_keeps_a_prefix_counts_the_rest_and_never_changes_the_status(
    name: str, cap: int
) -> None:
    full = _excerpt_screener().screen(Party(name=name))
    out = capped(full, cap)
    assert out.status is full.status
    assert out.hits == full.hits[: cap or len(full.hits)]
    assert len(out.hits) + out.hits_omitted == len(full.hits) + full.hits_omitted
    assert capped(out, cap) == out  # idempotent
    assert out.model_copy(update={"hits": full.hits, "hits_omitted": 0}) == full


def test_max_hits_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="max_hits"):
        Limits(max_hits=-1)
