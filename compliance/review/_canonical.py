"""Canonical JSON, SHA-256 and UTC timestamps shared by the review and audit stores.

Every hash in this package is taken over canonical JSON (sorted keys, no whitespace, UTF-8,
no NaN), so the same content gives the same hash on any machine and Python version.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs


def canonical_json(value: Any) -> str:
    """Sorted keys, compact separators, real Unicode, and no float NaN/Infinity."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utc_iso(moment: datetime | None = None) -> str:
    """``moment`` (default: now) as UTC ISO-8601 with a ``Z``; naive datetimes are refused."""
    value = moment if moment is not None else datetime.now(UTC)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"time {value.isoformat()} has no time zone; give an aware datetime")
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def utc_iso_micro(moment: datetime) -> str:
    """``moment`` as UTC ISO-8601 with microseconds and a ``Z``: recording times."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_utc(text: str) -> datetime:
    """Parse an ISO-8601 time with a zone (``Z`` allowed) into an aware UTC datetime."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"time {text!r} has no time zone (add 'Z' or '+00:00')")
    return value.astimezone(UTC)


def data_dir() -> Path:
    """``$COMPLIANCE_DATA_DIR`` if set, else the platform's user data directory."""
    base = os.environ.get("COMPLIANCE_DATA_DIR")
    return Path(base) if base else Path(platformdirs.user_data_dir("compliance"))
