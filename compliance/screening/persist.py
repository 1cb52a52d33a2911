"""The screening index, built once per set of snapshots and loaded in a fraction of a second.

Building the index for the full CSL + SDN takes several seconds (parsing the list files,
normalising ~80,000 names, keying them); a pre-shipment script or an ERP call cannot pay
that per call. So the first build is saved beside the snapshot store it came from::

    <store root>/.index/<key digest>/index.json     key, files with SHA-256, content hash
    <store root>/.index/<key digest>/<array>.npy    the index's own arrays (arrays.py)

The key names everything the index content depends on: the snapshot ids in screening
order, the word weights (counted from those snapshots, or a pinned ``weights_id``), the
library version, a fingerprint of the source code that reads lists and builds indexes (so a
changed reader or matcher never meets an index of the old code), and the format version.
Thresholds are not in the key: they only enter at query time, so one index serves any.

Loading checks every file's SHA-256 against the manifest, then memory-maps the numeric
arrays (``numpy.load(mmap_mode="r", allow_pickle=False)``: no object is unpickled, and
several processes share the pages). A missing, corrupt or mismatched index is rebuilt and
replaced, never used. Every door (CLI, service, batch workers, review page) goes through
:func:`load_or_build_screener`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, ValidationError

from compliance._version import __version__
from compliance.errors import IntegrityError, NotFoundError
from compliance.screening import places
from compliance.screening.arrays import pack_strings, unpack_strings
from compliance.screening.results import Thresholds
from compliance.screening.score import TokenWeights
from compliance.screening.screener import Screener
from compliance.watchlists.snapshot import ListSnapshot
from compliance.watchlists.store import SnapshotManifest, SnapshotStore, sha256_file

log = logging.getLogger(__name__)

# 2: the place-name table is saved with the index; 3: names' runs, entries' hashes,
# organisation flags and countries
FORMAT_VERSION = 3
INDEX_DIR = ".index"
MANIFEST = "index.json"
KEEP_INDEXES = 3  # saved indexes kept per store (the newest); older ones are pruned
_ARRAY_NAME = re.compile(r"^[A-Za-z0-9_.]{1,120}$")
# the code an index's content depends on: list readers and entries, and the matcher
_FINGERPRINTED = ("screening", "watchlists")
_FINGERPRINTED_SUFFIXES = frozenset((".py", ".yaml", ".yml", ".json", ".csv", ".tsv", ".txt"))


class IndexCorruptError(IntegrityError):
    """A saved index fails its hash or format checks: it is rebuilt, never used."""


class IndexKey(BaseModel):
    """What a saved index was built from; an index is used only under an equal key."""

    model_config = ConfigDict(frozen=True)

    format: int = FORMAT_VERSION
    library_version: str = __version__
    code: str
    snapshots: tuple[str, ...]
    weights: str  # "counted" (from the snapshots) or a pinned weights_id
    gazetteer: str  # the place-name source (places.source()): its table is saved too

    @property
    def digest(self) -> str:
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:24]


class IndexFile(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    sha256: str
    size: int


class IndexManifest(BaseModel):
    """``index.json``: the key, every array file with its hash, and one content hash."""

    model_config = ConfigDict(frozen=True)

    key: IndexKey
    files: tuple[IndexFile, ...]
    content_hash: str
    weights_id: str
    names: int
    entries: int
    built: datetime


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 (16 hex digits) over the source and data files (abbreviations, legal forms,
    ...) of the list readers and the matcher: an edit to any of them retires saved indexes.
    Compiled modules are built from these same sources (``compliance._native``)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for package in _FINGERPRINTED:
        for path in sorted((root / package).rglob("*")):
            if not path.is_file() or path.suffix not in _FINGERPRINTED_SUFFIXES:
                continue
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def index_key(snapshot_ids: Sequence[str], weights: TokenWeights | None = None) -> IndexKey:
    return IndexKey(
        code=code_fingerprint(),
        snapshots=tuple(snapshot_ids),
        weights="counted" if weights is None else weights.weights_id,
        gazetteer=places.source(),
    )


def _content_hash(files: Sequence[IndexFile]) -> str:
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.name):
        digest.update(f"{f.name}\0{f.sha256}\0{f.size}\n".encode())
    return digest.hexdigest()


def save_index(screener: Screener, directory: Path, key: IndexKey) -> IndexManifest:
    """Write ``screener``'s arrays under ``directory`` (created atomically: written in a
    hidden sibling, fsynced, renamed). If another process saved the same key first, its
    index is kept and ours discarded."""
    arrays = screener.to_arrays()
    words, codes = places.to_arrays(places.gazetteer())
    arrays.update(pack_strings(words, "places.words"))
    arrays.update(pack_strings(codes, "places.countries"))
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=directory.parent, prefix=".build-"))
    try:
        files: list[IndexFile] = []
        for name in sorted(arrays):
            if not _ARRAY_NAME.match(name):
                raise ValueError(f"index array name {name!r} is not a safe file name")
            path = tmp / f"{name}.npy"
            with path.open("wb") as fh:
                np.save(fh, np.ascontiguousarray(arrays[name]), allow_pickle=False)
                fh.flush()
                os.fsync(fh.fileno())
            digest, size = sha256_file(path)
            files.append(IndexFile(name=name, sha256=digest, size=size))
        manifest = IndexManifest(
            key=key,
            files=tuple(files),
            content_hash=_content_hash(files),
            weights_id=screener.weights.weights_id,
            names=screener.name_count,
            entries=len(arrays["entries.snapshot"]),
            built=datetime.now(UTC).replace(microsecond=0),
        )
        body = json.dumps(manifest.model_dump(mode="json"), sort_keys=True, indent=2) + "\n"
        with (tmp / MANIFEST).open("w", encoding="utf-8") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.rename(tmp, directory)
        except OSError:
            if not (directory / MANIFEST).is_file():
                raise
            shutil.rmtree(tmp, ignore_errors=True)  # a concurrent build won: keep it
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def load_index(
    directory: Path,
    key: IndexKey,
    thresholds: Thresholds | None = None,
    *,
    max_hits: int | None = None,
) -> tuple[Screener, IndexManifest]:
    """The screener saved in ``directory``, if its key equals ``key`` and every file
    matches its recorded hash. Raises ``NotFoundError`` (no index) or
    ``IndexCorruptError`` (anything else wrong); never returns a doubtful index."""
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise NotFoundError(f"no saved screening index at {directory}")
    try:
        manifest = IndexManifest.model_validate_json(manifest_path.read_bytes())
    except (ValidationError, ValueError, OSError) as exc:
        raise IndexCorruptError(f"{manifest_path}: unreadable: {exc}") from None
    if manifest.key != key:
        raise IndexCorruptError(f"{directory}: built for another key ({manifest.key})")
    if manifest.content_hash != _content_hash(manifest.files):
        raise IndexCorruptError(f"{directory}: content hash does not match its file list")
    arrays: dict[str, NDArray[Any]] = {}
    for f in manifest.files:
        if not _ARRAY_NAME.match(f.name):
            raise IndexCorruptError(f"{directory}: unsafe array name {f.name!r}")
        path = directory / f"{f.name}.npy"
        try:
            digest, size = sha256_file(path)
        except OSError as exc:
            raise IndexCorruptError(f"{path}: {exc}") from None
        if digest != f.sha256 or size != f.size:
            raise IndexCorruptError(f"{path}: SHA-256 {digest} differs from {f.sha256}")
        arrays[f.name] = _read_array(path)
    try:
        gazetteer = places.from_arrays(
            unpack_strings(arrays, "places.words"), unpack_strings(arrays, "places.countries")
        )
    except ValueError as exc:  # IndexFormatError included
        raise IndexCorruptError(f"{directory}: place names: {exc}") from None
    for name in [n for n in arrays if n.startswith("places.")]:
        del arrays[name]
    screener = Screener.from_arrays(arrays, thresholds, max_hits=max_hits)
    if screener.weights.weights_id != manifest.weights_id:
        raise IndexCorruptError(f"{directory}: weights do not match the manifest")
    if [r.snapshot_id for r in screener.snapshot_refs] != list(key.snapshots):
        raise IndexCorruptError(f"{directory}: snapshots do not match the key")
    # the table read_gazetteer() gives for this key, without reading 34,000 cities again
    places.use(gazetteer)
    return screener, manifest


def _read_array(path: Path) -> NDArray[Any]:
    try:
        array: NDArray[Any] = np.load(path, mmap_mode="r", allow_pickle=False)
    except ValueError:
        try:  # numpy cannot memory-map an empty array: read it
            array = np.load(path, allow_pickle=False)
        except (ValueError, OSError) as exc:
            raise IndexCorruptError(f"{path}: {exc}") from None
    except OSError as exc:
        raise IndexCorruptError(f"{path}: {exc}") from None
    return array


@dataclass(frozen=True)
class LoadedScreener:
    """A screener and how it was obtained, for the door to report.

    ``origin``: ``store`` (the snapshot store's current snapshots), ``given`` (list files
    named by the caller) or ``excerpt`` (the bundled demonstration excerpt). ``how``:
    ``loaded`` (from the saved index), ``built`` (and saved), ``built-unsaved``.
    """

    screener: Screener
    origin: Literal["store", "given", "excerpt"]
    how: Literal["loaded", "built", "built-unsaved"]
    index: Path | None
    lists: tuple[str, ...]  # one line per snapshot: label, date, id, counts per list
    warnings: tuple[str, ...] = ()  # the excerpt, malformed list rows, an unsaved index


def index_root(store: SnapshotStore) -> Path:
    return store.root / INDEX_DIR


def load_or_build_screener(
    store: SnapshotStore | None = None,
    *,
    lists: Sequence[Path] = (),
    thresholds: Thresholds | None = None,
    weights: TokenWeights | None = None,
    save: bool = True,
    list_codes: Sequence[str] | None = None,
    max_hits: int | None = None,
) -> LoadedScreener:
    """The screener every door uses: the lists named in ``lists`` (built, not saved), else
    the store's current snapshots (the saved index when it is intact and current, else
    built and saved), else the bundled excerpt (with its warning).

    ``list_codes`` screens only those lists (``--lists EL,SDN``): the saved index covers
    every list, so such a screener is built for the call and not saved. ``max_hits`` keeps
    the strongest hits of each result (query time: the saved index serves it).

    Raises ``OSError`` / ``ListFormatError`` when a named list cannot be read.
    """
    from compliance.watchlists.defaults import EXCERPT_WARNING, describe

    if lists:
        from compliance.watchlists.load import load_list

        given = [load_list(p) for p in lists]
        return LoadedScreener(
            Screener(given, thresholds, weights=weights, lists=list_codes, max_hits=max_hits),
            "given",
            "built-unsaved",
            None,
            tuple(describe(s) for s in given),
            tuple(_issue_note(s) for s in given if s.issues),
        )
    store = store if store is not None else SnapshotStore()
    manifests = store.current_manifests()
    if not manifests:
        from compliance.watchlists.bundled import bundled_excerpt

        excerpt = bundled_excerpt()
        return LoadedScreener(
            Screener([excerpt], thresholds, weights=weights, lists=list_codes, max_hits=max_hits),
            "excerpt",
            "built-unsaved",
            None,
            (describe(excerpt),),
            (EXCERPT_WARNING,),
        )
    key = index_key([m.snapshot_id for m in manifests], weights)
    directory = index_root(store) / key.digest
    lines = tuple(_describe_manifest(m) for m in manifests)
    notes = tuple(
        f"{m.read_issues} malformed list rows reported while reading {m.label} "
        f"(see 'compliance lists snapshots --json')"
        for m in manifests
        if m.read_issues
    )
    if list_codes:
        chosen = [store.load(m) for m in manifests]
        filtered = Screener(
            chosen, thresholds, weights=weights, lists=list_codes, max_hits=max_hits
        )
        return LoadedScreener(filtered, "store", "built-unsaved", None, lines, notes)
    try:
        screener, _ = load_index(directory, key, thresholds, max_hits=max_hits)
    except NotFoundError:
        pass
    except IntegrityError as exc:
        log.warning("rebuilding the screening index: %s", exc)
        _discard(directory)
    else:
        return LoadedScreener(screener, "store", "loaded", directory, lines, notes)
    snapshots = [store.load(m) for m in manifests]
    screener = Screener(snapshots, thresholds, weights=weights, max_hits=max_hits)
    if not save:
        return LoadedScreener(screener, "store", "built-unsaved", None, lines, notes)
    try:
        save_index(screener, directory, key)
    except OSError as exc:  # a read-only store still screens; the next run tries again
        log.warning("could not save the screening index at %s: %s", directory, exc)
        return LoadedScreener(
            screener,
            "store",
            "built-unsaved",
            None,
            lines,
            (*notes, f"screening index not saved ({exc}): the next run builds it again"),
        )
    prune_indexes(store, keep=directory)
    return LoadedScreener(screener, "store", "built", directory, lines, notes)


def saved_index_present(store: SnapshotStore, weights: TokenWeights | None = None) -> bool:
    """Whether the store's current snapshots have a saved index (its manifest is there;
    loading checks its hashes). A service asks before it builds one itself: ``lists
    import`` builds it right after publishing."""
    manifests = store.current_manifests()
    if not manifests:
        return False
    key = index_key([m.snapshot_id for m in manifests], weights)
    return (index_root(store) / key.digest / MANIFEST).is_file()


def ensure_index(store: SnapshotStore) -> LoadedScreener:
    """Build and save the index of the store's current snapshots unless an intact one is
    there (``lists update`` and ``lists import`` call this after publishing)."""
    return load_or_build_screener(store)


def prune_indexes(store: SnapshotStore, *, keep: Path, count: int = KEEP_INDEXES) -> list[Path]:
    """Delete all but the ``count`` newest saved indexes (``keep`` is never deleted)."""
    root = index_root(store)
    if not root.is_dir():
        return []
    saved = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    doomed = [p for p in saved[count:] if p != keep]
    for path in doomed:
        _discard(path)
    return doomed


def _discard(directory: Path) -> None:
    """Rename out of sight first, so a half-deleted index never looks valid."""
    if not directory.exists():
        return
    trash = directory.parent / f".trash-{directory.name}-{os.getpid()}"
    try:
        os.rename(directory, trash)
    except OSError as exc:
        log.warning("could not remove %s: %s", directory, exc)
        return
    shutil.rmtree(trash, ignore_errors=True)


def _issue_note(snapshot: ListSnapshot) -> str:
    first = snapshot.issues[0]
    return (
        f"{len(snapshot.issues)} malformed list rows reported while reading {snapshot.label} "
        f"(first: {first.file}:{first.line}: {first.reason})"
    )


def _describe_manifest(manifest: SnapshotManifest) -> str:
    published = manifest.published.date().isoformat() if manifest.published else "date unknown"
    counts = ", ".join(f"{k} {v}" for k, v in sorted(manifest.counts.items()))
    return f"{manifest.label} ({published}, snapshot {manifest.snapshot_id}): {counts}"


def index_summary(loaded: LoadedScreener) -> Mapping[str, Any]:
    """What a door reports about the screener in use: snapshots, weights, version, index."""
    screener = loaded.screener
    return {
        "snapshots": [r.model_dump(mode="json") for r in screener.snapshot_refs],
        "weights_id": screener.weights.weights_id,
        "thresholds": screener.thresholds.model_dump(mode="json"),
        "library_version": __version__,
        "origin": loaded.origin,
        "index": loaded.how,
    }
