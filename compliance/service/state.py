"""The service's live state: the screener in use, swapped atomically when new snapshots arrive.

A :class:`Generation` is one loaded screener with its own lock (a Screener keeps caches, so
one thread screens with it at a time; throughput comes from more processes, which share
the memory-mapped index). A request takes the current generation once and uses it to the
end, so when a reload swaps in a new one, requests in flight finish on the old one and
new requests see only the new one: no request ever mixes two snapshot sets.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from compliance._version import __version__
from compliance.errors import ComplianceError
from compliance.screening.persist import (
    LoadedScreener,
    load_or_build_screener,
    saved_index_present,
)
from compliance.screening.screener import Screener
from compliance.service.config import ServiceConfig
from compliance.users import UserDirectory, load_users
from compliance.watchlists.store import SnapshotStore

log = logging.getLogger("compliance.service")

T = TypeVar("T")


class NotReadyError(ComplianceError):
    """No screener is loaded yet (the service is starting): HTTP 503."""


@dataclass
class Generation:
    """One loaded screener and the lock its callers take."""

    loaded: LoadedScreener
    loaded_at: datetime
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def screener(self) -> Screener:
        return self.loaded.screener

    @property
    def snapshot_ids(self) -> tuple[str, ...]:
        return tuple(r.snapshot_id for r in self.screener.snapshot_refs)

    def run(self, fn: Callable[[Screener], T]) -> T:
        with self.lock:
            return fn(self.screener)

    def try_run(self, fn: Callable[[Screener], T]) -> tuple[T] | None:
        """``(fn(screener),)`` if the screener is free now, else None without waiting."""
        if not self.lock.acquire(blocking=False):
            return None
        try:
            return (fn(self.screener),)
        finally:
            self.lock.release()

    def metadata(self) -> dict[str, Any]:
        screener = self.screener
        return {
            "snapshots": [r.model_dump(mode="json") for r in screener.snapshot_refs],
            "weights_id": screener.weights.weights_id,
            "thresholds": screener.thresholds.model_dump(mode="json"),
            "library_version": __version__,
            "origin": self.loaded.origin,
            "index": self.loaded.how,
            "loaded_at": self.loaded_at.isoformat(),
            "warnings": list(self.loaded.warnings),
        }


class ServiceState:
    """What the endpoints share. Also the review page's ``WebContext`` (``compliance.web``):
    ``users``, ``review_db``, ``session_secret``, ``current_screener()``, ``lists_status()``
    and ``screening_metadata()``."""

    def __init__(self, config: ServiceConfig, users: UserDirectory | None = None) -> None:
        self.config = config
        self.users = users if users is not None else load_users(config.users_file)
        self.store = SnapshotStore(config.store) if config.store is not None else SnapshotStore()
        self.session_secret = config.session_secret
        self._generation: Generation | None = None
        self._reload_lock = threading.Lock()
        self._first_seen: dict[tuple[str, ...], float] = {}  # snapshot ids -> monotonic time
        self.load_error: str | None = None

    @property
    def review_db(self) -> Path:
        from compliance.review.audit import default_path

        return self.config.review_db if self.config.review_db is not None else default_path()

    @property
    def checkpoint_file(self) -> Path | None:
        return self.config.checkpoint

    @property
    def checkpoint_public_key(self) -> Path | None:
        return self.config.checkpoint_public_key

    # -- the current generation ------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return self._generation is not None

    def generation(self) -> Generation:
        current = self._generation  # one read: the swap is a single assignment
        if current is None:
            raise NotReadyError(self.load_error or "the screening index is still loading")
        return current

    def current_screener(self) -> Screener:
        return self.generation().screener

    def screening_metadata(self) -> dict[str, Any]:
        return self.generation().metadata()

    def lists_status(self, now: datetime | None = None) -> list[dict[str, Any]]:
        """The staleness rows of ``compliance lists status`` for the store served."""
        from compliance.watchlists.registry import load_registry
        from compliance.watchlists.status import status_rows

        return status_rows(self.store, load_registry(), now or datetime.now(UTC))

    # -- loading and swapping ----------------------------------------------------------------

    def reload(self, *, force: bool = False, wait_for_index_s: float = 0.0) -> bool:
        """Load the screener for the store's current snapshots beside the one in use and
        swap it in; True when a new generation was swapped in. Unchanged snapshots keep
        the current generation unless ``force``. Serialised: one reload at a time.

        ``wait_for_index_s`` (the periodic reload): new snapshots whose saved index is not
        there yet keep the current generation for up to that many seconds after they were
        first seen, because ``lists import`` builds it right after publishing; building it
        here as well (in every worker) would cost each one a full build while it serves.
        An index this process builds is then loaded from its saved copy: the memory-mapped
        pages all workers share, not a second in-memory index per process."""
        with self._reload_lock:
            current = self._generation
            if (
                current is not None
                and not force
                and (self.config.lists or not self._changed(current))
            ):
                return False
            if current is not None and self._awaiting_index(wait_for_index_s):
                return False
            try:
                loaded = load_or_build_screener(
                    self.store, lists=self.config.lists, thresholds=self.config.thresholds
                )
                if loaded.how == "built":  # saved just now: serve the mapped copy
                    loaded = load_or_build_screener(
                        self.store, lists=self.config.lists, thresholds=self.config.thresholds
                    )
            except Exception as exc:
                self.load_error = f"could not load the lists: {type(exc).__name__}: {exc}"
                log.error(self.load_error)
                if current is None:
                    raise
                return False  # keep serving the last good generation
            self._generation = Generation(loaded, datetime.now(UTC).replace(microsecond=0))
            self.load_error = None
            # The loaded index is long-lived and acyclic: park it (and everything else alive
            # now) outside the cyclic collector, so the collections that single screens
            # trigger do not walk it (screener.py does the same per batch). A generation
            # swapped out later is still freed by reference counting. Process-wide, so only
            # when the process is the service's own (``compliance serve``).
            if self.config.freeze_heap:
                gc.collect()
                gc.freeze()
            log.info(
                "screening with snapshots %s (%s, index %s)",
                ", ".join(self._generation.snapshot_ids),
                loaded.origin,
                loaded.how,
            )
            return True

    def _awaiting_index(self, wait_s: float) -> bool:
        """True while the current snapshots' saved index is missing and they were first
        seen less than ``wait_s`` seconds ago (``reload``)."""
        if wait_s <= 0 or self.config.lists:
            return False
        ids = tuple(m.snapshot_id for m in self.store.current_manifests())
        if not ids or saved_index_present(self.store):
            return False
        now = time.monotonic()
        first_seen = self._first_seen.setdefault(ids, now)
        if now - first_seen < wait_s:
            if first_seen == now:
                log.info(
                    "new snapshots %s: waiting up to %g s for their saved index",
                    ", ".join(ids),
                    wait_s,
                )
            return True
        log.warning(
            "no saved index for snapshots %s after %g s: building it", ", ".join(ids), wait_s
        )
        return False

    def _changed(self, current: Generation) -> bool:
        if current.loaded.origin == "given":
            return False
        ids = tuple(m.snapshot_id for m in self.store.current_manifests())
        if not ids:
            return current.loaded.origin != "excerpt"
        return ids != current.snapshot_ids
