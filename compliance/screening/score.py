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

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import OSA

from compliance.screening.common_words import is_common
from compliance.screening.legal_forms import PHRASES, SYMBOLS
from compliance.screening.legal_forms import TOKENS as LEGAL_TOKENS
from compliance.screening.normalize import Token, TokenClass, rejoined_runs, word_join_key
from compliance.screening.places import place_countries
from compliance.screening.results import Evidence, Thresholds, TokenMatch
from compliance.screening.romanisation import same_scheme
from compliance.screening.transliterate import skeleton
from compliance.screening.tunables import TUNABLES
from compliance.screening.vocabulary import CANONICAL, GENERIC, LOCATIONS, ORGANISATION, PARTICLES

CLASS_WEIGHT: Mapping[TokenClass, float] = {
    TokenClass.LEGAL: TUNABLES.legal_weight,
    TokenClass.GENERIC: TUNABLES.generic_weight,
    TokenClass.INITIAL: TUNABLES.initial_weight,
    TokenClass.NUMBER: TUNABLES.number_weight,
}


class TokenWeights:
    """Token rarity on the indexed lists: IDF mapped into [0.25, 1] for ordinary words.

    A weight table is data, not a by-product of one index: it can be saved (``to_json``),
    identified (``weights_id``) and passed to another ``Screener`` so that scores computed
    against different list snapshots stay comparable (a *weights epoch*, used by delta
    re-screening, ``compliance.rescreen``).
    """

    def __init__(self, document_frequency: Mapping[str, int], documents: int) -> None:
        self._df = document_frequency
        self._documents = documents
        self._n = max(documents, TUNABLES.min_corpus)
        self._cache: dict[str, float] = {}
        self._id: str | None = None
        # per distinct token, what prepare() needs of it (a cache, not part of the table)
        self.facts: dict[Token, _Facts] = {}

    @property
    def documents(self) -> int:
        """Listed names the frequencies were counted over."""
        return self._documents

    def document_frequency(self, word: str) -> int:
        return self._df.get(word, 0)

    def to_json(self) -> str:
        """Canonical JSON (sorted words, no spaces): the same table gives the same bytes."""
        return json.dumps(
            {"documents": self._documents, "df": dict(sorted(self._df.items()))},
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> TokenWeights:
        data = json.loads(text)
        df = data.get("df")
        documents = data.get("documents")
        if not isinstance(df, dict) or not isinstance(documents, int):
            raise ValueError("token weights: expected {'documents': int, 'df': {word: int}}")
        if not all(isinstance(k, str) and isinstance(v, int) for k, v in df.items()):
            raise ValueError("token weights: every df value must be a word -> integer count")
        return cls(df, documents)

    @classmethod
    def from_canonical_json(cls, text: str) -> TokenWeights:
        """:meth:`from_json` for text that is :meth:`to_json` output (a saved index, whose
        content hash vouches for its bytes): the id is hashed from the text as given
        instead of re-sorting the whole table on first use."""
        weights = cls.from_json(text)
        weights._id = "w-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        return weights

    @property
    def weights_id(self) -> str:
        """``w-`` + the first 16 hex digits of the SHA-256 of :meth:`to_json`."""
        if self._id is None:
            digest = hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()
            self._id = "w-" + digest[:16]
        return self._id

    def weight(self, token: Token) -> float:
        fixed = CLASS_WEIGHT.get(token.cls)
        if fixed is not None:
            return fixed
        cached = self._cache.get(token.text)
        if cached is not None:
            return cached
        df = self._df.get(token.text, 0)
        idf = math.log((self._n + 1) / (df + 1))
        w = min(1.0, max(TUNABLES.min_ordinary_weight, (idf - 2.0) / 4.5))
        if len(token.text) <= 2:
            w *= TUNABLES.short_word_factor  # "RH", "AB": two letters identify little on their own
        self._cache[token.text] = w
        return w


def _allowed_edits(length: int) -> int:
    """Edits allowed between words; ``length`` is the shorter length, plus one when the
    longer word has 4+ letters (so ``MPL``/``MPPL`` may pair, ``ABC``/``ABD`` may not).
    The blocking keys of :mod:`compliance.screening.index` are built to this same budget."""
    if length < 4:
        return 0
    if length < TUNABLES.long_word:
        return 1
    return 2


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
        return TUNABLES.initial_similarity if a.text[0] == b.text[0] else 0.0
    if ca is not cb:  # a generic word never stands in for an identifying one
        return 0.0
    la, lb = len(a.text), len(b.text)
    if a.skeleton == b.skeleton and (
        min(la, lb) >= 4 or (la == lb and OSA.distance(a.text, b.text, score_cutoff=1) <= 1)
    ):
        return TUNABLES.skeleton_similarity
    longest = max(la, lb)
    budget = _allowed_edits(min(la, lb) + (1 if longest > 3 else 0))
    if budget == 0:
        return _scheme_pair(a, b)
    d = budget + 1
    if abs(la - lb) <= budget:
        d = OSA.distance(a.text, b.text, score_cutoff=budget)
    if d <= budget:
        return 1.0 - d / (longest + 2)
    # skeletons get the budget of their own lengths: three-letter skeletons ("jak" from
    # "jack") must agree exactly, as the blocking keys of compliance.screening.index assume
    # (every pair scored here shares a key there). Two written words that differ never
    # score above two words with the same skeleton (a skeleton forgets letters), and a
    # skeleton of one or two letters ("lk" from both LKQ and LKCK, "cc" from CTS and CCCC)
    # is too little of either word to pair them at all.
    sa, sb = len(a.skeleton), len(b.skeleton)
    if min(sa, sb) < TUNABLES.min_skeleton:
        return _scheme_pair(a, b)
    cap = min(budget, _allowed_edits(min(sa, sb) + (1 if max(sa, sb) > 3 else 0)))
    if abs(sa - sb) > cap:
        return _scheme_pair(a, b)
    ds = OSA.distance(a.skeleton, b.skeleton, score_cutoff=cap)
    if ds > cap:
        return _scheme_pair(a, b)
    return min(TUNABLES.skeleton_similarity, 1.0 - ds / (longest + 2))


def _scheme_pair(a: Token, b: Token) -> float:
    """``scheme_similarity`` when two words that pair no other way are one Cyrillic word under
    two romanisation schemes (``Druzhba`` / ``Druschba``, ``UVZ`` / ``UWS``; a scheme key in
    common, ``romanisation.py``), else 0. A key shorter than ``min_skeleton`` never pairs:
    ``ai`` / ``aiai``, ``sp`` / ``spp``, ``jet`` / ``ett`` share one (measured: 20 more
    reviews on the GLEIF names when two-letter keys paired). The index files every word
    under its keys (``index.py``), so every such pair shares a key there."""
    if same_scheme(a.text, b.text, TUNABLES.min_skeleton):
        return TUNABLES.scheme_similarity
    return 0.0


@dataclass(frozen=True, slots=True, init=False)
class Prepared:
    """A name ready for scoring: tokens, their weights and the keys used to rejoin words.

    ``__init__`` is written out (``init=False``), the same as the generated one: compiled
    (mypyc), the dataclass-generated one runs as interpreted bytecode, about 14,000
    instructions a construction and 4 % of a batch; this one compiles (about 9x cheaper).
    A field added here must be added to it (tests/screening/test_native.py checks).
    """

    tokens: tuple[Token, ...]
    weights: tuple[float, ...]
    extra: tuple[float, ...]  # cost weight when unpaired: generic words promoted stay cheap
    skeletons: frozenset[str]  # join keys of ordinary words and numbers (``word_join_key``)
    joins: tuple[tuple[int, int, str], ...]  # (position, words, join key of them joined)
    join_skeletons: frozenset[str] = frozenset()  # the join keys of ``joins``
    keys: tuple[str, ...] = ()  # per token, its similarity memo key (``memo_key``)
    places: tuple[frozenset[str], ...] = ()  # per token, countries it is a place of (``places``)
    total: float = 0.0  # the sum of ``weights`` (the relative cap of ``contained_cost``)

    def __init__(
        self,
        tokens: tuple[Token, ...],
        weights: tuple[float, ...],
        extra: tuple[float, ...],
        skeletons: frozenset[str],
        joins: tuple[tuple[int, int, str], ...],
        join_skeletons: frozenset[str] = frozenset(),
        keys: tuple[str, ...] = (),
        places: tuple[frozenset[str], ...] = (),
        total: float = 0.0,
    ) -> None:
        object.__setattr__(self, "tokens", tokens)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "extra", extra)
        object.__setattr__(self, "skeletons", skeletons)
        object.__setattr__(self, "joins", joins)
        object.__setattr__(self, "join_skeletons", join_skeletons)
        object.__setattr__(self, "keys", keys)
        object.__setattr__(self, "places", places)
        object.__setattr__(self, "total", total)


