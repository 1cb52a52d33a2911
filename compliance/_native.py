"""Which build of the screening hot path runs: compiled (mypyc) or the pure-Python reference.

``pip install`` compiles the modules named in pyproject.toml (``[tool.compliance.native]``)
when a compiler is present (hatch_build.py) and records each source's SHA-256 in
``_native_manifest.json``. This module makes the choice safe and visible:

- ``COMPLIANCE_PURE_PYTHON=1`` in the environment: every module loads from its source;
- a compiled module whose source changed since the build (an edited checkout) loads from
  source too, so stale compiled code never runs;
- :func:`native_status` says which path ran, for ``compliance --version`` and every result's
  ``library_version`` block.

The finder is installed by ``compliance/__init__.py`` before any screening module loads.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import ModuleType

PURE_ENV = "COMPLIANCE_PURE_PYTHON"
_PACKAGE_DIR = Path(__file__).resolve().parent
_MANIFEST = _PACKAGE_DIR / "_native_manifest.json"
_EXT_SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)


@cache
def _manifest_part(part: str) -> dict[str, str]:
    """``modules`` (mypyc: module -> source hash) or ``kernels`` (C: module -> hash of its
    ``.c`` source) of the manifest; empty when absent or unreadable."""
    try:
        data = json.loads(_MANIFEST.read_text(encoding="utf-8"))
        entries = data.get(part, {})
    except (OSError, ValueError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in entries.items()} if isinstance(entries, dict) else {}


def _manifest() -> dict[str, str]:
    return _manifest_part("modules")


def _source_matches(path: Path, expected: str) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == expected
    except OSError:
        return False


@cache
def kernel_current(fullname: str) -> bool:
    """True when the C kernel ``fullname`` may run: not pure-requested, built by this
    install (in the manifest) and its ``.c`` source unchanged since (a wheel ships the
    source too). A kernel has no calls into the mypyc modules, so it does not depend on
    them being current."""
    if pure_requested():
        return False
    expected = _manifest_part("kernels").get(fullname)
    if expected is None:
        return False
    return _source_matches(_PACKAGE_DIR.parent / (fullname.replace(".", "/") + ".c"), expected)


def pure_requested() -> bool:
    """True when ``COMPLIANCE_PURE_PYTHON=1`` asks for the pure-Python reference."""
    return os.environ.get(PURE_ENV) == "1"


@cache
def _build_current() -> bool:
    """True when every compiled module's source still has the hash it was compiled from.

    All or nothing: compiled modules of one build call each other natively, so one stale
    module makes the whole build unusable.
    """
    manifest = _manifest()
    if not manifest:
        return False
    return all(
        _source_matches(_PACKAGE_DIR.parent / (fullname.replace(".", "/") + ".py"), expected)
        for fullname, expected in manifest.items()
    )


class _SourceFirstFinder(importlib.abc.MetaPathFinder):
    """Loads a ``compliance`` module from source when its compiled build must not run."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith("compliance.") or path is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None or not spec.origin.endswith(_EXT_SUFFIXES):
            return spec
        source = Path(spec.origin).with_name(fullname.rpartition(".")[2] + ".py")
        if not source.is_file():
            return spec
        if pure_requested() or not _build_current():
            return importlib.util.spec_from_file_location(fullname, source)
        return spec


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (idempotent)."""
    if not any(isinstance(f, _SourceFirstFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFirstFinder())


def compiled_modules() -> tuple[str, ...]:
    """The loaded ``compliance`` modules that run compiled code."""
    return tuple(
        sorted(
            name
            for name, module in list(sys.modules.items())
            if name.startswith("compliance.")
            and str(getattr(module, "__file__", "") or "").endswith(_EXT_SUFFIXES)
        )
    )


def native_status() -> str:
    """``"compiled (mypyc, C candidate kernel)"``, ``"compiled (mypyc)"`` or ``"pure
    Python"`` with the reason, for version reports."""
    import compliance.screening.screener  # noqa: F401  (the hot path decides)
    from compliance.screening.index import kernel_in_use

    mypyc = _manifest()
    # the C kernel is an extension module too: only the mypyc modules make a build compiled
    if any(name in mypyc for name in compiled_modules()):
        return "compiled (mypyc, C candidate kernel)" if kernel_in_use() else "compiled (mypyc)"
    if pure_requested():
        return f"pure Python ({PURE_ENV}=1)"
    if _manifest():
        status = "pure Python (compiled build is stale: sources changed since it was built)"
    else:
        status = "pure Python (no compiled build installed)"
    # the C kernel has no calls into the mypyc modules: it may run beside pure modules
    return status + " + C candidate kernel" if kernel_in_use() else status


__all__ = [
    "PURE_ENV",
    "compiled_modules",
    "install",
    "kernel_current",
    "native_status",
    "pure_requested",
]
