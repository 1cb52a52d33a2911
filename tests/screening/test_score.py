"""Scoring: rare words decide, generic words and legal forms only support, context adjusts."""

from __future__ import annotations

from hypothesis import assume, example, given
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from compliance.screening.normalize import TokenClass, normalize_name
from compliance.screening.score import (
    Context,
    final_score,
    score_names,
    token_similarity,
)
from compliance.screening.tunables import TUNABLES

from .scoring import TH, WEIGHTS, name_score


def tok(word: str):  # type: ignore[no-untyped-def]
    return normalize_name(word).tokens[0]


def test_identical_names_score_one() -> None:
    assert name_score("Zeta Photonics GmbH", "ZETA PHOTONICS G.m.b.H.") == 1.0


def test_numbers_are_hard_tokens() -> None:
    # watchman #483: BELLETECH CORP scored 100 % against 11420 CORP.
    assert name_score("BELLETECH CORP", "11420 CORP.") < TH.review
    assert token_similarity(tok("11420"), tok("11421")) == 0.0
    assert name_score("Borealis Fund 8", "Borealis Fund 5") < TH.review


def test_single_shared_token_with_extra_rare_word_is_not_a_match() -> None:
    # watchman #338: "emma daniels" -> EMMA LLC at 100 %.
    assert name_score("EMMA DANIELS", "EMMA LLC") < TH.review


def test_legal_form_or_generic_only_overlap_never_reaches_review() -> None:
    assert name_score("A-B-C Company", "XYZ Company") < TH.review
    assert (
        name_score("Shenzhen Kolmogorov Technology Co Ltd", "Shenzhen Bogdanov Technology Co Ltd")
        < TH.review
    )
    assert (
        name_score("Apex Trading International Group", "Zenith Trading International Group")
        < TH.review
    )


def test_initials_only_overlap_never_reaches_review() -> None:
    assert name_score("J K Rowling", "J K Simmons") < TH.review
    assert name_score("J Smith", "K Smith") < TH.review


def test_abbreviated_entity_list_names_match() -> None:
    assert (
        name_score(
            "GUANGZHOU HAIGE COMM GRP", "Guangzhou Haige Communications Group Incorporated Company"
        )
        >= TH.alert
    )
    assert (
        name_score("CNOOC ENERGY TECH & SRVCES LTD", "CNOOC Energy Technology & Services Limited")
        >= TH.alert
    )


def test_order_and_spacing_do_not_matter() -> None:
    assert name_score("HAIGE GUANGZHOU", "Guangzhou Haige") == 1.0
    assert name_score("Hua Wei Technologies", "Huawei Technologies") == 1.0
    assert name_score("Al Qaida", "Al-Qaida") == 1.0
    assert name_score("Alqaida", "Al Qaida") == 1.0


def test_one_typo_stays_above_review_and_below_exact() -> None:
    exact = name_score("Kolmogorov Photonics", "Kolmogorov Photonics")
    typo = name_score("Kolmogorv Photonics", "Kolmogorov Photonics")
    assert TH.review <= typo < exact


def test_typo_in_generic_word_or_legal_form_is_tolerated() -> None:
    assert name_score("Elem Groop Inc", "Elem Group") >= TH.review
    assert name_score("Chimconnect GmbvH", "Chimconnect GmbH") >= TH.review


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=5, max_size=12), st.data())
def test_a_typo_never_raises_the_score(word: str, data: st.DataObject) -> None:
    listed = f"{word} photonics"
    i = data.draw(st.integers(min_value=0, max_value=len(word) - 1))
    c = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    treated = f"{word[:i]}{c}{word[i + 1 :]} photonics"
    assert name_score(treated, listed) <= name_score(listed, listed)


def test_short_words_with_one_consonant_skeleton_do_not_pair() -> None:
    # LKQ CORP alerted at 0.933 on the SDN name LKCK and CTS CORP on the CMIC name CCCC:
    # both sides reduce to the skeleton "lk" / "c", which said nothing about the words.
    assert token_similarity(tok("lkq"), tok("lkck")) == 0.0
    assert token_similarity(tok("cts"), tok("cccc")) == 0.0
    assert name_score("LKQ CORP", "LKCK") < TH.review
    assert name_score("CTS CORP", "CCCC") < TH.review


