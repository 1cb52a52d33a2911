"""Optional compiled build of the screening hot path (mypyc), with the pure modules as fallback.

Hatchling runs this hook for ``pip install .`` and ``pip install -e .``. When a C compiler
and mypyc are usable it compiles the modules listed in ``[tool.compliance.native] modules``
(pyproject.toml); when they are not, or ``COMPLIANCE_PURE_PYTHON=1`` is set, it prints why
and the install goes on as pure Python. The pure modules stay the reference: the compiled
ones are the same source, and ``compliance._native`` falls back to the source of any module
whose compiled build is stale (its source hash differs from the manifest written here).

- wheel: compiles in a temporary copy and adds the extension modules to the wheel;
- editable: compiles in place (the ``.so`` files sit beside their sources, git-ignored).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MANIFEST = "compliance/_native_manifest.json"
GROUP = "compliance_native"  # the shared runtime library is GROUP + "__mypyc"

_SETUP = """
import sys
from setuptools import setup
from mypyc.build import mypycify
setup(
    name="compliance-native",
    packages=[],
    py_modules=[],
    ext_modules=mypycify(sys.argv[1:], opt_level="3", group_name=GROUP_NAME),
    script_args=["build_ext", "--inplace"],
)
""".replace("GROUP_NAME", repr(GROUP))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class NativeBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile the hot path with mypyc when possible; never fail the install over it."""

    PLUGIN_NAME = "custom"

    def _modules(self) -> list[str]:
        import tomllib

        with open(Path(self.root) / "pyproject.toml", "rb") as fh:
            config = tomllib.load(fh)
        modules: list[str] = config["tool"]["compliance"]["native"]["modules"]
        return modules

    def _say(self, message: str) -> None:
        print(f"compliance build: {message}", file=sys.stderr)

    def _compile(self, workdir: Path, modules: list[str]) -> bool:
        paths = [m.replace(".", "/") + ".py" for m in modules]
        # The build environment has none of the runtime dependencies (numpy, pydantic...):
        # their types are Any to mypyc, which compiles the same semantics either way.
        config = workdir / ".mypyc-build.ini"
        config.write_text(
            "[mypy]\npython_version = 3.11\nignore_missing_imports = True\n"
            "follow_imports = silent\n",
            encoding="utf-8",
        )
        paths.insert(0, f"--config-file={config}")
        try:
            done = subprocess.run(
                [sys.executable, "-c", _SETUP, *paths],
                cwd=workdir,
                capture_output=True,
                text=True,
                timeout=900,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            self._say(f"compiled build skipped ({exc}); installing pure Python")
            return False
        config.unlink(missing_ok=True)
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-5:])
            self._say(f"compiled build failed; installing pure Python. Last lines:\n{tail}")
            return False
        return True

    def _write_manifest(self, workdir: Path, modules: list[str]) -> None:
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        manifest = {
            "compiler": "mypyc",
            "ext_suffix": suffix,
            "modules": {
                m: _sha256(workdir / (m.replace(".", "/") + ".py")) for m in sorted(modules)
            },
        }
        (workdir / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")

    def _clean(self, root: Path, modules: list[str]) -> None:
        """Remove a previous in-place build so a failed or skipped one leaves no stale code."""
        suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
        for m in modules:
            (root / (m.replace(".", "/") + suffix)).unlink(missing_ok=True)
        (root / (GROUP + "__mypyc" + suffix)).unlink(missing_ok=True)
        (root / MANIFEST).unlink(missing_ok=True)

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        modules = self._modules()
        if os.environ.get("COMPLIANCE_PURE_PYTHON") == "1":
            self._say("COMPLIANCE_PURE_PYTHON=1: installing pure Python")
            if version == "editable":
                self._clean(root, modules)
            return
        suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
        if version == "editable":
            self._clean(root, modules)
            compiled = self._compile(root, modules)
            shutil.rmtree(root / "build", ignore_errors=True)  # mypyc's intermediate C files
            if compiled:
                self._write_manifest(root, modules)
                self._say(f"compiled {len(modules)} modules in place (mypyc)")
            return
        self._tmp = tempfile.TemporaryDirectory()
        work = Path(self._tmp.name)
        shutil.copytree(root / "compliance", work / "compliance")
        if not self._compile(work, modules):
            return
        self._write_manifest(work, modules)
        force = build_data.setdefault("force_include", {})
        for m in modules:
            rel = m.replace(".", "/") + suffix
            force[str(work / rel)] = rel
        runtime = GROUP + "__mypyc" + suffix
        force[str(work / runtime)] = runtime
        force[str(work / MANIFEST)] = MANIFEST
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        self._say(f"compiled {len(modules)} modules into the wheel (mypyc)")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            tmp.cleanup()
