"""The optional C kernel of the candidate stage (``_reach.c``), or None for the numpy form.

``CandidateIndex.reach`` sums a query's postings, and ``Screener._survivors`` runs its
stage-1 test, either with numpy calls (the reference, always present) or with ``reach`` and
``stage1`` of ``_reach.c``, compiled by ``pip install``
when a C compiler is present (hatch_build.py). Both give the same arrays bit for bit
(tests/screening/test_reach_kernel.py, tests/screening/test_native.py). The kernel is used
only when ``compliance._native.kernel_current`` allows it: not under
``COMPLIANCE_PURE_PYTHON=1``, and only while ``_reach.c`` has the hash it was built from.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol

from compliance import _native

KERNEL_MODULE = "compliance.screening._reach"


class ReachKernel(Protocol):
    """The C function's signature (see ``_reach.c``)."""

    def reach(
        self,
        postings: object,
        key_postings: object,
        word_starts: list[int],
        word_lengths: list[int],
        word_gains: list[float],
        word_bits: list[int],
        key_starts: list[int],
        key_lengths: list[int],
        key_gain: float,
        key_bits: list[int],
        size: int,
        out_ids: object,
        out_gain: object,
        out_mask: object,
        /,
    ) -> int: ...

    def stage1(
        self,
        ids: object,
        gain: object,
        mask: object,
        initials: object,
        support: object,
        substance: object,
        person: object,
        fewest_of: Callable[[int], tuple[float, int]],
        a: float,
        r: float,
        b: float,
        person_on: bool,
        c: float,
        d: float,
        q: float,
        e: float,
        eps: float,
        k: float,
        most_added: int,
        margin: float,
        /,
    ) -> tuple[list[int], list[int], list[float], list[float], list[float]]: ...


def load_kernel() -> ReachKernel | None:
    """The compiled kernel when it may run, else None (the numpy reference runs)."""
    if not _native.kernel_current(KERNEL_MODULE):
        return None
    try:
        module: ReachKernel = importlib.import_module(KERNEL_MODULE)
    except ImportError:
        return None
    return module


__all__ = ["KERNEL_MODULE", "ReachKernel", "load_kernel"]