def test_a_skeleton_pair_of_different_words_scores_below_equal_words() -> None:
    # romanisation variants still pair, never as if they were the same written word
    shch = token_similarity(tok("shcherbakov"), tok("scherbakov"))
    assert 0.0 < shch <= TUNABLES.skeleton_similarity
    tsoi = token_similarity(tok("tsoi"), tok("coi"))
    assert 0.0 < tsoi <= TUNABLES.skeleton_similarity


_LETTERS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9)


@given(_LETTERS, _LETTERS)
@example("lkq", "lkck")
@example("cts", "cccc")
@example("zhou", "jou")
@example("a", "aaaa")
def test_two_different_words_never_score_as_equal(a: str, b: str) -> None:
    ka, kb = normalize_name(a).tokens, normalize_name(b).tokens
    assume(len(ka) == 1 and len(kb) == 1)  # not a stopword, not split in two
    ta, tb = ka[0], kb[0]
    s = token_similarity(ta, tb)
    assert s == token_similarity(tb, ta)
    if ta.text != tb.text:
        assert s <= TUNABLES.skeleton_similarity
        words = ta.cls is TokenClass.ORDINARY and tb.cls is TokenClass.ORDINARY
        if words and s > 0.0 and OSA.distance(ta.text, tb.text) > 2:
            # paired only through their skeletons: both must keep 3+ letters of it
            assert min(len(ta.skeleton), len(tb.skeleton)) >= TUNABLES.min_skeleton


def test_evidence_explains_alignment() -> None:
    match = score_names(
        normalize_name("BELLETECH CORP").tokens, normalize_name("11420 CORP.").tokens, WEIGHTS
    )
    assert [(a.text, b.text) for a, b, _, _ in match.aligned] == [("corp", "corp")]
    assert [t.text for t in match.unmatched_query] == ["belletech"]
    assert [t.text for t in match.unmatched_listed] == ["11420"]


def test_country_disagreement_never_hides_an_alert() -> None:
    for name in (1.0, 0.97, 0.95):
        plain, _ = final_score(name, Context(), TH, weak_alias=False)
        other, adj = final_score(name, Context(country="disagree"), TH, weak_alias=False)
        assert plain >= TH.alert
        assert other >= TH.alert
        assert other <= plain
        assert any(a.startswith("country disagrees") for a in adj)


def test_corroboration_raises_and_exact_uncorroborated_stays_below_one() -> None:
    bare, _ = final_score(1.0, Context(), TH, weak_alias=False)
    agreed, _ = final_score(1.0, Context(country="agree", address="agree"), TH, weak_alias=False)
    assert bare < agreed == 1.0


def test_weak_alias_reaches_review_at_most() -> None:
    score, adj = final_score(1.0, Context(country="agree"), TH, weak_alias=True)
    assert TH.review <= score < TH.alert
    assert any(a.startswith("weak alias") for a in adj)


@given(st.floats(min_value=0.0, max_value=1.0))
def test_context_adjustments_are_monotone(name: float) -> None:
    unknown, _ = final_score(name, Context(), TH, weak_alias=False)
    agree, _ = final_score(name, Context(country="agree"), TH, weak_alias=False)
    disagree, _ = final_score(name, Context(country="disagree"), TH, weak_alias=False)
    assert disagree <= unknown <= agree
    if unknown >= TH.alert:
        assert disagree >= TH.alert


def _match(query: str, listed: str):  # type: ignore[no-untyped-def]
    return score_names(normalize_name(query).tokens, normalize_name(listed).tokens, WEIGHTS)


def test_one_word_and_the_partys_own_legal_form_is_review_at_most() -> None:
    # SEC issuers that alerted name-only: "Opera Ltd" on SDN OPERA, "PPL Corp" on the SDN
    # alias PPL, "Orion S.A." on EL NPO Orion
    for query, listed in (("Opera Ltd", "OPERA"), ("PPL Corp", "PPL"), ("Orion S.A.", "NPO Orion")):
        match = _match(query, listed)
        assert match.lone_word, query
        assert match.score * (1 - TUNABLES.corroboration_reserve) >= TH.alert  # name alone
        score, adj = final_score(match.score, Context(), TH, weak_alias=False, lone_word=True)
        assert TH.review <= score < TH.alert
        assert any(a.startswith("one distinctive word") for a in adj)
        agreed, _ = final_score(
            match.score, Context(country="agree"), TH, weak_alias=False, lone_word=True
        )
        assert agreed >= TH.alert  # the party's country corroborates: alert again


