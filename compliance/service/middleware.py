"""Request plumbing in one ASGI layer: a request id, the body size limit, the headers that name
the lists used, and the JSON access log (which never holds party names unless configured)."""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from compliance._version import __version__

access_log = logging.getLogger("compliance.service.access")


class ServiceMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, log_party_names: bool) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.log_party_names = log_party_names

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = scope.setdefault("state", {})
        request_id = _request_id(scope)
        state["request_id"] = request_id
        status = {"code": 500, "bytes": 0}
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await _too_large(send, request_id, self.max_body_bytes)
            self._log(scope, 413, started, 0, request_id)
            return
        received = 0
        overflow = {"seen": False, "answered": False}

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    overflow["seen"] = True  # whatever the app answers, the client gets 413
                    raise _BodyTooLarge()
            return message

        async def send_with_headers(message: Message) -> None:
            if overflow["seen"]:
                if not overflow["answered"] and message["type"] == "http.response.start":
                    overflow["answered"] = True
                    await _too_large(send, request_id, self.max_body_bytes)
                return
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = list(message.get("headers", []))
                headers += _list_headers(scope, request_id)
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                status["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _BodyTooLarge:
            if not overflow["answered"]:
                overflow["answered"] = True
                await _too_large(send, request_id, self.max_body_bytes)
        finally:
            if overflow["seen"]:
                status["code"] = 413
            self._log(scope, status["code"], started, status["bytes"], request_id)

    def _log(self, scope: Scope, status: int, started: float, size: int, request_id: str) -> None:
        state = scope.get("state", {})
        record: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "request_id": request_id,
            "client": (scope.get("client") or ("-", 0))[0],
            "method": scope.get("method"),
            "path": scope.get("path"),
            "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 2),
            "bytes": size,
            "principal": state.get("principal"),
            "parties": state.get("party_count"),
        }
        if self.log_party_names and state.get("party_names"):
            record["party_names"] = state["party_names"]
        access_log.info(json.dumps(record, ensure_ascii=False, sort_keys=True))


class _BodyTooLarge(Exception):
    pass


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text: str = value.decode("latin-1")[:64]
            if text and all(c.isalnum() or c in "-_." for c in text):
                return text
    return uuid.uuid4().hex


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _list_headers(scope: Scope, request_id: str) -> list[tuple[bytes, bytes]]:
    """Every response names the library version, and the snapshots and weights of the
    screener that answered (or of the one in use, for requests that did not screen)."""
    headers = [
        (b"x-request-id", request_id.encode()),
        (b"x-compliance-version", __version__.encode()),
    ]
    generation = scope.get("state", {}).get("generation")
    if generation is None:
        app = scope.get("app")
        service = getattr(getattr(app, "state", None), "service", None)
        generation = getattr(service, "_generation", None)
    if generation is not None:
        ids = ",".join(r.snapshot_id for r in generation.screener.snapshot_refs)
        headers.append((b"x-compliance-snapshots", ids.encode()))
        headers.append((b"x-compliance-weights", generation.screener.weights.weights_id.encode()))
    return headers


async def _too_large(send: Send, request_id: str, limit: int) -> None:
    body = json.dumps(
        {
            "error": {
                "type": "too_large",
                "message": f"request body larger than {limit} bytes",
                "fields": [{"field": "body", "message": f"at most {limit} bytes"}],
                "request_id": request_id,
            }
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                (b"x-request-id", request_id.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
