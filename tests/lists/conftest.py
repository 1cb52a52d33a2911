"""A real HTTP server on loopback that serves list files and broken variants of them.

No mocked transport: the updater's own httpx client talks to this server over TCP on
127.0.0.1. Every handler is bounded in time (stalls last at most ``MAX_STALL`` seconds) and
the server stops when the test ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from compliance.watchlists.update import HttpSettings

MAX_STALL = 3.0


@dataclass
class Route:
    """What the server answers for one path."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/csv"
    etag: str | None = None
    last_modified: str | None = None
    stall: float = 0.0  # seconds to wait before sending anything
    drip: float = 0.0  # seconds between 1-KiB chunks of the body
    claim_length: int | None = None  # Content-Length to announce (truncated transfer)
    fail_first: int = 0  # answer 503 to the first N requests
    retry_after: str | None = None  # Retry-After header on those 503 answers


@dataclass
class LoopbackServer:
    base_url: str
    routes: dict[str, Route] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    conditional: list[dict[str, str]] = field(default_factory=list)

    def serve(self, name: str, route: Route) -> None:
        self.routes["/" + name] = route


def _handler(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            return

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            count = server.hits.get(path, 0) + 1
            server.hits[path] = count
            route = server.routes.get(path)
            if route is None:
                self._send(404, b"not found", "text/plain")
                return
            cond = {k: v for k, v in self.headers.items() if k.lower().startswith("if-")}
            server.conditional.append(cond)
            if route.stall:
                time.sleep(min(route.stall, MAX_STALL))
            if count <= route.fail_first:
                extra = {"Retry-After": route.retry_after} if route.retry_after else {}
                self._send(503, b"unavailable", "text/plain", extra)
                return
            same_etag = route.etag and self.headers.get("If-None-Match") == route.etag
            same_date = (
                route.last_modified
                and not route.etag
                and self.headers.get("If-Modified-Since") == route.last_modified
            )
            if same_etag or same_date:
                self.send_response(304)
                if route.etag:
                    self.send_header("ETag", route.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route.status != 200:
                self._send(route.status, b"<html>error</html>", "text/html")
                return
            self.send_response(200)
            if route.content_type:
                self.send_header("Content-Type", route.content_type)
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            length = route.claim_length if route.claim_length is not None else len(route.body)
            self.send_header("Content-Length", str(length))
            if route.claim_length is not None:
                self.send_header("Connection", "close")
            self.end_headers()
            try:
                if route.drip:
                    deadline = time.monotonic() + MAX_STALL
                    for i in range(0, len(route.body), 1024):
                        if time.monotonic() > deadline:
                            break
                        self.wfile.write(route.body[i : i + 1024])
                        self.wfile.flush()
                        time.sleep(route.drip)
                else:
                    self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            if route.claim_length is not None:
                self.close_connection = True

        def _send(
            self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    """A threaded HTTP server on 127.0.0.1 with an ephemeral port."""
    state = LoopbackServer(base_url="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def fast_http() -> HttpSettings:
    """Short timeouts and no real sleeping between retries."""
    return HttpSettings(
        connect_timeout=1.0,
        read_timeout=0.5,
        total_timeout=1.5,
        retries=2,
        backoff=0.0,
        sleep=lambda _s: None,
    )


@pytest.fixture
def csl_2026(shared_data: Path) -> Path:
    return shared_data / "lists" / "csl" / "2026-07-31_compact" / "consolidated.csv"


@pytest.fixture
def csl_2022(shared_data: Path) -> Path:
    return shared_data / "lists" / "csl" / "2022-05_watchman" / "consolidated.csv"
