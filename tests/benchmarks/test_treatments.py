"""Invariants of the treatment generators the quality harness is built on."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.treatments import (
    BY_NAME,
    MIX_TREATMENTS,
    RARE_WORDS,
    STACK_POOL,
    TREATMENTS,
    Family,
    NameContext,
    distinctive_word,
    romanise,
    split_pinyin,
    stack_two,
    to_cyrillic,
    treat_all,
)

# Names shaped like list entries: words of letters, sometimes punctuation and legal forms.
WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéü-", min_size=1, max_size=12
)
NAME = st.builds(
    lambda words, suffix: " ".join(words) + suffix,
    st.lists(WORD.filter(lambda w: w.strip("-")), min_size=1, max_size=6),
    st.sampled_from(["", " Co., Ltd.", " LLC", " & Sons", " JSC", ", Inc."]),
)
CTX = st.builds(
    NameContext,
    is_person=st.booleans(),
    countries=st.sampled_from([(), ("RU",), ("CN",), ("AE", "CN")]),
)
SEED = st.integers(min_value=0, max_value=2**32)

# Independent oracle for homoglyphs: Cyrillic/Greek letters drawn like a Latin letter
# (from the Unicode confusables data), written out here rather than taken from the module.
LOOKALIKE = {
    "а": "a", "с": "c", "е": "e", "і": "i", "ј": "j", "о": "o", "ο": "o", "р": "p", "ѕ": "s",
    "х": "x", "у": "y", "А": "A", "Α": "A", "В": "B", "Β": "B", "С": "C", "Е": "E", "Ε": "E",
    "Н": "H", "Η": "H", "І": "I", "Ι": "I", "Ј": "J", "К": "K", "Κ": "K", "М": "M", "Μ": "M",
    "Ν": "N", "О": "O", "Ο": "O", "Р": "P", "Ρ": "P", "Ѕ": "S", "Т": "T", "Τ": "T", "Х": "X",
    "Χ": "X", "Ү": "Y", "Υ": "Y", "Ζ": "Z",
}  # fmt: skip


def skeleton(text: str) -> str:
    """Drop format characters (zero-width, BOM, soft hyphen) and map look-alikes to Latin."""
    return "".join(LOOKALIKE.get(c, c) for c in text if unicodedata.category(c) != "Cf")


@settings(max_examples=200, deadline=None)
@given(NAME, SEED, CTX)
def test_every_treatment_is_deterministic_per_seed(name: str, seed: int, ctx: NameContext) -> None:
    assert treat_all(name, seed, ctx) == treat_all(name, seed, ctx)


@settings(max_examples=200, deadline=None)
@given(NAME, SEED, CTX)
def test_a_treatment_always_changes_the_string(name: str, seed: int, ctx: NameContext) -> None:
    for treated in treat_all(name, seed, ctx):
        if treated.family is Family.EXACT:
            assert treated.text == name
        else:
            assert treated.text != name, treated.treatment
            assert treated.text.strip()


@settings(max_examples=300, deadline=None)
@given(NAME, SEED)
def test_homoglyph_and_invisible_keep_the_skeleton(name: str, seed: int) -> None:
    for label in ("homoglyph", "invisible"):
        out = BY_NAME[label].apply(name, seed)
        if out is not None:
            assert skeleton(out) == name
            assert out != name


@settings(deadline=None)
@given(NAME, SEED)
def test_homoglyph_really_leaves_latin(name: str, seed: int) -> None:
    out = BY_NAME["homoglyph"].apply(name, seed)
    if out is not None:
        assert any(unicodedata.name(c).split()[0] in {"CYRILLIC", "GREEK"} for c in out)


def test_seeds_differ() -> None:
    name = "Guangzhou Haige Communications Group Incorporated Company"
    outputs = {BY_NAME["substitution"].apply(name, seed) for seed in range(20)}
    assert len(outputs) > 5


@settings(deadline=None)
@given(NAME, SEED, CTX)
def test_typographic_treatments_are_one_edit(name: str, seed: int, ctx: NameContext) -> None:
    for label in ("insertion", "deletion", "doubled_letter", "undoubled_letter"):
        out = BY_NAME[label].apply(name, seed, ctx)
        if out is not None:
            assert abs(len(out) - len(name)) == 1
    for label in ("substitution", "vowel_swap", "adjacent_swap"):
        out = BY_NAME[label].apply(name, seed, ctx)
        if out is not None:
            assert len(out) == len(name)
            assert sorted(out) == sorted(name) or label != "adjacent_swap"
            assert sum(a != b for a, b in zip(out, name, strict=True)) in (1, 2)


@settings(deadline=None)
@given(NAME, SEED)
def test_permutation_keeps_the_words(name: str, seed: int) -> None:
    out = BY_NAME["token_permutation"].apply(name, seed)
    if out is not None:
        assert sorted(out.split()) == sorted(name.split())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kaspersky Lab JSC", {"Kaspersky Lab"}),
        ("Huawei Technologies Co., Ltd.", {"Huawei Technologies"}),
        ("Limited Liability Company Sovtekh", {"Sovtekh"}),
    ],
)
def test_legal_form_removed(name: str, expected: set[str]) -> None:
    assert BY_NAME["legal_form_removed"].apply(name, 1) in expected


def test_legal_form_swap_stays_in_its_class() -> None:
    seen = {BY_NAME["legal_form_swapped"].apply("Sovtekh LLC", s) for s in range(40)}
    assert seen == {
        "Sovtekh L.L.C.",
        "Sovtekh Limited Liability Company",
        "Sovtekh OOO",
        "Sovtekh ООО",
    }


def test_legal_form_only_treatments_skip_persons() -> None:
    person = NameContext(is_person=True)
    for label in ("legal_form_removed", "legal_form_added", "legal_form_swapped", "extra_token"):
        assert BY_NAME[label].apply("Ivan Petrov LLC", 3, person) is None


def test_surname_first_for_persons_only() -> None:
    person = NameContext(is_person=True)
    assert BY_NAME["surname_first"].apply("Ayman Al Zawahiri", 0, person) == "ZAWAHIRI, Ayman Al"
    assert BY_NAME["surname_first"].apply("ZAWAHIRI, Ayman", 0, person) == "Ayman ZAWAHIRI"
    assert BY_NAME["surname_first"].apply("Ayman Al Zawahiri", 0, NameContext()) is None


def test_abbreviation_examples() -> None:
    seen = {BY_NAME["abbreviation"].apply("Haige Communications Group", s) for s in range(30)}
    assert seen == {"Haige COMM Group", "Haige Communications GRP"}
    assert BY_NAME["ampersand"].apply("CNOOC Energy Technology & Services", 0) == (
        "CNOOC Energy Technology and Services"
    )


def test_romanisation_schemes_differ_where_they_should() -> None:
    cyr = "Сергей Чемезов Хим"
    assert romanise(cyr, "bgn-pcgn") == "Sergey Chemezov Khim"
    assert romanise(cyr, "iso9-b") == "Sergej Chemezov Xim"
    assert romanise(cyr, "icao-9303") == "Sergei Chemezov Khim"
    assert romanise(cyr, "german") == "Sergei Tschemesow Chim"


def test_romanisations_are_renderings_real_schemes_produce() -> None:
    # ISO 9 system B writes ц as c before i, e, y, j and cz elsewhere
    assert romanise("Акционерное Центр Кузнец", "iso9-b") == "Akcionernoe Centr Kuznecz"
    # "iya" is ия, not ий + а (no scheme writes Korporaziia or Korporatsiia from Корпорацийа)
    assert to_cyrillic("Korporatsiya Rossiya") == "Корпорация Россия"
    assert to_cyrillic("Dmitriy") == "Дмитрий"
    # an acronym spells its letters: MEI is МЕИ (МЭИ), never МЕЙ (re-romanised "MEJ")
    assert to_cyrillic("AO OKB MEI") == "АО ОКБ МЕИ"
    # a legal form with no Russian form stays as written: no "Ко." (re-romanised "Ko.")
    assert to_cyrillic("Nilfam Khazar Co.") == "Нилфам Хазар Co."
    ru = NameContext(countries=("RU",))
    assert {BY_NAME["reromanised"].apply("Nilfam Khazar Co.", s, ru) for s in range(20)} <= {
        "Nilfam Chasar Co.",
        "Nilfam Xazar Co.",
    }


def test_latin_to_cyrillic_converts_legal_forms() -> None:
    assert to_cyrillic("Limited Liability Company Sovtekh") == "ООО Совтех"
    ru = NameContext(countries=("RU",))
    assert BY_NAME["latin_to_cyrillic"].apply("Rostekh", 0, ru) == "Ростех"
    assert BY_NAME["latin_to_cyrillic"].apply("Sergei Koynov", 0, ru) == "Сергей Койнов"
    assert BY_NAME["latin_to_cyrillic"].apply("Rostekh", 0, NameContext(countries=("CN",))) is None
    # English words are translated in a Russian record, not transliterated: left alone
    assert BY_NAME["latin_to_cyrillic"].apply("Central Research Institute", 0, ru) is None


def test_pinyin() -> None:
    assert split_pinyin("Huawei") == ["Hua", "wei"]
    assert split_pinyin("Moscow") is None
    cn = NameContext(countries=("CN",))
    assert BY_NAME["pinyin_spacing"].apply("Huawei", 0, cn) == "Hua Wei"
    assert BY_NAME["pinyin_spacing"].apply("Hua Wei", 0, cn) == "Huawei"
    assert BY_NAME["han_to_pinyin"].apply("华为", 0) in {"Huawei", "Hua Wei"}


@settings(deadline=None)
@given(NAME, SEED, CTX)
def test_stacked_uses_two_families(name: str, seed: int, ctx: NameContext) -> None:
    pair = stack_two(name, seed, ctx)
    if pair is not None:
        first, second = pair.treatment.split("+")
        assert BY_NAME[first].family != BY_NAME[second].family
        assert pair.text != name


def test_treatment_names_are_unique() -> None:
    assert len({t.name for t in TREATMENTS}) == len(TREATMENTS)


def test_typos_leave_short_acronyms_alone() -> None:
    for label in ("deletion", "insertion", "substitution", "adjacent_swap", "vowel_swap"):
        assert BY_NAME[label].apply("CFTE BMTI", 5) is None
        assert BY_NAME[label].apply("CFTE Aviation", 5) is not None


def test_reromanised_gives_the_other_schemes() -> None:
    ru = NameContext(countries=("RU",))
    seen = {BY_NAME["reromanised"].apply("Sergey Koynov", s, ru) for s in range(40)}
    # ISO 9 system B, ICAO 9303 and German spellings of Сергей Койнов (BGN is the input)
    assert seen == {"Sergej Kojnov", "Sergei Koinov", "Sergei Koinow"}


def test_pinyin_spacing_leaves_english_words_alone() -> None:
    cn = NameContext(countries=("CN",))
    assert BY_NAME["pinyin_spacing"].apply("China Asia Machining", 0, cn) is None
    assert BY_NAME["pinyin_spacing"].apply("Beijing Machining", 0, cn) == "Bei Jing Machining"


@pytest.mark.parametrize(
    "name",
    [
        # the distinctive words are Gazprom and Transgaz: the rest is a legal form and a city
        "Obshchestvo S Ogranichennoi Otvetstvennostyu 'Gazprom Transgaz Samara'",
        # Hikvision and Digital only: Hangzhou is a place, Technology a generic word
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        # a three-word company the harness takes for a person: Nanjing is a place
        "Nanjing Aixi IT",
    ],
)
def test_missing_token_needs_two_distinctive_words_left(name: str) -> None:
    for seed in range(20):
        assert BY_NAME["missing_token"].apply(name, seed) is None
        assert BY_NAME["missing_token"].apply(name, seed, NameContext(is_person=True)) is None


def test_missing_token_drops_a_distinctive_word_and_keeps_the_legal_form() -> None:
    name = "Obshchestvo S Ogranichennoi Otvetstvennostyu Almaz Topaz Vostok"
    seen = {BY_NAME["missing_token"].apply(name, seed) for seed in range(40)}
    form = "Obshchestvo S Ogranichennoi Otvetstvennostyu"
    assert seen == {f"{form} Topaz Vostok", f"{form} Almaz Vostok", f"{form} Almaz Topaz"}


def test_permutation_moves_a_legal_form_as_one_unit() -> None:
    name = "Public Joint Stock Company Rostvertol"
    for seed in range(20):
        out = BY_NAME["token_permutation"].apply(name, seed)
        assert out == "Rostvertol Public Joint Stock Company"
    name = "Obshchestvo S Ogranichennoi Otvetstvennostyu 'Gazprom Energo'"
    outs = {BY_NAME["token_permutation"].apply(name, seed) for seed in range(40)}
    assert all(o is not None and "Obshchestvo S Ogranichennoi Otvetstvennostyu" in o for o in outs)
    assert len(outs) > 1


@given(NAME, SEED)
def test_rare_word_added_adds_one_rare_word(name: str, seed: int) -> None:
    out = BY_NAME["rare_word_added"].apply(name, seed)
    assert out is not None
    words = re.findall(r"[^\W\d_]+", out)
    rare = [i for i, w in enumerate(words) if w.casefold() in {r.casefold() for r in RARE_WORDS}]
    assert rare  # the name's own words may be rare words too: the added one is among these
    assert any(words[:i] + words[i + 1 :] == re.findall(r"[^\W\d_]+", name) for i in rare)
    assert BY_NAME["rare_word_added"].apply(name, seed, NameContext(is_person=True)) is None


def test_rare_words_are_no_generic_word_legal_form_or_place() -> None:
    assert all(distinctive_word(w) for w in RARE_WORDS)


@pytest.mark.shared
def test_rare_words_are_in_no_listed_name(shared_data: Path) -> None:
    """What the treatment measures: a word the lists never carry (2026 CSL), added."""
    from compliance.watchlists.readers.csl_csv import read_csl_csv

    snapshot = read_csl_csv(shared_data / "lists/csl/2026-07-31_compact/consolidated.csv")
    words = {
        w.casefold()
        for e in snapshot.entries
        for name, _ in e.all_names
        for w in re.findall(r"[^\W\d_]+", name)
    }
    assert len(words) > 10_000
    assert not words & {w.casefold() for w in RARE_WORDS}


def test_rare_word_added_is_left_out_of_the_speed_mix_and_the_stacked_pool() -> None:
    assert "rare_word_added" not in {t.name for t in (*MIX_TREATMENTS, *STACK_POOL)}


@pytest.mark.parametrize(
    "name",
    [
        # the only distinctive word, read as the matcher reads the rest: Holding is "hldg",
        # Chemistry "chem", Nauchno-Proizvodstvennoe two generic words
        "Holding Company Ak Bars",
        "Shemyakin-Ovchinnikov Institute of Bioorganic Chemistry",
        "PAO Nauchno-Proizvodstvennoe Obedinenie Strela",
    ],
)
def test_missing_token_reads_words_through_the_abbreviation_table(name: str) -> None:
    for seed in range(20):
        assert BY_NAME["missing_token"].apply(name, seed) is None


def test_given_initial_skips_titles_and_surnames_that_identify_nobody() -> None:
    person = NameContext(is_person=True)
    outs = {BY_NAME["given_initial"].apply("Dr. Alex Xu", seed, person) for seed in range(20)}
    assert outs == {"A Xu", "Xu A"}
    outs = {
        BY_NAME["given_initial"].apply("Maulawi Haji Ibrahim Haqqani", seed, person)
        for seed in range(20)
    }
    assert outs == {"I Haqqani", "Haqqani I"}
    for name in ("Sputnik E", "Su Bin"):
        assert all(BY_NAME["given_initial"].apply(name, s, person) is None for s in range(20))
