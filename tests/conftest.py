"""Shared fixtures. Tests that read ``../shared/data`` skip cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Speed is measured in benchmarks/, never asserted in tests: no per-example deadline (a loaded
# CI machine must not turn a slow example into a failure). On CI the examples are derived
# from the test names, so a red run can be replayed exactly.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
# The screening properties (normalisation, keys, monotonicity) with thousands of examples per
# property: `.ci/run` runs `pytest -m property --hypothesis-profile thorough`. The default 100
# examples let `forthe`/`aorthe` (issue 16, section 9) pass by luck.
settings.register_profile(
    "thorough",
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    print_blob=True,
    max_examples=int(os.environ.get("HYPOTHESIS_THOROUGH_EXAMPLES", "3000")),
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip ``pure_only`` tests when the compiled (mypyc) build of the hot path is loaded."""
    from compliance._native import native_status

    status = native_status()
    if not status.startswith("compiled"):
        return
    skip = pytest.mark.skip(reason=f"patches pure-Python internals; this run is {status}")
    for item in items:
        if item.get_closest_marker("pure_only") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ``../shared/data``; skips the test when it is not there."""
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not available")
    return SHARED
