"""The pruning test's stray bound (``screener._stray_weight``) never exceeds what the scorer
can leave unpaired, and pruning gives the results of scoring every reached name on names
with initials and misspelt generic words (the cases stage 2 of ``_survivors`` narrows)."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.screening.results import Party, Thresholds
from compliance.screening.score import Prepared, token_similarity
from compliance.screening.screener import Screener, _fewest_strays, _stray_count, _stray_weight
from compliance.watchlists.entry import EntryKind, ListEntry

from .listdata import entry, snapshot

_LETTERS = "abcj"


def _fewest_unpaired(
    words: list[tuple[int, float, bool, str]],
    mask: int,
    absorbers: int,
    initials: str,
    count: bool = False,
) -> float:
    """The least weight left unpaired, by trying every assignment: an absorbable word may
    take any absorber, a word may take an initial of its first letter, each slot once.
    With ``count``, the fewest words left unpaired that cost something."""
    unmet = [(w, near, lead) for bit, w, near, lead in words if not mask & bit]
    if count:
        unmet = [(1.0 if w > 0.0 else 0.0, near, lead) for w, near, lead in unmet]
    slots = ["absorber"] * absorbers + list(initials)
    best = sum(w for w, _, _ in unmet)
    for choice in itertools.product(range(-1, len(slots)), repeat=len(unmet)):
        taken = [c for c in choice if c >= 0]
        if len(taken) != len(set(taken)):
            continue
        ok = True
        left = 0.0
        for (w, near, lead), c in zip(unmet, choice, strict=True):
            if c < 0:
                left += w
            elif slots[c] == "absorber":
                ok = ok and near
            else:
                ok = ok and lead == slots[c]
        if ok:
            best = min(best, left)
    return best


_WORD = st.tuples(
    st.sampled_from((0.1, 0.25, 0.5, 0.8, 1.0)),
    st.booleans(),
    st.sampled_from(("", *_LETTERS)),
)


@pytest.mark.property
@given(
    st.lists(_WORD, max_size=5),
    st.integers(0, 31),
    st.integers(0, 2),
    st.text(alphabet=_LETTERS, max_size=2),
)
def test_stray_bound_never_exceeds_the_fewest_unpaired(
    spec: list[tuple[float, bool, str]], mask: int, absorbers: int, initials: str
) -> None:
    words = [(1 << i, w, near, lead) for i, (w, near, lead) in enumerate(spec)]
    bound = _stray_weight(words, mask, absorbers, initials)
    assert bound <= _fewest_unpaired(words, mask, absorbers, initials) + 1e-9
    if not any(lead and lead in initials for bit, _, _, lead in words if not mask & bit):
        # initials no unmet word begins with take nothing
        assert bound == _stray_weight(words, mask, absorbers, "")


@pytest.mark.property
@given(
    st.lists(_WORD, max_size=5),
    st.lists(st.booleans(), min_size=5, max_size=5),
    st.integers(0, 31),
    st.integers(0, 2),
    st.text(alphabet=_LETTERS, max_size=2),
)
def test_stray_count_never_exceeds_the_fewest_unpaired_words(
    spec: list[tuple[float, bool, str]],
    free: list[bool],
    mask: int,
    absorbers: int,
    initials: str,
) -> None:
    """The contained-name rule (``contained_max_added``) is open only to so many words left
    unpaired: the pruning test's count of them must never be more than the scorer's."""
    words = [
        (1 << i, 0.0 if gone else w, near, lead)
        for i, ((w, near, lead), gone) in enumerate(zip(spec, free, strict=False))
    ]
    fewest = _fewest_unpaired(words, mask, absorbers, initials, count=True)
    assert _stray_count(words, mask, absorbers, initials) <= fewest
    # stage 1's one pass gives both at their fewest
    assert _fewest_strays(words, mask) == (
        _stray_weight(words, mask, 10**6, ""),
        _stray_count(words, mask, 10**6, ""),
    )


_PERSONS = (
    "J Robert Shubert",
    "A B Karimov",
    "Kim Hyon U",
    "Vik A Singh",
    "Zhen I",
    "Lydya N",
    "M Leasing LLC",
    "K Tech JSC",
    "Shenzhen A Tech Co Ltd",
    "X Holding",
)
_COMPANIES = (
    "Trapeznikov Institute of Control Sciences",
    "Avan International Financial Group",
    "Integral Management Holding Company",
    "Saba Trading Investment SRO",
    "Sokol Engineering Group LLC",
    "Industrial Park Stankomash LLC",
    "Mayak Technology Corporation",
    "Radio Electronic Technologies Concern",
)
_EXTRA = (
    "Robert", "Okafor", "Jasmine", "Ahmed", "Amin", "Align", "Kavian", "Heat", "Mach", "Eng",
    "Groop", "Tecnology", "Intl", "Holdng", "Karimova", "Anna", "Ivan", "Zhang",
)  # fmt: skip


# an extra word that only a listed initial of its letter, or a listed generic word it
# misspells, can take
_PAIRED = (
    "Jasmine Robert Shubert",
    "Anna B Karimov",
    "Vik Anna Singh",
    "Zhen Ivan",
    "Lydya Nina",
    "Kilo Tech JSC",
    "Sokol Enginering Groop LLC",
    "Avan Internatonal Financal Group",
    "Mayak Tecnology Corp",
    "Integral Managment Holding Co",
    "Trapeznikov Institute of Control Scienses",
)


def _query(rng: random.Random, names: list[str]) -> str:
    words = rng.choice(names).split()
    rng.shuffle(words)
    words = words[: rng.randint(1, len(words))]
    for _ in range(rng.randint(0, 2)):
        words.insert(rng.randint(0, len(words)), rng.choice(_EXTRA))
    return " ".join(words)


def _pruned_and_exhaustive(
    monkeypatch: pytest.MonkeyPatch,
    entries: list[ListEntry],
    parties: list[Party],
    reach_floor: float,
    thresholds: Thresholds | None = None,
) -> tuple[list[str], list[str]]:
    """The results of ``parties`` as JSON, screened with the pruning test and with every name
    the index reaches at ``reach_floor`` x the review ratio scored (no pruning)."""
    args = () if thresholds is None else (thresholds,)
    pruned = Screener([snapshot(*entries)], *args)
    expected = [pruned.screen(p).model_dump_json() for p in parties]

    exhaustive = Screener([snapshot(*entries)], *args)
    reach = exhaustive._index.reach
    ratio = exhaustive._ratio

    def every_reached(tokens: object, prepared: Prepared) -> list[int]:
        weight = exhaustive._weights.weight
        found = reach(tokens, weight, token_similarity, reach_floor * ratio, 1.0, prepared.joins)  # type: ignore[arg-type]
        return sorted(set(found.names.tolist()) | found.always)

    monkeypatch.setattr(exhaustive, "_survivors", every_reached)
    return expected, [exhaustive.screen(p).model_dump_json() for p in parties]


@pytest.mark.pure_only
def test_pruning_with_initials_and_misspelt_words_loses_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Byte-identical results with and without the pruning test on queries that leave
    words for a listed initial or a listed generic word to take."""
    entries = [entry(f"P{i}", n) for i, n in enumerate(_PERSONS)]
    entries += [entry(f"C{i}", n) for i, n in enumerate(_COMPANIES)]
    names = [*_PERSONS, *_COMPANIES]
    rng = random.Random(20261207)
    queries = [*_PAIRED, *(_query(rng, names) for _ in range(600))]
    parties = [Party(name=q) for q in queries]
    expected, got = _pruned_and_exhaustive(monkeypatch, entries, parties, 0.8)
    assert sum('"hits":[]' not in r for r in expected) > 100  # the check covers real hits
    assert got == expected


