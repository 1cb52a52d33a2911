from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compliance.review.fingerprint import party_fingerprint
from compliance.screening.results import Party, PartyType

names = st.text(min_size=1, max_size=20).filter(lambda s: s.strip())


@given(names, st.lists(names, max_size=4), st.randoms())
def test_alias_order_does_not_change_fingerprint(name: str, aliases: list[str], rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(aliases)
    rnd.shuffle(shuffled)
    a = Party(name=name, aliases=tuple(aliases))
    b = Party(name=name, aliases=tuple(shuffled))
    assert party_fingerprint(a) == party_fingerprint(b)


@given(names, names)
def test_different_names_give_different_fingerprints(a: str, b: str) -> None:
    if " ".join(a.split()) != " ".join(b.split()):
        assert party_fingerprint(Party(name=a)) != party_fingerprint(Party(name=b))


def test_each_screened_field_changes_the_fingerprint() -> None:
    base = Party(name="Acme", country="CN", address="1 Road", type=PartyType.ENTITY)
    variants = [
        base.model_copy(update={"name": "Acme 2"}),
        base.model_copy(update={"aliases": ("Acme Intl",)}),
        base.model_copy(update={"country": "HK"}),
        base.model_copy(update={"address": "2 Road"}),
        base.model_copy(update={"type": PartyType.INDIVIDUAL}),
    ]
    prints = {party_fingerprint(p) for p in variants}
    assert party_fingerprint(base) not in prints
    assert len(prints) == len(variants)


def test_id_and_extra_columns_are_not_screened_fields() -> None:
    a = Party(name="Acme", id="P-1", extra={"erp": "1"})
    b = Party(name="Acme", id="P-2", extra={"erp": "2"})
    assert party_fingerprint(a) == party_fingerprint(b)


def test_whitespace_only_differences_are_not_changes() -> None:
    assert party_fingerprint(Party(name="Acme  Co ")) == party_fingerprint(Party(name="Acme Co"))
