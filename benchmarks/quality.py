"""Screening quality: recall on treated list names, false alerts on real innocent companies.

Positives: every name and strong alias of the chosen lists (default: the Entity List) of the
2026 CSL, untreated and under every applicable treatment of ``benchmarks/treatments.py``,
screened name-only against the full CSL. A query counts as found when the intended entry is
among the hits (at or above the review threshold), through any of its names: entity-level
recall, as in screening-landscape.md section 9.1.

Negatives: the GLEIF export-sensitive-sector sample (with its country, and name-only) and the
SEC issuer list. Rates are per 1,000 screenings, with and without the hand-checked rows of
``benchmarks/known_listed.py`` that really are listed.

    python benchmarks/quality.py --limit 2000
    python benchmarks/quality.py --json quality.json
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.known_listed import KNOWN_LISTED, excluded_keys
from benchmarks.treatments import (
    GENERIC_WORDS,
    Family,
    NameContext,
    Treated,
    find_legal_form,
    rng_for,
    treat_all,
)
from compliance.screening.countries import country_code
from compliance.screening.legal_forms import TOKENS as LEGAL_FORM_TOKENS
from compliance.screening.results import Hit, Party, PartyType, ScreeningResult, Status
from compliance.watchlists.entry import AliasStrength, EntryKind, ListEntry
from compliance.watchlists.snapshot import ListSnapshot

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
CSL_2026 = Path("lists/csl/2026-07-31_compact/consolidated.csv")
GLEIF = Path("eval/negatives/gleif_export_sensitive_sectors_dev.csv")
SEC = Path("eval/negatives/sec_company_tickers.csv")

T = TypeVar("T")
HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)


# --------------------------------------------------------------------------- inputs


def load_snapshot(path: Path) -> ListSnapshot:
    """The list through the project's own reader (the generic loader when it is importable)."""
    try:
        from compliance.watchlists.load import load_list
    except ImportError:  # the format-detecting loader is optional here: the file is a CSL CSV
        from compliance.watchlists.readers.csl_csv import read_csl_csv

        return read_csl_csv(path)
    return load_list(path)


_ORG_WORDS = GENERIC_WORDS | {
    "company", "computer", "construction", "bank", "aviation", "airlines", "air", "shipping",
    "ministry", "organization", "organisation", "agency", "corps", "office", "department",
    "committee", "commission", "foundation", "trust", "fund", "partners", "consulting",
    "electronic", "engineering", "technical", "tech", "zone", "station", "market", "store",
    "shop", "house", "works", "unit", "navy", "army", "force", "forces", "guard", "brigade",
    "hospital", "school", "college", "project", "network", "media", "energy", "oil", "gas",
    "petroleum", "chemical", "chemicals", "metal", "metals", "steel", "optical", "microelectronics",
    "semiconductor", "semiconductors", "aerospace", "defense", "defence", "marine", "maritime",
    # seen in Entity List aliases that otherwise read as two to four given names and surnames
    "cloud", "openlab", "networks", "associates", "engineers", "electronica", "elektronika",
    "elektronik", "logic", "phase", "display", "catering", "alloys", "integrated", "circuit",
    "multicom", "intelcom", "com", "motor", "motors", "property", "republic", "solution",
    "empire", "ventures", "traders", "global", "consultants", "sons", "field", "drilling",
    "aircraft", "civil", "radio", "farm", "pharm", "instrument", "tooling", "components",
    "neft", "middle", "ran", "ras",
}  # fmt: skip


def looks_like_person(entry: ListEntry, name: str) -> bool:
    """Treasury rows say who is a person; BIS/State rows do not, so guess from the names.

    Two to four purely alphabetic words with no legal form, no organisation word and no
    acronym: the Entity List's individuals ("Abdul Satar Ghoura") and almost none of its
    organisations. An entry any of whose names shows an organisation (a legal form, an
    organisation word, a digit or an acronym: "Huawei Cloud Singapore Pte. Ltd.", "SM Way Oy",
    "APEX Yekaterinburg") is an organisation under every name, so that a short alias such as
    "Huawei Cloud Singapore" is not treated as a person's name.
    """
    if entry.kind is not None:
        return entry.kind is EntryKind.INDIVIDUAL
    if any(org_evidence(other) for other, _ in entry.all_names):
        return False
    words = name.replace(",", " ").split()
    if not 2 <= len(words) <= 4 or find_legal_form(name) is not None:
        return False
    return all(
        re.fullmatch(r"[^\W\d_]+(?:['-][^\W\d_]+)*\.?", w) and w.casefold() not in _ORG_WORDS
        for w in words
    )


