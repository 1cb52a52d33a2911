"""Name and context scoring: order-free weighted token alignment with explained evidence.

A name score is a weighted agreement over tokens. Each query token is paired with at most
one listed token (greedy by similarity, ties broken by position, so it is deterministic).
Weights come from rarity on the list (IDF) and from the token class: legal forms and generic
words weigh little, so they can support a match but never make one. Unpaired query tokens
cost more than unpaired listed tokens (an extra word in the query says "different party";
a listed word left out is common in ERP masters). Country and address agreement adjust the
score a little in either direction but can never move a hit out of its status band.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz.distance import OSA

from compliance.screening.normalize import Token, TokenClass
from compliance.screening.results import Evidence, Thresholds, TokenMatch
from compliance.screening.transliterate import skeleton

CLASS_WEIGHT: Mapping[TokenClass, float] = {
    TokenClass.LEGAL: 0.08,
    TokenClass.GENERIC: 0.15,
    TokenClass.INITIAL: 0.25,
    TokenClass.NUMBER: 1.0,
}
MIN_ORDINARY_WEIGHT = 0.25
EXTRA_QUERY = 0.8  # cost factor of a query token with no partner
EXTRA_LISTED = 0.3  # cost factor of a listed token with no partner
NUMBER_MISMATCH = 0.7  # both sides carry numbers and they disagree
UNSUBSTANTIATED_CAP = 0.6  # no ordinary word or number agrees: below any threshold
CORROBORATION_RESERVE = 0.03  # a bare name match stays below a corroborated one
COUNTRY_AGREE = 0.02
COUNTRY_DISAGREE = 0.05
ADDRESS_AGREE = 0.01
ADDRESS_PARTIAL = 0.005
SKELETON_SIMILARITY = 0.95
INITIAL_SIMILARITY = 0.5
MIN_CORPUS = 20_000  # small lists weigh tokens as if drawn from a list of this size


class TokenWeights:
    """Token rarity on the indexed lists: IDF mapped into [0.25, 1] for ordinary words."""

    def __init__(self, document_frequency: Mapping[str, int], documents: int) -> None:
        self._df = document_frequency
        self._n = max(documents, MIN_CORPUS)
        self._cache: dict[str, float] = {}

    def weight(self, token: Token) -> float:
        fixed = CLASS_WEIGHT.get(token.cls)
        if fixed is not None:
            return fixed
        cached = self._cache.get(token.text)
        if cached is not None:
            return cached
        df = self._df.get(token.text, 0)
        idf = math.log((self._n + 1) / (df + 1))
        w = min(1.0, max(MIN_ORDINARY_WEIGHT, (idf - 2.0) / 4.5))
        self._cache[token.text] = w
        return w


def _allowed_edits(length: int) -> int:
    if length < 4:
        return 0
    if length < 8:
        return 1
    if length < 12:
        return 2
    return 3


def token_similarity(a: Token, b: Token) -> float:
    """Similarity of two tokens in [0, 1]; 0 means they may not be paired.

    Numbers and legal forms agree only when equal. Words compare by optimal-string-alignment
    distance (a transposition is one edit) on the text and on the romanisation skeleton,
    with a length-dependent edit budget: short words must match exactly.
    """
    if a.text == b.text:
        return 1.0
    ca, cb = a.cls, b.cls
    if ca is TokenClass.LEGAL or cb is TokenClass.LEGAL:
        return 0.0
    if ca is TokenClass.NUMBER or cb is TokenClass.NUMBER:
        return 0.0
    if ca is TokenClass.INITIAL or cb is TokenClass.INITIAL:
        if ca is cb:
            return 0.0
        return INITIAL_SIMILARITY if a.text[0] == b.text[0] else 0.0
    if a.skeleton == b.skeleton:
        return SKELETON_SIMILARITY
    la, lb = len(a.text), len(b.text)
    longest = max(la, lb)
    budget = _allowed_edits(min(la, lb))
    if budget == 0 or abs(la - lb) > budget:
        return 0.0
    d = OSA.distance(a.text, b.text, score_cutoff=budget)
    if d > budget:
        d = OSA.distance(a.skeleton, b.skeleton, score_cutoff=budget)
        if d > budget:
            return 0.0
    return 1.0 - d / (longest + 2)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A name ready for scoring: tokens, their weights and the keys used to rejoin words."""

    tokens: tuple[Token, ...]
    weights: tuple[float, ...]
    skeletons: frozenset[str]  # of ordinary words with 4+ letters
    joins: tuple[tuple[int, str], ...]  # (position, skeleton of this word + the next)


def prepare(tokens: Sequence[Token], weights: TokenWeights) -> Prepared:
    toks = tuple(tokens)
    joins = tuple(
        (i, skeleton(a.text + b.text))
        for i, (a, b) in enumerate(pairwise(toks))
        if a.cls is not TokenClass.LEGAL and b.cls is not TokenClass.LEGAL
    )
    return Prepared(
        tokens=toks,
        weights=tuple(weights.weight(t) for t in toks),
        skeletons=frozenset(
            t.skeleton for t in toks if t.cls is TokenClass.ORDINARY and len(t.text) >= 4
        ),
        joins=joins,
    )


