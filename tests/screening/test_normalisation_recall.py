"""Recall rules of the fourth matcher round: the last normalisation-only misses of the 2026
Entity List (issue #2, section 7). Every example is a listed name, or its treatment by
``benchmarks/treatments.py``, from the measured miss list; the negative cases pin what must
stay apart (typos that look like a rule's signal)."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from compliance.screening.index import blocking_keys
from compliance.screening.normalize import (
    TokenClass,
    normalize_name,
    normalize_text,
    rejoined_runs,
)
from compliance.screening.results import Party
from compliance.screening.screener import Screener
from compliance.screening.transliterate import skeleton

from .listdata import entry, snapshot
from .scoring import TH, name_score


def texts(name: str) -> list[str]:
    return [t.text for t in normalize_name(name).tokens]


# --- three words written as one -------------------------------------------------------------

RUNS = [
    (
        "FSUE Rostov-On-Don Scientific Research Institute of Radio Communications",
        "FSUE RostovOnDon Scientific Research Institute of Radio Communications",
    ),
    (
        "FGUP Rostovski-Na-Donu Nauchno-Issledovatelski Institut Radiosvyazi",
        "FGUP RostovskiNaDonu NauchnoIssledovatelski Institut Radiosvyazi",
    ),
    ("AO BZKT-Almaz-Antey", "AO BZKTAlmazAntey"),
    (
        "Institut Giprostroimost-Sankt-Peterburg, ZAO",
        "Institut GiprostroimostSanktPeterburg ZAO",
    ),
    ("Jawid, Sa'id Jan 'Abd-al-Salam", "Jawid Said Jan AbdalSalam"),
    ("A-Level Aerosystems", "A-LevelAerosystems"),
    ("Union Trade Turkey Mak.Ith.Ve Ihr. Ltd", "Union Trade Turkey MakIthVe Ihr Ltd"),
]


@pytest.mark.parametrize(("listed", "query"), RUNS)
def test_three_listed_words_written_as_one_meet(listed: str, query: str) -> None:
    assert name_score(query, listed) >= TH.alert
    assert name_score(listed, query) >= TH.alert  # and the other way round
    assert blocking_keys(query) & blocking_keys(listed)


def test_a_three_word_run_is_keyed_by_its_joined_skeleton() -> None:
    runs = rejoined_runs(normalize_name("Rostov-On-Don Radio").tokens)
    assert (0, 3, skeleton("rostovondon")) in runs
    assert skeleton("rostovondon") in blocking_keys("Rostov-On-Don Radio")


def test_short_runs_rejoin_with_the_same_letters() -> None:
    # "P.AD" -> "p ad", written "PAD"; "Yo-so'p" -> "yo sop", written "Yo so p"; "3-K"
    assert name_score("PAD Ltd", "P.AD Ltd.") >= TH.alert
    assert name_score("Yo so p Ch oe", "Yo-so'p Ch'oe") >= TH.alert
    assert name_score("3K Semiconductors Limited", "3-K Semiconductors Limited") >= TH.alert
    assert blocking_keys("3K Semiconductors") & blocking_keys("3-K Semiconductors")


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # short skeletons fold unrelated letters together: below four letters a run meets
        # a word only with the same letters (false alerts of GLEIF/SEC names otherwise)
        ("Mr.Z Software AB", "MRS GmbH"),  # "mrz" / "mrs"
        ("ENI SPA", "ZHEN I"),  # "eni" / "zhen" + "i"
        ("LCC Manufacturing SL", "LLC TSTS"),  # "lcc" / "llc" + "tsts"
        ("E en D Software", "INDUSTRIX"),  # "e" + "en" + "d" / "ind"
        ("K3 Commercial Pty Ltd", "3-K Electronics Limited"),  # "k3" / "3" + "k"
    ],
)
def test_short_runs_do_not_meet_by_skeleton(query: str, listed: str) -> None:
    assert name_score(query, listed) < TH.review


_SYLLABLE = st.sampled_from(["bar", "dok", "gim", "kav", "lut", "mez", "nor", "pil", "rud", "zev"])
# two syllables each: no word is two others run together, so a run has one reading
_WORD = st.lists(_SYLLABLE, min_size=2, max_size=2).map("".join)


@given(st.lists(_WORD, min_size=3, max_size=6, unique=True), st.data())
def test_any_two_or_three_neighbouring_words_run_together_still_match(
    words: list[str], data: st.DataObject
) -> None:
    """Invariant: writing two or three neighbouring identifying words as one keeps a shared
    blocking key and an exact score, whichever words they are."""
    listed = " ".join(w.capitalize() for w in words)
    tokens = normalize_name(listed).tokens
    assume(len(tokens) == len(words) and all(t.cls is TokenClass.ORDINARY for t in tokens))
    size = data.draw(st.integers(2, 3))
    start = data.draw(st.integers(0, len(words) - size))
    glued = [*words[:start], "".join(words[start : start + size]), *words[start + size :]]
    query = " ".join(glued)
    assume(len(normalize_name(query).tokens) == len(glued))
    assert blocking_keys(query) & blocking_keys(listed)
    assert name_score(query, listed) >= TH.alert


# --- legal forms, initials and numbers run into words --------------------------------------

SAME = [
    # a legal-form word on one side of a case boundary
    (
        "Kalinin Machine-Building Plant OpenJoint-Stock Company",
        "Kalinin Machine-Building Plant Open Joint-Stock Company",
    ),
    ("Aktsionernoe ObschchestvoEirburg", "Aktsionernoe Obschchestvo Eirburg"),
    ("AR SalesPrivat Ltd", "AR Sales Privat Ltd"),
    ("Seljuk Traders SMCPrivate Limited", "Seljuk Traders (SMC-Private) Limited"),
    # the "Joint-Stock" form written without "Company"
    ("Private Joint-Stock Mako Holding", "Private Joint-Stock Company Mako Holding"),
    # initials run into a word, into "and", into an "X&Y" abbreviation; "M/S" glued
    ("C & ISemiconductor Co., Ltd.", "C & I Semiconductor Co., Ltd."),
    ("Eand I Systems FZE", "E and I Systems FZE"),
    ("JSC LEMZR&P Corporation", "JSC LEMZ R&P Corporation"),
    ("M/STROJANS", "M/S TROJANS"),
    # a capitalised "Et" ending a word
    ("Abou JoundiEt Kheir", "Abou Joundi Et Kheir"),
]


@pytest.mark.parametrize(("query", "listed"), SAME)
def test_run_together_variants_normalise_like_the_listed_name(query: str, listed: str) -> None:
    assert normalize_text(query) == normalize_text(listed)


@pytest.mark.parametrize(
    ("typo", "written"),
    [
        # two letters swapped: "o" + "Cmpany" is not a word and a legal form
        ("Limited Liability oCmpany Okb Uzga", "Limited Liability Company Okb Uzga"),
        ("Aktsionernoe bOshchestvo Gazmash", "Aktsionernoe Obshchestvo Gazmash"),
        ("Federal State nUitary Enterprise Crimean Railway", "FSUE Crimean Railway"),
        # a doubled capital: "J" + "Joint" is not an initial and a legal-form word
        ("Open JJoint-Stock Company Kalinin", "Open Joint-Stock Company Kalinin"),
    ],
)
def test_typos_at_a_case_boundary_are_not_split(typo: str, written: str) -> None:
    folded = normalize_name(typo)
    assert all(t.cls is not TokenClass.INITIAL for t in folded.tokens), folded.text
    assert folded.text == normalize_text(written)


def test_bare_joint_stock_inside_a_name_stays_words() -> None:
    # "Voronezh Joint Stock Aircraft Company": only the full form, or one led by
    # Open/Closed/Public/Private, is the legal form
    assert "joint" in texts("Voronezh Joint Stock Aircraft Company")
    assert texts("Open Joint-Stock Oil and Gas Company Syzran")[0] == "ojsc"


_PIECES = st.sampled_from(
    ["Open", "Joint", "Stock", "Private", "Privat", "SMC", "I", "Semiconductor", "3", "K", "5",
     "y", "and", "Et", "M/S", "R&P", "LEMZ", "Obschchestvo", "Eirburg", "Port", "of"]
)  # fmt: skip
_GLUE = st.sampled_from(["", " ", "-", "/", "&", ". "])


@given(st.lists(st.tuples(_PIECES, _GLUE), min_size=1, max_size=6))
@example([("Open", "-"), ("I", ""), ("I", ""), ("I", "")])  # "Open-III": suffix after a hyphen
@example([("Open", " "), ("I", " "), ("I", " "), ("I", "")])  # "Open I I I": letters joined
@example([("K", ""), ("and", "&"), ("SMC", "")])  # "Kand&SMC": "smc" split after the "and" rule
def test_new_rules_are_idempotent(parts: list[tuple[str, str]]) -> None:
    name = "".join(p + g for p, g in parts)
    once = normalize_text(name)
    assert normalize_text(once) == once


# --- a glued "and"/"of"/"et" on a word one edit from a listed word --------------------------


@pytest.fixture(scope="module")
def glued_screener() -> Screener:
    return Screener(
        [
            snapshot(
                entry("P1", "Port of Feodosia"),
                entry("P2", "Porto Trading"),  # "Portof" is one edit from "porto"
                entry("L1", "Lab of Information Optics"),
                entry("L2", "Labor Union Optics"),
                entry("S1", "Svyaz and NPP Svyaz"),
                entry("S2", "Shazand Petrochemical"),
                entry("O1", "Open Joint-Stock Oil and Gas Company Syzran"),
                entry("E1", "Centre d'Etudes et de Recherches Scientifiques (CERS)"),
                entry("D1", "Damavand Trading"),
                entry("A1", "SADAF"),
                entry("A2", "SAD"),
            )
        ]
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Portof Feodosia", "P1"),
        ("Labof Information Optics", "L1"),
        ("Svyazand NPP Svyaz", "S1"),
        ("Open Joint-Stock Oiland Gas Company Syzran", "O1"),
        ("Centre d'Etudeset de Recherches Scientifiques (CERS)", "E1"),
    ],
)
def test_glued_tail_is_split_when_the_stem_is_listed(
    glued_screener: Screener, query: str, expected: str
) -> None:
    hits = glued_screener.screen(Party(name=query)).hits
    assert hits and hits[0].entry_id == expected


def test_glued_tail_is_kept_on_a_listed_word_or_a_three_letter_stem(
    glued_screener: Screener,
) -> None:
    damavand = glued_screener.screen(Party(name="Damavand Trading"))
    assert damavand.hits[0].evidence.aligned[0].query == "damavand"
    # "Sadof" is a typo of the listed "SADAF" more likely than "Sad" + "of"
    sadof = glued_screener.screen(Party(name="SADOF"))
    assert [h.entry_id for h in sadof.hits] == ["A1"]


# --- the pruning bound still holds with three-word runs ------------------------------------


@pytest.mark.pure_only
def test_pruning_keeps_every_hit_of_a_three_word_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """A word standing for three listed words gets two join credits in the pruning test:
    results equal scoring every reached name."""
    from compliance.screening.score import Prepared, token_similarity

    listed = snapshot(
        *(entry(f"R{i}", listed) for i, (listed, _) in enumerate(RUNS)),
        entry("X1", "Rostov Radio Plant"),
        entry("X2", "Almaz Antey Air and Space Defence Corporation"),
    )
    queries = [q for _, q in RUNS] + ["RostovOnDon Radio", "AlmazAntey", "BZKTAlmaz Antey"]
    pruned = Screener([listed])
    expected = [pruned.screen(Party(name=q)).model_dump_json() for q in queries]
    exhaustive = Screener([listed])
    reach = exhaustive._index.reach

    def every_reached(tokens: object, prepared: Prepared) -> list[int]:
        cut = 0.8 * exhaustive._ratio
        weight = exhaustive._weights.weight
        found = reach(tokens, weight, token_similarity, cut, 1.0, prepared.joins)  # type: ignore[arg-type]
        return sorted(set(found.names.tolist()) | found.always)

    monkeypatch.setattr(exhaustive, "_survivors", every_reached)
    got = [exhaustive.screen(Party(name=q)).model_dump_json() for q in queries]
    assert sum('"hits":[]' not in r for r in expected) >= len(RUNS)
    assert got == expected