def memo_key(t: Token) -> str:
    """What determines a token's similarity to others: its text and class (the same text
    can be a generic word on one name and an ordinary word rejoined on another)."""
    return t.text if t.cls is TokenClass.ORDINARY else f"{t.cls.value}:{t.text}"


_Facts = tuple[float, float, str, frozenset[str], str | None]
"""What :func:`prepare` needs of one token: weight, cost weight when unpaired, memo key,
place countries, join key. Each depends on the token alone (and the weights table), so it
is worked out once per distinct token (``TokenWeights.facts``)."""

_GENERIC_WEIGHT = CLASS_WEIGHT[TokenClass.GENERIC]
_MAX_FACTS = 500_000  # distinct tokens remembered per weights table before starting over


def _facts(t: Token, weights: TokenWeights) -> _Facts:
    w = weights.weight(t)
    return (
        w,
        min(w, _GENERIC_WEIGHT) if t.promoted else w,
        memo_key(t),
        _place(t),
        word_join_key(t),
    )


def prepare(
    tokens: Sequence[Token],
    weights: TokenWeights,
    joins: tuple[tuple[int, int, str], ...] | None = None,
) -> Prepared:
    """``tokens`` ready for scoring. ``joins``, when given, must be ``rejoined_runs(tokens)``
    (a listed name's runs, worked out once when the index was built or saved with it)."""
    toks = tuple(tokens)
    cache = weights.facts
    rows: list[_Facts] = []
    for t in toks:
        f = cache.get(t)
        if f is None:
            if len(cache) >= _MAX_FACTS:
                cache.clear()
            f = cache[t] = _facts(t, weights)
        rows.append(f)
    if joins is None:
        joins = tuple(rejoined_runs(toks))
    weights_row = tuple([f[0] for f in rows])
    extra = [f[1] for f in rows]
    if TUNABLES.extra_word_cap < 1.0 and not person_like(toks):
        # left unpaired, a word of an organisation's name costs at most extra_word_cap: at its
        # full weight one rare word added to a listed name ("Rosoboronexport Robotics") took
        # it below review. A person's extra name stays dear ("Emma Daniels" is not EMMA LLC)
        cap = TUNABLES.extra_word_cap
        extra = [
            min(e, cap) if t.cls is TokenClass.ORDINARY else e
            for e, t in zip(extra, toks, strict=True)
        ]
    return Prepared(
        tokens=toks,
        weights=weights_row,
        extra=tuple(extra),
        total=sum(weights_row),
        skeletons=frozenset([f[4] for f in rows if f[4] is not None]),
        joins=joins,
        join_skeletons=frozenset([skel for _, _, skel in joins]),
        keys=tuple([f[2] for f in rows]),
        places=tuple([f[3] for f in rows]),
    )


