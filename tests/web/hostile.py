"""Hostile names and the list and parties that carry them into the review pages.

Every string here would run script, open a link or reorder the page if a page obeyed it;
the tests show each one rendered as inert text.
"""

from __future__ import annotations

from compliance.screening.results import Party
from compliance.watchlists.entry import Address, Alias, ListEntry
from compliance.watchlists.snapshot import ListSnapshot, SourceFile

SCRIPT = "<script>document.title='pwned-script'</script> Zarkon Trading"
IMG = '"><img src=x onerror="document.title=\'pwned-img\'"> Velmora Industries'
JS_LINK = "javascript:document.title='pwned-link'"
BIDI = "Qorvane \u202eLTD gnidart\u202c Systems"
LONG = ("Zq " * 3334)[:10_000]

HOSTILE_NAMES = (SCRIPT, IMG, BIDI)


def hostile_snapshot() -> ListSnapshot:
    """An internal list whose entries carry the hostile names, links and texts."""
    entries = tuple(
        ListEntry(
            source="INTERNAL",
            source_name="Internal list <b>bold</b>",
            entry_id=f"hostile-{i}",
            name=name,
            aliases=(Alias(name=IMG),) if i == 1 else (),
            addresses=(Address(text="<iframe src=javascript:alert(1)></iframe> Main St"),),
            countries=("CN",),
            programs=("<svg onload=alert(1)>",),
            license_requirement="<script>document.title='pwned-lr'</script>",
            license_policy="Policy of denial",
            federal_register_notices=("89 FR 12345", JS_LINK),
            source_information_url=JS_LINK,
            source_list_url="https://example.org/list?a=1&b=<2>",
            remarks="<a href='javascript:alert(1)'>click</a>",
        )
        for i, name in enumerate(HOSTILE_NAMES)
    )
    return ListSnapshot(
        source="internal-hostile",
        label="Hostile test list <i>label</i>",
        files=(SourceFile(name="hostile.csv", sha256="0" * 64, size=0),),
        entries=entries,
    )


def hostile_parties() -> list[Party]:
    """Parties whose own fields are hostile, each matching an entry (so each is queued)."""
    parties = [
        Party(
            name=name,
            id=f"H-{i}",
            extra={"website": JS_LINK, "note<script>": "<script>document.title='pwned-x'</script>"},
        )
        for i, name in enumerate(HOSTILE_NAMES)
    ]
    # A 10,000-character name that still hits (through its alias).
    parties.append(Party(name=LONG, id="H-long", aliases=("Huawei Technologies Co., Ltd.",)))
    return parties