def test_lone_word_needs_an_unlisted_legal_form_and_a_single_word() -> None:
    assert not _match("Carvana Co.", "CARVANA COMPANY").lone_word  # as listed
    assert not _match("Huawei Technologies", "Huawei Technologies Co., Ltd.").lone_word
    assert not _match("White Gold Corp.", "LLC WHITE GOLD").lone_word  # two words agree
    assert _match("Huawei Technologies Inc", "Huawei Technologies Co., Ltd.").lone_word


def test_a_brand_shared_with_a_listed_family_is_no_other_trade() -> None:
    # "Huawei" is a name, not a word of English (wordfreq Zipf 3.3 < common_word_zipf): the
    # subsidiary names of a listed family keep their review (other_trade was off until this
    # could be told apart)
    assert TUNABLES.other_trade_max_words >= 1
    assert TUNABLES.common_word_zipf > 3.3
    assert not _match("Huawei Digital Power Co., Ltd.", "Huawei Technologies Co., Ltd.").other_trade
    assert not _match(
        "Huawei Semiconductor Trading Ltd", "Huawei Technologies Co., Ltd."
    ).other_trade
    assert _match("SPRING SOFTWARE LIMITED", "SPRING SHIPPING LIMITED").other_trade


def test_one_shared_word_with_other_trades_on_both_sides_falls_below_review() -> None:
    for query, listed in (
        ("SPRING SOFTWARE LIMITED", "SPRING SHIPPING LIMITED"),
        ("LIBERTY STEEL CORPORATION", "LIBERTY SHIPPING CO LTD"),
        ("Rocket Software", "MINISTRY OF ROCKET INDUSTRY"),
        # any word the listed name lacks (other_trade_any_word), two common words shared
        ("Silver Planet Limited", "SILVER TECHNOLOGY LIMITED"),
        ("SILVER BAY INVESTMENT", "SILVER BAY PARTNERS FZE"),
    ):
        match = _match(query, listed)
        assert match.other_trade, query
        plain, _ = final_score(match.score, Context(), TH, weak_alias=False)
        score, adj = final_score(match.score, Context(), TH, weak_alias=False, other_trade=True)
        assert plain >= TH.review > score  # was a review
        assert any(a.startswith("one word in common, trades differ") for a in adj)


def test_other_trade_leaves_extra_words_and_missing_words_alone() -> None:
    # T5: an extra word of trade in the query, or a listed word left out, is not a conflict
    assert not _match("Kolmogorov Photonics Trading", "Kolmogorov Photonics").other_trade
    assert not _match("Kolmogorov", "Kolmogorov Photonics").other_trade
    assert not _match("Kolmogorov Bogdanov Trading", "Kolmogorov Bogdanov Photonics").other_trade
    assert not _match("Spring Shipping Software", "SPRING SHIPPING LIMITED").other_trade
    assert not _match("Silver Technology Trading Limited", "SILVER TECHNOLOGY LIMITED").other_trade
    assert not _match("Silver", "SILVER TECHNOLOGY LIMITED").other_trade  # nothing else said
    # a misspelt listed word is no other trade: "Wave Tech Comupters" is WAVE TECH COMPUTERS
    assert not _match("Wave Tech Comupters", "Wave Tech Computers").other_trade
    assert not _match("Allied Business oCncerns Ltd", "Allied Business Concerns Ltd").other_trade
    # words for a kind of organisation are swapped by translations, not trades:
    # 中国工程物理研究院 reads "China Engineering Physics Research Institute"
    assert not _match(
        "China Engineering Physics Research Institute", "Chinese Academy of Engineering Physics"
    ).other_trade


_LISTED_COMMON = (
    "SILVER TECHNOLOGY LIMITED",
    "SPRING SHIPPING LIMITED",
    "MINISTRY OF ROCKET INDUSTRY",
    "Nova Technologies Co. Ltd.",
    "SILVER BAY PARTNERS FZE",
    "LIBERTY SHIPPING CO LTD",
)
_ADDED = st.sampled_from(
    ("robotics", "software", "trading", "planet", "blue", "huawei", "zqxv", "group", "bank")
)


@given(st.sampled_from(_LISTED_COMMON), st.lists(st.tuples(_ADDED, st.integers(0, 6)), max_size=3))
def test_a_listed_name_with_words_added_is_never_other_trade(
    listed: str, added: list[tuple[str, int]]
) -> None:
    """Every listed word present (words added anywhere): the rule never applies, whatever
    the words shared ("listed name + added words" must review: docs/matching.md)."""
    words = listed.split()
    for word, at in added:
        words.insert(min(at, len(words)), word)
    assert not _match(" ".join(words), listed).other_trade
