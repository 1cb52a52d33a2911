"""Real spelling variants of one entity across two lists, and a labelled-pairs substitute
(issue 16, table rows "SDN -> Entity List" and "labelled company-name pairs").

``sdn_to_el``: entities published on both the OFAC SDN list and the BIS Entity List in the
2026 CSL. They are linked by a documented rule, not by the matcher under test: an SDN entry
and an Entity List entry are one entity when they share one name or alias exactly (after
case, accents, punctuation and spacing are folded: ``link_key``) and agree on a country
(or one side gives none); SDN vessels and aircraft are not linked. Every *other* SDN
spelling of a linked entity (its names and aliases that are not, folded, a name of the
linked Entity List entry) is screened against
the Entity List alone (``Screener(..., lists={"EL"})``); found = the linked Entity List
entry among the hits at review or above. ``--show-links N`` prints linked pairs for the
hand check (docs/benchmarks.md gives its outcome). A variant that shares no identifying word
with the linked entity (``findable_by_name``: an acronym, another or translated name, a
different entity linked through a shared alias) is reported apart; the headline recall is
over the others, and the recall over all variant names is printed beside it.

``alias_pairs`` (substitute): no labelled public company-name pair set is available offline
(docs/benchmarks.md says where we looked). The closest honest substitute built from the
shared data: positives are (alias, entry) pairs of Entity List entries, each alias screened
against the Entity List with every alias removed (only primary names indexed), so it must
find its own entry through a differently written primary name; negatives are the GLEIF
export-sensitive-sector legal names (innocent companies, country given), screened against
the same index. Recall = positives found at review or above; false-positive rate = share of
negatives with any hit at review or above. It is labelled a substitute in every output.

Every query is in ``dev`` or ``held_out`` by a hash of its text (``split_of``); misses are
printed for ``dev`` only, and nothing was tuned on ``held_out``.

    python benchmarks/list_variants.py
    python benchmarks/list_variants.py --show-links 40
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import json
import re
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.quality import CSL_2026, DEFAULT_DATA
from compliance.screening.results import Party, Status
from compliance.screening.screener import Screener
from compliance.watchlists.entry import EntryKind, ListEntry
from compliance.watchlists.load import load_list
from compliance.watchlists.snapshot import ListSnapshot

GLEIF = Path("eval/negatives/gleif_export_sensitive_sectors_dev.csv")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Vessels and aircraft are not linked: a ship's names are words shared by unrelated entities
# (the SDN vessel SEVIN a.k.a. BAIKAL is not the Entity List's Izhevsky Mekhanichesky Zavod,
# a.k.a. Baikal, found in the hand check).
_CRAFT = frozenset((EntryKind.VESSEL, EntryKind.AIRCRAFT))


def split_of(text: str) -> str:
    """``dev`` or ``held_out``, by a hash of the text: stable, never chosen by hand."""
    return "held_out" if hashlib.sha256(text.encode("utf-8")).digest()[0] % 2 else "dev"


def link_key(name: str) -> str:
    """A name folded for the exact-name link: case, accents, punctuation, spacing."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(_NOT_ALNUM.sub(" ", ascii_name.lower()).split())


def linked_entities(
    entries: Sequence[ListEntry],
) -> list[tuple[ListEntry, list[ListEntry]]]:
    """(SDN entry, the Entity List entries it is linked to) by the module's rule."""
    el = [e for e in entries if e.source == "EL"]
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, entry in enumerate(el):
        for key in {link_key(n) for n, _ in entry.all_names}:
            by_name[key].append(i)
    out = []
    for sdn in (e for e in entries if e.source == "SDN" and e.kind not in _CRAFT):
        found: set[int] = set()
        for key in {link_key(n) for n, _ in sdn.all_names}:
            for i in by_name.get(key, ()):
                countries = set(el[i].countries)
                if not countries or not sdn.countries or countries & set(sdn.countries):
                    found.add(i)
        if found:
            out.append((sdn, [el[i] for i in sorted(found)]))
    return out


