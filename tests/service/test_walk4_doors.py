"""The walk4 HTTP inputs: what FastAPI would accept silently (a key given twice, a query
parameter the endpoint does not take) is a 422 naming it, never "the last one wins" or a
restriction that was not applied (docs/benchmarks.md, 'walk4')."""

from __future__ import annotations

import pytest

from .conftest import Running

JSON = {"content-type": "application/json"}


def _fields(response: object) -> list[str]:
    body = response.json()  # type: ignore[attr-defined]
    return [f["field"] for f in body["error"].get("fields", [])]


@pytest.mark.parametrize(
    ("path", "content", "field"),
    [
        ("/v1/screen", b'{"name": "Huawei Technologies", "name": "Acme"}', "name"),
        ("/v1/screen", b'{"name": "Acme", "country": "CN", "country": "US"}', "country"),
        ("/v1/screen", b'{"name": "Acme", "extra": {"k": "a", "k": "b"}}', "extra.k"),
        (
            "/v1/screen/batch",
            b'{"parties": [{"name": "Acme"}, {"name": "Huawei", "name": "Acme"}]}',
            "parties.1.name",
        ),
        (
            "/v1/screen/batch",
            b'{"parties": [{"name": "Huawei"}], "parties": [{"name": "Acme"}]}',
            "parties",
        ),
    ],
)
def test_a_key_given_twice_is_refused_naming_it(
    running: Running, path: str, content: bytes, field: str
) -> None:
    with running.client() as client:
        response = client.post(path, content=content, headers=JSON)
    assert response.status_code == 422, response.text
    assert field in _fields(response), response.text
    assert "twice" in response.text


def test_the_same_key_in_different_objects_is_not_a_duplicate(running: Running) -> None:
    body = {"parties": [{"name": "Acme", "country": "US"}, {"name": "Beta", "country": "US"}]}
    with running.client() as client:
        single = client.post(
            "/v1/screen", content=b'{"name": "Acme", "aliases": ["name"]}', headers=JSON
        )
        batch = client.post("/v1/screen/batch", json=body)
    assert single.status_code == 200, single.text
    assert batch.status_code == 200, batch.text


@pytest.mark.parametrize("path", ["/v1/screen", "/v1/screen/batch"])
@pytest.mark.parametrize("query", ["lists=SDN", "lists=NOPE", "max_hit=0", "max_hits=1&x=2"])
def test_a_query_parameter_the_endpoint_does_not_take_is_refused(
    running: Running, path: str, query: str
) -> None:
    body = {"name": "Acme"} if path == "/v1/screen" else {"parties": [{"name": "Acme"}]}
    with running.client() as client:
        response = client.post(f"{path}?{query}", json=body)
        plain = client.post(f"{path}?max_hits=1", json=body)
    assert response.status_code == 422, response.text
    unknown = [p.split("=")[0] for p in query.split("&") if p.split("=")[0] != "max_hits"]
    assert _fields(response) == unknown, response.text
    assert plain.status_code == 200, plain.text


def test_a_key_given_twice_once_in_json_escapes_is_refused(running: Running) -> None:
    content = b'{"name": "Acme", "extra": {"caf\\u00e9": "a", "caf\xc3\xa9": "b"}}'
    with running.client() as client:
        response = client.post("/v1/screen", content=content, headers=JSON)
    assert response.status_code == 422, response.text
    assert _fields(response) == ["extra.caf\u00e9"], response.text


@pytest.mark.parametrize("path", ["/v1/screen", "/v1/screen/batch"])
@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_body_sent_as_another_media_type_names_the_content_type(
    running: Running, path: str, content_type: str | None
) -> None:
    """Valid JSON under the wrong Content-Type: the caller learns to fix the header, not that
    the body 'should be a valid dictionary'."""
    content = b'{"name": "Acme"}' if path == "/v1/screen" else b'{"parties": [{"name": "Acme"}]}'
    headers = {"content-type": content_type} if content_type else {}
    with running.client() as client:
        response = client.post(path, content=content, headers=headers)
    assert response.status_code == 422, response.text
    assert _fields(response) == ["content-type"], response.text
    assert "application/json" in response.json()["error"]["message"]
