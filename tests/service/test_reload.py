"""Picking up new snapshots (issue 12, section 2): the periodic reload waits for the index that
``lists import`` builds after publishing instead of building it again in every worker, and a
worker that had to build an index serves the saved, memory-mapped one."""

from __future__ import annotations

from pathlib import Path

from compliance.screening.persist import ensure_index, saved_index_present
from compliance.service.config import ServiceConfig
from compliance.service.state import ServiceState
from compliance.watchlists.store import SnapshotStore

from .conftest import publish_excerpt, users


def _state(store: SnapshotStore, tmp_path: Path) -> ServiceState:
    config = ServiceConfig(
        store=store.root, review_db=tmp_path / "review.sqlite", reload_interval_s=0
    )
    return ServiceState(config, users())


def test_a_periodic_reload_waits_for_the_index_of_new_snapshots(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "store")
    first = publish_excerpt(store, tmp_path / "v1", rows=20)
    state = _state(store, tmp_path)
    assert state.reload()
    assert state.generation().snapshot_ids == (first,)
    second = publish_excerpt(store, tmp_path / "v2")  # published; its index not built yet
    assert not saved_index_present(store)
    assert not state.reload(wait_for_index_s=3600)  # lists import is building it
    assert state.generation().snapshot_ids == (first,)
    assert not saved_index_present(store)  # the service did not build it
    ensure_index(store)  # what lists import does after publishing
    assert state.reload(wait_for_index_s=3600)
    assert state.generation().snapshot_ids == (second,)
    assert state.generation().loaded.how == "loaded"


def test_an_index_nobody_builds_is_built_after_the_wait(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "store")
    publish_excerpt(store, tmp_path / "v1", rows=20)
    state = _state(store, tmp_path)
    assert state.reload()
    second = publish_excerpt(store, tmp_path / "v2")  # lists import --no-index
    assert not state.reload(wait_for_index_s=3600)
    assert state.reload(wait_for_index_s=0)  # the wait is over: build it here
    assert state.generation().snapshot_ids == (second,)
    assert saved_index_present(store)


def test_a_built_index_is_served_from_its_saved_copy(tmp_path: Path) -> None:
    """A worker that had to build the index swaps in the saved, memory-mapped copy: the
    pages other workers share, not a second in-memory index per process."""
    store = SnapshotStore(tmp_path / "store")
    publish_excerpt(store, tmp_path / "v1", rows=20)
    state = _state(store, tmp_path)
    assert not saved_index_present(store)
    assert state.reload()
    assert saved_index_present(store)
    assert state.generation().loaded.how == "loaded"
    assert state.generation().loaded.index is not None