def _place(t: Token) -> frozenset[str]:
    """Countries of a city or country word (ordinary or generic words of 4+ letters)."""
    if t.cls is TokenClass.ORDINARY or t.cls is TokenClass.GENERIC:
        return place_countries(t.text)
    return frozenset()


def _merge_spacing(side: Prepared, other: Prepared, weights: TokenWeights) -> Prepared:
    """Join runs of two or three adjacent tokens that the other side writes as one word
    (``Hua Wei``/``Huawei``, ``Rostov On Don``/``RostovOnDon``); left to right, the
    longer run first where two start at one word."""
    if side.join_skeletons.isdisjoint(other.skeletons):
        return side
    targets: dict[int, int] = {}
    for i, size, skel in side.joins:
        if skel in other.skeletons and size > targets.get(i, 0):
            targets[i] = size
    if not targets:
        return side
    out: list[Token] = []
    toks = side.tokens
    i = 0
    while i < len(toks):
        size = targets.get(i, 0)
        if size:
            joined = "".join(t.word for t in toks[i : i + size])
            out.append(Token(joined, TokenClass.ORDINARY, skeleton(joined)))
            i += size
            continue
        out.append(toks[i])
        i += 1
    return prepare(out, weights)


@dataclass(frozen=True, slots=True, init=False)
class NameMatch:
    """The alignment of one query name with one listed name (``__init__`` written out for
    the compiled build, as :class:`Prepared`'s)."""

    score: float
    aligned: tuple[tuple[Token, Token, float, float], ...]
    unmatched_query: tuple[Token, ...]
    unmatched_listed: tuple[Token, ...]
    places: tuple[Token, ...] = ()  # unpaired query words excused as the entry's places
    initials: tuple[tuple[Token, Token], ...] = ()  # query initial, listed word it begins
    generic_only: bool = False  # only generic words standing in for a name agree
    lone_word: bool = False  # one distinctive word agrees; the party's own legal form is unlisted
    other_trade: bool = False  # one distinctive word agrees; each side has other words of trade

    def __init__(
        self,
        score: float,
        aligned: tuple[tuple[Token, Token, float, float], ...],
        unmatched_query: tuple[Token, ...],
        unmatched_listed: tuple[Token, ...],
        places: tuple[Token, ...] = (),
        initials: tuple[tuple[Token, Token], ...] = (),
        generic_only: bool = False,
        lone_word: bool = False,
        other_trade: bool = False,
    ) -> None:
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "aligned", aligned)
        object.__setattr__(self, "unmatched_query", unmatched_query)
        object.__setattr__(self, "unmatched_listed", unmatched_listed)
        object.__setattr__(self, "places", places)
        object.__setattr__(self, "initials", initials)
        object.__setattr__(self, "generic_only", generic_only)
        object.__setattr__(self, "lone_word", lone_word)
        object.__setattr__(self, "other_trade", other_trade)


