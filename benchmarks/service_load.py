"""Load on ``compliance serve``: N concurrent clients screening single parties for a fixed time.

Usage (from the repository root, with a store holding the full CSL, e.g. the one
``benchmarks/index_speed.py --store /tmp/bench-store`` fills)::

    python benchmarks/service_load.py --data-dir /tmp/bench-store --clients 8 --seconds 30

Starts ``compliance serve`` as a separate process on a free loopback port (its saved index
already built), waits for ``/readyz``, then runs ``--clients`` closed-loop clients (one
asyncio loop, httpx) that each send ``POST /v1/screen`` back to back, optionally paced to
``--rate`` requests/s in total. Names: every 7th one a listed CSL name, the rest real
innocent company names from ../shared/data/eval/negatives (deterministic order).
Reports throughput, latency p50/p90/p99/max, errors, and the server's RSS sampled every
second (flat memory = no leak). Prints one JSON object. Never a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from compliance.users import hash_api_key

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
CSL = SHARED / "lists/csl/2026-07-31_compact/consolidated.csv"
NEGATIVES = SHARED / "eval/negatives/sec_company_tickers.csv"


def names(limit: int = 5000) -> list[dict[str, str]]:
    listed: list[str] = []
    with CSL.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            listed.append(row["name"])
    innocent: list[str] = []
    with NEGATIVES.open(encoding="utf-8", newline="") as fh:
        innocent = [row["name"] for row in csv.DictReader(fh)]
    out: list[dict[str, str]] = []
    for k in range(limit):
        name = listed[(k * 37) % len(listed)] if k % 7 == 0 else innocent[k % len(innocent)]
        out.append({"name": name})
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (``serve --workers N`` runs a supervisor and N workers)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(_stat(int(entry.name))[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def cpu_s(pid: int) -> float:
    """User + system CPU seconds so far of a process and its descendants (/proc/PID/stat)."""
    total = 0
    for p in process_tree(pid):
        try:
            fields = _stat(p)
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def rss_kb(pid: int) -> int:
    """Resident set of a process and its descendants (shared index pages counted per process)."""
    total = 0
    for p in process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


async def client_loop(
    client: httpx.AsyncClient,
    parties: list[dict[str, str]],
    offset: int,
    stop_at: float,
    interval: float,
    latencies: list[float],
    errors: list[str],
) -> None:
    k = offset
    next_send = time.perf_counter()
    while time.perf_counter() < stop_at:
        if interval:
            delay = next_send - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            next_send += interval
        party = parties[k % len(parties)]
        k += 1
        started = time.perf_counter()
        try:
            response = await client.post("/v1/screen", json=party)
            if response.status_code != 200:
                errors.append(str(response.status_code))
                continue
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)
            continue
        latencies.append(time.perf_counter() - started)


async def run_load(
    url: str, key: str, clients: int, seconds: float, rate: float, pid: int
) -> dict[str, object]:
    parties = names()
    latencies: list[float] = []
    errors: list[str] = []
    rss: list[int] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=url, headers={"X-API-Key": key}, timeout=30.0, limits=limits
    ) as client:
        # warm-up: a few requests so first-use costs are not in the figures
        for party in parties[:50]:
            await client.post("/v1/screen", json=party)
        rss.append(rss_kb(pid))
        server_cpu = cpu_s(pid)
        started = time.perf_counter()
        stop_at = started + seconds
        interval = clients / rate if rate else 0.0

        async def sample() -> None:
            while time.perf_counter() < stop_at:
                await asyncio.sleep(1.0)
                rss.append(rss_kb(pid))

        await asyncio.gather(
            sample(),
            *(
                client_loop(client, parties, i * 613, stop_at, interval, latencies, errors)
                for i in range(clients)
            ),
        )
        elapsed = time.perf_counter() - started
        server_cpu = cpu_s(pid) - server_cpu
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 2)

    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "target_rate": rate or None,
        "requests": len(latencies),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "latency_ms": {
            "p50": pct(0.50),
            "p90": pct(0.90),
            "p99": pct(0.99),
            "max": round(ordered[-1] * 1000, 2) if ordered else None,
            "mean": round(statistics.fmean(ordered) * 1000, 2) if ordered else None,
        },
        "server_cpu_ms_per_request": round(server_cpu * 1000 / max(1, len(latencies)), 2),
        "server_cpu_s": round(server_cpu, 2),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "rss_mb": [round(r / 1024, 1) for r in rss],
    }


@dataclass
class Serving:
    """A running ``compliance serve``: where it listens, the API key it accepts, its files."""

    url: str
    key: str
    pid: int
    work: Path
    ready_s: float


@contextlib.contextmanager
def serving(data_dir: Path, workers: int = 1) -> Iterator[Serving]:
    """``compliance serve`` in its own process on a free loopback port, with one user
    (role screen, a fresh API key) and a review database in a temporary folder; yields
    once ``/readyz`` answers 200, stops the server and removes the folder after."""
    key = "ck_" + secrets.token_urlsafe(24)
    work = Path(tempfile.mkdtemp(prefix="service-bench-"))
    users = {
        "users": [{"name": "bench", "roles": ["screen"], "api_keys_sha256": [hash_api_key(key)]}]
    }
    (work / "users.yaml").write_text(yaml.safe_dump(users), encoding="utf-8")
    port = free_port()
    env = {**os.environ, "COMPLIANCE_DATA_DIR": str(data_dir)}
    cmd = [sys.executable, "-m", "compliance", "serve", "--port", str(port)]
    cmd += ["--users", str(work / "users.yaml"), "--db", str(work / "review.sqlite")]
    cmd += ["--workers", str(workers)] if workers > 1 else []
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        ready_at = time.perf_counter()
        while True:
            try:
                if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None:
                raise SystemExit("the server exited")
            time.sleep(0.1)
        yield Serving(url, key, server.pid, work, time.perf_counter() - ready_at)
    finally:
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True, help="COMPLIANCE_DATA_DIR")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=0.0, help="total requests/s (0: flat out)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    args = parser.parse_args()
    with serving(args.data_dir, args.workers) as server:
        result = asyncio.run(
            run_load(server.url, server.key, args.clients, args.seconds, args.rate, server.pid)
        )
        result["server_ready_s"] = round(server.ready_s, 2)
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
