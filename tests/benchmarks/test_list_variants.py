"""The SDN -> Entity List link rule of ``benchmarks/list_variants.py`` (not the matcher)."""

from __future__ import annotations

from benchmarks.list_variants import link_key, linked_entities, split_of
from compliance.watchlists.entry import Alias, EntryKind, ListEntry


def _entry(
    source: str,
    entry_id: str,
    name: str,
    *aliases: str,
    countries: tuple[str, ...] = (),
    kind: EntryKind | None = None,
) -> ListEntry:
    return ListEntry(
        source=source,
        source_name=source,
        entry_id=entry_id,
        name=name,
        aliases=tuple(Alias(name=a) for a in aliases),
        countries=countries,
        kind=kind,
    )


def test_link_key_folds_case_accents_punctuation_and_spacing() -> None:
    assert link_key("  Zavod  «Izhmash», OAO ") == link_key("ZAVOD IZHMASH OAO")
    assert link_key("Société Générale") == "societe generale"
    assert link_key("Alpha") != link_key("Alfa")


def test_entities_link_by_one_shared_name_and_a_country() -> None:
    el = _entry("EL", "EL:1", "Kalashnikov Concern", "Izhmash", countries=("RU",))
    sdn = _entry("SDN", "SDN:1", "JOINT STOCK COMPANY CONCERN KALASHNIKOV", "IZHMASH",
                 countries=("RU",))  # fmt: skip
    other_country = _entry("SDN", "SDN:2", "IZHMASH", countries=("CN",))
    no_shared_name = _entry("SDN", "SDN:3", "Kalashnikov Group", countries=("RU",))
    links = linked_entities([el, sdn, other_country, no_shared_name])
    assert [(s.entry_id, [e.entry_id for e in els]) for s, els in links] == [("SDN:1", ["EL:1"])]


def test_vessels_are_never_linked() -> None:
    el = _entry("EL", "EL:1", "Izhevsky Mekhanichesky Zavod JSC", "Baikal", countries=("RU",))
    ship = _entry("SDN", "SDN:9", "SEVIN", "BAIKAL", kind=EntryKind.VESSEL)
    assert linked_entities([el, ship]) == []


def test_split_is_stable_and_uses_both_parts() -> None:
    names = [f"name {i}" for i in range(200)]
    parts = [split_of(n) for n in names]
    assert parts == [split_of(n) for n in names]
    assert {"dev", "held_out"} == set(parts)