def _merge_spacing(side: Prepared, other: Prepared, weights: TokenWeights) -> Prepared:
    """Join adjacent tokens that the other side writes as one word (``Hua Wei``/``Huawei``)."""
    hits = [i for i, skel in side.joins if skel in other.skeletons]
    if not hits:
        return side
    out: list[Token] = []
    toks = side.tokens
    i = 0
    targets = set(hits)
    while i < len(toks):
        if i in targets and i + 1 < len(toks):
            joined = toks[i].text + toks[i + 1].text
            out.append(Token(joined, TokenClass.ORDINARY, skeleton(joined)))
            i += 2
            continue
        out.append(toks[i])
        i += 1
    return prepare(out, weights)


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The alignment of one query name with one listed name."""

    score: float
    aligned: tuple[tuple[Token, Token, float, float], ...]
    unmatched_query: tuple[Token, ...]
    unmatched_listed: tuple[Token, ...]


Memo = dict[str, dict[str, float]]


def score_prepared(
    query: Prepared, listed: Prepared, weights: TokenWeights, memo: Memo | None = None
) -> NameMatch:
    """Order-free weighted alignment of two prepared names (``memo`` caches similarities)."""
    if memo is None:
        memo = {}
    qp = _merge_spacing(query, listed, weights)
    lp = _merge_spacing(listed, qp, weights)
    q, lt = qp.tokens, lp.tokens
    pairs: list[tuple[float, int, int]] = []
    for i, a in enumerate(q):
        row = memo.get(a.text)
        if row is None:
            row = memo[a.text] = {}
        for j, b in enumerate(lt):
            s = row.get(b.text)
            if s is None:
                s = row[b.text] = token_similarity(a, b)
            if s > 0.0:
                pairs.append((-s, i, j))
    pairs.sort()
    used_q: set[int] = set()
    used_l: set[int] = set()
    aligned: list[tuple[Token, Token, float, float]] = []
    num = 0.0
    den = 0.0
    substantive = False
    lw = lp.weights
    for neg, i, j in pairs:
        if i in used_q or j in used_l:
            continue
        used_q.add(i)
        used_l.add(j)
        s = -neg
        w = lw[j]
        aligned.append((q[i], lt[j], s, w))
        num += s * w
        den += w
        if lt[j].substantive and q[i].substantive:
            substantive = True
    qw = qp.weights
    un_q = tuple(t for i, t in enumerate(q) if i not in used_q)
    un_l = tuple(t for j, t in enumerate(lt) if j not in used_l)
    for i in range(len(q)):
        if i not in used_q:
            den += EXTRA_QUERY * qw[i]
    for j in range(len(lt)):
        if j not in used_l:
            den += EXTRA_LISTED * lw[j]
    score = num / den if den > 0 else 0.0
    numbers_q = any(t.cls is TokenClass.NUMBER for t in un_q)
    if numbers_q and any(t.cls is TokenClass.NUMBER for t in un_l):
        score *= NUMBER_MISMATCH
    if not substantive and not (not un_q and not un_l and all(p[2] == 1.0 for p in aligned)):
        score = min(score, UNSUBSTANTIATED_CAP)
    return NameMatch(score, tuple(aligned), un_q, un_l)


def score_names(
    query: Sequence[Token], listed: Sequence[Token], weights: TokenWeights
) -> NameMatch:
    """Order-free weighted alignment of two token sequences."""
    return score_prepared(prepare(query, weights), prepare(listed, weights), weights)


def band_floor(score: float, thresholds: Thresholds) -> float:
    """The lowest score in the status band ``score`` falls in (0 below review)."""
    if score >= thresholds.alert:
        return thresholds.alert
    if score >= thresholds.review:
        return thresholds.review
    return 0.0


@dataclass(frozen=True, slots=True)
class Context:
    """Agreement of the non-name fields: 'agree', 'disagree', 'partial' or 'unknown'."""

    country: str = "unknown"
    address: str = "unknown"


def final_score(
    name_score: float, context: Context, thresholds: Thresholds, *, weak_alias: bool
) -> tuple[float, tuple[str, ...]]:
    """Name score plus context adjustments, each recorded as ``'reason: +0.0000'``.

    Disagreement lowers a score inside its band only: a country typo or a second
    establishment abroad must never hide a strong name match.
    """
    adjustments: list[str] = []
    score = name_score
    reserve = CORROBORATION_RESERVE * name_score
    score -= reserve
    adjustments.append(f"uncorroborated name reserve: {-reserve:+.4f}")
    if context.country == "agree":
        score += COUNTRY_AGREE
        adjustments.append(f"country agrees: {COUNTRY_AGREE:+.4f}")
    if context.address == "agree":
        score += ADDRESS_AGREE
        adjustments.append(f"address agrees: {ADDRESS_AGREE:+.4f}")
    elif context.address == "partial":
        score += ADDRESS_PARTIAL
        adjustments.append(f"address partly agrees: {ADDRESS_PARTIAL:+.4f}")
    score = min(score, 1.0)
    if context.country == "disagree":
        lowered = max(score - COUNTRY_DISAGREE, band_floor(score, thresholds))
        adjustments.append(f"country disagrees (kept in band): {lowered - score:+.4f}")
        score = lowered
    if weak_alias and score >= thresholds.alert:
        capped = round(thresholds.alert - 0.0001, 4)
        adjustments.append(f"weak alias, review at most: {capped - score:+.4f}")
        score = capped
    return max(0.0, score), tuple(adjustments)


def evidence(match: NameMatch, context: Context, adjustments: tuple[str, ...]) -> Evidence:
    return Evidence(
        name_score=round(match.score, 4),
        aligned=tuple(
            TokenMatch(query=a.text, listed=b.text, similarity=round(s, 4), weight=round(w, 4))
            for a, b, s, w in match.aligned
        ),
        unmatched_query=tuple(t.text for t in match.unmatched_query),
        unmatched_listed=tuple(t.text for t in match.unmatched_listed),
        country=context.country,
        address=context.address,
        adjustments=adjustments,
    )
