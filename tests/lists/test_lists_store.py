"""The snapshot store: content ids, pinning, pruning, atomic publication, corruption."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from compliance.watchlists import store as store_mod
from compliance.watchlists.store import (
    CorruptSnapshotError,
    SnapshotStore,
    StoreError,
    default_root,
)
from compliance.watchlists.update import import_files

SOURCE = "trade.gov-csl"
LABEL = "Consolidated Screening List (CSV)"


def sample_csl(shared_data: Path) -> Path:
    return shared_data / "lists" / "csl" / "current_format_sample" / "consolidated.csv"


def variant(tmp_path: Path, base: Path, tag: str) -> Path:
    """A copy of the sample CSL whose bytes (so snapshot id) depend on ``tag``'s number.

    ``v-2`` and ``w-2`` have the same content: extra trailing newlines, same rows.
    """
    out = tmp_path / tag / "consolidated.csv"
    out.parent.mkdir(parents=True)
    out.write_bytes(base.read_bytes() + b"\n" * int(tag.rsplit("-", 1)[1]))
    return out


def publish(store: SnapshotStore, path: Path, when: int = 0) -> str:
    outcome = import_files(
        store,
        source=SOURCE,
        label=LABEL,
        fmt="csl-csv",
        paths=[path],
        retrieved=datetime(2026, 11, 1 + when, tzinfo=UTC),
    )
    assert outcome.outcome == "published", outcome.problems
    assert outcome.snapshot_id is not None
    return outcome.snapshot_id


def test_default_root_follows_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COMPLIANCE_DATA_DIR", str(tmp_path))
    assert default_root() == tmp_path / "snapshots"
    assert SnapshotStore().root == tmp_path / "snapshots"


def test_empty_store_has_no_current(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "nothing-here")
    assert store.current() == []
    assert store.list_snapshots() == []
    assert not (tmp_path / "nothing-here").exists()


def test_snapshot_id_is_content_address(shared_data: Path, tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "s")
    path = sample_csl(shared_data)
    sid = publish(store, path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    expected = hashlib.sha256(
        SOURCE.encode() + b"\0consolidated.csv\0" + digest.encode()
    ).hexdigest()[:16]
    assert sid == expected
    (snap,) = store.current()
    assert snap.snapshot_id == sid
    assert snap.source == SOURCE and snap.label == LABEL
    assert len(snap.entries) == 13


def test_pin_unpin_and_prune(shared_data: Path, tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "s", keep=2)
    base = sample_csl(shared_data)
    ids = [publish(store, variant(tmp_path, base, f"v-{i}"), when=i) for i in range(1, 4)]
    assert len(set(ids)) == 3
    # keep=2: the oldest is gone
    assert [m.snapshot_id for m in store.list_snapshots(SOURCE)] == ids[1:]
    assert store.current()[0].snapshot_id == ids[2]

    store.pin(SOURCE, ids[1])
    assert store.current()[0].snapshot_id == ids[1]
    # a pinned snapshot survives pruning even when it falls out of the newest `keep`
    ids.append(publish(store, variant(tmp_path, base, "v-4"), when=4))
    ids.append(publish(store, variant(tmp_path, base, "v-5"), when=5))
    kept = [m.snapshot_id for m in store.list_snapshots(SOURCE)]
    assert ids[1] in kept and ids[2] not in kept and ids[4] in kept
    assert store.current()[0].snapshot_id == ids[1]

    assert store.unpin(SOURCE) is True
    assert store.unpin(SOURCE) is False
    assert store.current()[0].snapshot_id == ids[4]

    with pytest.raises(StoreError, match="no stored snapshot"):
        store.pin(SOURCE, "0000000000000000")


def test_republishing_old_content_makes_it_current(shared_data: Path, tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "s")
    base = sample_csl(shared_data)
    a = publish(store, variant(tmp_path, base, "v-1"), when=1)
    b = publish(store, variant(tmp_path, base, "v-2"), when=2)
    assert store.current()[0].snapshot_id == b
    again = publish(store, variant(tmp_path, base, "w-1"), when=3)
    assert again == a
    assert store.current()[0].snapshot_id == a
    assert len(store.list_snapshots(SOURCE)) == 2


def test_corrupt_newest_falls_back_to_previous(shared_data: Path, tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "s")
    base = sample_csl(shared_data)
    good = publish(store, variant(tmp_path, base, "v-1"), when=1)
    bad = publish(store, variant(tmp_path, base, "v-2"), when=2)
    manifest = store.manifest(SOURCE, bad)
    stored = store.snapshot_dir(manifest) / "files" / "consolidated.csv"
    stored.write_bytes(stored.read_bytes() + b"tampered")
    with pytest.raises(CorruptSnapshotError, match="sha256"):
        store.verify(manifest)
    assert store.current()[0].snapshot_id == good


def test_failed_publication_leaves_nothing_behind(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SnapshotStore(tmp_path / "s")
    base = sample_csl(shared_data)
    good = publish(store, variant(tmp_path, base, "v-1"), when=1)

    def broken_copy(src: object, dst: object) -> None:
        Path(str(dst)).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(store_mod.shutil, "copyfile", broken_copy)
    with pytest.raises(OSError, match="disk full"):
        publish(store, variant(tmp_path, base, "v-2"), when=2)
    monkeypatch.setattr(store_mod.shutil, "copyfile", shutil.copyfile)
    src_dir = store.root / SOURCE
    assert sorted(p.name for p in src_dir.iterdir() if p.is_dir()) == [good]
    assert store.current()[0].snapshot_id == good


def test_leftover_directory_without_manifest_is_ignored(shared_data: Path, tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "s")
    good = publish(store, sample_csl(shared_data))
    (store.root / SOURCE / "deadbeefdeadbeef" / "files").mkdir(parents=True)
    (store.root / SOURCE / ".publish-xyz").mkdir()
    assert [m.snapshot_id for m in store.list_snapshots()] == [good]


def test_find_by_prefix(shared_data: Path, tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "s")
    sid = publish(store, sample_csl(shared_data))
    assert store.find(sid[:6]).snapshot_id == sid
    assert store.get(sid[:6]).snapshot_id == sid
    with pytest.raises(StoreError, match="no stored snapshot"):
        store.find("zz")


@pytest.mark.parametrize("name", ["../evil", "a/b", ".hidden", "", "x" * 200])
def test_unsafe_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(StoreError, match="invalid source"):
        SnapshotStore(tmp_path).manifests(name)


def test_publishing_again_repairs_a_corrupt_copy(shared_data: Path, tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "s")
    path = sample_csl(shared_data)
    sid = publish(store, path)
    stored = store.snapshot_dir(store.manifest(SOURCE, sid)) / "files" / "consolidated.csv"
    stored.write_bytes(b"damaged")
    assert store.current() == []  # the only snapshot is corrupt: nothing, not garbage
    assert publish(store, path, when=1) == sid
    assert stored.read_bytes() == path.read_bytes()
    assert store.current()[0].snapshot_id == sid