# Words that read as an organisation in _ORG_WORDS but also as a title or particle in a
# person's listed name ("General Jalaluddin"): not evidence about the entry on their own.
_PERSON_COMPATIBLE = frozenset({"general", "of", "the", "and", "de", "la", "del", "in", "for"})
_ACRONYM = re.compile(r"[A-Z]{2,4}")


def org_evidence(name: str) -> str | None:
    """What in a name shows an organisation, or None: a legal form (the treatments' own or a
    legal-form word of the package's table: "Oy", "SAS", "FZC"), a digit, an organisation word,
    or an acronym of two to four capitals in a name not written all in capitals ("SM Way Oy";
    "Sergey IONOV" keeps its five-letter surname)."""
    if find_legal_form(name) is not None:
        return "legal form"
    if any(c.isdigit() for c in name):
        return "digit"
    mixed_case = not name.isupper()
    for raw in re.split(r"[\s,/()-]+", name):
        word = raw.strip(".,'\"()")
        folded = word.casefold()
        if folded in LEGAL_FORM_TOKENS:
            return f"legal form {word}"
        if folded in _ORG_WORDS and folded not in _PERSON_COMPATIBLE:
            return f"organisation word {word}"
        if mixed_case and _ACRONYM.fullmatch(word):
            return f"acronym {word}"
        if len(word) >= 4 and country_code(word) is not None:
            return f"country {word}"
    return None


