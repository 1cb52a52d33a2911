"""Issue 16, section 2 (fourth round): abbreviations that stay identifying words, legal-form
phrases written with abbreviations, "of"/"and" run into company words, and legal-form
acronyms run into the name. Examples are Entity List names of the 2026 CSL under the
treatments of ``benchmarks/treatments.py``; the negative cases pin what must stay apart."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from compliance.screening.normalize import TokenClass, normalize_name, normalize_text
from compliance.screening.vocabulary import GENERIC, PHRASE_ABBREVIATIONS, SPELLED_OUT

from .scoring import TH, name_score


def classes(name: str) -> list[tuple[str, str]]:
    return [(t.text, t.cls.value) for t in normalize_name(name).tokens]


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("JSC Volsk Mech Plant", "JSC Volsk Mechanical Plant"),
        ("Adv. Research Foundation", "Advanced Research Foundation"),
        ("Nanjing Guosheng Electron", "Nanjing Guosheng Electronics"),
        ("Majidco Micro Elect.", "Majidco Micro Electronics"),
        ("Shenzhen Nanfei Micro-Electron. Co., Ltd.", "Shenzhen Nanfei Micro-electronic Co., Ltd."),
        ("Research and Production Assn. Volna", "Research and Production Association Volna"),
        ("Scientific Production Assoc. Strela", "Scientific Production Association Strela"),
    ],
)  # fmt: skip
def test_abbreviated_company_words_fold_to_the_written_out_name(short: str, full: str) -> None:
    assert normalize_text(short) == normalize_text(full)


def test_spelled_out_abbreviations_stay_identifying_words() -> None:
    # "Advanced" and "Mechanical" identify a party too often to be generic words (the T5
    # missing_token treatment lost names when they were): their abbreviations fold to them,
    # and the token stays ordinary, weighed by its rarity
    assert SPELLED_OUT["mech"] == "mechanical" and SPELLED_OUT["adv"] == "advanced"
    assert not {"mechanical", "advanced"} & GENERIC
    assert classes("Adv Technologies") == [("advanced", "ordinary"), ("tech", "generic")]
    assert normalize_name("Volsk Mech").tokens[1].word == "mech"  # written form kept


def test_phrase_abbreviations_are_abbreviations_of_phrase_words() -> None:
    assert PHRASE_ABBREVIATIONS["assn"] == "association"
    assert PHRASE_ABBREVIATIONS["resrch"] == "research"
    # a full word of another meaning is no abbreviation of a phrase word
    assert "products" not in PHRASE_ABBREVIATIONS and "associates" not in PHRASE_ABBREVIATIONS
    # the abbreviation alone is still the generic word, not a legal form
    assert classes("Volna Assn") == [("volna", "ordinary"), ("assoc", "generic")]


@pytest.mark.parametrize(
    ("merged", "listed"),
    [
        ("HarbinInstituteof Technology", "Harbin Institute of Technology"),
        ("Chinese Academy of Sciences, InstituteofPhysics",
         "Chinese Academy of Sciences, Institute of Physics"),
        ("YuxinScienceand Technology", "Yuxin Science and Technology"),
        ("Ryazan PlantofCeramic Devices", "Ryazan Plant of Ceramic Devices"),
        ("CASInstituteof Optics", "CAS Institute of Optics"),
        ("Feodosiyske Company fortheOil", "Feodosiyske Company for the Oil"),
        ("PortofYalta", "Portof Yalta"),
        ("Beijing RadioMeasurementand Testing", "Beijing Radio Measurementand Testing"),
    ],
)  # fmt: skip
def test_of_and_run_into_a_company_word_are_split(merged: str, listed: str) -> None:
    assert normalize_text(merged) == normalize_text(listed)


@pytest.mark.parametrize(
    "name",
    ["IslandTech", "GrandTech", "HollandAir", "ThailandTrade", "WaterProofTech",
     "SwitzerlandTrade", "DisneylandTours"],
)  # fmt: skip
def test_names_ending_in_and_are_not_split(name: str) -> None:
    # the stem before "and"/"of" is short, a "-land" word or no known word: kept whole
    first = normalize_text(name).split()[0]
    assert first.startswith(
        ("island", "grand", "holland", "thailand", "waterproof", "switzerland", "disneyland")
    ), first


@pytest.mark.parametrize(
    ("merged", "listed"),
    [
        ("JSCNPPTopaz", "JSC NPP Topaz"),
        ("OOONPKOptolink", "OOO NPK Optolink"),
        ("PAONPOStrela", "PAO NPO Strela"),
        ("JSCConcernVega", "JSC Concern Vega"),
        ("AOOKBElektroavtomatika", "AO OKB Elektroavtomatika"),
        ("AONIIGirikond", "AO NII Girikond"),
        ("AOGruppa Kremny", "AO Gruppa Kremny"),
    ],
)
def test_legal_form_acronyms_run_into_the_name_are_split(merged: str, listed: str) -> None:
    assert normalize_text(merged) == normalize_text(listed)
    assert name_score(merged, listed) >= TH.alert


@pytest.mark.parametrize(
    "name", ["BZKTAlmaz", "IRGCResearch", "SMCPrivate", "NUDTLab", "AGTech", "ASTech"]
)
def test_other_capitals_before_a_word_stay_with_it(name: str) -> None:
    # capitals that are not wholly legal-form or company acronyms are the name's own
    first = normalize_name(name).tokens[0]
    assert first.cls is TokenClass.ORDINARY and first.text.startswith(name[:3].lower())


_PIECES = st.sampled_from(
    ["JSC", "NPP", "Instituteof", "Scienceand", "Topaz", "Harbin", "Mech", "Adv", "Assn", "of",
     "Electron", "Micro", "Elect", "Island", "Tech", " ", "-", "."]
)  # fmt: skip


@given(st.lists(_PIECES, min_size=1, max_size=8).map("".join))
@example("JSCNPPInstituteofTopaz")
@example("AdvMech Assn")
@example("MicroElectronof")
def test_new_rules_keep_normalisation_idempotent(name: str) -> None:
    once = normalize_text(name)
    assert normalize_text(once) == once


@pytest.mark.parametrize(
    ("split", "listed"),
    [
        # the listed name itself misspells the legal-form word; both read as the form
        ("Obshchestvo S Organichennio Oty etstvennostyu Analiticheskaya Maufaktura",
         "Obshchestvo S Organichennio Otyetstvennostyu Analiticheskaya Maufaktura"),
        ("IFD Ka pital", "IFD Kapital"),
    ],
)  # fmt: skip
def test_a_split_misspelt_known_word_is_rejoined(split: str, listed: str) -> None:
    assert normalize_text(split) == normalize_text(listed)


def test_two_known_pieces_are_not_rejoined_through_a_misspelling() -> None:
    # "Trade" and "Tech" are known words: never read together as another word
    assert normalize_text("Trade Tech Zorbix") == "trading tech zorbix"


def test_a_word_split_off_joins_its_neighbour_in_one_pass() -> None:
    # found by the thorough Hypothesis profile: "Electronof" split to "electron of" left
    # "micro elec", which a second normalisation joined to "microelectronics"
    assert normalize_text("MicroElectronof") == "microelectronics"
    assert normalize_text("Micro Electronicsof Foo") == "microelectronics foo"
