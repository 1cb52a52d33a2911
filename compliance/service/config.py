"""The service's settings: where the lists, users and review database live, and its limits."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from compliance.screening.results import Thresholds


class Limits(BaseModel):
    """What one request may ask for; beyond these it gets a 4xx naming the field."""

    model_config = ConfigDict(frozen=True)

    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    max_batch: int = Field(default=5000, ge=1, description="parties per batch request")
    max_name_chars: int = Field(default=500, ge=10, description="per name, alias, address")
    max_aliases: int = Field(default=50, ge=0)
    request_timeout_s: float = Field(default=30.0, gt=0, description="per request")
    inline_max_chars: int = Field(
        default=300,
        ge=0,
        description="a single screen whose name and aliases total at most this many "
        "characters runs on the event loop when the screener is free (no thread hand-over); "
        "a longer one, or one arriving while a batch holds the screener, runs in a worker "
        "thread under request_timeout_s (0: always a thread)",
    )
    max_hits: int = Field(
        default=10,
        ge=0,
        description="hits per result in a screening response unless the request asks "
        "otherwise (?max_hits=N; 0: every hit): the strongest N, the rest counted in "
        "hits_omitted. The audit trail and the review queue always keep every hit",
    )


class ServiceConfig(BaseModel):
    """Everything ``create_app`` needs; ``compliance serve`` builds it from its options."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    store: Path | None = Field(default=None, description="snapshot store (default: data dir)")
    lists: tuple[Path, ...] = Field(
        default=(), description="list files to serve instead of the store (never reloaded)"
    )
    users_file: Path | None = Field(
        default=None, description="users file (default: $COMPLIANCE_USERS_FILE)"
    )
    review_db: Path | None = Field(default=None, description="review database (decisions, audit)")
    checkpoint: Path | None = Field(
        default=None,
        description="the site's last audit checkpoint, shown and verified on the audit page "
        "(default: review.checkpoint.json beside the review database)",
    )
    checkpoint_public_key: Path | None = Field(
        default=None, description="trusted Ed25519 public key for the checkpoint's signature"
    )
    thresholds: Thresholds = Thresholds()
    limits: Limits = Limits()
    reload_interval_s: float = Field(
        default=60.0, ge=0, description="how often to look for new snapshots (0: never)"
    )
    index_wait_s: float = Field(
        default=120.0,
        ge=0,
        description="how long the periodic reload waits for the saved index of new "
        "snapshots (lists import and lists update build it after publishing) before "
        "building it itself (0: build at once)",
    )
    queue_sync_interval_s: float = Field(
        default=5.0,
        ge=0,
        description="how often the review queue takes in screening runs other processes "
        "recorded (compliance screen), so a page rarely waits for a large run (0: only when "
        "a page is read)",
    )
    log_party_names: bool = Field(
        default=False, description="put screened party names in the access log (off: never)"
    )
    audit_screenings: bool = Field(
        default=False, description="append every /v1/screen call to the audit trail"
    )
    freeze_heap: bool = Field(
        default=False,
        description="gc.freeze() after each index load (the process is the service's own)",
    )
    session_secret: bytes = Field(
        default_factory=lambda: _session_secret(), description="review page session signing"
    )


SESSION_SECRET_ENV = "COMPLIANCE_SESSION_SECRET"


def _session_secret() -> bytes:
    """``$COMPLIANCE_SESSION_SECRET`` when set (stable across restarts), else random."""
    value = os.environ.get(SESSION_SECRET_ENV)
    return value.encode("utf-8") if value else secrets.token_bytes(32)
