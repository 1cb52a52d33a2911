"""The C kernel of the candidate stage (``_reach.c``) equals its numpy reference bit for bit.

``CandidateIndex.reach`` sums a query's postings with the kernel when it is built
(``compliance.screening.kernel``) and with ``index._reach_numpy`` otherwise. Hypothesis draws
postings, spans, gains and bits; the ids, the bytes of the gains and the masks must be the
same. Without a built kernel these tests skip with that reason (never a silent pass); the
real-list byte identity of whole results is tests/screening/test_native.py.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance import _native
from compliance.screening import index
from compliance.screening.kernel import KERNEL_MODULE


def _kernel() -> ModuleType:
    try:
        return importlib.import_module(KERNEL_MODULE)
    except ImportError as exc:
        pytest.skip(f"C kernel not built here ({exc})")


_GAINS = st.floats(min_value=0.0, max_value=4.0, allow_nan=False) | st.sampled_from(
    [0.0, 0.1, 0.2, 0.30000000000000004, 1e-17, 0.45]
)


@st.composite
def _cases(draw: st.DrawFn) -> dict[str, object]:
    size = draw(st.sampled_from([1, 2, 5, 40, 3000]))
    postings = draw(st.lists(st.integers(0, size - 1), max_size=300))
    key_postings = draw(st.lists(st.integers(0, size - 1), max_size=30))

    def spans(source: list[int], count: int) -> tuple[list[int], list[int]]:
        starts: list[int] = []
        lengths: list[int] = []
        for _ in range(count):
            lo = draw(st.integers(0, len(source)))
            starts.append(lo)
            lengths.append(draw(st.integers(0, len(source) - lo)))
        return starts, lengths

    n_words = draw(st.integers(0, 8))
    n_keys = draw(st.integers(0, 4))
    word_starts, word_lengths = spans(postings, n_words)
    key_starts, key_lengths = spans(key_postings, n_keys)
    bits = st.sampled_from([0, *(1 << i for i in range(60)), 3, (1 << 59) | 1])
    return {
        "size": size,
        "postings": np.array(postings, dtype=np.int64),
        "key_postings": np.array(key_postings, dtype=np.int64),
        "word_starts": word_starts,
        "word_lengths": word_lengths,
        "word_gains": draw(st.lists(_GAINS, min_size=n_words, max_size=n_words)),
        "word_bits": draw(st.lists(bits, min_size=n_words, max_size=n_words)),
        "key_starts": key_starts,
        "key_lengths": key_lengths,
        "key_gain": draw(_GAINS),
        "key_bits": draw(st.lists(bits, min_size=n_keys, max_size=n_keys)),
    }


def _run_kernel(
    kernel: ModuleType, c: dict[str, object], room: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    total = sum(c["word_lengths"]) + sum(c["key_lengths"])  # type: ignore[call-overload]
    room = total if room is None else room
    ids = np.empty(room, dtype=np.int64)
    gain = np.empty(room, dtype=np.float64)
    mask = np.empty(room, dtype=np.int64)
    n = kernel.reach(
        c["postings"],
        c["key_postings"],
        c["word_starts"],
        c["word_lengths"],
        c["word_gains"],
        c["word_bits"],
        c["key_starts"],
        c["key_lengths"],
        c["key_gain"],
        c["key_bits"],
        c["size"],
        ids,
        gain,
        mask,
    )
    return ids[:n], gain[:n], mask[:n]


def _run_numpy(c: dict[str, object]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return index._reach_numpy(  # type: ignore[arg-type]
        c["postings"],
        c["key_postings"],
        c["word_starts"],
        c["word_lengths"],
        c["word_gains"],
        c["word_bits"],
        c["key_starts"],
        c["key_lengths"],
        c["key_gain"],
        c["key_bits"],
    )


@given(_cases())
def test_kernel_equals_numpy_bit_for_bit(case: dict[str, object]) -> None:
    kernel = _kernel()
    ids, gain, mask = _run_kernel(kernel, case)
    want_ids, want_gain, want_mask = _run_numpy(case)
    assert ids.tolist() == want_ids.tolist()
    assert gain.tobytes() == want_gain.tobytes()
    assert mask.tolist() == want_mask.tolist()


def test_repeated_postings_add_in_posting_order() -> None:
    """0.1 + 0.2 + 0.3 differs from 0.3 + 0.2 + 0.1 in the last bit: the order is numpy's."""
    kernel = _kernel()
    case: dict[str, object] = {
        "size": 3,
        "postings": np.array([2, 2, 2, 1], dtype=np.int64),
        "key_postings": np.array([2], dtype=np.int64),
        "word_starts": [0, 1, 2],
        "word_lengths": [1, 1, 2],
        "word_gains": [0.1, 0.2, 0.3],
        "word_bits": [1, 2, 4],
        "key_starts": [0],
        "key_lengths": [1],
        "key_gain": 0.7,
        "key_bits": [8],
    }
    ids, gain, mask = _run_kernel(kernel, case)
    assert ids.tolist() == [1, 2]
    assert gain.tolist() == [0.3, ((0.1 + 0.2) + 0.3) + 0.7]
    assert mask.tolist() == [4, 15]
    assert gain.tobytes() == _run_numpy(case)[1].tobytes()


