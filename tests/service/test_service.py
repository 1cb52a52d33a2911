"""The HTTP API against a real uvicorn: screening, streaming, evaluation, review, security,
hostile input, a snapshot swap under load and a graceful shutdown."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

import httpx
import pytest
import yaml

from compliance.ear.case import Case
from compliance.ear.determination import evaluate
from compliance.screening.persist import load_or_build_screener
from compliance.screening.results import Party

from .conftest import KEYS, Running, ServiceFactory, publish_excerpt

SMIC = {"name": "Semiconductor Manufacturing Intl Corp", "country": "CN"}
EXAMPLE_CASE = Path(__file__).resolve().parents[2] / "examples/ear/korean_dram_for_huawei.yaml"


def _ids(response: httpx.Response) -> list[str]:
    return response.headers["x-compliance-snapshots"].split(",")


def test_screen_one_party_as_the_library_does(running: Running) -> None:
    with running.client() as client:
        response = client.post("/v1/screen", json=SMIC)
    assert response.status_code == 200
    body = response.json()
    expected = load_or_build_screener(running.store).screener.screen(Party(**SMIC))  # type: ignore[arg-type]
    assert body == json.loads(expected.model_dump_json())
    assert body["status"] in ("review", "alert") and body["hits"][0]["list"] == "EL"
    # every response names the snapshots, weights and library version it used
    assert [s["snapshot_id"] for s in body["snapshots"]] == _ids(response)
    assert response.headers["x-compliance-weights"] == body["weights_id"]
    assert response.headers["x-compliance-version"] == body["library_version"]


def test_batch_as_json_and_as_ndjson_stream(running: Running) -> None:
    parties = [SMIC, {"name": "Nordic Mobile Networks AB", "country": "SE"}, {"name": "Huawei"}]
    parties = parties * 300  # several stream blocks
    with running.client() as client:
        plain = client.post("/v1/screen/batch", json={"parties": parties})
        assert plain.status_code == 200
        data = plain.json()
        assert len(data["results"]) == len(parties)
        flagged = data["counts"]["alert"] + data["counts"]["review"]
        assert flagged == 600 and data["counts"]["clear"] == 300
        assert data["screening"]["snapshots"][0]["snapshot_id"] == _ids(plain)[0]
        lines: list[dict[str, object]] = []
        with client.stream(
            "POST",
            "/v1/screen/batch",
            json={"parties": parties},
            headers={"Accept": "application/x-ndjson"},
        ) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("application/x-ndjson")
            for line in stream.iter_lines():
                if line:
                    lines.append(json.loads(line))
    assert lines == data["results"]  # same results, same order


def test_evaluate_an_ear_case(running: Running) -> None:
    raw = yaml.safe_load(EXAMPLE_CASE.read_text(encoding="utf-8"))
    body = json.loads(json.dumps(raw, default=str))
    with running.client("evaluate") as client:
        response = client.post("/v1/evaluate", json=body)
    assert response.status_code == 200, response.text
    screener = load_or_build_screener(running.store).screener
    expected = evaluate(Case.model_validate(raw), screener=screener)
    assert response.json() == json.loads(expected.model_dump_json())
    assert "734." in response.text  # the reasoning carries its CFR citations


def test_authentication_and_roles(running: Running) -> None:
    with running.client(None) as anonymous:
        missing = anonymous.post("/v1/screen", json=SMIC)
        wrong = anonymous.post("/v1/screen", json=SMIC, headers={"X-API-Key": "nope"})
        bearer = anonymous.post(
            "/v1/screen", json=SMIC, headers={"Authorization": f"Bearer {KEYS['screen']}"}
        )
        assert anonymous.get("/healthz").status_code == 200  # no key needed
    assert missing.status_code == 401 and missing.json()["error"]["type"] == "unauthenticated"
    assert "bearer" in missing.headers["www-authenticate"].lower()
    assert wrong.status_code == 401
    assert bearer.status_code == 200
    with running.client("review") as reviewer:
        assert reviewer.post("/v1/screen", json=SMIC).status_code == 403
        assert reviewer.post("/v1/evaluate", json={}).status_code == 403
    with running.client("screen") as screener:
        forbidden = screener.post("/v1/admin/reload")
        assert forbidden.status_code == 403
        assert forbidden.json()["error"]["type"] == "forbidden"
        assert screener.get("/v1/review/audit/verify").status_code == 403
    with running.client("admin") as admin:  # admin holds every role
        assert admin.post("/v1/screen", json=SMIC).status_code == 200


@pytest.mark.parametrize(
    ("content", "field", "status"),
    [
        (b'{"name": "Huawei"', "body", 422),  # malformed JSON
        (b"[1, 2]", "body", 422),  # not an object
        (b'{"name": 12}', "name", 422),  # wrong type
        (b'{"country": "CN"}', "name", 422),  # missing
        (b'{"name": ""}', "name", 422),  # empty
        (b'{"name": "   "}', "name", 422),  # blank
        (json.dumps({"name": "A" * 10_000}).encode(), "name", 422),
        (json.dumps({"name": "Huawei\u0000"}).encode(), "name", 422),
        (json.dumps({"name": "Huawei\u001b[31m"}).encode(), "name", 422),
        (json.dumps({"name": "ok", "aliases": ["fine", "bad\u0007"]}).encode(), "aliases.1", 422),
        (json.dumps({"name": "ok", "aliases": "x" * 10}).encode(), "aliases", 422),
        (json.dumps({"name": "ok", "type": "robot"}).encode(), "type", 422),
        # a misspelt field is named, never dropped without a word
        (json.dumps({"name": "ok", "adress": "Berlin"}).encode(), "adress", 422),
        (b"\xff\xfe{}", "body", 422),  # not UTF-8
        (b"[" * 50_000 + b"]" * 50_000, "body", 422),  # nested past the parser's depth
    ],
)
def test_hostile_input_gets_4xx_naming_the_field(
    running: Running, content: bytes, field: str, status: int
) -> None:
    with running.client() as client:
        response = client.post(
            "/v1/screen", content=content, headers={"content-type": "application/json"}
        )
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert field in [f["field"] for f in error.get("fields", [])], error
    assert "Traceback" not in response.text and 'File "' not in response.text


UNPARSABLE = (
    b'{"name": "Huawei"',  # malformed JSON
    b"\xff\xfe{}",  # not UTF-8
    b"[" * 50_000 + b"]" * 50_000,  # nested past the parser's depth
)


@pytest.mark.parametrize("content", UNPARSABLE)
@pytest.mark.parametrize(
    ("path", "role"),
    [("/v1/screen", "screen"), ("/v1/screen/batch", "screen"), ("/v1/evaluate", "evaluate")],
)
def test_the_key_is_checked_before_the_body_is_judged(
    running: Running, content: bytes, path: str, role: str
) -> None:
    """A caller without a valid key (or without the role) learns 401 (403), whatever the
    body: a body the parser refuses must not answer an anonymous caller with a 422."""
    headers = {"content-type": "application/json"}
    with running.client(None) as anonymous:
        missing = anonymous.post(path, content=content, headers=headers)
        wrong = anonymous.post(path, content=content, headers={**headers, "X-API-Key": "nope"})
    other = "review" if role != "review" else "screen"
    with running.client(other) as client:
        forbidden = client.post(path, content=content, headers=headers)
    with running.client(role) as client:
        judged = client.post(path, content=content, headers=headers)
    assert missing.status_code == 401, missing.text
    assert missing.json()["error"]["type"] == "unauthenticated"
    assert "bearer" in missing.headers["www-authenticate"].lower()
    assert wrong.status_code == 401, wrong.text
    assert forbidden.status_code == 403, forbidden.text
    assert judged.status_code == 422 and judged.json()["error"]["fields"][0]["field"] == "body"


@pytest.mark.parametrize("name", ["!!!", "---", "™®", "😀"])
def test_a_single_name_with_nothing_to_compare_is_a_422_naming_it(
    running: Running, name: str
) -> None:
    """A name without a letter or digit cannot be screened: for one party that is the
    request's fault (422 naming ``name``, as for an empty name); in a batch it stays that
    row's ``error`` result, as in the CLI, so the good rows are kept."""
    with running.client() as client:
        single = client.post("/v1/screen", json={"name": name})
        with_alias = client.post("/v1/screen", json={"name": name, "aliases": [SMIC["name"]]})
        batch = client.post("/v1/screen/batch", json={"parties": [SMIC, {"name": name}]})
    assert single.status_code == 422, single.text
    fields = single.json()["error"]["fields"]
    assert fields[0]["field"] == "name" and name not in single.text
    assert with_alias.status_code == 200  # the alias is screened
    assert with_alias.json()["status"] in {"alert", "review"}
    assert batch.status_code == 200
    assert [r["status"] for r in batch.json()["results"]] == ["alert", "error"]


