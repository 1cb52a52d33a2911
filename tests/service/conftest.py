"""A real uvicorn on 127.0.0.1 (a free port, its own thread) over a temporary snapshot store."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from compliance.service import ServiceConfig, create_app
from compliance.service.config import Limits
from compliance.users import UserDirectory, hash_api_key, parse_users
from compliance.watchlists.bundled import bundled_lists_dir
from compliance.watchlists.store import SnapshotStore
from compliance.watchlists.update import import_files
from tests.servers import ThreadedServer

KEYS = {"screen": "k-screen-0123", "evaluate": "k-eval-0123", "review": "k-review-0123"}
ADMIN_KEY = "k-admin-0123"


def users() -> UserDirectory:
    entries = [
        {"name": f"{role}-user", "roles": [role], "api_keys_sha256": [hash_api_key(key)]}
        for role, key in KEYS.items()
    ]
    entries.append(
        {"name": "ops", "roles": ["admin"], "api_keys_sha256": [hash_api_key(ADMIN_KEY)]}
    )
    return parse_users({"users": entries})


def publish_excerpt(store: SnapshotStore, folder: Path, rows: int | None = None) -> str:
    """Publish the bundled excerpt (or its first ``rows`` rows) as a CSL snapshot."""
    source = bundled_lists_dir() / "entity_list_excerpt.csv"
    with source.open(encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    if rows is not None:
        table = table[: rows + 1]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "consolidated.csv"
    target.write_text(out.getvalue(), encoding="utf-8")
    outcome = import_files(
        store, source="trade.gov-csl", label="CSL", fmt="csl-csv", paths=[target], force=True
    )
    assert outcome.ok and outcome.snapshot_id
    return outcome.snapshot_id


@dataclass
class Running:
    url: str
    served: ThreadedServer
    store: SnapshotStore
    root: Path

    def client(self, role: str | None = "screen", **kwargs: object) -> httpx.Client:
        headers = {"X-API-Key": ADMIN_KEY if role == "admin" else KEYS[role]} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60.0, **kwargs)  # type: ignore[arg-type]

    @property
    def server(self) -> uvicorn.Server:
        return self.served.server

    @property
    def thread(self) -> threading.Thread:
        return self.served.thread

    def stop(self) -> None:
        self.served.stop()


def start(config: ServiceConfig, store: SnapshotStore, root: Path) -> Running:
    served = ThreadedServer(
        create_app(config, users=users()),
        started_within=120,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=30,
    )
    running = Running(served.url, served, store, root)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(running.url + "/readyz", timeout=5).status_code == 200:
                return running
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    running.stop()
    raise RuntimeError("the service did not become ready")


ServiceFactory = Callable[..., Running]


@pytest.fixture
def service_factory(tmp_path: Path) -> Iterator[ServiceFactory]:
    started: list[Running] = []

    def make(rows: int | None = None, **limits: object) -> Running:
        store = SnapshotStore(tmp_path / "store")
        publish_excerpt(store, tmp_path / "v1", rows)
        config = ServiceConfig(
            store=store.root,
            review_db=tmp_path / "review.sqlite",
            limits=Limits(**limits),  # type: ignore[arg-type]
            reload_interval_s=0,
        )
        running = start(config, store, tmp_path)
        started.append(running)
        return running

    yield make
    for running in started:
        running.stop()


@pytest.fixture
def running(service_factory: ServiceFactory) -> Running:
    return service_factory()
