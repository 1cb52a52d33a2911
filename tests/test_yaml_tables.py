"""The C YAML loader reads every table of the package exactly as ``yaml.safe_load`` does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from compliance._yaml import load_table

ROOT = Path(__file__).resolve().parent.parent
TABLES = sorted(p for folder in ("compliance", "lists") for p in (ROOT / folder).rglob("*.y*ml"))


def test_there_are_tables_to_compare() -> None:
    names = {p.name for p in TABLES}
    assert {"countries.yaml", "abbreviations.yaml", "sources.yaml"} <= names


@pytest.mark.parametrize("path", TABLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_value_as_the_pure_python_loader(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert load_table(text) == yaml.safe_load(text)


def test_unsafe_tags_are_refused() -> None:
    with pytest.raises(yaml.YAMLError):
        load_table("!!python/object/apply:os.system ['true']")
