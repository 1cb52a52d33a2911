"""What the review pages need from the process that serves them (the service, or a test).

The service (``compliance.service``) builds one object satisfying :class:`WebContext` and
passes it to :func:`compliance.web.create_router`; the pages read nothing else. The
members are callables where the service may swap what they return (a new list snapshot
picked up without a restart gives a new screener).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel

from compliance.users import UserDirectory

if TYPE_CHECKING:
    from compliance.screening.screener import Screener


class WebContext(Protocol):
    """The contract between the review pages and the service that mounts them.

    - ``users``: who may sign in, with which roles (the users file of ``compliance.users``).
    - ``review_db``: the review database (decisions, audit trail, review queue).
    - ``session_secret``: key for signing session cookies and CSRF tokens (32+ random bytes,
      the same in every worker process, kept secret).
    - ``current_screener()``: the screener in use now (search screens with it; the hit page
      reads listed entries from its snapshots).
    - ``lists_status()``: the library's list status rows (one per source: snapshot, dates,
      age, counts, warnings), as mappings or pydantic models.
    - ``screening_metadata()``: what every response names: snapshots, weights, version.
    - ``checkpoint_file``: the site's last audit checkpoint (None: the default beside the
      review database, ``compliance.review.verify.kept_checkpoint_path``);
      ``checkpoint_public_key``: the trusted key its signature is checked with (None: not
      checked).
    """

    @property
    def users(self) -> UserDirectory: ...

    @property
    def review_db(self) -> Path: ...

    @property
    def session_secret(self) -> bytes: ...

    @property
    def checkpoint_file(self) -> Path | None: ...

    @property
    def checkpoint_public_key(self) -> Path | None: ...

    def current_screener(self) -> Screener: ...

    def lists_status(self) -> Sequence[object]: ...

    def screening_metadata(self) -> Mapping[str, object]: ...


@dataclass
class StaticWebContext:
    """A :class:`WebContext` over fixed objects: for tests, benchmarks and a single process."""

    users: UserDirectory
    review_db: Path
    session_secret: bytes
    screener: Screener
    status: Callable[[], Sequence[object]] = field(default=lambda: [])
    checkpoint_file: Path | None = None
    checkpoint_public_key: Path | None = None

    def current_screener(self) -> Screener:
        return self.screener

    def lists_status(self) -> Sequence[object]:
        return self.status()

    def screening_metadata(self) -> Mapping[str, object]:
        screener = self.screener
        refs = [_ref(s) for s in screener.snapshots]
        return {
            "snapshots": refs,
            "weights_id": screener.weights.weights_id,
            "thresholds": screener.thresholds.model_dump(mode="json"),
            "library_version": _version(),
        }


def status_row(row: object) -> dict[str, Any]:
    """One list status row as a plain mapping, whichever form the service gives it in."""
    if isinstance(row, BaseModel):
        return row.model_dump(mode="json")
    if isinstance(row, Mapping):
        return dict(row)
    raise TypeError(f"list status row of unexpected type {type(row).__name__}")


def _ref(snapshot: Any) -> dict[str, object]:
    from compliance.screening.screener import snapshot_ref

    return snapshot_ref(snapshot).model_dump(mode="json")


def _version() -> str:
    from compliance._version import __version__

    return __version__


if TYPE_CHECKING:

    def _satisfies(context: StaticWebContext) -> WebContext:
        return context  # mypy checks that StaticWebContext meets the protocol
