"""Every number the scorer is tuned with, declared once, each with what it is for.

Before (issue 16, section 8) these were module constants spread over ``score.py``,
``screener.py`` and ``index.py``. They are data about the matcher, as nomenklatura declares
its matcher features, so they live in one frozen object with a one-line description each
(:func:`describe` lists them, docs/matching.md prints the table). The scorer, the pruning test
of the Screener and the blocking keys read them from :data:`TUNABLES`; changing one changes
results, so the library version (and the ``weights_id`` epochs of stored results) must move
with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


def _t(value: float, description: str) -> float:
    return field(default=value, metadata={"description": description})


def _n(value: int, description: str) -> int:
    return field(default=value, metadata={"description": description})


@dataclass(frozen=True, slots=True)
class ScoringTunables:
    """The scorer's weights, costs, caps and context adjustments (defaults are the tuned
    values; the quality harness, benchmarks/quality.py, measures any change)."""

    # word weights
    legal_weight: float = _t(0.05, "weight of a legal-form token (supports, never identifies)")
    generic_weight: float = _t(0.1, "weight of a generic word (industry word, place, particle)")
    initial_weight: float = _t(0.25, "weight of a one-letter initial")
    number_weight: float = _t(1.0, "weight of a number (numbers agree exactly or not at all)")
    min_ordinary_weight: float = _t(0.1, "floor of an ordinary word's rarity weight")
    short_word_factor: float = _t(0.6, "rarity weight factor of a word of one or two letters")
    min_corpus: int = _n(20_000, "a list is weighed as if it had at least this many names")
    # similarity of two words
    skeleton_similarity: float = _t(0.95, "similarity of two words with the same skeleton")
    min_skeleton: int = _n(
        3, "different words pair by skeleton only if both skeletons are this long"
    )
    scheme_similarity: float = _t(
        0.9,
        "similarity of two words that differ only by the romanisation scheme of the Cyrillic "
        "(a romanisation.scheme_keys key in common, e.g. Druzhba / Druschba) and pair no other way",
    )
    initial_similarity: float = _t(0.5, "similarity of an initial and a word it begins")
    long_word: int = _n(10, "shorter word + 1 this long: two edits allowed (else one, or none <4)")
    # alignment
    extra_query: float = _t(0.8, "cost factor of a query word left unpaired")
    extra_listed: float = _t(0.2, "cost factor of a listed word left unpaired")
    extra_word_cap: float = _t(
        0.25, "most a query word left unpaired weighs (before extra_query): rare words added"
    )
    contained_cost: float = _t(
        0.2,
        "the whole listed name found in the query, in order: its unpaired words cost at most "
        "this share of the listed name's weight (review: 1 / 1.2)",
    )
    contained_similarity: float = _t(
        0.8, "... when each of its identifying words pairs a query word at least this similar"
    )
    contained_max_added: int = _n(2, "... when the query adds this many identifying words at most")
    contained_generic_words: int = _n(
        3, "... and a listed name made only of generic words has this many words at least"
    )
    contained_min_letters: int = _n(
        4,
        "... and the listed name has this many letters at least (an acronym MSC or SE inside "
        "an ordinary name is no finding; a listed name of one word that is a common English "
        "word, contained_one_word_zipf, is not found whole either: UNITED in 'United Rentals')",
    )
    contained_one_word_zipf: float = _t(
        3.5,
        "... and a listed name of one word (legal forms aside) is found whole only if it is "
        "rarer than this in ordinary English (wordfreq Zipf: OFFSHORE 3.9, APEX 3.7; "
        "'huawei' 3.3, 'hikvision' 1.4; 0: no such gate)",
    )
    number_mismatch: float = _t(0.7, "score factor when both sides keep different numbers")
    initial_listed_cap: float = _t(
        0.25,
        "most a listed word left unpaired weighs when a query initial stands for a given name "
        "(middle names 'N Maduro' leaves out)",
    )
    initial_mismatch: float = _t(0.8, "score factor when both sides keep different initials")
    unsubstantiated_cap: float = _t(0.6, "cap when no ordinary word or number agrees")
    thin_evidence: float = _t(0.75, "identifying words agreeing must weigh this much ...")
    thin_cap: float = _t(0.9, "... else the name alone is capped here (review at most)")
    lone_word_max: int = _n(
        1, "this few distinctive words agree, party's own legal form unlisted: review at most"
    )
    other_trade_max_words: int = _n(
        2,
        "this few distinctive words agreeing, all common English words, other words on both "
        "sides: other_trade (0: off)",
    )
    other_trade: float = _t(0.1, "taken off such a name (one shared word, trades differ)")
    common_word_zipf: float = _t(
        4.0,
        "other_trade only where each shared word is this common in ordinary English (wordfreq "
        "Zipf: 'rocket' 4.3, 'silver' 4.8; brands 'huawei' 3.3, 'hikvision' 1.4; 0: any word)",
    )
    common_whole_zipf: float = _t(
        4.5,
        "a listed name of one word this common in ordinary English (and legal forms), found "
        "with a word of trade or another word added, takes other_trade ('Star Commercial Ltd' "
        "/ JSC STAR; 0: off)",
    )
    other_trade_short: int = _n(
        0, "a shared word this short needs no other listed word for other_trade (0: off)"
    )
    other_trade_any_word: int = _n(
        2,
        "what the query must say that the listed name lacks, for other_trade (never a "
        "misspelling of a listed word left out): 0 a word of trade; 1 or any ordinary word "
        "or number; 2 or a word for a kind of organisation against a listed word that is not one",
    )
    # legal forms
    min_misspelt_legal: int = _n(
        4,
        "letters a misspelt legal-form phrase word keeps (the intended one 5+; one letter "
        "left out: 'Joint Stck Company')",
    )
    # spacing
    max_split_fragment: int = _n(
        3, "letters of a split-word piece the word 'et' is glued to ('Tic ar et', 'Kuzn et sov')"
    )
    # context
    corroboration_reserve: float = _t(0.03, "share of a bare name score kept for corroboration")
    country_agree: float = _t(0.02, "added when the party's country is one of the entry's")
    country_disagree: float = _t(0.08, "taken off (inside the band) when the country differs")
    address_agree: float = _t(0.01, "added when 2+ address words agree")
    address_partial: float = _t(0.005, "added when one address word agrees")
    kind_conflict: float = _t(0.05, "taken off for a company against a listed person/vessel")
    kind_conflict_more: float = _t(
        0.1,
        "taken off as well when the company's name has words besides its legal form that "
        "the listed vessel's or person's name lacks ('Alpha Automation s.r.o.' / vessel ALPHA)",
    )
    # blocking keys (must agree with the edit budget of long_word)
    long_skeleton: int = _n(8, "skeletons this long also get two-deletion keys")
    long_text: int = _n(9, "written words this long also get two-deletion keys")

    @property
    def max_bonus(self) -> float:
        """The most the context can add to a name score (country and address agree)."""
        return self.country_agree + self.address_agree


TUNABLES = ScoringTunables()


def describe(tunables: ScoringTunables = TUNABLES) -> list[tuple[str, float, str]]:
    """``(name, value, description)`` of every tunable, in declaration order."""
    return [
        (f.name, getattr(tunables, f.name), str(f.metadata["description"]))
        for f in fields(tunables)
    ]