Memo = dict[str, dict[str, float]]

_CONTRADICTIONS = (
    (TokenClass.NUMBER, TUNABLES.number_mismatch),
    (TokenClass.INITIAL, TUNABLES.initial_mismatch),
)


@lru_cache(maxsize=262_144)
def word_similarity(a: str, b: str) -> float:
    """Edit similarity of two written words under the length-dependent edit budget (the same
    romanisation skeleton counts as a near-equality)."""
    if a == b:
        return 1.0
    if len(a) >= 3 and len(b) >= 3 and skeleton(a) == skeleton(b):
        return TUNABLES.skeleton_similarity
    la, lb = len(a), len(b)
    budget = _allowed_edits(min(la, lb) + (1 if max(la, lb) > 3 else 0))
    if budget == 0 or abs(la - lb) > budget:
        return 0.0
    d = OSA.distance(a, b, score_cutoff=budget)
    return 0.0 if d > budget else 1.0 - d / (max(la, lb) + 2)


def _deletion_keys(word: str) -> set[str]:
    """The word and its one-deletion variants; two-deletion ones too for long words."""
    keys = {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}
    if len(word) >= TUNABLES.long_word - 1:
        for k in tuple(keys):
            keys |= {k[:i] + k[i + 1 :] for i in range(len(k))}
    return keys


def _support_words() -> frozenset[str]:
    words: set[str] = set(CANONICAL) | set(CANONICAL.values()) | GENERIC | PARTICLES
    words |= set(LEGAL_TOKENS) | SYMBOLS | {w for phrase in PHRASES for w in phrase}
    return frozenset(w for w in words if len(w) >= 3)


_SUPPORT_WORDS = _support_words()
_SUPPORT_SKELETONS = frozenset(skeleton(w) for w in _SUPPORT_WORDS)
_SUPPORT_BY_DELETE: dict[str, list[str]] = {}
for _w in sorted(_SUPPORT_WORDS):
    for _k in _deletion_keys(_w):
        _SUPPORT_BY_DELETE.setdefault(_k, []).append(_w)


@lru_cache(maxsize=262_144)
def near_support_word(word: str) -> bool:
    """True if ``word`` may be a misspelt generic word or legal form (one the scorer may pair
    with a listed generic word or legal form). Words far from all of them never are."""
    if len(word) >= 3 and skeleton(word) in _SUPPORT_SKELETONS:
        return True
    return any(
        word_similarity(word, cand) > 0.0
        for key in _deletion_keys(word)
        for cand in _SUPPORT_BY_DELETE.get(key, ())
    )


def _misspelt_support(
    q: Sequence[Token], lt: Sequence[Token], used_q: set[int], used_l: set[int]
) -> list[tuple[float, int, int]]:
    """Pair leftover query words with leftover listed generic words and legal forms they are
    a misspelling of ("Groop"/"Group", "GmbvH"/"GmbH"). Such pairs carry the listed word's
    low weight and never count as the identifying part of a match."""
    found: list[tuple[float, int, int]] = []
    for i, a in enumerate(q):
        if i in used_q or a.cls is not TokenClass.ORDINARY or not near_support_word(a.word):
            continue
        # a listed word outside the known vocabulary is only paired through the vocabulary
        # check above, which the pruning bound relies on
        for j, b in enumerate(lt):
            if j in used_l or (b.cls is not TokenClass.GENERIC and b.cls is not TokenClass.LEGAL):
                continue
            s = word_similarity(a.word, b.word)
            if s > 0.0:
                found.append((-s, i, j))
    found.sort()
    out: list[tuple[float, int, int]] = []
    taken_q: set[int] = set()
    taken_l: set[int] = set()
    for neg, i, j in found:
        if i not in taken_q and j not in taken_l:
            taken_q.add(i)
            taken_l.add(j)
            out.append((-neg, i, j))
    return out


