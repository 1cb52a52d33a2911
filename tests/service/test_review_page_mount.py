"""The review page (``compliance.web``, built separately) is mounted at /ui when installed, and
gets the service state as its ``WebContext``."""

from __future__ import annotations

import sys
import time
import types
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from compliance.screening.screener import Screener
from compliance.service import ServiceConfig, create_app
from compliance.users import UserDirectory
from compliance.watchlists.store import SnapshotStore

from .conftest import publish_excerpt


def test_review_page_router_is_mounted_with_the_service_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def create_router(context: Any) -> APIRouter:
        seen["context"] = context
        router = APIRouter()

        @router.get("/ping")
        def ping() -> dict[str, Any]:
            return {
                "screener": isinstance(context.current_screener(), Screener),
                "snapshots": [s["snapshot_id"] for s in context.screening_metadata()["snapshots"]],
                "sources": [r["source"] for r in context.lists_status()],
            }

        return router

    fake = types.ModuleType("compliance.web")
    fake.__spec__ = ModuleSpec("compliance.web", None)
    fake.create_router = create_router  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "compliance.web", fake)
    store = SnapshotStore(tmp_path / "store")
    snapshot_id = publish_excerpt(store, tmp_path / "v1")
    config = ServiceConfig(store=store.root, review_db=tmp_path / "r.sqlite", reload_interval_s=0)
    with TestClient(create_app(config, users=UserDirectory([]))) as client:
        context = seen["context"]
        assert context.review_db == tmp_path / "r.sqlite"
        assert isinstance(context.session_secret, bytes) and len(context.session_secret) >= 16
        assert isinstance(context.users, UserDirectory)
        for _ in range(200):
            if client.get("/readyz").status_code == 200:
                break
            time.sleep(0.05)
        body = client.get("/ui/ping").json()
    assert body["screener"] is True
    assert body["snapshots"] == [snapshot_id]
    assert "trade.gov-csl" in body["sources"]
