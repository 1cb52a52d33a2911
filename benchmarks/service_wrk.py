"""Latency of ``compliance serve`` at a set request rate, measured by ``wrk`` (a C client).

``service_load.py`` drives the service from Python (httpx, asyncio): on 2 cores that client
costs as much CPU per request as the server, and its own scheduling shows up in the
latencies. This script leaves the measuring to ``wrk`` (Debian package ``wrk``): it writes a
Lua script with 2,000 single-party bodies (SEC company names, every 7th replaced by a listed
name), starts ``compliance serve`` on a free port, warms it up for 10 s, then runs ``wrk``
with ``--connections`` connections that each wait ``--delay-ms`` after every response
(about connections / (delay + latency) requests per second: 4 and 18 ms give ~190/s)::

    python benchmarks/service_wrk.py --data-dir /tmp/bench-store --workers 1

and prints wrk's report (throughput, errors, p50/p90/p99/p99.9).
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.service_load import cpu_s, serving  # noqa: E402

SEC = REPO.parent / "shared" / "data" / "eval" / "negatives" / "sec_company_tickers.csv"
LISTED = (
    "Huawei Technologies Co., Ltd.",
    "Semiconductor Manufacturing International Corporation",
    "Rosoboronexport",
    "Hikvision",
    "Iran Air",
)


def bodies(limit: int = 2000) -> list[str]:
    names: list[str] = []
    with SEC.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        # the company name's column: "name" in the shared file (cik, ticker, exchange, name,
        # ...), "title" in SEC's own export. Never the last column: that is a flag in the
        # shared file, and a mix of 1,714 bodies {"name": "False"} measured nothing real.
        column = next((c for c in ("name", "title") if c in (reader.fieldnames or ())), None)
        if column is None:
            raise SystemExit(f"{SEC}: no 'name' or 'title' column ({reader.fieldnames})")
        for row in reader:
            names.append(row[column])
            if len(names) >= limit:
                break
    if len(set(names)) < limit // 2:
        raise SystemExit(f"{SEC}: only {len(set(names))} distinct names in {limit} rows")
    return [
        json.dumps({"name": LISTED[i // 7 % len(LISTED)] if i % 7 == 0 else name})
        for i, name in enumerate(names)
    ]


def lua(key: str, delay_ms: int) -> str:
    lines = [
        'wrk.method = "POST"',
        'wrk.headers["Content-Type"] = "application/json"',
        f'wrk.headers["X-API-Key"] = "{key}"',
        "bodies = {",
        *(f"  {json.dumps(b)}," for b in bodies()),
        "}",
        "local i = 0",
        "request = function()",
        "  i = i + 1",
        '  return wrk.format(nil, "/v1/screen", nil, bodies[(i % #bodies) + 1])',
        "end",
        f"delay = function() return {delay_ms} end",
        "done = function(summary, latency, requests)",
        "  local e = summary.errors",
        '  io.write(string.format("requests %d errors %d non-2xx %d timeouts %d\\n",',
        "    summary.requests, e.connect + e.read + e.write, e.status, e.timeout))",
        "  for _, p in pairs({50, 90, 99, 99.9}) do",
        '    io.write(string.format("p%s %.2f ms\\n", p, latency:percentile(p) / 1000))',
        "  end",
        "end",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True, help="COMPLIANCE_DATA_DIR")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--delay-ms", type=int, default=18)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument(
        "--py-spy",
        type=Path,
        default=None,
        metavar="OUT",
        help="also profile the server with py-spy during the measured run (raw folded stacks)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    with serving(args.data_dir, args.workers) as server:
        script = server.work / "screen.lua"
        script.write_text(lua(server.key, args.delay_ms), encoding="utf-8")
        wrk = ["wrk", "-t1", f"-c{args.connections}", "-s", str(script), server.url]
        subprocess.run([*wrk[:3], "-d10s", *wrk[3:]], check=True, capture_output=True)
        profiler = None
        if args.py_spy is not None:
            spy = ["py-spy", "record", "--pid", str(server.pid), "--format", "raw"]
            spy += ["--duration", str(args.seconds), "--output", str(args.py_spy), "--nonblocking"]
            profiler = subprocess.Popen(spy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cpu_before = cpu_s(server.pid)
        report = subprocess.run(
            [*wrk[:3], f"-d{args.seconds}s", "--latency", *wrk[3:]],
            check=True,
            capture_output=True,
            text=True,
        )
        server_cpu = cpu_s(server.pid) - cpu_before
        if profiler is not None:
            profiler.wait(timeout=120)
    print(report.stdout)
    # the server's own CPU per request: the figure that holds on a shared, loaded machine
    done = [line.split() for line in report.stdout.splitlines() if line.startswith("requests ")]
    if done:
        requests = int(done[-1][1])
        per_request = server_cpu * 1000 / max(1, requests)
        print(f"server CPU {server_cpu:.2f} s, {per_request:.3f} ms per request")
    with open("/proc/loadavg", encoding="ascii") as fh:
        print("load average " + " ".join(fh.read().split()[:3]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