def test_misspelt_fields_of_batches_and_decisions_are_refused(running: Running) -> None:
    """A typo in ``expires_at`` must not record a false positive that never lapses."""
    with running.client("admin") as admin:
        batch = admin.post("/v1/screen/batch", json={"parties": [SMIC], "stream": True})
        assert batch.status_code == 422
        assert batch.json()["error"]["fields"][0]["field"] == "stream"
    with running.client("review") as client:
        decision = {
            "party": SMIC,
            "list": "EL",
            "entry_id": "x",
            "verdict": "false_positive",
            "reason": "not them",
            "expires": "2027-01-01T00:00:00Z",
        }
        refused = client.post("/v1/review/decisions", json=decision)
        assert refused.status_code == 422
        assert refused.json()["error"]["fields"][0]["field"] == "expires"


def test_bidi_controls_do_not_hide_a_listed_name(running: Running) -> None:
    """U+202E (right-to-left override) reorders how a name looks, not what is screened."""
    with running.client() as client:
        plain = client.post("/v1/screen", json=SMIC).json()
        hidden = client.post(
            "/v1/screen", json={**SMIC, "name": "\u202e" + SMIC["name"] + "\u202c"}
        ).json()
    assert plain["status"] == hidden["status"] == "alert"
    assert hidden["party"]["name"] == "\u202e" + SMIC["name"] + "\u202c"  # echoed as given