def score_prepared(
    query: Prepared,
    listed: Prepared,
    weights: TokenWeights,
    memo: Memo | None = None,
    countries: frozenset[str] = frozenset(),
    whole_name: bool = True,
    floor: float = -math.inf,
) -> NameMatch:
    """Order-free weighted alignment of two prepared names (``memo`` caches similarities).

    ``whole_name``: the listed name may be found whole inside a longer query
    (``contained_cost``); the Screener passes False for a listed person, vessel or aircraft.

    ``countries`` are the listed entry's: an unpaired query word that is a city or country of
    one of them is context, not identity, and costs nothing (``places.py``).

    ``floor``: the caller drops a match whose ``score * (1 - corroboration_reserve)`` is
    below it (the Screener's review floor). Such a match comes back with its score alone:
    what only the context score reads (``generic_only``, ``lone_word``, ``other_trade``) and
    the evidence are not worked out for it. The default keeps every match whole."""
    if memo is None:
        memo = {}
    qp = _merge_spacing(query, listed, weights)
    lp = _merge_spacing(listed, qp, weights)
    q, lt = qp.tokens, lp.tokens
    pairs: list[tuple[float, int, int]] = []
    lkeys = lp.keys
    for i, a in enumerate(q):
        row = memo.get(qp.keys[i])
        if row is None:
            row = memo[qp.keys[i]] = {}
        for j, b in enumerate(lt):
            s = row.get(lkeys[j])
            if s is None:
                s = row[lkeys[j]] = token_similarity(a, b)
            if s > 0.0:
                pairs.append((-s, i, j))
    pairs.sort()
    used_q: set[int] = set()
    used_l: set[int] = set()
    aligned: list[tuple[Token, Token, float, float]] = []
    num = 0.0
    den = 0.0
    substantive = False
    evidence_weight = 0.0
    distinctive = 0  # identifying pairs (ordinary words and numbers on both sides)
    shared_len = 0  # letters of the last listed word of such a pair
    lw = lp.weights
    initials: list[tuple[Token, Token]] = []
    # an initial stands for a given name only between names shaped like persons' names: no
    # legal form, generic word or number on either side ("N Maduro", "PUTIN, Vladimir");
    # worked out on the first initial pair only (None: not yet)
    person_shaped: bool | None = None
    named = False  # an identifying word agrees that is not a generic word standing in (or is
    # a place)
    initial = TokenClass.INITIAL
    at = [-1] * len(lt)  # per listed word, the query word it pairs
    weakest = 1.0  # the least similarity of a pair of an identifying listed word
    for neg, i, j in pairs:
        if i in used_q or j in used_l:
            continue
        used_q.add(i)
        used_l.add(j)
        at[j] = i
        s = -neg
        w = lw[j]
        if s < weakest and lt[j].substantive:
            weakest = s
        if q[i].cls is initial and lt[j].cls is not initial:
            if person_shaped is None:
                person_shaped = initials_may_stand(query.tokens) and initials_may_stand(
                    listed.tokens
                )
            if person_shaped:
                # "N Maduro": the initial agrees with the given name it begins, at the weight
                # of an initial (the given name is not confirmed: review at most, below)
                s, w = 1.0, TUNABLES.initial_weight
                initials.append((q[i], lt[j]))
        aligned.append((q[i], lt[j], s, w))
        num += s * w
        den += w
        if lt[j].substantive and q[i].substantive:
            substantive = True
            evidence_weight += s * w
            distinctive += 1
            shared_len = len(lt[j].text)
            # a place among generic words makes a name specific ("Harbin Institute of
            # Technology"); without one it is a generic name ("First National Bank")
            named = named or not lt[j].promoted or _is_place(lt[j])
    if len(used_q) < len(q) and len(used_l) < len(lt):
        for s, i, j in _misspelt_support(q, lt, used_q, used_l):
            used_q.add(i)
            used_l.add(j)
            at[j] = i
            w = lw[j]
            aligned.append((q[i], lt[j], s, w))
            num += s * w
            den += w
    qw = qp.extra  # an extra generic word in a generic-only query is cheap (T5 context)...
    lx = lp.weights  # ... a listed word left out is not
    excused: list[int] = []
    if countries and len(used_q) < len(q):
        qplaces = qp.places
        excused = [
            i for i in range(len(q)) if i not in used_q and not countries.isdisjoint(qplaces[i])
        ]
        used_q.update(excused)
    un_q = tuple(t for i, t in enumerate(q) if i not in used_q)
    un_l = tuple(t for j, t in enumerate(lt) if j not in used_l)
    cost = 0.0  # of the query words left unpaired
    added = 0  # identifying ones among them
    for i in range(len(q)):
        if i not in used_q:
            cost += TUNABLES.extra_query * qw[i]
            if q[i].substantive:
                added += 1
    most = TUNABLES.contained_cost * listed.total
    if (
        whole_name
        and (cost > most or not substantive)
        and len(used_l) == len(lt)
        and weakest >= TUNABLES.contained_similarity
        and added <= TUNABLES.contained_max_added
        and (named or sum(t.promoted for t in lt) >= TUNABLES.contained_generic_words)
        and all(a < b for a, b in pairwise(at))
        and _distinctive_whole(lt)
    ):
        # the whole listed name, every word in its order (and each identifying word written
        # alike or nearly: contained_similarity), is in the query: whatever one or
        # two other words say ("SMIC Robotics", "Robotics Hikvision", "Hikvision Robotics
        # Co"), they cost at most contained_cost of the listed name's weight (review). A
        # listed name made only of generic words counts when it is long enough ("Semiconductor
        # Manufacturing International Corporation"); its words are identifying then (the
        # query's own are generic words only because the query has other words)
        cost = min(cost, most)
        substantive = True
    den += cost
    # an initial standing for a given name is how payment text shortens a person's name
    # ("N Maduro", "Putin V"): the listed middle names it leaves out weigh at most an initial
    if initials:
        most = TUNABLES.initial_listed_cap
        for j in range(len(lt)):
            if j not in used_l:
                den += TUNABLES.extra_listed * min(lx[j], most)
    else:
        for j in range(len(lt)):
            if j not in used_l:
                den += TUNABLES.extra_listed * lx[j]
    score = num / den if den > 0 else 0.0
    for cls, factor in _CONTRADICTIONS:
        if any(t.cls is cls for t in un_q) and any(t.cls is cls for t in un_l):
            score *= factor  # Fund 5 vs Fund 8; J Smith vs K Smith
    exact = not un_q and not un_l and all(p[2] == 1.0 for p in aligned)
    if not substantive and not exact:
        score = min(score, TUNABLES.unsubstantiated_cap)
    elif (
        (evidence_weight < TUNABLES.thin_evidence and not exact)  # the whole listed name, as listed
        or (un_l and any(t.promoted for t in lt))
        or any(_descriptive(t) for t in un_l)
    ):
        # one short or common word; part of a name made only of generic words; or a listed
        # word (other than a legal form or a place) missing from the query
        score = min(score, TUNABLES.thin_cap)
    if initials:
        # an initial stands for a given name that is not confirmed: review at most
        score = min(score, TUNABLES.thin_cap)
    if score * (1 - TUNABLES.corroboration_reserve) < floor:
        return NameMatch(score, (), (), ())  # dropped by the caller: the score is all it reads
    # a listed name made only of generic words ("Global Trading", "First National Bank") is
    # review at most unless the party's country corroborates it (Screener, final_score)
    generic_only = substantive and not named
    # "Opera Ltd" / OPERA, "PPL Corp" / PPL, "Orion S.A." / NPO ORION: the name rests on one
    # distinctive word and the party names a legal form the listed name does not carry; the
    # only other evidence points away, so the name alone is review at most (final_score)
    lone_word = (
        substantive
        and not exact
        and distinctive <= TUNABLES.lone_word_max
        and any(t.cls is TokenClass.LEGAL for t in un_q)
    )
    # "Spring Software" / SPRING SHIPPING, "Rocket Software" / MINISTRY OF ROCKET INDUSTRY:
    # the names share only common words of ordinary English (not a brand: "Huawei Digital
    # Power" / HUAWEI TECHNOLOGIES keeps its review), and each says something else about the
    # party that the other lacks (read last: the test is the costliest)
    other_trade = (
        substantive
        and distinctive <= TUNABLES.other_trade_max_words
        and bool(un_q)
        and bool(un_l)
        and (shared_len <= TUNABLES.other_trade_short or any(_descriptive(t) for t in un_l))
        and _other_trade(aligned, un_q, un_l)
    )
    return NameMatch(
        score,
        tuple(aligned),
        un_q,
        un_l,
        tuple(q[i] for i in excused),
        tuple(initials),
        generic_only,
        lone_word,
        other_trade,
    )


