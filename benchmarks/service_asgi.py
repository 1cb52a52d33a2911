"""CPU per request of the service's ASGI app, in-process: the figure that holds on a busy machine.

``service_wrk.py`` measures latency over real HTTP, which a shared 2-core machine turns to
noise. This script drives the app that ``compliance serve`` runs (``create_app``, the same
middleware, routers and error handling) without a socket or an HTTP parser: each request is
an ASGI call on one event loop, with the bodies of ``service_wrk.py`` (2,000 SEC company
names, every 7th a listed name). It reports, per request, the process CPU time (all threads:
the screening worker thread too) of the whole app and of screening alone (``Screener.screen``
on the same parties), so the framework's share is their difference::

    python benchmarks/service_asgi.py --data-dir /tmp/bench-store [--passes 3] [--max-hits N]

``--max-hits`` sets the service's default (``Limits.max_hits``; 0: every hit, as before it
existed). Prints one JSON object: mean and p50/p90/p99/max CPU ms per request, the mean
response size, and the same for the listed names alone. Never a test.

On a busy machine CPU times drift; instruction counts do not. ``--callgrind`` counts one
pass of app calls after the warm-up (instrumentation switched on for that pass only;
``--listed-only``: the listed names' requests alone, the ones that set the p99), and
``--tree`` runs another checkout's code (main's, for an A/B) with this script::

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.%p \
        python benchmarks/service_asgi.py --data-dir /tmp/bench-store --callgrind \
        [--listed-only] [--tree /work/main]
    callgrind_annotate /tmp/cg.PID | head    # total instructions / requests counted
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
if "--tree" in sys.argv:  # another checkout's library code (an A/B), before it is imported
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--tree") + 1]).resolve()))

from benchmarks.service_wrk import LISTED, bodies  # noqa: E402
from compliance.screening.results import Party  # noqa: E402
from compliance.users import User, UserDirectory, hash_api_key  # noqa: E402

KEY = "ck_bench-service-asgi"


def _scope(path: str, body: bytes, query: str = "") -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-api-key", KEY.encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def call(app: Any, body: bytes) -> tuple[int, int]:
    """One ``POST /v1/screen``: (status, response bytes)."""
    sent = False
    status = 0
    size = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, size
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            size += len(message.get("body", b""))

    await app(_scope("/v1/screen", body), receive, send)
    return status, size


def _summary(cpu_ms: list[float]) -> dict[str, float]:
    ordered = sorted(cpu_ms)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 3)

    return {
        "mean": round(statistics.fmean(ordered), 3),
        "p50": pct(0.50),
        "p90": pct(0.90),
        "p99": pct(0.99),
        "max": round(ordered[-1], 3),
    }


def _screen_alone(screener: Any, party: Party, cap: int) -> None:
    """Screening as the service asks for it: only the hits shown built, where the screener
    of the tree can (``Screener.screen(max_hits=)``; a tree before it screens in full)."""
    try:
        screener.screen(party, max_hits=cap or None)
    except TypeError:
        screener.screen(party)


async def count_instructions(app: Any, requests: list[bytes]) -> dict[str, Any]:
    """One pass of ``requests`` with callgrind's instrumentation on (under valgrind)."""
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "-i", "on", pid], check=True, capture_output=True)
    errors = 0
    for body in requests:
        status, _ = await call(app, body)
        errors += status != 200
    subprocess.run(["callgrind_control", "-i", "off", pid], check=True, capture_output=True)
    return {"requests_counted": len(requests), "errors": errors, "pid": os.getpid()}


async def run(
    passes: int, max_hits: int | None, *, callgrind: bool = False, listed_only: bool = False
) -> dict[str, Any]:
    from compliance.service import ServiceConfig, create_app
    from compliance.service.config import Limits

    users = UserDirectory([User("bench", frozenset({"screen"}), (hash_api_key(KEY),))])
    limits = Limits() if max_hits is None else Limits(max_hits=max_hits)  # type: ignore[call-arg]
    # as ``compliance serve`` configures it (freeze_heap: the index outside the cyclic GC)
    config = ServiceConfig(
        limits=limits, reload_interval_s=0, queue_sync_interval_s=0, freeze_heap=True
    )
    app = create_app(config, users=users)
    state = app.state.service
    state.reload()
    screener = state.current_screener()
    requests = [b.encode() for b in bodies()]
    listed = {json.dumps({"name": name}).encode() for name in LISTED}
    cap = state.config.limits.max_hits
    # warm-up: one pass, so first-use caches are filled before anything is counted
    for body in requests:
        await call(app, body)
        _screen_alone(screener, Party.model_validate_json(body), cap)
    if callgrind:
        counted = [b for b in requests if b in listed] if listed_only else requests
        return await count_instructions(app, counted)
    app_ms: list[float] = []
    listed_ms: list[float] = []
    sizes: list[int] = []
    listed_sizes: list[int] = []
    errors = 0
    for _ in range(passes):
        for body in requests:
            started = time.process_time()
            status, size = await call(app, body)
            spent = (time.process_time() - started) * 1000
            errors += status != 200
            app_ms.append(spent)
            sizes.append(size)
            if body in listed:
                listed_ms.append(spent)
                listed_sizes.append(size)
    screen_ms: list[float] = []
    for _ in range(passes):
        for body in requests:
            started = time.process_time()
            _screen_alone(screener, Party.model_validate_json(body), cap)
            screen_ms.append((time.process_time() - started) * 1000)
    return {
        "requests": len(app_ms),
        "errors": errors,
        "max_hits": getattr(state.config.limits, "max_hits", None),  # None: before the cap
        "app_cpu_ms": _summary(app_ms),
        "screening_cpu_ms": _summary(screen_ms),
        "framework_cpu_ms_mean": round(statistics.fmean(app_ms) - statistics.fmean(screen_ms), 3),
        "response_bytes_mean": round(statistics.fmean(sizes)),
        "listed_app_cpu_ms": _summary(listed_ms),
        "listed_response_bytes_mean": round(statistics.fmean(listed_sizes)),
        "load_average": os.getloadavg()[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True, help="COMPLIANCE_DATA_DIR")
    parser.add_argument("--passes", type=int, default=3, help="passes over the 2,000 bodies")
    parser.add_argument("--max-hits", type=int, default=None, help="the service's default")
    parser.add_argument("--callgrind", action="store_true", help="count one pass (valgrind)")
    parser.add_argument("--listed-only", action="store_true", help="with --callgrind")
    parser.add_argument("--tree", type=Path, default=REPO, help="library code to run")
    args = parser.parse_args()
    os.environ["COMPLIANCE_DATA_DIR"] = str(args.data_dir)
    logging_off()
    result = asyncio.run(
        run(args.passes, args.max_hits, callgrind=args.callgrind, listed_only=args.listed_only)
    )
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0


def logging_off() -> None:
    """The access log as ``compliance serve`` writes it (INFO, one JSON line a request), to a
    null stream: its formatting is counted, a terminal's speed is not."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=open(os.devnull, "w"))  # noqa: SIM115


if __name__ == "__main__":
    raise SystemExit(main())