def test_oversized_requests(service_factory: ServiceFactory) -> None:
    running = service_factory(max_body_bytes=20_000, max_batch=10)
    with running.client() as client:
        big = client.post("/v1/screen", content=b"{" + b" " * 30_000 + b"}")
        assert big.status_code == 413 and big.json()["error"]["type"] == "too_large"

        def chunks() -> object:  # no Content-Length: the limit is counted as the body arrives
            for _ in range(40):
                yield b" " * 1000

        chunked = client.post(
            "/v1/screen", content=chunks(), headers={"content-type": "application/json"}
        )
        assert chunked.status_code == 413
        batch = client.post("/v1/screen/batch", json={"parties": [SMIC] * 11})
        assert batch.status_code == 413
        assert batch.json()["error"]["fields"][0]["field"] == "parties"
        deep = client.post("/v1/screen/batch", json={"parties": [SMIC, {"name": "x" * 600}]})
        assert deep.status_code == 422
        assert deep.json()["error"]["fields"][0]["field"] == "parties.1.name"
        assert client.get("/v1/nothing").json()["error"]["type"] == "not_found"


def test_per_request_timeout(service_factory: ServiceFactory) -> None:
    running = service_factory(request_timeout_s=0.001)
    with running.client() as client:
        response = client.post("/v1/screen/batch", json={"parties": [SMIC] * 3000})
    assert response.status_code == 504
    assert response.json()["error"]["type"] == "timeout"


def test_lists_health_and_readiness(running: Running) -> None:
    with running.client() as client:
        assert client.get("/healthz").json()["status"] == "ok"
        ready = client.get("/readyz").json()
        lists = client.get("/v1/lists").json()
    assert ready["status"] == "ready"
    assert [s["snapshot_id"] for s in lists["screening"]["snapshots"]] == ready["snapshots"]
    assert lists["screening"]["weights_id"].startswith("w-")
    csl = next(r for r in lists["sources"] if r["source"] == "trade.gov-csl")
    assert csl["snapshot_id"] == ready["snapshots"][0]
    assert any("STALE" in w for w in csl["warnings"])  # the 2024 excerpt is old: said so
    assert lists["limits"]["max_batch"] >= 1


def test_review_open_hits_decision_and_audit_chain(running: Running) -> None:
    with running.client("review") as client:
        first = client.post("/v1/review/alerts", json={"parties": [SMIC]})
        assert first.status_code == 200, first.text
        hit = first.json()[0]["hits"][0]
        assert hit["state"] == "open"
        decision = client.post(
            "/v1/review/decisions",
            json={
                "party": SMIC,
                "list": hit["hit"]["list"],
                "entry_id": hit["hit"]["entry_id"],
                "verdict": "false_positive",
                "reason": "different company: checked the registry",
            },
        )
        assert decision.status_code == 201, decision.text
        assert decision.json()["reviewer"] == "review-user"
        again = client.post("/v1/review/alerts", json={"parties": [SMIC]}).json()
        assert again[0]["hits"][0]["state"] == "suppressed"
        missing = client.post(
            "/v1/review/decisions",
            json={
                "party": SMIC,
                "list": "EL",
                "entry_id": "no-such-entry",
                "verdict": "true_match",
                "reason": "x",
            },
        )
        assert missing.status_code == 404
        chain = client.get("/v1/review/audit/verify").json()
    assert chain["ok"] is True and chain["records"] >= 3  # two screenings, one decision