# Words that do not identify an organisation for the ``findable_by_name`` rule: legal forms
# (English, Russian romanised, Belarusian), function words, the common words of
# organisation names, and the countries of the linked entities. The harness's own list,
# independent of the matcher's vocabulary (a check must not share the code it checks).
_NOT_IDENTIFYING_WORDS = """
    a an the of and for in on at by to im imeni named after n
    jsc ojsc cjsc pjsc ojs oao zao pao ao ooo llc ltd limited co company companies corp
    corporation inc plc gmbh sa ag bv fze fzco fzc llp jv ojsc rue up gup fgup fgbu bu ano
    joint stock open closed public private liability society partnership
    aktsionernoe aktsionernoye obshchestvo obschestvo obshestvo otkrytoe otkrytoye zakrytoe
    publichnoe publichnoye s ogranichennoy ogranichennoi otvetstvennostyu tovarishchestvo
    adkrytae aktsyianernae tavarystva
    federal federalnoe state gosudarstvennoe unitary enterprise enterprises budgetary
    institution establishment organization organisation agency service services
    group holding holdings industries industry industrial plant plants factory works zavod
    institute research scientific science sciences production manufacturing design bureau
    center centre central technologies technology technical engineering systems system
    national international trading trade foreign development management association
    concern complex university academy department branch office general main
    new scientific-production research-and-production airlines airline air aviation
    iran islamic republic russia russian federation belarus belarusian china chinese
    korea syria ministry defense defence
"""
_NOT_IDENTIFYING = frozenset(_NOT_IDENTIFYING_WORDS.split())
_FUNCTION_WORDS = frozenset(("a", "an", "the", "of", "and", "for", "in", "on", "at", "by", "to"))
_FOLD = (("kh", "h"), ("ch", "h"), ("ts", "c"), ("k", "c"), ("z", "s"), ("y", "i"), ("ph", "f"))


def _folded_word(word: str) -> str:
    for old, new in _FOLD:
        word = word.replace(old, new)
    return word


_LEGAL = (
    "jsc ojsc cjsc pjsc ojs oao zao pao ao ooo llc ltd limited co company corp corporation inc "
    "plc gmbh sa ag bv fze llp up rue gup fgup fgbu bu osoo"
)
_LEGAL_WORDS = frozenset(_LEGAL.split())
_ORDINAL = re.compile(r"^([0-9]+)(?:st|nd|rd|th)$")


def _words(name: str) -> list[str]:
    """``link_key`` words, ordinals as their numbers (``33rd`` -> ``33``)."""
    return [_ORDINAL.sub(r"\1", w) for w in link_key(name).split()]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _identifying_words(name: str) -> set[str]:
    words = _words(name)
    return {
        _folded_word(w)
        for w in words
        if len(w) >= 3 and w not in _NOT_IDENTIFYING and not w.isdigit()
    } | {w for w in words if w.isdigit()}


def findable_by_name(variant: str, linked_names: Sequence[str]) -> bool:
    """Whether a matcher could find ``variant`` by the name alone: it shares at least one
    identifying word (``_NOT_IDENTIFYING`` aside) with a name of the linked entity, written
    alike (equal after a few romanisation folds, the same first five letters or more, or a
    ``difflib`` ratio of 0.75 or more). A variant sharing none is another
    name (an acronym, a former or translated name, a subsidiary's or parent's name, or a
    different entity linked through a shared alias): ``ARMACO`` for *Shahid Hemmat
    Industrial Group*, ``KTRV`` for *Tactical Missiles Corporation*, ``THE AIRLINE OF THE
    ISLAMIC REPUBLIC OF IRAN`` for *Iran Air*. A variant made only of such words is findable
    when all of them are in one linked name (``FEDERAL SECURITY SERVICE``). Such variants
    are reported apart, not counted in the recall. A rule of this harness, applied to both
    splits alike."""
    mine = _identifying_words(variant)
    if not mine:  # only common words ("FEDERAL SECURITY SERVICE"): all of them in one name
        words = set(_words(variant)) - _FUNCTION_WORDS - _LEGAL_WORDS
        return len(words) >= 2 and any(words <= set(_words(n)) for n in linked_names)
    theirs = set().union(*(_identifying_words(n) for n in linked_names))
    for a in mine:
        for b in theirs:
            if a == b:
                return True
            if _common_prefix(a, b) >= 5:
                return True
            if not a.isdigit() and difflib.SequenceMatcher(None, a, b).ratio() >= 0.75:
                return True
    return False


def _tally() -> dict[str, list[int]]:
    return {"dev": [0, 0], "held_out": [0, 0]}


def _rates(tally: dict[str, list[int]]) -> dict[str, str]:
    out = {}
    for part, (hit, total) in tally.items():
        out[part] = f"{hit}/{total} ({100 * hit / total:.1f} %)" if total else "0/0"
    return out


def _status_of(screener: Screener, name: str, wanted: set[str]) -> Status | None:
    best: Status | None = None
    for hit in screener.screen(Party(name=name)).hits:
        ids = {hit.entry_id, *(listing.entry_id for listing in hit.listings)}
        if ids & wanted:
            if hit.status is Status.ALERT:
                return Status.ALERT
            best = hit.status
    return best


