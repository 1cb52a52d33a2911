"""Download official list files over HTTP, check them, and publish a snapshot or refuse.

Official feeds break: the trade.gov CSL has served files without whole lists, and its
downloads failed for days. So an update is a transaction. Every file of a source is
streamed to a staging directory (timeouts, retries with backoff, conditional requests,
SHA-256), parsed with the source's reader and compared with the previous snapshot. Only a
snapshot that passes every check is published, atomically; otherwise the last good one
stays in use and the reason is recorded. ``force`` overrides the count checks (never a
file that cannot be read), and the override is written into the manifest.
"""

from __future__ import annotations

import codecs
import hashlib
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_UP, Decimal
from pathlib import Path

import httpx
from pydantic import BaseModel, ConfigDict, Field

from compliance._version import __version__
from compliance.watchlists.importing import ImportFilesError, check_utf8, match_files, stage
from compliance.watchlists.registry import ListSource, RemoteFile
from compliance.watchlists.snapshot import ListSnapshot
from compliance.watchlists.store import (
    CorruptSnapshotError,
    SnapshotManifest,
    SnapshotStore,
    StoredFile,
    StoreError,
    UpdateRecord,
    read_files,
    sha256_file,
    snapshot_id_of,
)

MAX_DROP_PERCENT = Decimal("5")
"""A list that loses more than this share of its entries in one update is refused."""

MAX_REPAIRED_PERCENT = Decimal("0.1")
"""A snapshot in which the reader had to repair (replace undecodable bytes) or leave out
more than this share of the rows is refused: the file is damaged, not merely quirky."""

_TEXT_TYPES = frozenset({"text/plain", "application/octet-stream", "binary/octet-stream"})
ACCEPTED_CONTENT_TYPES: dict[str, frozenset[str]] = {
    "csl-csv": _TEXT_TYPES
    | {
        "text/csv",
        "application/csv",
        "text/x-csv",
        "application/x-csv",
        "application/vnd.ms-excel",
    },
    "csl-json": _TEXT_TYPES | {"application/json", "text/json"},
    "ofac-csv": _TEXT_TYPES
    | {
        "text/csv",
        "application/csv",
        "text/x-csv",
        "application/x-csv",
        "application/vnd.ms-excel",
    },
    "dpl-txt": _TEXT_TYPES | {"text/tab-separated-values", "text/csv"},
}
"""Content types each format may arrive with; an HTML error page served with 200 is refused."""

REQUIRED_CSL_COLUMNS = (
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "addresses",
    "federal_register_notice",
    "license_requirement",
    "license_policy",
    "alt_names",
)
"""Columns of the official CSL CSV that screening and the diff rely on."""

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class DownloadError(Exception):
    """A file could not be downloaded after all retries."""


class FatalDownloadError(DownloadError):
    """A response that retrying will not fix (HTTP 404, an HTML page instead of data)."""


class DeadlineExceeded(FatalDownloadError):
    """The file's total deadline (all attempts together) has passed: no further attempt."""


@dataclass(frozen=True)
class HttpSettings:
    """Timeouts and retry policy; tests shrink them, cron jobs keep the defaults."""

    connect_timeout: float = 15.0
    read_timeout: float = 60.0
    total_timeout: float = 900.0
    """The deadline for one file across all its attempts and back-off waits (``--deadline``):
    a server that drips bytes, or fails slowly again and again, cannot hold a file longer."""
    retries: int = 3
    backoff: float = 2.0
    backoff_max: float = 60.0
    max_bytes: int = 512 * 1024 * 1024
    user_agent: str = f"compliance/{__version__} (+restricted-party list updater)"
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)


@dataclass(frozen=True)
class FetchedFile:
    """A file in the staging directory, downloaded now or reused after a 304."""

    stored: StoredFile
    path: Path
    not_modified: bool