_LISTED_WHOLE = (
    ("Hikvision", ("CN",)),
    ("Rosoboronexport", ("RU",)),
    ("SMIC", ("CN",)),
    ("Emma LLC", ()),
    ("Nova Tech JSC", ("RU",)),
    ("Semiconductor Manufacturing International Corporation", ("CN",)),
    ("Global Trading", ()),
    ("J Robert Shubert", ()),
    ("Mayak Technology Corporation", ("RU",)),
    ("Olga", ()),  # a person (below): never found whole inside a longer query
)
_ADDED = (
    "Robotics", "Photonics", "Daniels", "Beijing", "Moscow", "Groop", "Co", "Ltd", "J", "5",
    "Export", "Trading", "Tecnology", "Petrova",
)  # fmt: skip


def _with_added(rng: random.Random, name: str) -> str:
    """The listed name, sometimes with its words shuffled or one left out, plus 0-3 words
    anywhere (rare words, places, a misspelt generic word, legal forms, an initial, a number)."""
    words = name.split()
    roll = rng.random()
    if roll < 0.15:
        rng.shuffle(words)
    elif roll < 0.25 and len(words) > 1:
        words.pop(rng.randrange(len(words)))
    elif roll < 0.3 and words[0] == "Rosoboronexport":
        words[:1] = ["Rosoboron", "Export"]  # rejoined by the scorer
    for _ in range(rng.randint(0, 3)):
        words.insert(rng.randint(0, len(words)), rng.choice(_ADDED))
    return " ".join(words)


