"""Updates over real HTTP on loopback: good files publish, broken feeds never replace them."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.watchlists.registry import ListSource, RemoteFile
from compliance.watchlists.store import SnapshotStore
from compliance.watchlists.update import (
    HttpSettings,
    UpdateOutcome,
    compare_counts,
    resolve_url,
    update_source,
)

from .conftest import LoopbackServer, Route

FIXED_NOW = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)

CSL = ListSource(
    name="trade.gov-csl",
    label="Consolidated Screening List (CSV)",
    publisher="ITA",
    format="csl-csv",
    files=(RemoteFile(name="consolidated.csv", url="https://example.invalid/consolidated.csv"),),
    lists=("EL", "SDN", "DPL"),
    max_age_days=7,
    info_url="https://www.trade.gov/consolidated-screening-list",
)


def run(
    server: LoopbackServer, store: SnapshotStore, settings: HttpSettings, **kw: object
) -> UpdateOutcome:
    return update_source(
        CSL,
        store,
        base_url=server.base_url,
        settings=settings,
        now=lambda: FIXED_NOW,
        **kw,  # type: ignore[arg-type]
    )


def without_list(data: bytes, code: str) -> bytes:
    """The CSL CSV with every row of one list removed (a feed that lost a list)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    source_col = rows[0].index("source")
    kept = [rows[0]] + [r for r in rows[1:] if f"({code})" not in r[source_col]]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(kept)
    return out.getvalue().encode("utf-8")


def visible_dirs(store: SnapshotStore) -> list[str]:
    src = store.root / CSL.name
    return sorted(p.name for p in src.iterdir() if p.is_dir() and not p.name.startswith("."))


def hidden_leftovers(store: SnapshotStore) -> list[str]:
    src = store.root / CSL.name
    return sorted(p.name for p in src.iterdir() if p.name.startswith((".staging", ".publish")))


@pytest.fixture
def store(tmp_path: Path) -> SnapshotStore:
    return SnapshotStore(tmp_path / "snapshots")


@pytest.fixture
def published(
    loopback: LoopbackServer, store: SnapshotStore, fast_http: HttpSettings, csl_2026: Path
) -> UpdateOutcome:
    """The 2026 CSL, downloaded and published as the last good snapshot."""
    loopback.serve("consolidated.csv", Route(body=csl_2026.read_bytes(), etag='"v2026"'))
    outcome = run(loopback, store, fast_http)
    assert outcome.outcome == "published", outcome.problems
    return outcome


def test_good_download_is_published_with_provenance(
    published: UpdateOutcome, store: SnapshotStore, csl_2026: Path, loopback: LoopbackServer
) -> None:
    data = csl_2026.read_bytes()
    manifest = store.latest(CSL.name)
    assert manifest is not None
    assert manifest.snapshot_id == published.snapshot_id
    (stored,) = manifest.files
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert stored.etag == '"v2026"'
    assert stored.url == f"{loopback.base_url}/consolidated.csv"
    assert stored.retrieved == FIXED_NOW
    # counts from SOURCES.md for the 2026 CSL
    assert manifest.counts["EL"] == 3420
    assert manifest.counts["SDN"] == 19181
    assert manifest.entries == 25921
    (current,) = store.current()
    assert current.snapshot_id == manifest.snapshot_id
    assert len(current.entries) == 25921
    assert current.files[0].url == stored.url
    raw = store.snapshot_dir(manifest) / "files" / "consolidated.csv"
    assert raw.read_bytes() == data


def test_same_input_same_manifest_bytes(
    loopback: LoopbackServer, tmp_path: Path, fast_http: HttpSettings, csl_2026: Path
) -> None:
    loopback.serve("consolidated.csv", Route(body=csl_2026.read_bytes(), etag='"a"'))
    stores = [SnapshotStore(tmp_path / name) for name in ("one", "two")]
    for s in stores:
        assert run(loopback, s, fast_http).outcome == "published"
    manifests = []
    for s in stores:
        m = s.latest(CSL.name)
        assert m is not None
        manifests.append((s.snapshot_dir(m) / "manifest.json").read_bytes())
    assert manifests[0] == manifests[1]
    assert json.loads(manifests[0])["forced"] is False