class UpdateOutcome(BaseModel):
    """What one source's update did: published, unchanged, refused or failed."""

    model_config = ConfigDict(frozen=True)

    source: str
    outcome: str
    snapshot_id: str | None = None
    previous_snapshot_id: str | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    previous_counts: dict[str, int] = Field(default_factory=dict)
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    forced: bool = False
    repaired_rows: int = Field(
        default=0, description="rows the reader repaired (bytes replaced) or left out"
    )
    read_issues: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome in {"published", "unchanged"}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _media_type(header: str | None) -> str | None:
    if not header:
        return None
    return header.split(";", 1)[0].strip().lower() or None


def _retry_delay(attempt: int, settings: HttpSettings, retry_after: str | None) -> float:
    delay: float = min(settings.backoff * float(2**attempt), settings.backoff_max)
    if retry_after and retry_after.strip().isdigit():
        delay = min(max(delay, float(retry_after.strip())), settings.backoff_max)
    return delay


def _conditional_headers(previous: StoredFile | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if previous is None:
        return headers
    if previous.etag:
        headers["If-None-Match"] = previous.etag
    if previous.last_modified:
        headers["If-Modified-Since"] = previous.last_modified
    return headers


def _stream_to_file(
    response: httpx.Response, target: Path, fmt: str, settings: HttpSettings, deadline: float
) -> tuple[str, int]:
    """Stream the body to ``target``; hash it, bound its size and time, check UTF-8."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    size = 0
    with target.open("wb") as out:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > settings.max_bytes:
                raise DownloadError(f"larger than the {settings.max_bytes}-byte limit")
            if settings.clock() > deadline:
                raise DeadlineExceeded(
                    f"not complete within the {settings.total_timeout:g} s deadline for this "
                    "file (stalled or dripping?)"
                )
            digest.update(chunk)
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise DownloadError(
                    f"not valid UTF-8 near byte {size - len(chunk) + exc.start}"
                ) from exc
            out.write(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise DownloadError("not valid UTF-8 at the end of the file (truncated?)") from exc
    expected = response.headers.get("content-length")
    encoded = response.headers.get("content-encoding", "identity").lower() != "identity"
    if expected is not None and not encoded and expected.isdigit() and int(expected) != size:
        raise DownloadError(f"received {size} bytes, Content-Length said {expected}")
    return digest.hexdigest(), size


def fetch_file(
    client: httpx.Client,
    remote: RemoteFile,
    url: str,
    fmt: str,
    staging: Path,
    *,
    previous: StoredFile | None,
    previous_path: Path | None,
    settings: HttpSettings,
    now: Callable[[], datetime] = utcnow,
) -> FetchedFile:
    """Download one file with retries; a 304 reuses the previously stored copy."""
    target = staging / remote.name
    headers = _conditional_headers(previous) if previous_path is not None else {}
    errors: list[str] = []
    retry_after: str | None = None
    deadline = settings.clock() + settings.total_timeout
    for attempt in range(settings.retries + 1):
        if attempt:
            delay = _retry_delay(attempt - 1, settings, retry_after)
            if settings.clock() + delay >= deadline:
                errors.append(f"no time left for attempt {attempt + 1} before the deadline")
                break
            settings.sleep(delay)
            retry_after = None
        remaining = deadline - settings.clock()
        timeout = httpx.Timeout(
            connect=min(settings.connect_timeout, remaining),
            read=min(settings.read_timeout, remaining),
            write=min(settings.read_timeout, remaining),
            pool=min(settings.connect_timeout, remaining),
        )
        try:
            with client.stream("GET", url, headers=headers, timeout=timeout) as response:
                if response.status_code == 304 and previous is not None and previous_path:
                    shutil.copyfile(previous_path, target)
                    return FetchedFile(
                        stored=previous.model_copy(update={"retrieved": now()}),
                        path=target,
                        not_modified=True,
                    )
                if response.status_code in RETRY_STATUSES:
                    errors.append(f"HTTP {response.status_code}")
                    retry_after = response.headers.get("retry-after")
                    continue
                if response.status_code != 200:
                    raise FatalDownloadError(f"{url}: HTTP {response.status_code}")
                ctype = _media_type(response.headers.get("content-type"))
                if ctype is not None and ctype not in ACCEPTED_CONTENT_TYPES[fmt]:
                    raise FatalDownloadError(
                        f"{url}: content type {ctype!r} is not a {fmt} file "
                        "(an error page served as a download?)"
                    )
                sha, size = _stream_to_file(response, target, fmt, settings, deadline)
                return FetchedFile(
                    stored=StoredFile(
                        name=remote.name,
                        sha256=sha,
                        size=size,
                        url=url,
                        etag=response.headers.get("etag"),
                        last_modified=response.headers.get("last-modified"),
                        content_type=response.headers.get("content-type"),
                        retrieved=now(),
                    ),
                    path=target,
                    not_modified=False,
                )
        except DeadlineExceeded as exc:
            errors.append(str(exc))
            break
        except FatalDownloadError:
            raise
        except DownloadError as exc:
            errors.append(str(exc))
        except httpx.TransportError as exc:
            errors.append(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
    attempts = sum(1 for e in errors if not e.startswith("no time left"))
    raise DownloadError(f"{url}: failed after {attempts} attempt(s): {'; '.join(errors)}")


def check_schema(fmt: str, paths: Sequence[Path]) -> list[str]:
    """Structural checks the readers may be lenient about: a renamed column is fatal here."""
    problems: list[str] = []
    if fmt == "csl-csv":
        import csv

        # errors="replace": decoding reads a block past the header, and an undecodable
        # byte there is the strict UTF-8 check's finding (with its offset), not a crash here
        with paths[0].open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            header = next(csv.reader(fh), None)
        if not header:
            return [f"{paths[0].name}: empty file, no header row"]
        missing = [c for c in REQUIRED_CSL_COLUMNS if c not in header]
        if missing:
            problems.append(f"{paths[0].name}: required columns missing: {', '.join(missing)}")
    for path in paths:
        if path.stat().st_size == 0:
            problems.append(f"{path.name}: empty file")
    return problems


def compare_counts(
    new: dict[str, int], previous: dict[str, int], max_drop: Decimal = MAX_DROP_PERCENT
) -> list[str]:
    """Refusal reasons: a list now empty or missing, or a drop of more than ``max_drop`` %."""
    problems: list[str] = []
    for code in sorted(set(previous) | set(new)):
        count = new.get(code, 0)
        before = previous.get(code)
        if count == 0:
            suffix = f" (previous snapshot had {before})" if before else ""
            problems.append(f"list {code}: no entries{suffix}")
            continue
        # exact: (before - count) / before > max_drop / 100, compared as integers and Decimals
        # with nothing rounded first, so 5.00% passes and 5.0001% does not
        if before and (before - count) * 100 > max_drop * before:
            problems.append(
                f"list {code}: {count} entries, {_percent(before - count, before)}% fewer than "
                f"the previous {before} (more than {max_drop}%)"
            )
    return problems


def _percent(part: int, whole: int) -> Decimal:
    """``part/whole`` in percent for messages: 2 decimals if exact, else 4 rounded up, so a
    refused drop is never shown as if it were at the limit."""
    exact = Decimal(part) * 100 / Decimal(whole)
    two = exact.quantize(Decimal("0.01"))
    return two if two == exact else exact.quantize(Decimal("0.0001"), rounding=ROUND_UP)


def missing_lists(new: dict[str, int], expected: Sequence[str]) -> list[str]:
    """Registry lists absent from a snapshot: a warning, since lists do get retired (FSE)."""
    return [
        f"list {code}: not in this snapshot (the registry expects it)"
        for code in expected
        if not new.get(code)
    ]


_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def resolve_url(remote: RemoteFile, base_url: str | None) -> str:
    """The registry URL, or ``base_url/<file name>`` when a mirror or test server is used."""
    if base_url is None:
        return str(remote.url)
    parsed = httpx.URL(base_url)
    if parsed.scheme != "https" and not (
        parsed.scheme == "http" and parsed.host in _LOOPBACK_HOSTS
    ):
        raise ValueError(f"base URL {base_url!r}: must be https:// (plain http only on loopback)")
    return base_url.rstrip("/") + "/" + remote.name


def make_client(settings: HttpSettings) -> httpx.Client:
    timeout = httpx.Timeout(
        settings.read_timeout, connect=settings.connect_timeout, pool=settings.connect_timeout
    )
    return httpx.Client(
        timeout=timeout,
        follow_redirects=True,
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
    )


def update_source(
    source: ListSource,
    store: SnapshotStore,
    *,
    client: httpx.Client | None = None,
    base_url: str | None = None,
    force: bool = False,
    force_reason: str | None = None,
    settings: HttpSettings | None = None,
    now: Callable[[], datetime] = utcnow,
) -> UpdateOutcome:
    """Download, check and publish one source; a feed problem is an outcome, not an error."""
    settings = settings or HttpSettings()
    owns_client = client is None
    http = client if client is not None else make_client(settings)
    started = now()
    previous = store.latest(source.name)
    staging = store.staging_dir(source.name)
    try:
        # a damaged stored copy must not be re-used after a 304: download it afresh
        reusable = previous if previous is not None and intact(store, previous) else None
        fetched = _fetch_all(source, store, http, base_url, settings, now, reusable, staging)
        if isinstance(fetched, str):
            outcome = _unchanged_or_failed(source.name, previous, "failed", (fetched,))
        elif reusable is not None and all(f.not_modified for f in fetched):
            outcome = _unchanged_or_failed(source.name, previous, "unchanged", ())
        else:
            try:
                outcome = check_and_publish(
                    store,
                    source=source.name,
                    label=source.label,
                    fmt=source.format,
                    staged=[(f.stored, f.path) for f in fetched],
                    expected_lists=source.lists,
                    force=force,
                    force_reason=force_reason,
                )
            except OSError as exc:  # disk full, permissions: publication did not happen
                problem = f"could not publish: {type(exc).__name__}: {exc}"
                outcome = _unchanged_or_failed(source.name, previous, "failed", (problem,))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if owns_client:
            http.close()
    return _recorded(store, outcome, started)


def _recorded(store: SnapshotStore, outcome: UpdateOutcome, started: datetime) -> UpdateOutcome:
    """Log one update or import attempt in the store's history; returns ``outcome``."""
    store.record_update(
        UpdateRecord(
            source=outcome.source,
            checked=started,
            outcome=outcome.outcome,
            snapshot_id=outcome.snapshot_id,
            problems=outcome.problems + outcome.warnings,
        )
    )
    return outcome


def intact(store: SnapshotStore, manifest: SnapshotManifest) -> bool:
    """True if every stored file of the snapshot still has its recorded hash."""
    try:
        store.verify(manifest)
    except CorruptSnapshotError:
        return False
    return True


def _fetch_all(
    source: ListSource,
    store: SnapshotStore,
    client: httpx.Client,
    base_url: str | None,
    settings: HttpSettings,
    now: Callable[[], datetime],
    previous: SnapshotManifest | None,
    staging: Path,
) -> list[FetchedFile] | str:
    """Every file of the source in the staging directory, or the first failure's reason."""
    prev_files = {f.name: f for f in previous.files} if previous else {}
    prev_paths = {p.name: p for p in store.file_paths(previous)} if previous else {}
    fetched: list[FetchedFile] = []
    for remote in source.files:
        try:
            fetched.append(
                fetch_file(
                    client,
                    remote,
                    resolve_url(remote, base_url),
                    source.format,
                    staging,
                    previous=prev_files.get(remote.name),
                    previous_path=prev_paths.get(remote.name),
                    settings=settings,
                    now=now,
                )
            )
        except (DownloadError, OSError) as exc:
            return f"{remote.name}: {exc}"
    return fetched


def _unchanged_or_failed(
    source: str, previous: SnapshotManifest | None, outcome: str, problems: tuple[str, ...]
) -> UpdateOutcome:
    prev_id = previous.snapshot_id if previous else None
    counts = dict(previous.counts) if previous else {}
    return UpdateOutcome(
        source=source,
        outcome=outcome,
        snapshot_id=prev_id,
        previous_snapshot_id=prev_id,
        counts=counts if outcome == "unchanged" else {},
        previous_counts=counts,
        problems=problems,
    )


def check_and_publish(
    store: SnapshotStore,
    *,
    source: str,
    label: str,
    fmt: str,
    staged: Sequence[tuple[StoredFile, Path]],
    expected_lists: Sequence[str] = (),
    force: bool = False,
    force_reason: str | None = None,
    published: datetime | None = None,
    max_repaired_percent: Decimal = MAX_REPAIRED_PERCENT,
) -> UpdateOutcome:
    """Parse staged files, compare them with the newest snapshot, publish or refuse.

    Every file must be strict UTF-8 (never forced). ``published`` is the publication date
    stated by the caller, used when the files do not carry one. More than
    ``max_repaired_percent`` of rows repaired or left out by the reader is refused unless
    forced.

    A file that cannot be read is refused even with ``force``: there would be nothing to
    screen against. Count problems (an empty list, a drop of more than 5%) are refused
    unless forced; a forced publication records the reason and the overridden problems.
    """
    previous = store.latest(source)
    prev_id = previous.snapshot_id if previous else None
    prev_counts = dict(previous.counts) if previous else {}
    paths = [path for _, path in staged]

    def refuse(problems: Sequence[str], counts: dict[str, int] | None = None) -> UpdateOutcome:
        return UpdateOutcome(
            source=source,
            outcome="refused",
            snapshot_id=prev_id,
            previous_snapshot_id=prev_id,
            counts=counts or {},
            previous_counts=prev_counts,
            problems=tuple(problems),
        )

    fatal = check_schema(fmt, paths)
    fatal += [p for p in (check_utf8(path, path.name) for path in paths) if p is not None]
    if fatal:
        return refuse(fatal)
    try:
        snapshot = read_files(fmt, paths, source=source, label=label)
    except (ValueError, StoreError, OSError, KeyError, IndexError) as exc:
        return refuse([f"could not be read: {type(exc).__name__}: {exc}"])

    counts = snapshot.count_by_list()
    new_id = snapshot_id_of(source, [(f.name, f.sha256) for f, _ in staged])
    if new_id != snapshot.snapshot_id:
        return refuse([f"reader saw other files than were downloaded ({snapshot.snapshot_id})"])
    if new_id == prev_id and previous is not None and intact(store, previous):
        return UpdateOutcome(
            source=source,
            outcome="unchanged",
            snapshot_id=prev_id,
            previous_snapshot_id=prev_id,
            counts=counts,
            previous_counts=prev_counts,
        )
    problems = compare_counts(counts, prev_counts)
    if not counts:
        problems.append("the snapshot has no entries at all")
    repaired = repaired_rows(snapshot)
    too_many = repaired_problem(repaired, len(snapshot.entries), max_repaired_percent)
    if too_many:
        problems.append(too_many)
    if problems and not force:
        return refuse(problems, counts).model_copy(
            update={"repaired_rows": repaired, "read_issues": len(snapshot.issues)}
        )
    forced = bool(problems)
    warnings = missing_lists(counts, expected_lists)
    published_times = {f.name: f.published for f in snapshot.files}
    stored_files = tuple(
        f.model_copy(update={"published": published_times.get(f.name)}) for f, _ in staged
    )
    retrieved = [f.retrieved for f in stored_files if f.retrieved is not None]
    manifest = SnapshotManifest(
        snapshot_id=new_id,
        source=source,
        label=label,
        format=fmt,
        sequence=store.next_sequence(source),
        files=stored_files,
        counts=counts,
        entries=len(snapshot.entries),
        read_issues=len(snapshot.issues),
        skipped_rows=sum(1 for i in snapshot.issues if i.skipped),
        repaired_rows=repaired,
        published=snapshot.published or published,
        retrieved=max(retrieved) if retrieved else None,
        forced=forced,
        force_reason=(force_reason or "no reason given") if forced else None,
        overridden_problems=tuple(problems),
        warnings=tuple(warnings),
        previous_snapshot_id=prev_id,
    )
    store.publish(manifest, {f.name: path for f, path in staged})
    return UpdateOutcome(
        source=source,
        outcome="published",
        snapshot_id=new_id,
        previous_snapshot_id=prev_id,
        counts=counts,
        previous_counts=prev_counts,
        problems=tuple(problems),
        warnings=tuple(warnings),
        forced=forced,
        repaired_rows=repaired,
        read_issues=len(snapshot.issues),
    )


def repaired_rows(snapshot: ListSnapshot) -> int:
    """Rows the reader repaired (undecodable bytes replaced) or left out, counted once."""
    return len(
        {
            (i.file, i.line)
            for i in snapshot.issues
            if i.skipped or "replaced with U+FFFD" in i.reason
        }
    )


def repaired_problem(repaired: int, entries: int, max_percent: Decimal) -> str | None:
    """The refusal reason when more than ``max_percent`` of the rows were repaired."""
    rows = entries + repaired
    if not repaired or not rows:
        return None
    if Decimal(repaired) * 100 > max_percent * rows:  # exact: no rounding before comparing
        share = (Decimal(repaired) * 100 / rows).quantize(Decimal("0.001"))
        return (
            f"{repaired} of {rows} rows repaired or left out by the reader ({share}%), more "
            f"than {max_percent}%: the file looks damaged"
        )
    return None


def import_files(
    store: SnapshotStore,
    *,
    source: str,
    label: str,
    fmt: str,
    paths: Sequence[Path],
    retrieved: datetime | None = None,
    expected_lists: Sequence[str] = (),
    force: bool = False,
    force_reason: str | None = None,
) -> UpdateOutcome:
    """Publish local files (an air-gapped copy, a test fixture) through the same checks."""
    staged = []
    for path in paths:
        digest, size = sha256_file(path)
        staged.append(
            (StoredFile(name=path.name, sha256=digest, size=size, retrieved=retrieved), path)
        )
    return check_and_publish(
        store,
        source=source,
        label=label,
        fmt=fmt,
        staged=staged,
        expected_lists=expected_lists,
        force=force,
        force_reason=force_reason,
    )


def import_source(
    source: ListSource,
    store: SnapshotStore,
    paths: Sequence[Path],
    *,
    published: datetime | None = None,
    force: bool = False,
    force_reason: str | None = None,
    now: Callable[[], datetime] = utcnow,
) -> UpdateOutcome:
    """``lists import``: local files (a folder, or files in any order) through every check
    of ``lists update``; the files are matched to the registry's by content and staged
    under its names. A set that cannot be matched is refused, naming the missing file."""
    started = now()
    previous = store.latest(source.name)
    staging = store.staging_dir(source.name)
    try:
        try:
            matched = match_files(source, paths)
        except ImportFilesError as exc:
            outcome = _unchanged_or_failed(source.name, previous, "refused", (str(exc),))
        else:
            copies = stage(matched, staging)
            staged = []
            for path in copies:
                digest, size = sha256_file(path)
                stored = StoredFile(name=path.name, sha256=digest, size=size, retrieved=started)
                staged.append((stored, path))
            outcome = check_and_publish(
                store,
                source=source.name,
                label=source.label,
                fmt=source.format,
                staged=staged,
                expected_lists=source.lists,
                force=force,
                force_reason=force_reason,
                published=published,
            )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _recorded(store, outcome, started)
