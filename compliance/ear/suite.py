"""Score the engine on a suite of cases with expected answers (tests/ear/cases/*.yaml).

Each suite file holds ``source`` (the published BIS material the case was written from),
``split`` (``tune`` or ``holdout``: holdout cases are never used to adjust the engine),
``expected`` (``subject``, optionally ``de_minimis`` and ``rules: {paragraph: status}``) and
``case`` (the facts the source states, nothing more). A score counts each expected field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.ear.case import Case, load_yaml_documents
from compliance.ear.determination import Determination, evaluate


@dataclass(frozen=True)
class SuiteCase:
    """One suite file: where the facts come from, the answer expected, and the case."""

    name: str
    source: str
    split: str
    expected: dict[str, Any]
    case: Case


@dataclass
class Score:
    """Checks right out of checks made, per field kind, and the misses by name."""

    subject: list[int] = field(default_factory=lambda: [0, 0])
    rules: list[int] = field(default_factory=lambda: [0, 0])
    de_minimis: list[int] = field(default_factory=lambda: [0, 0])
    misses: list[str] = field(default_factory=list)

    def line(self) -> str:
        parts = [
            f"{label} {right}/{total}"
            for label, (right, total) in (
                ("subject to the EAR", self.subject),
                ("rule statuses", self.rules),
                ("de minimis outcomes", self.de_minimis),
            )
            if total
        ]
        return "; ".join(parts)


def load_suite(folder: Path) -> list[SuiteCase]:
    """Every ``*.yaml`` in ``folder``, sorted by name."""
    out = []
    for path in sorted(folder.glob("*.yaml")):
        (doc,) = load_yaml_documents(path.read_text(encoding="utf-8"))
        assert isinstance(doc, dict), path
        out.append(
            SuiteCase(
                name=path.stem,
                source=str(doc["source"]),
                split=str(doc["split"]),
                expected=dict(doc["expected"]),
                case=Case.model_validate(doc["case"]),
            )
        )
    return out


def check(entry: SuiteCase, d: Determination, score: Score) -> None:
    """Add one case's checks to ``score``."""
    want = entry.expected
    if "subject" in want:
        ok = d.subject.value == want["subject"]
        score.subject[0] += ok
        score.subject[1] += 1
        if not ok:
            score.misses.append(f"{entry.name}: subject {d.subject.value} != {want['subject']}")
    if "de_minimis" in want:
        ok = d.de_minimis.outcome.value == want["de_minimis"]
        score.de_minimis[0] += ok
        score.de_minimis[1] += 1
        if not ok:
            score.misses.append(
                f"{entry.name}: de minimis {d.de_minimis.outcome.value} != {want['de_minimis']}"
            )
    got = {r.rule_id: r.outcome.value for r in d.fdp}
    for rule, status in (want.get("rules") or {}).items():
        ok = got.get(rule) == status
        score.rules[0] += ok
        score.rules[1] += 1
        if not ok:
            score.misses.append(f"{entry.name}: {rule} {got.get(rule)} != {status}")


def score(entries: Iterable[SuiteCase]) -> Score:
    """Evaluate every case and score it."""
    total = Score()
    for entry in entries:
        check(entry, evaluate(entry.case), total)
    return total