def _distinctive_whole(listed: Sequence[Token]) -> bool:
    """Whether a listed name found whole inside a longer query says who it is
    (``contained_cost``): not when it has fewer than ``contained_min_letters`` letters ("MSC",
    "SE" inside an ordinary name), nor when it is one word (legal forms aside) that is a
    common word of ordinary English (``common_words``, ``contained_one_word_zipf``: UNITED in
    "United Rentals", OFFSHORE in "KNOT Offshore Partners"), nor when its one identifying
    word beside generic words is one (``common_word_zipf``: "Advanced Technologies" in "AST
    Advanced Sensor Technologies"). A rare word keeps it ("SMIC", "Hikvision")."""
    if sum(len(t.text) for t in listed) < TUNABLES.contained_min_letters:
        return False
    words = [t for t in listed if t.cls is not TokenClass.LEGAL]
    if len(words) == 1:
        return not is_common(words[0].word, TUNABLES.contained_one_word_zipf)
    # what names it beside its generic words: ordinary words, numbers and initials ("X-Face",
    # "A.P. Finance"); a two-letter group ("UM Air", "SS Techniques") is letters, not a word
    named = [t for t in words if (t.substantive and not t.promoted) or t.cls is TokenClass.INITIAL]
    if len(named) == 1 and named[0].cls is TokenClass.ORDINARY and len(named[0].text) > 2:
        return not is_common(named[0].word, TUNABLES.common_word_zipf)
    return True