def test_snapshot_swap_under_concurrent_load(
    service_factory: ServiceFactory, tmp_path: Path
) -> None:
    running = service_factory(rows=20)
    old_ids = None
    failures: list[str] = []
    seen: set[tuple[str, ...]] = set()
    stop = threading.Event()

    def hammer() -> None:
        with running.client() as client:
            while not stop.is_set():
                try:
                    r = client.post("/v1/screen", json=SMIC)
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))
                    continue
                if r.status_code != 200:
                    failures.append(f"{r.status_code} {r.text[:200]}")
                    continue
                body_ids = tuple(s["snapshot_id"] for s in r.json()["snapshots"])
                if body_ids != tuple(_ids(r)):
                    failures.append("body and headers name different snapshots")
                seen.add(body_ids)

    with running.client() as client:
        old_ids = tuple(_ids(client.get("/readyz")))
    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    new_id = publish_excerpt(running.store, tmp_path / "v2")  # the whole excerpt
    with running.client("admin") as admin:
        swapped = admin.post("/v1/admin/reload")
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join()
    assert swapped.status_code == 200 and swapped.json()["swapped"] is True
    assert not failures, failures[:5]
    assert old_ids in seen and (new_id,) in seen
    with running.client() as client:
        assert tuple(_ids(client.post("/v1/screen", json=SMIC))) == (new_id,)


def test_shutdown_finishes_requests_in_flight(service_factory: ServiceFactory) -> None:
    running = service_factory()
    outcome: dict[str, object] = {}
    # distinct names: no cache makes the batch quick, so it is still running at the stop
    parties = [{"name": f"{SMIC['name']} {n} Holdings", "country": "CN"} for n in range(5000)]

    def long_batch() -> None:
        with running.client() as client:
            try:
                r = client.post("/v1/screen/batch", json={"parties": parties})
                outcome["done"] = time.monotonic()
                outcome["status"] = r.status_code
                outcome["results"] = len(r.json()["results"])
            except httpx.HTTPError as exc:
                outcome["error"] = repr(exc)

    thread = threading.Thread(target=long_batch)
    thread.start()
    time.sleep(0.3)  # the batch is being screened
    stopped = time.monotonic()
    running.stop()  # graceful: stop accepting, finish what is in flight
    thread.join(timeout=60)
    assert outcome.get("status") == 200, outcome
    assert outcome["results"] == 5000
    assert outcome["done"] > stopped  # it really was in flight when the stop came
    with pytest.raises(httpx.TransportError):
        httpx.get(running.url + "/healthz", timeout=2)


def test_access_log_never_holds_party_names(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Zyxwvut Secretive Trading"
    with caplog.at_level(logging.INFO, logger="compliance.service.access"):
        with running.client() as client:
            client.post("/v1/screen", json={"name": secret})
            client.post("/v1/screen/batch", json={"parties": [{"name": secret}]})
        time.sleep(0.1)
    records = [r.getMessage() for r in caplog.records if r.name == "compliance.service.access"]
    assert len(records) >= 2
    assert all(secret not in line for line in records)
    entry = next(e for e in map(json.loads, records) if e["path"] == "/v1/screen")
    assert entry["status"] == 200
    assert entry["principal"] == "screen-user" and entry["parties"] == 1


def test_published_openapi_is_current() -> None:
    from compliance.service.openapi import openapi_text

    published = Path(__file__).resolve().parents[2] / "docs/openapi.json"
    assert published.read_text(encoding="utf-8") == openapi_text(), (
        "docs/openapi.json is stale: python -m compliance.service.openapi docs/openapi.json"
    )
    paths = json.loads(openapi_text())["paths"]
    for path in ("/v1/screen", "/v1/screen/batch", "/v1/evaluate", "/v1/lists", "/readyz"):
        assert path in paths
    assert "Party" in json.dumps(paths["/v1/screen"])  # the library's own models