@pytest.mark.pure_only
def test_pruning_with_a_whole_listed_name_and_added_words_loses_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Byte-identical results with and without the pruning test where the whole listed name
    is in the query with words added (``contained_cost``: the strays' cost is capped
    relative to the listed name's weight, so the bound of ``_survivors`` is too)."""
    entries = [
        entry(f"W{i}", n, countries=c, kind=EntryKind.INDIVIDUAL if n == "Olga" else None)
        for i, (n, c) in enumerate(_LISTED_WHOLE)
    ]
    rng = random.Random(20261208)
    queries = [_with_added(rng, rng.choice(_LISTED_WHOLE)[0]) for _ in range(700)]
    parties = [Party(name=q, country=rng.choice((None, "CN", "RU", "US"))) for q in queries]
    expected, got = _pruned_and_exhaustive(monkeypatch, entries, parties, 0.8)
    # the check covers names found through the rule: hits with query words left unpaired
    assert sum('"unmatched_query":["' in r for r in expected) > 100
    assert got == expected


_GENERIC_LISTED = (
    "CETC 48 Research Institute",
    "CETC Instrument Co Ltd",
    "Bank VTB PJSC",
    "Subsidiary JSC Bank VTB Kazakhstan",
    "Gold Tech Ltd",
    "Universal Gold Hong Kong Ltd",
    "Pumori North West LLC",
    "State Research Institute of Experimental Military Medicine",
    "Hua Wei Technologies Co Ltd",
    "Ship Design Bureau Almaz",
    "Aircraft Repair Plant No 419",
    "Novatek Trading House GmbH",
    "Al Jazairi Abu Usama",
    "K Tech JSC",
)
_GENERIC_ADDED = (
    "Instrument", "Instrumnet", "Institute", "Insitute", "Co", "Ltd", "Limited", "OJSC", "JSC",
    "GmbH", "GmbvH", "Bank", "Banc", "Research", "Reserch", "Group", "Groop", "Trading",
    "Tradng", "House", "Design", "Shipdesign", "Northwest", "Huawei", "Technologies",
    "Tecnologies", "State", "Plant", "Aircraftrepairplant", "K", "Hong Kong", "Hongkong",
    "Azerbaijan", "Euro", "Sicherheit", "Moscow",
)  # fmt: skip


def _generic_query(rng: random.Random, name: str) -> str:
    """A listed name with words left out, swapped for others or added: generic words and
    legal forms (as listed, misspelt, run together with a neighbour), rare words, places."""
    words = name.split()
    for _ in range(rng.randint(0, 2)):
        if len(words) > 1:
            words.pop(rng.randrange(len(words)))
    if rng.random() < 0.2 and len(words) > 1:
        i = rng.randrange(len(words) - 1)
        words[i : i + 2] = [words[i] + words[i + 1].lower()]
    for _ in range(rng.randint(0, 3)):
        words.insert(rng.randint(0, len(words)), rng.choice(_GENERIC_ADDED))
    return " ".join(words)


@pytest.mark.pure_only
@pytest.mark.parametrize("review", [0.55, 0.62, 0.7, 0.76, 0.8, 0.85])
def test_pruning_with_generic_words_and_legal_forms_on_either_side_loses_nothing(
    monkeypatch: pytest.MonkeyPatch, review: float
) -> None:
    """Byte-identical results with and without the pruning test where generic words and
    legal forms of the query or of the listed name may stay unpaired (stage 2 of
    ``_survivors`` charges the query's that no word of the listed name can take:
    ``_unpairable``), misspelt, or rejoined with a neighbour; at several review thresholds, so
    that names scored near the floor are many."""
    entries = [entry(f"G{i}", n) for i, n in enumerate(_GENERIC_LISTED)]
    rng = random.Random(20261209)
    queries = [_generic_query(rng, rng.choice(_GENERIC_LISTED)) for _ in range(500)]
    th = Thresholds(review=review, alert=0.92)
    parties = [Party(name=q) for q in queries]
    expected, got = _pruned_and_exhaustive(monkeypatch, entries, parties, 0.5, th)
    assert sum('"hits":[]' not in r for r in expected) > 150  # the check covers real hits
    assert got == expected
