"""The on-disk snapshot store: raw list files plus a manifest, versioned by content.

Layout under the root (``$COMPLIANCE_DATA_DIR/snapshots`` or
``platformdirs.user_data_dir("compliance")/snapshots``)::

    <source>/<snapshot_id>/manifest.json     provenance, counts, forced flag
    <source>/<snapshot_id>/files/<name>      the bytes exactly as downloaded
    <source>/pin.json                        optional: the snapshot id pinned for this source
    <source>/last-update.json                outcome of the last update attempt

The raw files are parsed again with the readers on load, so a snapshot id always equals
``ListSnapshot.snapshot_id`` of its files. Publication writes into a hidden temporary
directory, fsyncs it and renames it into place: a reader never sees a half-written snapshot,
and a refused or failed update leaves the last good snapshot in use.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field

from compliance._version import __version__
from compliance.watchlists.readers.csl_csv import read_csl_csv
from compliance.watchlists.readers.csl_json import read_csl_json
from compliance.watchlists.readers.dpl_txt import read_dpl_txt
from compliance.watchlists.readers.ofac_csv import read_ofac_csv
from compliance.watchlists.snapshot import ListSnapshot, SourceFile

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
FILES_DIR = "files"
PIN_FILE = "pin.json"
LAST_UPDATE_FILE = "last-update.json"
DEFAULT_KEEP = 10
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")

FORMATS = ("csl-csv", "csl-json", "ofac-csv", "dpl-txt")


class StoreError(OSError):
    """A snapshot store operation that cannot be carried out as asked.

    An ``OSError``, so code that already reports unreadable list files (the ``screen``
    command) reports a broken or missing stored snapshot the same way.
    """


class CorruptSnapshotError(StoreError):
    """A stored file no longer has the hash its manifest records."""


class StoredFile(BaseModel):
    """One downloaded file and the HTTP facts that came with it."""

    model_config = ConfigDict(frozen=True)

    name: str
    sha256: str
    size: int
    url: str | None = None
    etag: str | None = None
    last_modified: str | None = Field(default=None, description="the Last-Modified header")
    content_type: str | None = None
    retrieved: datetime | None = None
    published: datetime | None = Field(
        default=None, description="publication time the file itself states, if any"
    )


class SnapshotManifest(BaseModel):
    """What a stored snapshot is, where it came from and which checks it passed."""

    model_config = ConfigDict(frozen=True)

    manifest_version: int = 1
    snapshot_id: str
    source: str
    label: str
    format: str
    sequence: int = Field(ge=1, description="publication order within the source; newest wins")
    files: tuple[StoredFile, ...]
    counts: dict[str, int] = Field(description="entries per list code")
    entries: int
    read_issues: int = 0
    skipped_rows: int = 0
    repaired_rows: int = Field(
        default=0, description="rows the reader repaired (bytes replaced) or left out"
    )
    published: datetime | None = None
    retrieved: datetime | None = None
    forced: bool = False
    force_reason: str | None = None
    overridden_problems: tuple[str, ...] = Field(
        default=(), description="check failures that --force overrode"
    )
    warnings: tuple[str, ...] = ()
    previous_snapshot_id: str | None = None
    library_version: str = __version__


class UpdateRecord(BaseModel):
    """The outcome of the last update attempt of one source (shown by ``lists status``)."""

    model_config = ConfigDict(frozen=True)

    source: str
    checked: datetime | None
    outcome: str = Field(description="published, unchanged, refused or failed")
    snapshot_id: str | None = None
    problems: tuple[str, ...] = ()


def default_root() -> Path:
    """``$COMPLIANCE_DATA_DIR/snapshots``, else the platform's user data directory."""
    base = os.environ.get("COMPLIANCE_DATA_DIR")
    data_dir = Path(base) if base else Path(platformdirs.user_data_dir("compliance"))
    return data_dir / "snapshots"


def check_name(value: str, what: str) -> str:
    """Source and file names become path components: refuse anything that could escape."""
    if not _SAFE_NAME.match(value) or value in {".", ".."}:
        raise StoreError(f"invalid {what} {value!r}: use letters, digits, '.', '_' or '-'")
    return value