def sdn_to_el(snapshot: ListSnapshot, show_links: int) -> dict[str, Any]:
    links = linked_entities(snapshot.entries)
    screener = Screener([snapshot], lists={"EL"})
    found, alert, entity_found = _tally(), _tally(), _tally()
    found_all, other_names = _tally(), _tally()
    excluded: list[str] = []
    misses: list[str] = []
    shown: list[str] = []
    for sdn, els in links:
        el_keys = {link_key(n) for e in els for n, _ in e.all_names}
        wanted = {e.entry_id for e in els}
        if len(shown) < show_links:
            shown.append(f"{sdn.name} [{','.join(sdn.countries)}] == {els[0].name}")
        variants = [n for n, _ in sdn.all_names if link_key(n) not in el_keys]
        variants = list(dict.fromkeys(variants))
        any_found = None
        el_names = [n for e in els for n, _ in e.all_names]
        for name in variants:
            part = split_of(name)
            status = _status_of(screener, name, wanted)
            found_all[part][1] += 1
            found_all[part][0] += status is not None
            if not findable_by_name(name, el_names):
                other_names[part][1] += 1
                other_names[part][0] += status is not None
                if part == "dev":
                    excluded.append(f"{name} -> {els[0].name}")
                continue
            found[part][1] += 1
            alert[part][1] += 1
            if status is not None:
                found[part][0] += 1
                alert[part][0] += status is Status.ALERT
            elif part == "dev":
                misses.append(f"{name} -> {els[0].name}")
            any_found = bool(any_found) or status is not None
        if any_found is not None:
            part = split_of(sdn.entry_id)
            entity_found[part][1] += 1
            entity_found[part][0] += any_found
    return {
        "linked_sdn_entries": len(links),
        "variant_names_review_or_alert": _rates(found),
        "all_variant_names_review_or_alert": _rates(found_all),
        "other_names_excluded_found": _rates(other_names),
        "dev_other_names_excluded": excluded,
        "variant_names_alert": _rates(alert),
        "entities_with_a_variant_found": _rates(entity_found),
        "links_for_hand_check": shown,
        "dev_misses": misses,
    }


def _primary_only(snapshot: ListSnapshot) -> ListSnapshot:
    entries = tuple(
        e.model_copy(update={"aliases": ()}) for e in snapshot.entries if e.source == "EL"
    )
    return snapshot.model_copy(update={"entries": entries})


def alias_pairs(snapshot: ListSnapshot, gleif: Path, negatives: int) -> dict[str, Any]:
    """The labelled-pairs substitute (module doc)."""
    primary = _primary_only(snapshot)
    screener = Screener([primary])
    recall = _tally()
    for entry in (e for e in snapshot.entries if e.source == "EL"):
        own = link_key(entry.name)
        seen: set[str] = set()
        for alias in entry.aliases:
            key = link_key(alias.name)
            if key == own or key in seen or not key:
                continue
            seen.add(key)
            part = split_of(alias.name)
            recall[part][1] += 1
            recall[part][0] += _status_of(screener, alias.name, {entry.entry_id}) is not None
    false_pos = _tally()
    with gleif.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            if number >= negatives:
                break
            part = split_of(row["LEI"])
            result = screener.screen(Party(name=row["legal_name"], country=row["country"]))
            false_pos[part][1] += 1
            false_pos[part][0] += bool(result.hits)
    return {
        "substitute": "not a public labelled benchmark: Entity List aliases vs primary names "
        "(positives) and GLEIF legal names (negatives), both from the shared data",
        "recall_review_or_alert": _rates(recall),
        "false_positive_rate_review_or_alert": _rates(false_pos),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show-links", type=int, default=0, help="linked pairs to print")
    parser.add_argument("--negatives", type=int, default=5000, help="GLEIF rows screened")
    parser.add_argument("--skip-pairs", action="store_true", help="SDN -> EL only")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    csl_path = args.data / CSL_2026
    if not csl_path.exists():
        print(f"list_variants: {csl_path} not found (shared data absent)", file=sys.stderr)
        return 2
    started = time.process_time()
    csl = load_list(csl_path)
    doc: dict[str, Any] = {"sdn_to_el": sdn_to_el(csl, args.show_links)}
    if not args.skip_pairs:
        doc["alias_pairs_substitute"] = alias_pairs(csl, args.data / GLEIF, args.negatives)
    doc["cpu_seconds"] = round(time.process_time() - started, 1)
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    if args.json is not None:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
