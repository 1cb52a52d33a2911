"""The package's public names resolve, and ``import compliance`` stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

import compliance


def test_all_lists_every_lazy_export() -> None:
    assert set(compliance.__all__) == {*compliance._EXPORTS, "__version__"}


@pytest.mark.parametrize("name", sorted(compliance._EXPORTS))
def test_each_public_name_resolves(name: str) -> None:
    assert getattr(compliance, name).__name__ == name


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = compliance.nope  # type: ignore[attr-defined]


def test_import_does_not_load_the_engines() -> None:
    code = (
        "import sys, compliance; "
        "print(any(m.startswith(('compliance.screening', 'compliance.ear', 'pydantic')) "
        "for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