def test_etag_gives_conditional_request_and_304(
    published: UpdateOutcome,
    loopback: LoopbackServer,
    store: SnapshotStore,
    fast_http: HttpSettings,
) -> None:
    outcome = run(loopback, store, fast_http)
    assert outcome.outcome == "unchanged"
    assert loopback.conditional[-1].get("If-None-Match") == '"v2026"'
    assert loopback.hits["/consolidated.csv"] == 2
    assert len(store.list_snapshots(CSL.name)) == 1
    record = store.last_update(CSL.name)
    assert record is not None and record.outcome == "unchanged"


def test_last_modified_gives_conditional_request(
    loopback: LoopbackServer, store: SnapshotStore, fast_http: HttpSettings, shared_data: Path
) -> None:
    sample = shared_data / "lists" / "csl" / "current_format_sample" / "consolidated.csv"
    stamp = "Fri, 31 Jul 2026 13:15:00 GMT"
    loopback.serve("consolidated.csv", Route(body=sample.read_bytes(), last_modified=stamp))
    assert run(loopback, store, fast_http).outcome == "published"
    manifest = store.latest(CSL.name)
    assert manifest is not None and manifest.files[0].last_modified == stamp
    again = run(loopback, store, fast_http)
    assert again.outcome == "unchanged"
    assert loopback.conditional[-1] == {"If-Modified-Since": stamp}


def test_corrupt_stored_copy_is_downloaded_again(
    loopback: LoopbackServer, store: SnapshotStore, fast_http: HttpSettings, shared_data: Path
) -> None:
    sample = shared_data / "lists" / "csl" / "current_format_sample" / "consolidated.csv"
    loopback.serve("consolidated.csv", Route(body=sample.read_bytes(), etag='"s1"'))
    first = run(loopback, store, fast_http)
    manifest = store.latest(CSL.name)
    assert manifest is not None
    stored = store.snapshot_dir(manifest) / "files" / "consolidated.csv"
    stored.write_bytes(b"bit rot")
    again = run(loopback, store, fast_http)
    assert loopback.conditional[-1] == {}  # no If-None-Match for a damaged copy
    assert again.outcome == "published" and again.snapshot_id == first.snapshot_id
    assert stored.read_bytes() == sample.read_bytes()


def assert_still_good(store: SnapshotStore, good: UpdateOutcome) -> None:
    (current,) = store.current()
    assert current.snapshot_id == good.snapshot_id
    assert len(store.list_snapshots(CSL.name)) == 1
    assert hidden_leftovers(store) == []


