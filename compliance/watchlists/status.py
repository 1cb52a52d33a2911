"""The staleness policy: which list snapshot each source uses, how old it is, and what is wrong.

One row per registry source (and per stored source missing from the registry), shared by
``compliance lists status``, the service's ``GET /v1/lists`` and the review page. A source
is STALE when its snapshot is older than the source's ``max_age_days`` (7 days for the CSL
and the SDN list) or its age is unknown; a missing snapshot, a forced publication and a
refused or failed last update are warnings too. Only the sources a site uses
(:func:`sources_in_use`) are judged.
"""

from __future__ import annotations

import email.utils
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from compliance.watchlists.registry import ListSource, RegistryError
from compliance.watchlists.snapshot import ListSnapshot
from compliance.watchlists.store import SnapshotManifest, SnapshotStore

DEFAULT_MAX_AGE_DAYS = 7


def last_modified_of(manifest: SnapshotManifest) -> datetime | None:
    stamps = []
    for f in manifest.files:
        if f.last_modified:
            try:
                stamps.append(email.utils.parsedate_to_datetime(f.last_modified))
            except (TypeError, ValueError):
                continue
    return max(stamps) if stamps else None


def age_days(manifest: SnapshotManifest, now: datetime) -> tuple[int | None, str]:
    """Age in whole days from the best date known: stated publication, the server's
    Last-Modified header, else the retrieval time."""
    last_modified = last_modified_of(manifest)
    if manifest.published is not None:
        basis, what = manifest.published, "published"
    elif last_modified is not None:
        basis, what = last_modified, "last modified"
    elif manifest.retrieved is not None:
        # no stated date: count from when the files arrived, so an undated snapshot turns
        # stale after its maximum age instead of looking fresh forever
        imported = all(f.url is None for f in manifest.files)
        basis = manifest.retrieved
        what = "imported; publication date unknown" if imported else "retrieved"
    else:
        return None, "no date known"
    if basis.tzinfo is None:
        basis = basis.replace(tzinfo=UTC)
    return (now - basis).days, what


SOURCES_ENV = "COMPLIANCE_LIST_SOURCES"
"""Comma-separated names of the registry sources a site uses (judged by ``lists status``)."""


def sources_in_use(
    store: SnapshotStore, sources: Sequence[ListSource], chosen: Sequence[str] = ()
) -> tuple[list[str], str]:
    """The sources whose freshness ``status`` judges, and where that choice came from.

    ``chosen`` (``--source``), else ``$COMPLIANCE_LIST_SOURCES``, else every source with a
    snapshot in the store. Unknown names raise ``RegistryError``.
    """
    names, basis = list(chosen), "--source"
    if not names:
        names = [n.strip() for n in os.environ.get(SOURCES_ENV, "").split(",") if n.strip()]
        basis = f"${SOURCES_ENV}"
    if not names:
        names = [n for n in store.sources() if store.selected(n) is not None]
        basis = "the sources with a snapshot"
    known = {s.name for s in sources} | set(store.sources())
    unknown = [n for n in names if n not in known]
    if unknown:
        raise RegistryError(
            f"unknown source(s) in {basis}: {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return list(dict.fromkeys(names)), basis


def status_rows(
    store: SnapshotStore,
    sources: Sequence[ListSource],
    now: datetime,
    in_use: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """One row per registry source (and per stored source missing from the registry).

    ``in_use`` names the sources the site relies on (``in_use`` True in their rows); None
    means all of them.
    """
    rows: list[dict[str, Any]] = []
    max_age = {s.name: s.max_age_days for s in sources}
    names = list(dict.fromkeys([s.name for s in sources] + store.sources()))
    for name in names:
        manifest = store.selected(name)
        last = store.last_update(name)
        warnings: list[str] = []
        row: dict[str, Any] = {
            "source": name,
            "max_age_days": max_age.get(name),
            "in_use": in_use is None or name in in_use,
        }
        if name not in max_age:
            warnings.append("not in the source registry")
        if manifest is None:
            warnings.append("no snapshot: run 'compliance lists update'")
            row.update(snapshot_id=None)
        else:
            age, basis = age_days(manifest, now)
            limit = max_age.get(name, DEFAULT_MAX_AGE_DAYS)
            if age is None:
                warnings.append(f"STALE: age unknown ({basis}), maximum {limit} days")
            elif age > limit:
                warnings.append(
                    f"STALE: {basis} {age} days ago, older than the {limit}-day maximum"
                )
            if manifest.forced:
                warnings.append(f"published with --force: {manifest.force_reason}")
            row.update(
                snapshot_id=manifest.snapshot_id,
                pinned=store.pinned(name) == manifest.snapshot_id,
                label=manifest.label,
                published=manifest.published.isoformat() if manifest.published else None,
                retrieved=manifest.retrieved.isoformat() if manifest.retrieved else None,
                age_days=age,
                age_basis=basis,
                counts=manifest.counts,
                entries=manifest.entries,
                read_issues=manifest.read_issues,
                repaired_rows=manifest.repaired_rows,
                files=[
                    {
                        "name": f.name,
                        "sha256": f.sha256,
                        "size": f.size,
                        "url": f.url,
                        "last_modified": f.last_modified,
                    }
                    for f in manifest.files
                ],
            )
        if last is not None:
            row["last_update"] = last.model_dump(mode="json")
            if last.outcome in {"refused", "failed"}:
                warnings.append(f"last update {last.outcome}: {'; '.join(last.problems)}")
        row["warnings"] = warnings
        rows.append(row)
    return rows


def needs_attention(rows: Sequence[dict[str, Any]]) -> bool:
    """True when a source in use has no snapshot or a stale one (``lists status`` exits 1)."""
    judged = [r for r in rows if r.get("in_use", True)]
    return any(r["snapshot_id"] is None or any("STALE" in w for w in r["warnings"]) for r in judged)


def snapshot_age_days(snapshot: ListSnapshot, now: datetime) -> int | None:
    """Whole days since a loaded snapshot's stated publication (None: no date stated): the
    age the review page's "in use" table shows beside the store's status rows."""
    published = snapshot.published
    if published is None:
        return None
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return (now - published).days