def sha256_file(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, read in blocks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def snapshot_id_of(source: str, files: Sequence[tuple[str, str]]) -> str:
    """The id ``ListSnapshot.snapshot_id`` gives for these (name, sha256) pairs."""
    snap = ListSnapshot(
        source=source,
        label="",
        files=tuple(SourceFile(name=n, sha256=h, size=0) for n, h in files),
        entries=(),
    )
    return snap.snapshot_id


def read_files(fmt: str, paths: Sequence[Path], *, source: str, label: str) -> ListSnapshot:
    """Parse a source's files with the reader for its registry format.

    The result carries the registry's source name and label whatever the reader defaults
    to, so the snapshot id depends only on the source name and the file contents.
    """
    if not paths:
        raise StoreError(f"{source}: no files to read")
    if fmt == "csl-csv":
        snap = read_csl_csv(paths[0], source=source, label=label)
    elif fmt == "csl-json":
        snap = read_csl_json(paths[0], source=source, label=label)
    elif fmt == "ofac-csv":
        # the primary file comes first in the registry; the reader finds its siblings
        snap = read_ofac_csv(paths[0], source=source, label=label)
    elif fmt == "dpl-txt":
        snap = read_dpl_txt(paths[0], source=source, label=label)
    else:
        raise StoreError(f"{source}: unknown list format {fmt!r} (known: {', '.join(FORMATS)})")
    wanted = {p.name for p in paths}
    extra = sorted(f.name for f in snap.files if f.name not in wanted)
    if extra:
        raise StoreError(f"{source}: the reader read files the source does not list: {extra}")
    return snap.model_copy(update={"source": source, "label": label})


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write a small file so that readers see the old or the new content, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def dump_json(model: BaseModel) -> bytes:
    """Deterministic JSON: sorted keys, two-space indent, trailing newline."""
    data = model.model_dump(mode="json")
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


class SnapshotStore:
    """Versioned, content-addressed list snapshots in the user's data directory."""

    def __init__(self, root: Path | None = None, *, keep: int = DEFAULT_KEEP) -> None:
        self.root = Path(root) if root is not None else default_root()
        if keep < 1:
            raise StoreError("keep must be at least 1")
        self.keep = keep

    # -- reading --------------------------------------------------------------------------

    def sources(self) -> list[str]:
        """Source names with at least one stored snapshot, sorted."""
        if not self.root.is_dir():
            return []
        return sorted(
            p.name
            for p in self.root.iterdir()
            if p.is_dir() and not p.name.startswith(".") and self.manifests(p.name)
        )

    def manifests(self, source: str) -> list[SnapshotManifest]:
        """Every stored snapshot of a source, oldest first (by publication sequence)."""
        src_dir = self.root / check_name(source, "source")
        if not src_dir.is_dir():
            return []
        found: list[SnapshotManifest] = []
        for snap_dir in src_dir.iterdir():
            manifest_path = snap_dir / MANIFEST
            if snap_dir.name.startswith(".") or not manifest_path.is_file():
                continue
            try:
                manifest = SnapshotManifest.model_validate_json(manifest_path.read_bytes())
            except ValueError as exc:
                log.warning("ignoring unreadable manifest %s: %s", manifest_path, exc)
                continue
            if manifest.snapshot_id != snap_dir.name or manifest.source != source:
                log.warning("ignoring manifest %s: it names another snapshot", manifest_path)
                continue
            found.append(manifest)
        return sorted(found, key=lambda m: (m.sequence, m.snapshot_id))

    def list_snapshots(self, source: str | None = None) -> list[SnapshotManifest]:
        """Manifests of all stored snapshots (of one source, or all), by source then age."""
        names = [source] if source is not None else self.sources()
        return [m for name in names for m in self.manifests(name)]

    def manifest(self, source: str, snapshot_id: str) -> SnapshotManifest:
        for m in self.manifests(source):
            if m.snapshot_id == snapshot_id:
                return m
        raise StoreError(f"{source}: no stored snapshot {snapshot_id!r}")

    def find(self, snapshot_id: str) -> SnapshotManifest:
        """The manifest of a snapshot id (or an unambiguous prefix of one) in any source."""
        matches = [m for m in self.list_snapshots() if m.snapshot_id.startswith(snapshot_id)]
        if len(matches) != 1:
            what = "no" if not matches else "more than one"
            raise StoreError(f"{what} stored snapshot matches {snapshot_id!r}")
        return matches[0]

    def latest(self, source: str) -> SnapshotManifest | None:
        """The newest published snapshot of a source, ignoring any pin."""
        found = self.manifests(source)
        return found[-1] if found else None

    def pinned(self, source: str) -> str | None:
        pin_path = self.root / check_name(source, "source") / PIN_FILE
        if not pin_path.is_file():
            return None
        value = json.loads(pin_path.read_text("utf-8")).get("snapshot_id")
        return str(value) if value else None

    def selected(self, source: str) -> SnapshotManifest | None:
        """The snapshot screening uses: the pinned one, else the newest."""
        pin = self.pinned(source)
        if pin is not None:
            return self.manifest(source, pin)
        return self.latest(source)

    def snapshot_dir(self, manifest: SnapshotManifest) -> Path:
        return self.root / manifest.source / manifest.snapshot_id

    def file_paths(self, manifest: SnapshotManifest) -> list[Path]:
        base = self.snapshot_dir(manifest) / FILES_DIR
        return [base / f.name for f in manifest.files]

    def verify(self, manifest: SnapshotManifest) -> None:
        """Re-hash every stored file; raise ``CorruptSnapshotError`` on any difference."""
        for stored, path in zip(manifest.files, self.file_paths(manifest), strict=True):
            if not path.is_file():
                raise CorruptSnapshotError(f"{manifest.snapshot_id}: {stored.name} is missing")
            digest, size = sha256_file(path)
            if digest != stored.sha256 or size != stored.size:
                raise CorruptSnapshotError(
                    f"{manifest.snapshot_id}: {stored.name} has sha256 {digest} "
                    f"({size} bytes), manifest says {stored.sha256} ({stored.size} bytes)"
                )

    def load(self, manifest: SnapshotManifest) -> ListSnapshot:
        """Parse a stored snapshot again from its raw files, after checking their hashes."""
        self.verify(manifest)
        snap = read_files(
            manifest.format,
            self.file_paths(manifest),
            source=manifest.source,
            label=manifest.label,
        )
        by_name = {f.name: f for f in manifest.files}
        files = tuple(
            f.model_copy(
                update={
                    "url": by_name[f.name].url if f.name in by_name else f.url,
                    "retrieved": by_name[f.name].retrieved if f.name in by_name else f.retrieved,
                }
            )
            for f in snap.files
        )
        snap = snap.model_copy(update={"files": files})
        if snap.snapshot_id != manifest.snapshot_id:
            raise CorruptSnapshotError(
                f"{manifest.source}: files read as snapshot {snap.snapshot_id}, "
                f"manifest says {manifest.snapshot_id}"
            )
        return snap

    def get(self, snapshot_id: str) -> ListSnapshot:
        """Load a snapshot by id (or unambiguous prefix), whatever its source."""
        return self.load(self.find(snapshot_id))

    def current(self) -> list[ListSnapshot]:
        """The snapshot of each source that screening should use, by source name.

        A pinned snapshot is used as it is. Otherwise the newest snapshot whose files still
        match their hashes; a corrupt one is skipped with a logged warning.
        """
        return [self.load(m) for m in self.current_manifests()]

    def current_manifests(self) -> list[SnapshotManifest]:
        """The manifests of :meth:`current`, files hash-checked but not parsed: enough to
        name the snapshots in use (and find their saved screening index) without reading
        the lists."""
        result: list[SnapshotManifest] = []
        for source in self.sources():
            pin = self.pinned(source)
            if pin is not None:
                pinned = self.manifest(source, pin)
                self.verify(pinned)
                result.append(pinned)
                continue
            for manifest in reversed(self.manifests(source)):
                try:
                    self.verify(manifest)
                except CorruptSnapshotError as exc:
                    log.warning("skipping corrupt snapshot: %s", exc)
                    continue
                result.append(manifest)
                break
        return result

    def last_update(self, source: str) -> UpdateRecord | None:
        path = self.root / check_name(source, "source") / LAST_UPDATE_FILE
        if not path.is_file():
            return None
        return UpdateRecord.model_validate_json(path.read_bytes())

    # -- writing --------------------------------------------------------------------------

    def pin(self, source: str, snapshot_id: str) -> SnapshotManifest:
        """Use this snapshot for the source until unpinned (reproducible runs)."""
        manifest = self.manifest(source, snapshot_id)
        body = json.dumps({"snapshot_id": manifest.snapshot_id}, sort_keys=True) + "\n"
        write_atomic(self.root / source / PIN_FILE, body.encode())
        return manifest

    def unpin(self, source: str) -> bool:
        """Remove the pin; True if there was one."""
        path = self.root / check_name(source, "source") / PIN_FILE
        if not path.exists():
            return False
        path.unlink()
        _fsync_dir(path.parent)
        return True

    def record_update(self, record: UpdateRecord) -> None:
        write_atomic(
            self.root / check_name(record.source, "source") / LAST_UPDATE_FILE, dump_json(record)
        )

    def staging_dir(self, source: str) -> Path:
        """A fresh hidden directory on the store's file system, for downloads in progress."""
        src_dir = self.root / check_name(source, "source")
        src_dir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(dir=src_dir, prefix=".staging-"))

    def next_sequence(self, source: str) -> int:
        latest = self.latest(source)
        return latest.sequence + 1 if latest else 1

    def publish(self, manifest: SnapshotManifest, files: Mapping[str, Path]) -> SnapshotManifest:
        """Store files under their manifest atomically; return the manifest as stored.

        The files are copied into a hidden temporary directory, fsynced, and the directory is
        renamed into place. Publishing content that is already stored (same id) only
        replaces its manifest, so the newest publication wins ``current()``.
        """
        check_name(manifest.source, "source")
        if manifest.format not in FORMATS:
            raise StoreError(f"unknown format {manifest.format!r}")
        names = [f.name for f in manifest.files]
        if sorted(names) != sorted(files) or len(set(names)) != len(names):
            raise StoreError(f"manifest files {sorted(names)} differ from given {sorted(files)}")
        for stored in manifest.files:
            check_name(stored.name, "file name")
            digest, size = sha256_file(files[stored.name])
            if digest != stored.sha256 or size != stored.size:
                raise StoreError(f"{stored.name}: content changed since it was checked")
        expected_id = snapshot_id_of(manifest.source, [(f.name, f.sha256) for f in manifest.files])
        if manifest.snapshot_id != expected_id:
            raise StoreError(f"manifest id {manifest.snapshot_id} != content id {expected_id}")

        src_dir = self.root / manifest.source
        src_dir.mkdir(parents=True, exist_ok=True)
        final = src_dir / manifest.snapshot_id
        if final.is_dir() and (final / MANIFEST).is_file():
            try:
                self.verify(manifest)
            except CorruptSnapshotError as exc:  # replace damaged bytes with the fresh copy
                log.warning("replacing corrupt stored snapshot: %s", exc)
                self._remove_tree(final)
            else:
                write_atomic(final / MANIFEST, dump_json(manifest))
                self.prune(manifest.source)
                return manifest

        tmp = Path(tempfile.mkdtemp(dir=src_dir, prefix=".publish-"))
        try:
            (tmp / FILES_DIR).mkdir()
            for stored in manifest.files:
                target = tmp / FILES_DIR / stored.name
                shutil.copyfile(files[stored.name], target)
                with target.open("rb") as fh:
                    os.fsync(fh.fileno())
            _fsync_dir(tmp / FILES_DIR)
            (tmp / MANIFEST).write_bytes(dump_json(manifest))
            with (tmp / MANIFEST).open("rb") as fh:
                os.fsync(fh.fileno())
            _fsync_dir(tmp)
            if final.exists():  # a leftover without manifest: never a valid snapshot
                self._remove_tree(final)
            os.rename(tmp, final)
            _fsync_dir(src_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self.prune(manifest.source)
        return manifest

    def prune(self, source: str) -> list[str]:
        """Delete all but the newest ``keep`` snapshots; a pinned one is always kept."""
        pin = self.pinned(source)
        manifests = self.manifests(source)
        doomed = [
            m for m in manifests[: max(0, len(manifests) - self.keep)] if m.snapshot_id != pin
        ]
        for m in doomed:
            self._remove_tree(self.snapshot_dir(m))
        return [m.snapshot_id for m in doomed]

    def _remove_tree(self, path: Path) -> None:
        """Rename out of sight first, so a half-deleted snapshot never looks valid."""
        trash = path.parent / f".trash-{path.name}-{os.getpid()}"
        os.rename(path, trash)
        shutil.rmtree(trash, ignore_errors=True)
