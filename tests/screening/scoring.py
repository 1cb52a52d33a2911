"""Name scoring without list context, for the scorer's tests: no rarity counts (every
ordinary word weighs the same) and the default thresholds."""

from __future__ import annotations

from compliance.screening.normalize import normalize_name
from compliance.screening.results import Thresholds
from compliance.screening.score import TokenWeights, score_names

WEIGHTS = TokenWeights({}, 0)
TH = Thresholds()


def name_score(query: str, listed: str) -> float:
    return score_names(normalize_name(query).tokens, normalize_name(listed).tokens, WEIGHTS).score
