"""Reading the package's own YAML tables with libyaml's C parser where PyYAML has it.

The C loader builds values with the same ``SafeConstructor`` as ``yaml.safe_load``, so the
tables come out equal (``tests/test_yaml_tables.py`` compares every table); it is about ten
times faster, and the country, abbreviation and given-name tables are read on every
process start (a one-name ``compliance screen`` spent about a fifth of its CPU parsing them
with the pure-Python parser). Files a user writes (users, EAR cases) keep their own readers.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_table(text: str) -> Any:
    """The value of one YAML document of the package's data (safe types only)."""
    return yaml.load(text, Loader=_LOADER)
