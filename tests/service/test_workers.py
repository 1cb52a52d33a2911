"""``compliance serve --workers N``: N server processes over one saved index, one config."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from compliance.errors import ConfigurationError
from compliance.screening.persist import load_or_build_screener
from compliance.screening.results import Party
from compliance.service.app import CONFIG_ENV, create_app_from_environment
from compliance.users import hash_api_key
from compliance.watchlists.store import SnapshotStore
from tests.servers import free_port

from .conftest import KEYS, publish_excerpt

pytest.importorskip("uvicorn")


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_two_workers_serve_the_same_results_as_the_library(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "store")
    publish_excerpt(store, tmp_path / "v1")
    users_file = tmp_path / "users.yaml"
    entries = [
        {"name": f"{role}-user", "roles": [role], "api_keys_sha256": [hash_api_key(key)]}
        for role, key in KEYS.items()
    ]
    users_file.write_text(yaml.safe_dump({"users": entries}), encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {CONFIG_ENV}}
    cmd = [sys.executable, "-m", "compliance", "serve", "--workers", "2", "--port", str(port)]
    cmd += ["--store", str(store.root), "--users", str(users_file)]
    cmd += ["--db", str(tmp_path / "review.sqlite"), "--reload-interval", "0"]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            try:
                if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        expected = load_or_build_screener(store).screener
        names = ["Semiconductor Manufacturing International Corporation", "Acme Widgets", "Huawei"]
        with httpx.Client(base_url=url, headers={"X-API-Key": KEYS["screen"]}) as client:
            for _ in range(4):  # more requests than workers: each worker answers some
                for name in names:
                    r = client.post("/v1/screen", json={"name": name})
                    # readiness is per worker: /readyz answered by one worker says nothing of
                    # the other, which answers 503 not_ready until its index is loaded
                    while r.status_code == 503 and time.monotonic() < deadline:
                        assert r.json()["error"]["type"] == "not_ready", r.text
                        time.sleep(0.1)
                        r = client.post("/v1/screen", json={"name": name})
                    assert r.status_code == 200, r.text
                    want = expected.screen(Party(name=name))
                    got = r.json()
                    assert [h["entry_id"] for h in got["hits"]] == [h.entry_id for h in want.hits]
                    assert got["status"] == want.status
        # the supervisor plus two worker processes (uvicorn's multiprocess manager)
        workers = [p for c in _children(server.pid) for p in [c, *_children(c)]]
        assert len([p for p in workers if p != server.pid]) >= 2
    finally:
        server.terminate()
        server.wait(timeout=60)
    # the workers (only they answer requests) write the JSON access log and say what they
    # screen with (one connection may meet one worker only: at least one says it)
    output = server.stdout.read().decode() if server.stdout else ""
    access = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    screens = [a for a in access if a.get("path") == "/v1/screen" and a.get("status") == 200]
    assert len(screens) >= 4 * len(names), output
    assert "screening with snapshots" in output, output


def test_zero_workers_is_a_usage_error(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "compliance", "serve", "--workers", "0"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2
    assert "--workers" in r.stderr and "at least 1" in r.stderr


def test_the_worker_factory_needs_the_config_from_its_parent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    with pytest.raises(ConfigurationError, match=CONFIG_ENV):
        create_app_from_environment()
