"""The age the review page shows for a loaded snapshot comes from the library."""

from __future__ import annotations

from datetime import UTC, timedelta

from compliance.watchlists.bundled import bundled_excerpt
from compliance.watchlists.status import snapshot_age_days


def test_whole_days_since_publication() -> None:
    snapshot = bundled_excerpt()
    published = snapshot.published
    assert published is not None  # the excerpt states its date (2024-12-05)
    start = published if published.tzinfo else published.replace(tzinfo=UTC)
    assert snapshot_age_days(snapshot, start) == 0
    assert snapshot_age_days(snapshot, start + timedelta(days=7, seconds=-1)) == 6
    assert snapshot_age_days(snapshot, start + timedelta(days=7)) == 7
