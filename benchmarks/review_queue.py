"""Server time of the review queue page with 100,000 open hits (issue 13 section 5).

Fills a fresh review database with ``--hits`` open hits (one synthetic screening result per
counterparty, one hit each, over 40 list entries and two levels), then asks the real pages
(the FastAPI router of ``compliance.web``, in-process, signed in) for:

* the first queue page, the page after 50,000 items (keyset cursor), a page filtered by list
  and by counterparty name prefix, and one hit page;

and reports, per request, the median of the server time the page itself reports
(``Server-Timing: app;dur=``, wall milliseconds inside the handler) and of the CPU time of the
whole request in this process, over ``--reps`` requests each, interleaved. The parties and
hits are built directly (not by screening 100,000 names): the page reads the queue, never
the screener, so the shape of the queue is what matters.

    python benchmarks/review_queue.py                  # 100,000 hits, 30 reps
    python benchmarks/review_queue.py --hits 20000 --reps 10

Figures taken on the shared 2-core machine are noisy in wall time; CPU medians are steadier.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from compliance.review.queue import ReviewQueue
from compliance.screening.results import (
    Evidence,
    Hit,
    Party,
    ScreeningResult,
    SnapshotRef,
    Status,
    Thresholds,
    TokenMatch,
)
from compliance.screening.screener import Screener
from compliance.users import User, UserDirectory, hash_password
from compliance.watchlists.bundled import bundled_excerpt
from compliance.web.app import standalone_app
from compliance.web.context import StaticWebContext

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SNAP = SnapshotRef(snapshot_id="bench", source="bench", label="benchmark", published=None, files=())


def synthetic(i: int, entries: list[tuple[str, str, str]]) -> ScreeningResult:
    code, entry_id, listed = entries[i % len(entries)]
    level = Status.ALERT if i % 3 == 0 else Status.REVIEW
    party = Party(name=f"Counterparty {i:06d} Trading Co", id=f"CP-{i:06d}", extra={"o": str(i)})
    hit = Hit(
        list=code,
        list_name=f"{code} list",
        entry_id=entry_id,
        listed_name=listed,
        matched_name=listed,
        matched_alias=False,
        query_name=party.name,
        score=0.95 if level is Status.ALERT else 0.85,
        status=level,
        evidence=Evidence(
            name_score=0.9,
            aligned=(TokenMatch(query="trading", listed="trading", similarity=1.0, weight=0.2),),
        ),
        entry_hash=f"{i % 997:064x}",
        snapshot_id="bench",
    )
    return ScreeningResult(
        party=party,
        name=party.name,
        status=level,
        hits=(hit,),
        thresholds=Thresholds(),
        snapshots=(SNAP,),
        library_version="bench",
    )


def fill(db: Path, count: int, screener: Screener) -> float:
    entries = [(e.source, e.entry_id, e.name) for s in screener.snapshots for e in s.entries]
    started = time.process_time()
    with ReviewQueue(db) as queue:
        batch: list[ScreeningResult] = []
        for i in range(count):
            batch.append(synthetic(i, entries))
            if len(batch) == 5000:
                queue.add(batch, now=T0 + timedelta(seconds=i))
                batch = []
        if batch:
            queue.add(batch, now=T0 + timedelta(seconds=count))
    return time.process_time() - started


def fill_via_audit(db: Path, count: int, screener: Screener) -> float:
    """As ``compliance screen`` leaves them: file runs of 5,000 results in the audit trail,
    each streamed as block records and a closing record (not timed), then the CPU time of
    the queue taking them in (``ReviewQueue.sync``)."""
    from compliance.review.audit import AuditLog
    from compliance.review.run_recorder import RunRecorder

    entries = [(e.source, e.entry_id, e.name) for s in screener.snapshots for e in s.entries]
    results = [synthetic(i, entries) for i in range(count)]
    with AuditLog(db) as log:
        for k, lo in enumerate(range(0, count, 5000)):
            recorder = RunRecorder(log, input_sha256=f"{k:064x}", actor="bench")
            for result in results[lo : lo + 5000]:
                recorder.add(result)
            recorder.close()
    started = time.process_time()
    with ReviewQueue(db) as queue:
        taken = queue.sync()
    spent = time.process_time() - started
    with ReviewQueue(db) as queue:
        queued = sum(queue.counts().open_by_list.values())
    if queued != count:
        raise SystemExit(f"the queue took in {taken} hits, holds {queued} open, expected {count}")
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hits", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument(
        "--via-audit",
        action="store_true",
        help="fill the queue from file runs in the audit trail (as compliance screen leaves "
        "them) and report the time the queue takes to take them in",
    )
    args = parser.parse_args()

    screener = Screener([bundled_excerpt()])
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "review.sqlite"
        fill_cpu = (fill_via_audit if args.via_audit else fill)(db, args.hits, screener)
        users = UserDirectory(
            [User("bench", frozenset({"review"}), password_hash=hash_password("pw"))]
        )
        context = StaticWebContext(users, db, b"benchmark secret 0123456789abcdef", screener)
        with ReviewQueue(db) as queue:
            middle = queue.page(limit=200)
            after = middle.items[-1].cursor
            for _ in range(args.hits // 2 // 200 - 1):  # walk to about the 50,000th item
                page = queue.page(after=after, limit=200)
                if page.next_cursor is None:
                    break
                after = page.next_cursor
            first_item = queue.page(limit=1).items[0].item
        client = TestClient(standalone_app(context), base_url="https://bench")
        token = re.search(r'name="token" value="([^"]+)"', client.get("/ui/login").text)
        assert token is not None
        client.post(
            "/ui/login", data={"username": "bench", "password": "pw", "token": token.group(1)}
        )
        requests = {
            "queue, first page": "/ui/",
            "queue, page after 50,000 items": f"/ui/?after={after}",
            "queue, list filter": "/ui/?list=EL&level=review",
            "queue, counterparty prefix": "/ui/?counterparty=counterparty%200999",
            "hit page": f"/ui/hit/{first_item}",
        }
        server: dict[str, list[float]] = {k: [] for k in requests}
        cpu: dict[str, list[float]] = {k: [] for k in requests}
        for name, path in requests.items():  # warm-up
            assert client.get(path).status_code == 200, name
        for _ in range(args.reps):
            for name, path in requests.items():
                started = time.process_time()
                reply = client.get(path)
                cpu[name].append((time.process_time() - started) * 1000)
                dur = re.search(r"dur=([0-9.]+)", reply.headers["server-timing"])
                assert dur is not None and reply.status_code == 200
                server[name].append(float(dur.group(1)))
    how = "taken in from audit-trail file runs" if args.via_audit else "filled"
    print(f"{args.hits:,} open hits; queue {how} in {fill_cpu:.1f} CPU s; {args.reps} reps")
    print("| request | server time, median ms | max ms | CPU per request, median ms |")
    print("| --- | ---: | ---: | ---: |")
    for name in requests:
        print(
            f"| {name} | {statistics.median(server[name]):.1f} | {max(server[name]):.1f} "
            f"| {statistics.median(cpu[name]):.1f} |"
        )


if __name__ == "__main__":
    main()
