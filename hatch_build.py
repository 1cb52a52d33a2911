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

# The C kernels (``[tool.compliance.native] kernels``): plain C extensions, one source file
# each. -ffp-contract=off: no fused multiply-add, so sums round as numpy's do (exact path).
_KERNEL_SETUP = """
import sys
from setuptools import Extension, setup
args = [] if sys.platform == "win32" else ["-O2", "-ffp-contract=off"]
setup(
    name="compliance-kernels",
    packages=[],
    py_modules=[],
    ext_modules=[
        Extension(m, [m.replace(".", "/") + ".c"], extra_compile_args=args)
        for m in sys.argv[1:]
    ],
    script_args=["build_ext", "--inplace"],
)
"""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class NativeBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile the hot path with mypyc when possible; never fail the install over it."""

    PLUGIN_NAME = "custom"

    def _native_config(self, part: str) -> list[str]:
        import tomllib

        with open(Path(self.root) / "pyproject.toml", "rb") as fh:
            config = tomllib.load(fh)
        names: list[str] = config["tool"]["compliance"]["native"].get(part, [])
        return names

    def _modules(self) -> list[str]:
        return self._native_config("modules")

    def _kernels(self) -> list[str]:
        return self._native_config("kernels")

    def _compile_kernels(self, workdir: Path, kernels: list[str]) -> list[str]:
        """Build each C kernel on its own; a kernel that fails is left out (numpy runs)."""
        built: list[str] = []
        for name in kernels:
            try:
                done = subprocess.run(
                    [sys.executable, "-c", _KERNEL_SETUP, name],
                    cwd=workdir,
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                self._say(f"C kernel {name} skipped ({exc}); its numpy form runs")
                continue
            if done.returncode != 0:
                tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-5:])
                self._say(f"C kernel {name} failed; its numpy form runs. Last lines:\n{tail}")
                continue
            built.append(name)
        return built

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

    def _write_manifest(self, workdir: Path, modules: list[str], kernels: list[str]) -> None:
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        manifest = {
            "compiler": "mypyc",
            "ext_suffix": suffix,
            "modules": {
                m: _sha256(workdir / (m.replace(".", "/") + ".py")) for m in sorted(modules)
            },
            "kernels": {
                k: _sha256(workdir / (k.replace(".", "/") + ".c")) for k in sorted(kernels)
            },
        }
        (workdir / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")

    def _clean(self, root: Path, modules: list[str]) -> None:
        """Remove a previous in-place build so a failed or skipped one leaves no stale code."""
        suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
        for m in [*modules, *self._kernels()]:
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
            kernels = self._compile_kernels(root, self._kernels())
            compiled = self._compile(root, modules)
            shutil.rmtree(root / "build", ignore_errors=True)  # mypyc's intermediate C files
            if compiled or kernels:
                self._write_manifest(root, modules if compiled else [], kernels)
                self._say(
                    f"compiled {len(modules) if compiled else 0} modules (mypyc) and "
                    f"{len(kernels)} C kernels in place"
                )
            return
        self._tmp = tempfile.TemporaryDirectory()
        work = Path(self._tmp.name)
        shutil.copytree(root / "compliance", work / "compliance")
        kernels = self._compile_kernels(work, self._kernels())
        compiled = self._compile(work, modules)
        if not compiled and not kernels:
            return
        if not compiled:
            modules = []
        self._write_manifest(work, modules, kernels)
        force = build_data.setdefault("force_include", {})
        for m in [*modules, *kernels]:
            rel = m.replace(".", "/") + suffix
            force[str(work / rel)] = rel
        if modules:
            runtime = GROUP + "__mypyc" + suffix
            force[str(work / runtime)] = runtime
        force[str(work / MANIFEST)] = MANIFEST
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        self._say(
            f"compiled {len(modules)} modules (mypyc) and {len(kernels)} C kernels into the wheel"
        )

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            tmp.cleanup()
