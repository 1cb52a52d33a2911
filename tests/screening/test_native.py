"""The compiled (mypyc) build and the pure-Python reference give the same bytes.

Both paths run in fresh subprocesses on the same real-list sample (the 2026 CSL when
``../shared`` is there) and the same queries: list names with typos, word swaps and legal
forms, plus innocent names. The JSON of every result must be byte-identical. Without a
compiled build installed the comparison is skipped with that reason (never a silent pass).
"""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compliance import _native
from compliance.screening.normalize import Token, TokenClass
from compliance.screening.score import NameMatch, Prepared
from compliance.screening.screener import _Name

REPO = Path(__file__).resolve().parents[2]

_PROBE = r"""
import json, random, sys
from pathlib import Path
from compliance.screening.results import Party
from compliance.screening.screener import Screener
from compliance.watchlists.readers.csl_csv import read_csl_csv
from compliance._native import native_status

snapshot = read_csl_csv(Path(sys.argv[1]))
rng = random.Random(20261207)
entries = sorted(snapshot.entries, key=lambda e: e.entry_id)
names = [n for e in rng.sample(entries, 400) for n, _ in e.all_names]
queries = []
for name in rng.sample(names, min(600, len(names))):
    words = name.split()
    roll = rng.random()
    if roll < 0.3 and len(words) > 1:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    elif roll < 0.6 and words and len(words[0]) > 3:
        w = words[0]
        j = rng.randrange(1, len(w) - 1)
        words[0] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    elif roll < 0.8:
        words.append(rng.choice(["LLC", "Co., Ltd.", "GmbH", "S.A."]))
    queries.append(" ".join(words))
queries += ["Acme Widgets Inc", "Northern Lights Bakery", "Huawei Technologies Co Ltd"]
screener = Screener([snapshot])
one = [screener.screen(Party(name=q)).model_dump_json() for q in queries]
batch = [r.model_dump_json() for r in screener.screen_many([Party(name=q) for q in queries])]
print(json.dumps({"status": native_status(), "one": one, "batch": batch}))
"""


def _run(csl: Path, *, pure: bool) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != _native.PURE_ENV}
    if pure:
        env[_native.PURE_ENV] = "1"
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(csl)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, object] = json.loads(out)
    return result


@pytest.mark.shared
@pytest.mark.slow
def test_compiled_and_pure_results_are_byte_identical(shared_data: Path) -> None:
    from tests.screening.conftest import CSL_2026

    csl = shared_data / CSL_2026
    compiled = _run(csl, pure=False)
    if not str(compiled["status"]).startswith("compiled"):
        pytest.skip(f"no compiled build to compare: {compiled['status']}")
    pure = _run(csl, pure=True)
    assert str(pure["status"]).startswith("pure Python")
    assert len(compiled["one"]) > 500  # type: ignore[arg-type]
    assert sum('"hits":[]' not in r for r in compiled["one"]) > 200  # type: ignore[attr-defined]
    assert compiled["one"] == pure["one"]
    assert compiled["batch"] == pure["batch"]


def test_pure_python_is_forced_by_the_environment() -> None:
    env = {**os.environ, _native.PURE_ENV: "1"}
    out = subprocess.run(
        [sys.executable, "-c", "from compliance._native import native_status as s; print(s())"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == f"pure Python ({_native.PURE_ENV}=1)"


def test_the_kernel_alone_is_not_a_compiled_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the mypyc build stale (or absent) and the C kernel loaded, the version says pure
    Python: the kernel is an extension module too, and once made a stale checkout report
    "compiled (mypyc, ...)" while every mypyc module ran from source."""
    monkeypatch.delenv(_native.PURE_ENV, raising=False)
    monkeypatch.setattr(_native, "compiled_modules", lambda: ("compliance.screening._reach",))
    monkeypatch.setattr(_native, "_manifest", lambda: {"compliance.screening.score": "0" * 64})
    assert _native.native_status().startswith("pure Python (compiled build is stale")
    monkeypatch.setattr(
        _native,
        "compiled_modules",
        lambda: ("compliance.screening._reach", "compliance.screening.score"),
    )
    assert _native.native_status().startswith("compiled (mypyc")


def test_a_stale_build_is_never_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """One changed source makes the whole compiled build unusable (native calls cross modules)."""
    _native._build_current.cache_clear()
    try:
        monkeypatch.setattr(_native, "_manifest", lambda: {"compliance.screening.score": "0" * 64})
        assert _native._build_current() is False
        monkeypatch.setattr(_native, "_manifest", lambda: {})
        assert _native._build_current() is False
    finally:
        _native._build_current.cache_clear()


def _sample(declared: object, k: int) -> object:
    """A value of the declared type, distinct per field (compiled classes check types; a
    compiled class's field types are classes, a source one's strings)."""
    annotation = declared.__name__ if isinstance(declared, type) else str(declared)
    if "AliasStrength" in annotation or annotation == "type":  # compiled: X | None is "type"
        return None
    if annotation.startswith("tuple"):
        return (k,)
    if annotation.startswith("frozenset"):
        return frozenset({str(k)})
    samples: dict[str, object] = {
        "float": k + 0.5,
        "int": k,
        "str": f"s{k}",
        "bool": k % 2 == 0,
        "TokenClass": TokenClass.GENERIC,
    }
    return samples[annotation]


@pytest.mark.parametrize("cls", [Prepared, NameMatch, Token, _Name])
def test_written_out_inits_match_the_dataclass_fields(cls: type) -> None:
    """Prepared and NameMatch write their ``__init__`` out (compiled, the generated one is
    interpreted bytecode): same parameters, order and defaults as the fields, every field
    set, and still frozen."""
    fields = dataclasses.fields(cls)
    # the signature of the source (a compiled __init__ carries none): both builds run it
    source = (REPO / (cls.__module__.replace(".", "/") + ".py")).read_text(encoding="utf-8")
    init = next(
        f
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__
        for f in node.body
        if isinstance(f, ast.FunctionDef) and f.name == "__init__"
    )
    params = init.args.args[1:]
    assert [p.arg for p in params] == [f.name for f in fields]
    defaults = [None] * (len(params) - len(init.args.defaults)) + list(init.args.defaults)
    for f, default in zip(fields, defaults, strict=True):
        if f.default is dataclasses.MISSING:
            assert default is None, f.name
        else:
            assert default is not None and ast.unparse(default) == repr(f.default), f.name
    values = [_sample(f.type, k) for k, f in enumerate(fields)]
    made = cls(*values)
    assert [getattr(made, f.name) for f in fields] == values
    assert made == cls(*values)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, fields[0].name, None)