def _other_trade(
    aligned: Sequence[tuple[Token, Token, float, float]],
    un_q: Sequence[Token],
    un_l: Sequence[Token],
) -> bool:
    """The identifying words the names share are all common words of ordinary English
    (``common_words``), and the query carries a word the listed name lacks that is no
    misspelling of a listed word left out ("Wave Tech Comupters" / WAVE TECH COMPUTERS is
    a typo, "Silver Planet" / SILVER TECHNOLOGY another party): a word of trade, or with
    ``other_trade_any_word`` any identifying word (an ordinary word or a number; not a word
    for a kind of organisation, which translations swap)."""
    any_word = TUNABLES.other_trade_any_word > 0
    kind_word = TUNABLES.other_trade_any_word > 1
    # the cheap tests first (this runs for many scored names): what the query says
    said = [
        t
        for t in un_q
        if _trade_word(t)
        or (any_word and t.substantive)
        or (kind_word and t.cls is TokenClass.GENERIC and t.text in ORGANISATION)
    ]
    if not said:
        return False
    threshold = TUNABLES.common_word_zipf
    if threshold > 0.0 and not all(
        is_common(b.word, threshold) for a, b, _, _ in aligned if a.substantive and b.substantive
    ):
        return False
    # a word for a kind of organisation counts against a listed word that is not one
    # ("Silver Bay Enterprises" / SILVER BAY PARTNERS), never against another (research
    # institute / academy: translations swap them)
    other_kind = kind_word and any(_descriptive(u) and u.text not in ORGANISATION for u in un_l)
    return any(
        (_trade_word(t) or (any_word and t.substantive) or other_kind)
        and not any(word_similarity(t.word, u.word) > 0.0 for u in un_l)
        for t in said
    )


def _is_place(t: Token) -> bool:
    return t.text in LOCATIONS or bool(place_countries(t.text))


def person_like(tokens: Sequence[Token]) -> bool:
    """A name shaped like a person's: ordinary words and initials only (no legal form,
    generic word or number)."""
    return all(
        (t.cls is TokenClass.ORDINARY and not t.promoted) or t.cls is TokenClass.INITIAL
        for t in tokens
    )


def initials_may_stand(tokens: Sequence[Token]) -> bool:
    """A name where an initial may stand for a given name: shaped like a person's, name
    particles allowed ("Muhamad Fazil bin Khalid", "Ammar al-Mounjad")."""
    return all(
        (t.cls is TokenClass.ORDINARY and not t.promoted)
        or t.cls is TokenClass.INITIAL
        or (t.cls is TokenClass.GENERIC and t.text in PARTICLES)
        for t in tokens
    )


def _trade_word(t: Token) -> bool:
    """A generic word that says what the party does ("software", "shipping", "bank"): not
    where it is, not what kind of organisation it is ("institute", "group"), and not a word
    standing in for a name made only of generic words."""
    return (
        t.cls is TokenClass.GENERIC
        and not t.promoted
        and t.text not in LOCATIONS
        and t.text not in PARTICLES
        and t.text not in ORGANISATION
    )


def _descriptive(t: Token) -> bool:
    """A word that says what the listed party is (not its legal form or location)."""
    if t.cls is TokenClass.ORDINARY or t.cls is TokenClass.NUMBER:
        return True
    return t.cls is TokenClass.GENERIC and t.text not in LOCATIONS and t.text not in PARTICLES


def score_names(
    query: Sequence[Token], listed: Sequence[Token], weights: TokenWeights
) -> NameMatch:
    """Order-free weighted alignment of two token sequences."""
    return score_prepared(prepare(query, weights), prepare(listed, weights), weights)


def _lower(score: float, penalty: float, thresholds: Thresholds) -> float:
    """Lower a score for contradicting context, but never out of the alert band: a strong
    name match must stay an alert whatever the other fields say (a second establishment
    abroad, a typo in the country). Review-level matches may drop below review."""
    if score >= thresholds.alert:
        return max(score - penalty, thresholds.alert)
    return score - penalty


@dataclass(frozen=True, slots=True)
class Context:
    """Agreement of the non-name fields: 'agree', 'disagree', 'partial' or 'unknown'.

    ``kind_conflict`` names a contradiction between what the party is and what the entry is
    (a company with a legal form against a listed vessel or person), or is ``None``.
    """

    country: str = "unknown"
    address: str = "unknown"
    kind_conflict: str | None = None


