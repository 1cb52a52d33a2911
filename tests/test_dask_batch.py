"""Dask batches give the CLI's records, row for row, on a real two-worker local cluster.

The list is a real sample: the first 1,500 rows of the 2026 CSL when ``../shared`` is
there, else the bundled Entity List excerpt. The parties mix listed names (some with a
typo), innocent names, pass-through columns and a row that cannot be screened.
"""

from __future__ import annotations

import csv
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from compliance.cli import main as cli_main  # noqa: E402
from compliance.dask_batch import (  # noqa: E402
    ScreenerSource,
    read_dataset,
    screen_dataframe,
    worker_loads,
)
from tests.conftest import SHARED  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CSL = SHARED / "lists" / "csl" / "2026-07-31_compact" / "consolidated.csv"
INNOCENT = ["Northern Lights Bakery", "Acme Widgets Inc", "Blue River Logistics GmbH"]


@pytest.fixture(scope="module")
def list_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not CSL.is_file():
        return REPO / "lists" / "entity_list_excerpt.csv"
    target = tmp_path_factory.mktemp("list") / "consolidated.csv"
    with CSL.open(encoding="utf-8-sig", newline="") as src:
        rows = list(csv.reader(src))[:1501]
    with target.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return target


@pytest.fixture(scope="module")
def parties_file(tmp_path_factory: pytest.TempPathFactory, list_file: Path) -> Path:
    with list_file.open(encoding="utf-8-sig", newline="") as src:
        names = [r["name"] for r in csv.DictReader(src) if r.get("name")][:150]
    target = tmp_path_factory.mktemp("parties") / "parties.csv"
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name", "country", "order_ref"])
        for i, name in enumerate(names):
            if i % 3 == 1 and len(name) > 6:
                name = name[:3] + name[4] + name[3] + name[5:]  # a swapped pair of letters
            writer.writerow([f"P{i:04d}", name, "", f"SO-{i}"])
            writer.writerow([f"N{i:04d}", INNOCENT[i % 3], "", f"=cmd|{i}"])
        writer.writerow(["E0001", "", "", "empty name: an error row"])
    return target


@pytest.fixture(scope="module")
def cli_lines(
    parties_file: Path, list_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> list[str]:
    out = tmp_path_factory.mktemp("cli") / "out.jsonl"
    code = _cli_screen(
        tmp_path_factory.mktemp("data"),
        [
            *("screen", str(parties_file), "--list", str(list_file)),
            *("--format", "jsonl", "--output", str(out), "--workers", "1", "--no-audit"),
        ],
    )
    assert code & 8 or code & 16  # the sample has hits
    return out.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def _records(frame: object) -> list[str]:
    rows = frame.sort_values("row")  # type: ignore[attr-defined]
    return [str(r) for r in rows["record"].tolist()]


@pytest.mark.slow
def test_dask_records_equal_the_cli_row_for_row(
    client: distributed.Client, parties_file: Path, list_file: Path, cli_lines: list[str]
) -> None:
    frame = read_dataset(str(parties_file), blocksize=1024)
    assert frame.npartitions > 2  # the rows really are spread over partitions
    got = screen_dataframe(frame, ScreenerSource(list_files=(str(list_file),))).compute()
    assert len(got) == len(cli_lines) == 301
    assert list(got["row"]) == sorted(got["row"])  # partitions come back in order
    assert _records(got) == cli_lines
    statuses = set(got["status"])
    assert "error" in statuses and statuses & {"review", "alert"}


@pytest.mark.slow
def test_a_killed_worker_loses_and_repeats_no_row(
    client: distributed.Client, parties_file: Path, list_file: Path, cli_lines: list[str]
) -> None:
    frame = read_dataset(str(parties_file), blocksize=1024)
    source = ScreenerSource(list_files=(str(list_file),), review=0.81)  # a fresh source
    future = client.compute(screen_dataframe(frame, source))
    deadline = time.monotonic() + 60
    while not any(client.processing().values()) and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = client.run(os.getpid)
    victim = sorted(pids)[0]
    os.kill(pids[victim], signal.SIGKILL)  # mid-run: the nanny restarts it, tasks move
    got = future.result(timeout=300)
    rows = list(got["row"])
    assert len(rows) == len(set(rows)) == len(cli_lines)
    assert rows == sorted(rows)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, list_file: Path) -> Path:
    """A data directory whose snapshot store holds the sample as its CSL snapshot, its
    index built and saved here, in the test process, as ``compliance lists import`` does."""
    from compliance.screening.persist import ensure_index
    from compliance.watchlists.store import SnapshotStore
    from compliance.watchlists.update import import_files

    root = tmp_path_factory.mktemp("data")
    store = SnapshotStore(root / "snapshots")
    outcome = import_files(
        store, source="trade.gov-csl", label="CSL", fmt="csl-csv", paths=[list_file], force=True
    )
    assert outcome.ok, outcome
    assert ensure_index(store).how == "built"
    return root


@pytest.mark.slow
def test_workers_load_the_saved_index_and_give_the_cli_records(
    client: distributed.Client,
    parties_file: Path,
    data_dir: Path,
    tmp_path: Path,
) -> None:
    """Every worker that screened loads the index saved beside the store (none builds
    one), and the records equal those of ``compliance screen`` on the same store."""
    index_dirs = sorted((data_dir / "snapshots" / ".index").iterdir())
    out = tmp_path / "cli.jsonl"
    code = _cli_screen(
        data_dir,
        [
            *("screen", str(parties_file), "--format", "jsonl", "--output", str(out)),
            *("--workers", "1", "--no-audit"),
        ],
    )
    assert code & 8 or code & 16
    source = ScreenerSource(store=str(data_dir))
    frame = read_dataset(str(parties_file), blocksize=1024)
    got = screen_dataframe(frame, source).compute()
    from compliance.watchlists.store import SnapshotStore

    lines = out.read_text(encoding="utf-8").splitlines()
    assert _records(got) == lines
    (manifest,) = SnapshotStore(data_dir / "snapshots").current_manifests()
    assert any(manifest.snapshot_id in line for line in lines)  # the store, not the excerpt
    loads = [how.get(repr(source)) for how in client.run(worker_loads).values()]
    assert "loaded" in loads
    assert set(loads) <= {"loaded", None}  # None: a worker given no partition
    assert sorted((data_dir / "snapshots" / ".index").iterdir()) == index_dirs  # no rebuild


def test_a_bad_header_fails_before_any_work(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,name\n1,a,b\n", encoding="utf-8")
    from compliance.io.columns import HeaderError

    with pytest.raises(HeaderError, match="name"):
        screen_dataframe(read_dataset(str(bad)), ScreenerSource())


def _cli_screen(data_dir: Path, argv: list[str]) -> int:
    """``compliance`` with ``argv`` in-process, ``COMPLIANCE_DATA_DIR`` set to ``data_dir``
    for the call only (module-scoped fixtures cannot use ``monkeypatch``)."""
    old = os.environ.get("COMPLIANCE_DATA_DIR")
    os.environ["COMPLIANCE_DATA_DIR"] = str(data_dir)
    try:
        return cli_main(argv)
    finally:
        if old is None:
            os.environ.pop("COMPLIANCE_DATA_DIR", None)
        else:
            os.environ["COMPLIANCE_DATA_DIR"] = old