def name_key(name: str) -> str:
    """Case, accents, punctuation and spacing folded: names equal under this are one name."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Query:
    """One treated list name and the entry it must find."""

    list_code: str
    entry_id: str
    person: bool
    alias: bool
    treated: Treated


HELDOUT_SHARE = 5  # one key in five is held out: never looked at while tuning (issue 16)


def held_out(key: str) -> bool:
    """The held-out split, by a hash of the entry id (positives) or row key (negatives):
    figures on it are reported, never tuned on."""
    return hashlib.sha256(key.encode("utf-8")).digest()[0] % HELDOUT_SHARE == 0


def split_label(key: str) -> str:
    return "held-out" if held_out(key) else "tuning"


def build_positives(snapshot: ListSnapshot, lists: frozenset[str] | None, seed: int) -> list[Query]:
    """Every primary name and strong alias of the chosen lists under every treatment."""
    queries: list[Query] = []
    seen: set[tuple[str, str, str]] = set()
    chosen = [e for e in snapshot.entries if lists is None or e.source in lists]
    for entry in sorted(chosen, key=lambda e: (e.source, e.entry_id)):
        for position, (name, strength) in enumerate(entry.all_names):
            if strength is AliasStrength.WEAK or not name.strip():
                continue
            person = looks_like_person(entry, name)
            ctx = NameContext(is_person=person, countries=entry.countries)
            for treated in treat_all(name, seed, ctx):
                key = (entry.entry_id, treated.treatment, treated.text)
                if key in seen:
                    continue
                seen.add(key)
                queries.append(Query(entry.source, entry.entry_id, person, position > 0, treated))
    return queries


def entries_by_name(snapshot: ListSnapshot) -> dict[str, frozenset[str]]:
    """Folded name -> every entry carrying it: a hit on a same-named entry is no ranking error."""
    out: dict[str, set[str]] = {}
    for entry in snapshot.entries:
        for name, _ in entry.all_names:
            out.setdefault(name_key(name), set()).add(entry.entry_id)
    return {k: frozenset(v) for k, v in out.items()}


@dataclass(frozen=True)
class Innocent:
    dataset: str
    key: str
    name: str
    country: str | None


def read_innocents(path: Path, dataset: str, *, with_country: bool) -> list[Innocent]:
    """GLEIF (LEI, legal_name, country) or SEC (cik, name) rows; empty names are reported."""
    out: list[Innocent] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            key = row.get("LEI") or row.get("cik") or f"line {line}"
            name = (row.get("legal_name") or row.get("name") or "").strip()
            if not name:
                print(f"{path.name}: line {line}: field name: empty, row left out", file=sys.stderr)
                continue
            country = (row.get("country") or "").strip() or None
            out.append(Innocent(dataset, key, name, country if with_country else None))
    return out


def dedupe(rows: Sequence[Innocent]) -> tuple[list[Innocent], int]:
    """One row per identifier: the SEC file repeats an issuer once per share class."""
    seen: set[str] = set()
    out: list[Innocent] = []
    for row in rows:
        if row.key not in seen:
            seen.add(row.key)
            out.append(row)
    return out, len(rows) - len(out)


def sample(items: Sequence[T], limit: int | None, seed: int, label: str) -> list[T]:
    """A seeded, order-preserving sample (everything when ``limit`` is None or large enough)."""
    if limit is None or limit >= len(items):
        return list(items)
    picked = sorted(rng_for(seed, "sample", label).sample(range(len(items)), limit))
    return [items[i] for i in picked]


# --------------------------------------------------------------------------- screening


def screen(snapshot: ListSnapshot, parties: list[Party], workers: int) -> list[ScreeningResult]:
    from compliance.screening.screener import Screener

    screener = Screener([snapshot])
    return list(screener.screen_many(parties, workers=workers))


# --------------------------------------------------------------------------- scoring


def pct(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01")) if whole else None


def per_thousand(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * THOUSAND / Decimal(whole)).quantize(Decimal("0.01")) if whole else None


@dataclass
class Tally:
    """Recall, alert-level recall, rank-1 rate and MRR over a group of queries."""

    n: int = 0
    found: int = 0
    alert: int = 0
    rank1: int = 0
    reciprocal: Decimal = Decimal(0)
    errors: int = 0

    def add(self, rank: int | None, alert: bool, error: bool) -> None:
        self.n += 1
        self.errors += error
        if rank is not None:
            self.found += 1
            self.alert += alert
            self.rank1 += rank == 1
            self.reciprocal += Decimal(1) / Decimal(rank)

    def summary(self) -> dict[str, Any]:
        mrr = (self.reciprocal / Decimal(self.n)).quantize(Decimal("0.0001")) if self.n else None
        return {
            "queries": self.n,
            "found": self.found,
            "recall_pct": pct(self.found, self.n),
            "alert_recall_pct": pct(self.alert, self.n),
            "rank1_pct": pct(self.rank1, self.n),
            "mrr": mrr,
            "errors": self.errors,
        }


def names_entry(hit: Hit, entry_id: str) -> bool:
    """The hit is the entry, or one hit for an entity that the entry also publishes
    (``Hit.listings``, issue 16 section 7: the CSL repeats an Entity List entity on other
    lists, and the screener reports it once, under whichever listing scored best)."""
    return hit.entry_id == entry_id or any(x.entry_id == entry_id for x in hit.listings)


def intended_rank(result: ScreeningResult, query: Query, same_name: frozenset[str]) -> int | None:
    """1-based rank of the intended entry, not counting entries that carry the same name."""
    review = result.thresholds.review
    ahead = 0
    for hit in result.hits:
        if hit.score < review:
            continue
        if names_entry(hit, query.entry_id):
            return ahead + 1
        if hit.entry_id not in same_name:
            ahead += 1
    return None


@dataclass
class PositiveReport:
    overall: Tally = field(default_factory=Tally)
    by_family: dict[str, Tally] = field(default_factory=dict)
    by_treatment: dict[str, Tally] = field(default_factory=dict)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    by_list: dict[str, Tally] = field(default_factory=dict)
    by_split: dict[str, Tally] = field(default_factory=dict)
    by_treatment_split: dict[str, Tally] = field(default_factory=dict)
    targets: dict[str, Decimal] = field(default_factory=dict)
    misses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def score_positives(
    queries: Sequence[Query],
    results: Sequence[ScreeningResult],
    names: dict[str, frozenset[str]],
    show_misses: int,
) -> PositiveReport:
    report = PositiveReport()
    for query, result in zip(queries, results, strict=True):
        same = names.get(name_key(query.treated.original), frozenset({query.entry_id}))
        rank = intended_rank(result, query, same)
        alert = rank is not None and any(
            names_entry(h, query.entry_id) and h.status is Status.ALERT for h in result.hits
        )
        error = result.status is Status.ERROR
        t = query.treated
        treatment = t.treatment if t.family is not Family.STACKED else "two stacked"
        kind = "person" if query.person else "organisation"
        for group, label in (
            (report.by_family, t.family.value),
            (report.by_treatment, f"{t.family.value.split()[0]} {treatment}"),
            (report.by_kind, kind),
            (report.by_list, query.list_code),
            (report.by_split, split_label(query.entry_id)),
            (
                report.by_treatment_split,
                f"{t.family.value.split()[0]} {treatment} [{split_label(query.entry_id)}]",
            ),
        ):
            group.setdefault(label, Tally()).add(rank, alert, error)
        report.overall.add(rank, alert, error)
        if t.family is not Family.STACKED:
            report.targets.setdefault(treatment, t.target)
        if rank is None and not held_out(query.entry_id):  # never look at held-out misses
            misses = report.misses.setdefault(t.family.value, [])
            if len(misses) < show_misses:
                misses.append(_miss(query, result))
    return report


def _miss(query: Query, result: ScreeningResult) -> dict[str, Any]:
    top = result.hits[0] if result.hits else None
    return {
        "entry_id": query.entry_id,
        "listed": query.treated.original,
        "query": query.treated.text,
        "treatment": query.treated.treatment,
        "top_hit": None if top is None else f"{top.listed_name} ({top.list}) {top.score:.4f}",
        "error": result.error,
    }


def group_recall(report: PositiveReport, labels: Iterable[str]) -> Tally:
    """One tally over several treatments (e.g. every normalisation-only treatment)."""
    total = Tally()
    for label in labels:
        for key, tally in report.by_treatment.items():
            if key.split(" ", 1)[1] == label:
                total.n += tally.n
                total.found += tally.found
                total.alert += tally.alert
                total.rank1 += tally.rank1
                total.reciprocal += tally.reciprocal
                total.errors += tally.errors
    return total


@dataclass
class NegativeTally:
    n: int = 0
    alerts: int = 0
    reviews: int = 0
    errors: int = 0
    alerts_excl: int = 0
    reviews_excl: int = 0
    n_excl: int = 0
    repeated_rows_left_out: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "screened": self.n,
            "repeated_rows_left_out": self.repeated_rows_left_out,
            "alerts": self.alerts,
            "reviews": self.reviews,
            "errors": self.errors,
            "alerts_per_1000": per_thousand(self.alerts, self.n),
            "alerts_and_reviews_per_1000": per_thousand(self.alerts + self.reviews, self.n),
            "reviews_per_1000": per_thousand(self.reviews, self.n),
            "screened_without_known_listed": self.n_excl,
            "alerts_per_1000_without_known_listed": per_thousand(self.alerts_excl, self.n_excl),
            "reviews_per_1000_without_known_listed": per_thousand(self.reviews_excl, self.n_excl),
        }


def score_negatives(
    label: str, innocents: Sequence[Innocent], results: Sequence[ScreeningResult]
) -> tuple[NegativeTally, list[dict[str, Any]]]:
    excluded = excluded_keys()
    tally = NegativeTally()
    flagged: list[dict[str, Any]] = []
    for innocent, result in zip(innocents, results, strict=True):
        known = (innocent.dataset, innocent.key) in excluded
        alert = result.status is Status.ALERT
        review = result.status is Status.REVIEW
        tally.n += 1
        tally.alerts += alert
        tally.reviews += review
        tally.errors += result.status is Status.ERROR
        if not known:
            tally.n_excl += 1
            tally.alerts_excl += alert
            tally.reviews_excl += review
        if (alert or review) and result.hits:
            top = result.hits[0]
            flagged.append(
                {
                    "set": label,
                    "key": innocent.key,
                    "name": innocent.name,
                    "country": innocent.country,
                    "status": result.status.value,
                    "score": Decimal(str(top.score)),
                    "listed": top.listed_name,
                    "matched": top.matched_name,
                    "list": top.list,
                    "entry_id": top.entry_id,
                    "listed_countries": list(top.countries),
                    "known_listed": known,
                }
            )
    return tally, flagged


# --------------------------------------------------------------------------- targets

NORMALISATION_ONLY = (
    "exact",
    "case_change",
    "punctuation_stripped",
    "punctuation_added",
    "diacritics_dropped",
    "odd_spaces",
    "hyphen_space",
    "token_merge",
    "homoglyph",
    "invisible",
    "legal_form_removed",
    "legal_form_swapped",
    "legal_form_added",
)
CYRILLIC_TREATMENTS = ("latin_to_cyrillic", "cyrillic_romanised", "reromanised")
SINGLE_T1_T4 = (Family.TYPO, Family.FORMAT, Family.HOMOGLYPH, Family.STRUCTURE, Family.ORG_FORM)


def check_targets(
    report: PositiveReport, negatives: dict[str, NegativeTally]
) -> list[dict[str, Any]]:
    """Each target of the brief and screening-landscape.md 9.2, with the measured figure."""
    rows: list[dict[str, Any]] = []

    def add(target: str, goal: Decimal, actual: Decimal | None, higher_is_better: bool) -> None:
        met = None if actual is None else (actual >= goal if higher_is_better else actual <= goal)
        rows.append({"target": target, "goal": goal, "actual": actual, "met": met})

    norm = group_recall(report, NORMALISATION_ONLY).summary()
    add("recall, normalisation/legal-form-only variants (%)", HUNDRED, norm["recall_pct"], True)
    single = Tally()
    for fam in SINGLE_T1_T4:
        t = report.by_family.get(fam.value)
        if t is not None:
            single.n += t.n
            single.found += t.found
    add("recall, single treatment T1-T4 (%)", Decimal(99), single.summary()["recall_pct"], True)
    for fam in SINGLE_T1_T4:
        tally = report.by_family.get(fam.value)
        if tally is not None:
            add(f"recall, {fam.value} (%)", Decimal(98), tally.summary()["recall_pct"], True)
    for fam, goal in ((Family.CONTEXT, Decimal(97)), (Family.STACKED, Decimal(95))):
        tally = report.by_family.get(fam.value)
        if tally is not None:
            add(f"recall, {fam.value} (%)", goal, tally.summary()["recall_pct"], True)
    for label, treatments, goal in (
        ("Cyrillic", CYRILLIC_TREATMENTS, Decimal(97)),
        ("Pinyin/Han", ("pinyin_spacing", "han_to_pinyin"), Decimal(90)),
    ):
        tally = group_recall(report, treatments)
        if tally.n:
            add(f"recall, T6 {label} variants (%)", goal, tally.summary()["recall_pct"], True)
    overall = report.overall.summary()
    add("rank 1 (%)", Decimal(97), overall["rank1_pct"], True)
    add("MRR", Decimal("0.98"), overall["mrr"], True)
    for label, treatments, goal in (
        ("symbols inserted (T7)", ("symbol_inserted",), HUNDRED),
        (
            "abbreviations, ISO 4 / EDGAR (T4 abbreviation_wide)",
            ("abbreviation_wide",),
            Decimal(99),
        ),
        (
            "spacing in any position (T8)",
            ("spacing_split", "spacing_split_three", "spacing_merge_three", "spacing_merge_legal"),
            Decimal(99),
        ),
        ("city of the entity's country before the name", ("city_prefix",), Decimal(99)),
    ):
        tally = group_recall(report, treatments)
        if tally.n:
            add(f"recall, {label} (%)", goal, tally.summary()["recall_pct"], True)
    for label in ("gleif", "gleif_name_only", "sec"):
        neg = negatives.get(label)
        if neg is not None:
            s16 = neg.summary()
            add(f"{label}: alerts per 1,000 (issue 16)", Decimal(1), s16["alerts_per_1000"], False)
            add(
                f"{label}: alerts + reviews per 1,000 (issue 16)",
                Decimal(15),
                s16["alerts_and_reviews_per_1000"],
                False,
            )
    gleif = negatives.get("gleif")
    if gleif is not None:
        s = gleif.summary()
        add("GLEIF alerts per 1,000 (with country)", Decimal(2), s["alerts_per_1000"], False)
        add(
            "GLEIF alerts per 1,000 (with country, known-listed excluded)",
            Decimal(2),
            s["alerts_per_1000_without_known_listed"],
            False,
        )
    return rows


def treatment_targets(report: PositiveReport) -> list[dict[str, Any]]:
    """Each treatment against its own target (``Treatment.target``), for finding weak spots."""
    rows: list[dict[str, Any]] = []
    for key, tally in sorted(report.by_treatment.items()):
        name = key.split(" ", 1)[1]
        goal = report.targets.get(name, Decimal(95) if name == "two stacked" else None)
        actual = tally.summary()["recall_pct"]
        met = None if goal is None or actual is None else actual >= goal
        rows.append({"treatment": key, "goal": goal, "actual": actual, "met": met})
    return rows


# --------------------------------------------------------------------------- output


def _fmt(value: Any) -> str:
    return "-" if value is None else str(value)


def render(doc: dict[str, Any], top: int) -> str:
    """The report for a person: tables of recall, false alerts, targets, misses, top alerts."""
    lines: list[str] = []
    cfg = doc["config"]
    lines.append(
        f"snapshot {cfg['snapshot_id']}  lists {','.join(cfg['lists'])}  seed {cfg['seed']}  "
        f"limit {_fmt(cfg['limit'])}  thresholds review {cfg['review']} alert {cfg['alert']}"
    )
    head = f"{'group':44} {'n':>7} {'recall%':>8} {'alert%':>7} {'rank1%':>7} {'MRR':>7}"
    for section in (
        "overall",
        "by_family",
        "by_kind",
        "by_list",
        "by_split",
        "by_treatment",
        "by_treatment_split",
    ):
        lines.append("")
        lines.append(f"== positives {section}")
        lines.append(head)
        rows = doc["positives"][section]
        for label, s in sorted(rows.items()) if section != "overall" else [("all", rows)]:
            lines.append(
                f"{label:44} {s['queries']:>7} {_fmt(s['recall_pct']):>8} "
                f"{_fmt(s['alert_recall_pct']):>7} {_fmt(s['rank1_pct']):>7} {_fmt(s['mrr']):>7}"
            )
    lines.append("")
    lines.append("== negatives (per 1,000 screenings; 'excl' = known-listed rows left out)")
    lines.append(
        f"{'set':22} {'n':>7} {'alerts':>7} {'/1000':>7} {'excl':>7} "
        f"{'reviews':>8} {'/1000':>7} {'excl':>7} {'a+r/1000':>9}"
    )
    for label, s in sorted(doc["negatives"].items()):
        excl_alerts = _fmt(s["alerts_per_1000_without_known_listed"])
        excl_reviews = _fmt(s["reviews_per_1000_without_known_listed"])
        lines.append(
            f"{label:22} {s['screened']:>7} {s['alerts']:>7} {_fmt(s['alerts_per_1000']):>7} "
            f"{excl_alerts:>7} {s['reviews']:>8} {_fmt(s['reviews_per_1000']):>7} {excl_reviews:>7}"
            f" {_fmt(s['alerts_and_reviews_per_1000']):>9}"
        )
    lines.append("")
    lines.append("== targets")
    for row in doc["targets"]:
        mark = {True: "MET", False: "MISSED", None: "n/a"}[row["met"]]
        lines.append(
            f"{mark:7} {row['target']:62} goal {row['goal']}  actual {_fmt(row['actual'])}"
        )
    missed = [r for r in doc["treatment_targets"] if r["met"] is False]
    lines.append("")
    lines.append(f"== treatments below their own target: {len(missed)}")
    for row in missed:
        lines.append(f"MISSED  {row['treatment']:56} goal {row['goal']}  actual {row['actual']}")
    lines.append("")
    lines.append(f"== top {top} flagged innocents (check by hand; * = known listed, excluded)")
    for f in doc["top_flagged"][:top]:
        star = "*" if f["known_listed"] else " "
        lines.append(
            f"{star} {f['status']:6} {f['score']} {f['set']}:{f['key']} {f['name']!r} "
            f"[{_fmt(f['country'])}] -> {f['list']} {f['listed']!r} via {f['matched']!r} "
            f"{'/'.join(f['listed_countries'])}"
        )
    if doc["misses"]:
        lines.append("")
        lines.append("== sample misses per family")
        for fam, misses in sorted(doc["misses"].items()):
            for m in misses:
                lines.append(
                    f"{fam:26} {m['treatment']:24} {m['query']!r} (listed {m['listed']!r}) "
                    f"top: {_fmt(m['top_hit'])}"
                )
    return "\n".join(lines) + "\n"


def to_json(doc: dict[str, Any]) -> str:
    """Sorted keys, Decimals as strings: the same run always gives the same bytes."""
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False, default=str) + "\n"


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data directory")
    p.add_argument("--list", type=Path, default=None, help="list file (default: 2026 CSL CSV)")
    p.add_argument(
        "--lists", default="EL", help="list codes for positives, comma-separated, or ALL"
    )
    p.add_argument("--limit", type=int, default=None, help="sample this many queries per set")
    p.add_argument("--seed", type=int, default=20260731)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--json", type=Path, default=None, metavar="OUT", help="write JSON here")
    p.add_argument("--top", type=int, default=40, help="flagged innocents to print")
    p.add_argument(
        "--show-misses",
        type=int,
        default=8,
        help="missed queries shown per family (tuning split only)",
    )
    p.add_argument("--no-negatives", action="store_true", help="positives only (quick tuning)")
    p.add_argument(
        "--treatments", default=None, help="only these treatments (comma-separated names)"
    )
    p.add_argument(
        "--families",
        default=None,
        help="only these treatment families (comma-separated codes: T6,T8,X2)",
    )
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    list_path = args.list or args.data / CSL_2026
    snapshot = load_snapshot(list_path)
    lists = None if args.lists.upper() == "ALL" else frozenset(args.lists.split(","))
    positives = sample(build_positives(snapshot, lists, args.seed), args.limit, args.seed, "pos")
    if args.treatments:
        chosen = frozenset(args.treatments.split(","))
        positives = [q for q in positives if q.treated.treatment in chosen]
    if args.families:
        codes = frozenset(args.families.split(","))
        positives = [q for q in positives if q.treated.family.value.split()[0] in codes]
    print(f"{len(positives)} positive queries", file=sys.stderr)
    pos_results = screen(snapshot, [Party(name=q.treated.text) for q in positives], args.workers)
    report = score_positives(positives, pos_results, entries_by_name(snapshot), args.show_misses)

    negatives: dict[str, NegativeTally] = {}
    flagged: list[dict[str, Any]] = []
    if not args.no_negatives:
        sets = (
            ("gleif", args.data / GLEIF, True),
            ("gleif_name_only", args.data / GLEIF, False),
            ("sec", args.data / SEC, False),
        )
        for label, path, with_country in sets:
            dataset = "gleif" if label.startswith("gleif") else "sec"
            rows, repeated = dedupe(read_innocents(path, dataset, with_country=with_country))
            rows = sample(rows, args.limit, args.seed, dataset)
            parties = [
                Party(name=r.name, id=r.key, country=r.country, type=PartyType.ENTITY) for r in rows
            ]
            print(f"{len(rows)} innocents ({label}), {repeated} repeated rows", file=sys.stderr)
            results = screen(snapshot, parties, args.workers)
            tally, found = score_negatives(label, rows, results)
            tally.repeated_rows_left_out = repeated
            negatives[label] = tally
            for part in ("tuning", "held-out"):
                picked = [k for k, r in enumerate(rows) if split_label(r.key) == part]
                negatives[f"{label} [{part}]"] = score_negatives(
                    label, [rows[k] for k in picked], [results[k] for k in picked]
                )[0]
            flagged.extend(found)
    flagged.sort(key=lambda f: (-f["score"], f["set"], f["key"]))
    thresholds = pos_results[0].thresholds if pos_results else None
    doc: dict[str, Any] = {
        "config": {
            "snapshot_id": snapshot.snapshot_id,
            "list_file": list_path.name,
            "lists": sorted(lists) if lists else ["ALL"],
            "seed": args.seed,
            "limit": args.limit,
            "review": None if thresholds is None else thresholds.review,
            "alert": None if thresholds is None else thresholds.alert,
            "library_version": pos_results[0].library_version if pos_results else None,
            "known_listed_rows": len(KNOWN_LISTED),
        },
        "positives": {
            "overall": report.overall.summary(),
            "by_family": {k: v.summary() for k, v in report.by_family.items()},
            "by_treatment": {k: v.summary() for k, v in report.by_treatment.items()},
            "by_kind": {k: v.summary() for k, v in report.by_kind.items()},
            "by_list": {k: v.summary() for k, v in report.by_list.items()},
            "by_split": {k: v.summary() for k, v in report.by_split.items()},
            "by_treatment_split": {k: v.summary() for k, v in report.by_treatment_split.items()},
        },
        "negatives": {k: v.summary() for k, v in negatives.items()},
        "targets": check_targets(report, negatives),
        "treatment_targets": treatment_targets(report),
        "top_flagged": flagged[: max(args.top, 100)],
        "misses": report.misses,
    }
    sys.stdout.write(render(doc, args.top))
    if args.json is not None:
        args.json.write_text(to_json(doc), encoding="utf-8")
    print(f"elapsed {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
