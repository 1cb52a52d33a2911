"""The quality harness's guess of who is a person on lists that do not say (BIS, State)."""

from __future__ import annotations

import pytest

from benchmarks.quality import looks_like_person, org_evidence
from compliance.watchlists.entry import Alias, ListEntry


def _entry(*names: str) -> ListEntry:
    return ListEntry(
        source="EL",
        source_name="Entity List",
        entry_id="t",
        name=names[0],
        aliases=tuple(Alias(name=n) for n in names[1:]),
    )


@pytest.mark.parametrize(
    ("names", "person"),
    [
        (("Abdul Satar Ghoura",), True),
        (("Sergey IONOV",), True),  # a surname in capitals is no acronym
        (("Yuri A. Krasheninnikov",), True),
        # an alias that reads like a person's name, on an entry another name shows a company
        (("Huawei Cloud Singapore Pte. Ltd.", "Huawei Cloud Singapore"), False),
        (("SM Way Oy",), False),  # a legal form of the package table
        (("APEX Yekaterinburg",), False),  # an acronym
        (("Huawei Cuba",), False),  # a country
        (("Innovio Ventures",), False),  # an organisation word
    ],
)
def test_person_guess(names: tuple[str, ...], person: bool) -> None:
    entry = _entry(*names)
    assert looks_like_person(entry, names[-1]) is person


def test_org_evidence_names_what_it_saw() -> None:
    assert org_evidence("Transsphere Oy") == "legal form Oy"
    assert org_evidence("SM Way Oy") == "acronym SM"
    assert org_evidence("Abdul Satar Ghoura") is None
    assert org_evidence("General Jalaluddin") is None  # a title, not evidence