def final_score(
    name_score: float,
    context: Context,
    thresholds: Thresholds,
    *,
    weak_alias: bool,
    generic_only: bool = False,
    lone_word: bool = False,
    other_trade: bool = False,
    says_more: bool = False,
) -> tuple[float, tuple[str, ...]]:
    """Name score plus context adjustments, each recorded as ``'reason: +0.0000'``.

    Disagreement lowers a score inside its band only: a country typo or a second
    establishment abroad must never hide a strong name match.

    ``says_more``: the company's name (``context.kind_conflict``) has words the listed
    vessel's or person's name lacks (:func:`company_says_more`).
    """
    adjustments: list[str] = []
    score = name_score
    reserve = TUNABLES.corroboration_reserve * name_score
    score -= reserve
    adjustments.append(f"uncorroborated name reserve: {-reserve:+.4f}")
    if context.country == "agree":
        score += TUNABLES.country_agree
        adjustments.append(f"country agrees: {TUNABLES.country_agree:+.4f}")
    if context.address == "agree":
        score += TUNABLES.address_agree
        adjustments.append(f"address agrees: {TUNABLES.address_agree:+.4f}")
    elif context.address == "partial":
        score += TUNABLES.address_partial
        adjustments.append(f"address partly agrees: {TUNABLES.address_partial:+.4f}")
    score = min(score, 1.0)
    if other_trade:
        score -= TUNABLES.other_trade
        adjustments.append(f"one word in common, trades differ: {-TUNABLES.other_trade:+.4f}")
    if context.country == "disagree":
        lowered = _lower(score, TUNABLES.country_disagree, thresholds)
        adjustments.append(f"country disagrees: {lowered - score:+.4f}")
        score = lowered
    if context.kind_conflict is not None:
        # not a country slip: a company is not the listed vessel or person, so review at most
        lowered = min(score - TUNABLES.kind_conflict, round(thresholds.alert - 0.0001, 4))
        adjustments.append(f"{context.kind_conflict}: {lowered - score:+.4f}")
        score = lowered
        if says_more:
            score -= TUNABLES.kind_conflict_more
            adjustments.append(
                f"the company's name says more than the listed name: "
                f"{-TUNABLES.kind_conflict_more:+.4f}"
            )
    if generic_only and context.country != "agree" and score >= thresholds.alert:
        capped = round(thresholds.alert - 0.0001, 4)
        adjustments.append(f"generic name, country not corroborating: {capped - score:+.4f}")
        score = capped
    if lone_word and context.country != "agree" and score >= thresholds.alert:
        capped = round(thresholds.alert - 0.0001, 4)
        adjustments.append(
            f"one distinctive word, party's legal form not listed, country not corroborating: "
            f"{capped - score:+.4f}"
        )
        score = capped
    if weak_alias and score >= thresholds.alert:
        capped = round(thresholds.alert - 0.0001, 4)
        adjustments.append(f"weak alias, review at most: {capped - score:+.4f}")
        score = capped
    return max(0.0, score), tuple(adjustments)


def common_word_added_to(match: NameMatch) -> bool:
    """The listed name is one common word of English and legal forms (``common_whole_zipf``:
    OOO PARTNER 4.6, JSC STAR 5.2, BEST), all of it in the query, and the query says what
    the party does besides (a word of trade or another word: "Star Commercial Ltd.", "Best
    Power Technology Ltd"): one everyday word in common is no finding (``other_trade``). The
    name with legal forms only ("Star Ltd") is not touched."""
    threshold = TUNABLES.common_whole_zipf
    if threshold <= 0.0 or any(t.cls is not TokenClass.LEGAL for t in match.unmatched_listed):
        return False
    named = [b for _, b, _, _ in match.aligned if b.cls is not TokenClass.LEGAL]
    if len(named) != 1:
        return False
    word = named[0]
    return (
        word.cls is TokenClass.ORDINARY
        and not word.promoted
        and len(word.text) > 3
        and any(_trade_word(t) or t.substantive for t in match.unmatched_query)
        and is_common(word.word, threshold)
    )


def company_says_more(match: NameMatch, person: bool) -> bool:
    """A company's name that says more than the listed vessel's, aircraft's or person's name
    it shares words with: a word of its own besides legal forms ("Alpha Automation s.r.o."
    is no vessel ALPHA, "Fritz Software GmbH" no person called FRITZ). A listed person's
    name of two or more words found whole stays (a sole trader's business carries its
    owner's name: "Viktor Bout Trading LLC")."""
    if not any(t.cls is not TokenClass.LEGAL for t in match.unmatched_query):
        return False
    whole = not match.unmatched_listed and len(match.aligned) > 1
    return not (person and whole)


def evidence(
    match: NameMatch,
    context: Context,
    adjustments: tuple[str, ...],
    dropped: tuple[str, ...] = (),
) -> Evidence:
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
        dropped=dropped,
    )