def test_many_names_in_any_order() -> None:
    """Thousands of names, shuffled and repeated: sorted and summed as numpy does."""
    kernel = _kernel()
    rng = np.random.default_rng(14)
    for size, count in ((50, 5000), (100_000, 20_000), (5000, 5000)):
        postings = rng.integers(0, size, count).astype(np.int64)
        if size == 5000:
            postings = np.sort(postings)[::-1].copy()  # descending: the sort's worst order
        cuts = sorted(rng.integers(0, count, 20).tolist())
        starts = [0, *cuts]
        lengths = [b - a for a, b in zip(starts, [*cuts, count], strict=True)]
        case: dict[str, object] = {
            "size": size,
            "postings": postings,
            "key_postings": postings[: count // 3],
            "word_starts": starts,
            "word_lengths": lengths,
            "word_gains": rng.random(len(starts)).tolist(),
            "word_bits": [1 << (i % 60) for i in range(len(starts))],
            "key_starts": [5, 0],
            "key_lengths": [count // 3 - 5, 7],
            "key_gain": 0.25,
            "key_bits": [2, 1 << 59],
        }
        ids, gain, mask = _run_kernel(kernel, case)
        want = _run_numpy(case)
        assert ids.tolist() == want[0].tolist()
        assert gain.tobytes() == want[1].tobytes()
        assert mask.tolist() == want[2].tolist()


def test_bad_spans_raise_and_leave_the_scratch_clean() -> None:
    kernel = _kernel()
    good: dict[str, object] = {
        "size": 4,
        "postings": np.array([0, 3, 3], dtype=np.int64),
        "key_postings": np.zeros(0, dtype=np.int64),
        "word_starts": [0],
        "word_lengths": [3],
        "word_gains": [0.5],
        "word_bits": [1],
        "key_starts": [],
        "key_lengths": [],
        "key_gain": 0.0,
        "key_bits": [],
    }
    with pytest.raises(IndexError, match="outside the postings"):
        _run_kernel(kernel, {**good, "word_starts": [1]})
    with pytest.raises(IndexError, match="out of range"):
        _run_kernel(kernel, {**good, "size": 3})
    with pytest.raises(ValueError, match="too small"):
        _run_kernel(kernel, good, room=1)
    with pytest.raises(ValueError, match="differ in length"):
        _run_kernel(kernel, {**good, "word_bits": []})
    with pytest.raises(TypeError):
        _run_kernel(kernel, {**good, "postings": np.array([0, 3, 3], dtype=np.int32)})
    ids, gain, mask = _run_kernel(kernel, good)  # a name met before the error counts once
    assert ids.tolist() == [0, 3]
    assert gain.tolist() == [0.5, 1.0]
    assert mask.tolist() == [1, 1]


def test_the_kernel_runs_only_when_current(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pure-requested, absent from the manifest, or a changed .c source: the numpy form."""
    _native.kernel_current.cache_clear()
    try:
        monkeypatch.setattr(_native, "_manifest_part", lambda part: {KERNEL_MODULE: "0" * 64})
        assert _native.kernel_current(KERNEL_MODULE) is False
        _native.kernel_current.cache_clear()
        monkeypatch.setattr(_native, "_manifest_part", lambda part: {})
        assert _native.kernel_current(KERNEL_MODULE) is False
        _native.kernel_current.cache_clear()
        monkeypatch.setenv(_native.PURE_ENV, "1")
        monkeypatch.setattr(_native, "_manifest_part", lambda part: {KERNEL_MODULE: "x"})
        assert _native.kernel_current(KERNEL_MODULE) is False
    finally:
        _native.kernel_current.cache_clear()


def test_version_says_whether_the_kernel_ran() -> None:
    status = _native.native_status()
    if os.environ.get(_native.PURE_ENV) == "1":
        assert not index.kernel_in_use()
        assert "kernel" not in status
    else:
        assert ("C candidate kernel" in status) == index.kernel_in_use()


# stage 1 of Screener._survivors: _reach.c stage1 against screener._stage_one

_WEIGHTS = st.floats(min_value=0.0, max_value=3.0, allow_nan=False) | st.sampled_from(
    [0.0, 0.1, 0.2, 0.5, 1.0, 1e-12]
)


@st.composite
def _stage_cases(draw: st.DrawFn) -> tuple[object, ...]:
    size = draw(st.integers(1, 30))
    n = draw(st.integers(0, size))
    ids = np.array(sorted(draw(st.sets(st.integers(0, size - 1), min_size=n, max_size=n))))
    ids = ids.astype(np.int64)
    gain = np.array(draw(st.lists(_WEIGHTS, min_size=n, max_size=n)), dtype=np.float64)
    mask = np.array(
        draw(st.lists(st.sampled_from([0, 1, 2, 3, 5, 6, 7, 1 << 59]), min_size=n, max_size=n)),
        dtype=np.int64,
    )
    per_name = st.lists(_WEIGHTS, min_size=size, max_size=size)
    initials = np.array(draw(st.lists(st.integers(0, 2), min_size=size, max_size=size)))
    support = np.array(draw(per_name), dtype=np.float64)
    substance = np.array(draw(per_name), dtype=np.float64)
    person = np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size)), dtype=bool)
    weights = draw(st.lists(_WEIGHTS, min_size=3, max_size=3))

    def fewest_of(m: int) -> tuple[float, int]:  # the unmet words' weights summed, counted
        unmet = [w for i, w in enumerate(weights) if not m & (1 << i)]
        return sum(unmet, 0.0), len(unmet)

    r = draw(st.sampled_from([0.5, 0.7, 0.8, 0.85]))
    q = float(draw(st.integers(0, 3)))
    return (
        ids,
        gain,
        mask,
        initials.astype(np.int64),
        support,
        substance,
        person,
        fewest_of,
        1.0 - r,
        r,
        0.75,
        draw(st.booleans()),
        (1.0 - r) * 0.6 * q,
        0.5 * r,
        q,
        0.5 * r,
        draw(st.sampled_from([1e-9, 0.0, 0.3])),
        draw(st.sampled_from([0.0, 0.25, 0.5, 2.0])),  # contained_cost
        draw(st.integers(-1, 3)),  # contained_max_added
        draw(st.sampled_from([-0.1, 0.0, 0.05, 0.3])),  # margin
    )


@given(_stage_cases())
def test_stage1_equals_the_reference_bit_for_bit(case: tuple[object, ...]) -> None:
    from compliance.screening.screener import _stage_one

    kernel = _kernel()
    got = kernel.stage1(*case)
    want = _stage_one(*case)  # type: ignore[arg-type]
    assert got[0] == want[0] and got[1] == want[1]
    assert np.array(got[2]).tobytes() == np.array(want[2]).tobytes()
    assert np.array(got[3]).tobytes() == np.array(want[3]).tobytes()
    assert np.array(got[4]).tobytes() == np.array(want[4]).tobytes()


def test_stage1_keeps_a_tie_and_calls_back_once_per_mask() -> None:
    """A name exactly at -eps passes; the stray weight is asked once per distinct mask."""
    from compliance.screening.screener import _stage_one

    kernel = _kernel()
    asked: list[int] = []

    def fewest_of(m: int) -> tuple[float, int]:
        asked.append(m)
        return (0.5, 1) if m == 1 else (0.0, 0)

    ids = np.array([0, 1, 2], dtype=np.int64)
    case = (
        ids,
        np.array([0.0, 1.0, 0.25], dtype=np.float64),
        np.array([1, 2, 1], dtype=np.int64),
        np.zeros(3, dtype=np.int64),
        np.zeros(3, dtype=np.float64),
        np.array([0.5, 0.0, 0.0]),
        np.zeros(3, dtype=bool),
        fewest_of,
        0.2,
        0.5,
        1.0,
        False,
        0.0,
        0.0,
        0.0,
        0.5,
        0.5,
        0.0,
        -1,
        0.0,
    )
    got = kernel.stage1(*case)
    # tests: 0 - 0.25 - 0.25 = -0.5 (a tie: kept), 1.0 (kept), 0.25 - 0.25 = 0.0 (kept)
    assert got == ([0, 1, 2], [1, 2, 1], [-0.5, 1.0, 0.0], [0.5, 0.0, 0.5], [0.0, 0.0, 0.0])
    assert sorted(asked) == [1, 2]
    # contained (at most one stray word, contained_cost 0.5): name 0's strays cost at most
    # 0.5 * (0 + 0.5) = 0.25, test 0 - 0.25 - 0.5 * 0.25 = -0.375
    contained = kernel.stage1(*case[:17], 0.5, 1, 0.0)
    assert contained[2][0] == -0.375 and contained[3][0] == 0.25
    assert contained == _stage_one(*case[:17], 0.5, 1, 0.0)  # type: ignore[arg-type]
    with pytest.raises(ZeroDivisionError):
        kernel.stage1(*case[:7], lambda m: 1 / 0, *case[8:])
    with pytest.raises(IndexError, match="out of range"):
        kernel.stage1(np.array([0, 1, 5], dtype=np.int64), *case[1:])