def test_truncated_file_is_refused(
    published: UpdateOutcome,
    loopback: LoopbackServer,
    store: SnapshotStore,
    fast_http: HttpSettings,
    csl_2026: Path,
) -> None:
    data = csl_2026.read_bytes()
    loopback.serve("consolidated.csv", Route(body=data[: len(data) * 6 // 10]))
    outcome = run(loopback, store, fast_http)
    assert outcome.outcome == "refused"
    assert any("fewer than the previous" in p for p in outcome.problems)
    assert_still_good(store, published)
    record = store.last_update(CSL.name)
    assert record is not None and record.outcome == "refused"


def test_connection_closed_before_content_length_fails(
    published: UpdateOutcome,
    loopback: LoopbackServer,
    store: SnapshotStore,
    fast_http: HttpSettings,
    csl_2026: Path,
) -> None:
    data = csl_2026.read_bytes()
    loopback.serve("consolidated.csv", Route(body=data[: len(data) // 2], claim_length=len(data)))
    outcome = run(loopback, store, fast_http)
    assert outcome.outcome == "failed"
    assert loopback.hits["/consolidated.csv"] == 1 + fast_http.retries + 1
    assert_still_good(store, published)


def test_empty_file_is_refused_even_when_forced(
    published: UpdateOutcome,
    loopback: LoopbackServer,
    store: SnapshotStore,
    fast_http: HttpSettings,
) -> None:
    loopback.serve("consolidated.csv", Route(body=b""))
    outcome = run(loopback, store, fast_http, force=True, force_reason="test")
    assert outcome.outcome == "refused"
    assert any("empty" in p for p in outcome.problems)
    assert_still_good(store, published)


def test_missing_list_is_refused_and_force_is_recorded(
    published: UpdateOutcome,
    loopback: LoopbackServer,
    store: SnapshotStore,
    fast_http: HttpSettings,
    csl_2026: Path,
) -> None:
    loopback.serve("consolidated.csv", Route(body=without_list(csl_2026.read_bytes(), "EL")))
    refused = run(loopback, store, fast_http)
    assert refused.outcome == "refused"
    assert refused.problems == ("list EL: no entries (previous snapshot had 3420)",)
    assert_still_good(store, published)

    forced = run(loopback, store, fast_http, force=True, force_reason="BIS withdrew the EL")
    assert forced.outcome == "published" and forced.forced
    manifest = store.latest(CSL.name)
    assert manifest is not None and manifest.snapshot_id == forced.snapshot_id
    assert manifest.forced and manifest.force_reason == "BIS withdrew the EL"
    assert manifest.overridden_problems == refused.problems
    assert "EL" not in manifest.counts
    assert manifest.previous_snapshot_id == published.snapshot_id


def test_http_500_fails_after_retries(
    published: UpdateOutcome,
    loopback: LoopbackServer,
    store: SnapshotStore,
    fast_http: HttpSettings,
) -> None:
    loopback.serve("consolidated.csv", Route(status=500))
    outcome = run(loopback, store, fast_http)
    assert outcome.outcome == "failed"
    assert "HTTP 500" in outcome.problems[0]
    assert loopback.hits["/consolidated.csv"] == 1 + fast_http.retries + 1
    assert_still_good(store, published)


def test_transient_500_is_retried(
    loopback: LoopbackServer, store: SnapshotStore, fast_http: HttpSettings, csl_2026: Path
) -> None:
    loopback.serve("consolidated.csv", Route(body=csl_2026.read_bytes(), fail_first=2))
    outcome = run(loopback, store, fast_http)
    assert outcome.outcome == "published"
    assert loopback.hits["/consolidated.csv"] == 3


def test_retry_after_and_backoff_are_honoured(
    loopback: LoopbackServer, store: SnapshotStore, shared_data: Path
) -> None:
    sample = shared_data / "lists" / "csl" / "current_format_sample" / "consolidated.csv"
    slept: list[float] = []
    settings = HttpSettings(retries=3, backoff=0.5, backoff_max=10, sleep=slept.append)
    loopback.serve(
        "consolidated.csv", Route(body=sample.read_bytes(), fail_first=2, retry_after="7")
    )
    assert run(loopback, store, settings).outcome == "published"
    # first retry: max(backoff 0.5, Retry-After 7); second: max(backoff 1.0, 7)
    assert slept == [7.0, 7.0]
    loopback.hits.clear()
    slept.clear()
    loopback.serve("consolidated.csv", Route(status=500))
    assert run(loopback, store, settings).outcome == "failed"
    assert slept == [0.5, 1.0, 2.0]  # exponential backoff, no Retry-After


def test_stalled_server_times_out(
    published: UpdateOutcome,
    loopback: LoopbackServer,
    store: SnapshotStore,
    csl_2026: Path,
) -> None:
    settings = HttpSettings(read_timeout=0.3, retries=0, sleep=lambda _s: None)
    loopback.serve("consolidated.csv", Route(body=csl_2026.read_bytes(), stall=2.0))
    outcome = run(loopback, store, settings)
    assert outcome.outcome == "failed"
    assert "Timeout" in outcome.problems[0]
    assert_still_good(store, published)


def test_dripping_server_hits_total_deadline(
    published: UpdateOutcome,
    loopback: LoopbackServer,
    store: SnapshotStore,
    csl_2026: Path,
) -> None:
    settings = HttpSettings(read_timeout=1.0, total_timeout=0.5, retries=0, sleep=lambda _s: None)
    loopback.serve("consolidated.csv", Route(body=csl_2026.read_bytes(), drip=0.05))
    outcome = run(loopback, store, settings)
    assert outcome.outcome == "failed"
    assert "stalled" in outcome.problems[0]
    assert_still_good(store, published)


def test_deadline_is_per_file_across_all_attempts(
    published: UpdateOutcome,
    loopback: LoopbackServer,
    store: SnapshotStore,
    csl_2026: Path,
) -> None:
    """Defect 10: a dripping server used to get the whole deadline again on every retry."""
    slept: list[float] = []
    settings = HttpSettings(
        read_timeout=1.0, total_timeout=0.6, retries=3, backoff=0.01, sleep=slept.append
    )
    loopback.hits.clear()
    loopback.serve("consolidated.csv", Route(body=csl_2026.read_bytes(), drip=0.05))
    outcome = run(loopback, store, settings)
    assert outcome.outcome == "failed"
    assert "deadline" in outcome.problems[0] and "failed after 1 attempt(s)" in outcome.problems[0]
    assert loopback.hits["/consolidated.csv"] == 1 and slept == []  # no retry past the deadline
    assert_still_good(store, published)


def test_retries_stop_when_the_backoff_would_pass_the_deadline(
    published: UpdateOutcome,
    loopback: LoopbackServer,
    store: SnapshotStore,
    csl_2026: Path,
) -> None:
    slept: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:  # a virtual clock: the test does not wait
        slept.append(seconds)
        now[0] += seconds

    settings = HttpSettings(
        total_timeout=5.0, retries=3, backoff=2.0, sleep=sleep, clock=lambda: now[0]
    )
    loopback.hits.clear()
    loopback.serve("consolidated.csv", Route(body=csl_2026.read_bytes(), fail_first=10))
    outcome = run(loopback, store, settings)
    assert outcome.outcome == "failed"
    # waits 2 s and 4 s would reach 6 s > 5 s: the second wait is not started
    assert slept == [2.0] and loopback.hits["/consolidated.csv"] == 2
    assert "no time left for attempt 3 before the deadline" in outcome.problems[0]


def test_html_content_type_is_refused_without_retry(
    published: UpdateOutcome,
    loopback: LoopbackServer,
    store: SnapshotStore,
    fast_http: HttpSettings,
    csl_2026: Path,
) -> None:
    body = csl_2026.read_bytes()
    loopback.serve("consolidated.csv", Route(body=body, content_type="text/html; charset=utf-8"))
    outcome = run(loopback, store, fast_http)
    assert outcome.outcome == "failed"
    assert "text/html" in outcome.problems[0]
    assert loopback.hits["/consolidated.csv"] == 2  # the first good one + this one, no retry
    assert_still_good(store, published)


def test_invalid_utf8_is_refused(
    published: UpdateOutcome,
    loopback: LoopbackServer,
    store: SnapshotStore,
    fast_http: HttpSettings,
    csl_2026: Path,
) -> None:
    data = csl_2026.read_bytes()
    middle = data.index(b"\n", len(data) // 2) + 1
    broken = data[:middle] + b"\xff\xfe\xc3" + data[middle:]
    loopback.serve("consolidated.csv", Route(body=broken))
    outcome = run(loopback, store, fast_http)
    assert outcome.outcome == "failed"
    assert "UTF-8" in outcome.problems[0]
    assert_still_good(store, published)


def test_changed_schema_is_refused(
    published: UpdateOutcome,
    loopback: LoopbackServer,
    store: SnapshotStore,
    fast_http: HttpSettings,
    csl_2026: Path,
) -> None:
    data = csl_2026.read_bytes()
    header, rest = data.split(b"\n", 1)
    renamed = header.replace(b",alt_names,", b",alternate_names,") + b"\n" + rest
    assert renamed != data
    loopback.serve("consolidated.csv", Route(body=renamed))
    outcome = run(loopback, store, fast_http, force=True)
    assert outcome.outcome == "refused"
    assert outcome.problems == ("consolidated.csv: required columns missing: alt_names",)
    assert_still_good(store, published)


def test_not_found_is_not_retried(
    loopback: LoopbackServer, store: SnapshotStore, fast_http: HttpSettings
) -> None:
    outcome = run(loopback, store, fast_http)
    assert outcome.outcome == "failed"
    assert loopback.hits["/consolidated.csv"] == 1
    assert store.current() == []


def test_newer_list_replaces_older(
    loopback: LoopbackServer,
    store: SnapshotStore,
    fast_http: HttpSettings,
    csl_2022: Path,
    csl_2026: Path,
) -> None:
    loopback.serve("consolidated.csv", Route(body=csl_2022.read_bytes()))
    first = run(loopback, store, fast_http)
    assert first.outcome == "published"
    assert first.counts["EL"] == 2001
    loopback.serve("consolidated.csv", Route(body=csl_2026.read_bytes()))
    second = run(loopback, store, fast_http)
    # FSE (3 rows in 2022) is gone from the 2026 file: refused until someone forces it
    assert second.outcome == "refused"
    assert "list FSE: no entries (previous snapshot had 3)" in second.problems
    forced = run(loopback, store, fast_http, force=True, force_reason="FSE list retired")
    assert forced.outcome == "published"
    (current,) = store.current()
    assert current.snapshot_id == forced.snapshot_id != first.snapshot_id


def test_plain_http_base_url_only_on_loopback() -> None:
    remote = CSL.files[0]
    assert (
        resolve_url(remote, "http://127.0.0.1:8080/x/")
        == "http://127.0.0.1:8080/x/consolidated.csv"
    )
    assert resolve_url(remote, "https://mirror.example/lists") == (
        "https://mirror.example/lists/consolidated.csv"
    )
    with pytest.raises(ValueError, match="https"):
        resolve_url(remote, "http://mirror.example/lists")


def test_real_client_is_used() -> None:
    """Guard: the tests above go through httpx's default transport, not a mock."""
    client = httpx.Client()
    try:
        assert type(client._transport).__name__ == "HTTPTransport"
    finally:
        client.close()


@given(
    before=st.integers(min_value=1, max_value=10**6),
    ratio=st.fractions(min_value=0, max_value=2),
)
def test_drop_rule(before: int, ratio: object) -> None:
    from fractions import Fraction

    assert isinstance(ratio, Fraction)
    count = int(before * ratio)
    problems = compare_counts({"EL": count} if count else {}, {"EL": before})
    refused = count == 0 or (before - count) * 100 > 5 * before
    assert bool(problems) == refused


@given(counts=st.dictionaries(st.sampled_from(["EL", "SDN", "DPL"]), st.integers(1, 10**5)))
def test_growth_is_never_refused(counts: dict[str, int]) -> None:
    grown = {k: v + 1 for k, v in counts.items()}
    assert compare_counts(grown, counts) == []
    assert compare_counts(counts, counts) == []


def test_five_percent_boundary() -> None:
    assert compare_counts({"EL": 95}, {"EL": 100}) == []
    assert compare_counts({"EL": 94}, {"EL": 100}) == [
        "list EL: 94 entries, 6.00% fewer than the previous 100 (more than 5%)"
    ]


@pytest.mark.parametrize(
    ("before", "lost", "refused", "shown"),
    [
        (10_000, 500, False, None),  # exactly 5.00%: published
        (1_000_000, 50_001, True, "5.0001"),  # 5.0001%
        (200_000, 10_010, True, "5.0050"),  # exactly 5.005%
        (10_000, 501, True, "5.01"),  # 5.01%
        (19_181, 960, True, "5.0050"),  # 5.00495%: published by the old rounding (defect 7)
        (19_181, 959, False, None),  # 4.99974%
    ],
)
def test_drop_check_is_exact_at_the_boundary(
    before: int, lost: int, refused: bool, shown: str | None
) -> None:
    problems = compare_counts({"SDN": before - lost}, {"SDN": before})
    assert bool(problems) == refused
    if shown is not None:
        assert f", {shown}% fewer than the previous {before} (more than 5%)" in problems[0]


SDN = ListSource(
    name="ofac-sdn",
    label="OFAC SDN",
    publisher="OFAC",
    format="ofac-csv",
    files=tuple(
        RemoteFile(name=n, url=f"https://example.invalid/{n}")
        for n in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
    ),
    lists=("SDN",),
    max_age_days=7,
    info_url="https://ofac.treasury.gov/",
)


def test_multi_file_source_is_one_snapshot(
    loopback: LoopbackServer, tmp_path: Path, fast_http: HttpSettings, shared_data: Path
) -> None:
    folder = shared_data / "lists" / "ofac" / "sdn_2021-07-07"
    for f in SDN.files:
        loopback.serve(f.name, Route(body=(folder / f.name).read_bytes(), content_type=None))
    store = SnapshotStore(tmp_path / "s")
    outcome = update_source(
        SDN, store, base_url=loopback.base_url, settings=fast_http, now=lambda: FIXED_NOW
    )
    assert outcome.outcome == "published", outcome.problems
    assert outcome.counts == {"SDN": 8976}  # SOURCES.md: 8,976 primary records
    (snap,) = store.current()
    assert sorted(f.name for f in snap.files) == sorted(f.name for f in SDN.files)
    assert sum(len(e.aliases) for e in snap.entries) >= 11910  # strong aliases, plus weak

    # one of the four files breaking fails the whole update: no mixed snapshot
    loopback.serve("alt.csv", Route(status=503))
    again = update_source(
        SDN, store, base_url=loopback.base_url, settings=fast_http, now=lambda: FIXED_NOW
    )
    assert again.outcome == "failed" and "alt.csv" in again.problems[0]
    assert [s.snapshot_id for s in store.current()] == [snap.snapshot_id]
