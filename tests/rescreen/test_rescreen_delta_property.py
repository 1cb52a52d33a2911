"""Property: on small synthetic lists, any update re-screened as a delta equals a full screen.

Lists and counterparties are drawn from a small vocabulary with near spellings (alpha/alfa,
petro/petrov) so that hits, near misses and shared keys are common; the update removes
entries, adds entries, adds aliases, renames, changes countries, license text and entry
ids, and duplicates entries (identical, or with the same id and names but other text:
ties the merge cannot order, screened in full). Expected results: a plain ``Screener`` over
the new list with the stored (pinned) weight table.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.rescreen import CounterpartyStore, rescreen
from compliance.screening.results import Party
from compliance.screening.screener import Screener
from compliance.watchlists.entry import Alias, AliasStrength, ListEntry
from compliance.watchlists.snapshot import ListSnapshot, SourceFile

WORDS = [
    "alpha",
    "alfa",
    "bravo",
    "nova",
    "novak",
    "orion",
    "petro",
    "petrov",
    "zenith",
    "sigma",
    "vostok",
    "trading",
    "kilo",
    "omega",
    "huawei",
    "hua",
    "wei",
]
LEGAL = ("", " Ltd", " LLC", " Co")
COUNTRIES = ("RU", "CN", "IR")
OPS = (
    "keep",
    "keep",
    "remove",
    "alias",
    "weak",
    "license",
    "rename",
    "country",
    "renumber",
    "dup",
    "twin",
)

names = st.builds(
    lambda words, legal: " ".join(words) + legal,
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
    st.sampled_from(LEGAL),
)


@st.composite
def entries(draw: st.DrawFn, prefix: str) -> list[ListEntry]:
    out = []
    for i in range(draw(st.integers(1, 6))):
        aliases = tuple(Alias(name=n) for n in draw(st.lists(names, max_size=2)))
        out.append(
            ListEntry(
                source=draw(st.sampled_from(("EL", "SDN"))),
                source_name="list",
                entry_id=f"{prefix}{i}",
                name=draw(names),
                aliases=aliases,
                countries=tuple(draw(st.lists(st.sampled_from(COUNTRIES), max_size=1))),
                license_requirement="For all items subject to the EAR.",
            )
        )
    return out


def amend(entry: ListEntry, op: str, alias: str) -> list[ListEntry]:
    if op == "remove":
        return []
    if op == "alias":
        return [entry.model_copy(update={"aliases": (*entry.aliases, Alias(name=alias))})]
    if op == "weak":
        weak = Alias(name=alias, strength=AliasStrength.WEAK)
        return [entry.model_copy(update={"aliases": (*entry.aliases, weak)})]
    if op == "license":
        return [entry.model_copy(update={"license_requirement": "Presumption of denial."})]
    if op == "rename":
        return [entry.model_copy(update={"name": alias})]
    if op == "country":
        return [entry.model_copy(update={"countries": ("CN",) if entry.countries else ("RU",)})]
    if op == "renumber":
        return [entry.model_copy(update={"entry_id": entry.entry_id + "r"})]
    if op == "dup":
        return [entry, entry]
    if op == "twin":  # same list, id and names, other text: ties the merge cannot order
        return [entry.model_copy(update={"license_requirement": "Case-by-case review."}), entry]
    return [entry]


def snapshot(entries: list[ListEntry], tag: str) -> ListSnapshot:
    return ListSnapshot(
        source="test-list",
        label="test",
        files=(SourceFile(name="list.csv", sha256=tag * 64, size=0),),
        entries=tuple(entries),
    )


@given(
    old_entries=entries("E"),
    added=entries("N"),
    ops=st.lists(st.sampled_from(OPS), min_size=6, max_size=6),
    new_aliases=st.lists(names, min_size=6, max_size=6),
    parties=st.lists(
        st.tuples(names, st.sampled_from((None, *COUNTRIES))), min_size=1, max_size=12
    ),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_delta_equals_full_on_synthetic_lists(
    old_entries: list[ListEntry],
    added: list[ListEntry],
    ops: list[str],
    new_aliases: list[str],
    parties: list[tuple[str, str | None]],
) -> None:
    new_entries = [
        amended
        for e, op, alias in zip(old_entries, ops, new_aliases, strict=False)
        for amended in amend(e, op, alias)
    ]
    new_entries += added
    old, new = snapshot(old_entries, "1"), snapshot(new_entries, "2")
    people = [Party(id=f"p{i}", name=n, country=c) for i, (n, c) in enumerate(parties)]
    with CounterpartyStore(":memory:") as store:
        store.add(people)
        first = rescreen(store, [old])
        report = rescreen(store, [new], old_snapshots=[old])
        assert report.weights_id == first.weights_id and not report.new_epoch
        weights = store.weights(first.weights_id)
        assert weights is not None
        expected = Screener([new], weights=weights, merge_entities=False).screen_many(people)
        stored = {r.party.id: r.model_dump_json() for r in store.results().values() if r.party}
        for party, result in zip(people, expected, strict=True):
            assert stored[party.id] == result.model_dump_json(), party
