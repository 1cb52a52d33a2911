"""Is this foreign-made item subject to the EAR? Runs every route, in order, tri-state.

Order (ear-reference.md section 2): (1) U.S.-origin item or item in the U.S. -> subject
(15 CFR 734.3(a)(1)-(2)); (2) de minimis (15 CFR 734.4, Supp. No. 2 to part 734); (3) every
foreign-direct product rule in ``compliance.ear.fdp.ALL_RULES`` (15 CFR 734.9(b)-(l)), all
evaluated and reported even once the item is subject. Then the license findings follow.

"Not subject" is returned only when every route is decided against; while any fact that could
change the answer is unknown the result is "indeterminate", naming the facts that decide it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from compliance._version import __version__
from compliance.ear.case import Case, CaseParty, is_us_place, known_country
from compliance.ear.de_minimis import DeMinimisResult, Verdict, evaluate_de_minimis
from compliance.ear.fdp import ALL_RULES
from compliance.ear.fdp.base import (
    EvalContext,
    FdpReadings,
    FdpResult,
    Outcome,
    PartyFootnotes,
    RuleOutcome,
)
from compliance.ear.fdp.prongs import (
    affiliate_of_listed,
    either,
    listed_party,
    listed_production,
)
from compliance.ear.licensing import (
    LicenseFinding,
    PartyListing,
    license_findings,
    overall_policy,
)
from compliance.ear.questions import (
    Question,
    case_warnings,
    questions_for,
    smallest_deciding_set,
)
from compliance.ear.reference import ccl, countries, country_chart, country_groups
from compliance.ear.settings import (
    AffiliatesStatus,
    RulesetSettings,
    affiliates_status,
    describe,
)
from compliance.screening.results import Hit, Party, ScreeningResult, Status

ENTITY_LIST = "EL"


class Screens(Protocol):
    """What the engine needs of ``compliance.screening.screener.Screener``."""

    def screen(self, party: Party) -> ScreeningResult: ...


class Subject(StrEnum):
    """Whether the item is subject to the EAR (15 CFR 734.3); indeterminate names missing facts."""

    YES = "subject"
    NO = "not subject"
    INDETERMINATE = "indeterminate"


class Jurisdiction(BaseModel):
    """Route 1: is the item itself U.S.-origin or in the U.S. (15 CFR 734.3(a))?"""

    model_config = ConfigDict(frozen=True)

    outcome: Verdict
    reason: str
    citation: str
    missing_facts: tuple[str, ...] = ()


class PartyResolution(BaseModel):
    """How a party's Entity List status was settled: given, screened, or left open."""

    model_config = ConfigDict(frozen=True)

    index: int
    role: str
    name: str
    footnotes: tuple[int, ...] = ()
    settled: bool
    sources: tuple[str, ...] = ()
    screening_status: str | None = None
    notes: tuple[str, ...] = ()


class Determination(BaseModel):
    """The answer for one case, with every route, finding, citation and data date."""

    model_config = ConfigDict(frozen=True)

    case_id: str | None
    subject: Subject
    summary: str
    item: str
    destination: str
    destination_note: str | None = None
    export_date: date
    jurisdiction: Jurisdiction
    de_minimis: DeMinimisResult
    fdp: tuple[FdpResult, ...]
    parties: tuple[PartyResolution, ...]
    license_findings: tuple[LicenseFinding, ...]
    license_required: bool | None = Field(
        description="True if any finding requires a license; None if one is unsettled"
    )
    review_policy: str | None = None
    deciding_facts: tuple[str, ...] = Field(
        default=(), description="case fields whose value would decide an indeterminate result"
    )
    questions: tuple[Question, ...] = Field(
        default=(),
        description="the deciding facts as questions a compliance officer can answer, "
        "smallest set first",
    )
    enough_to_decide: tuple[str, ...] = Field(
        default=(),
        description="the smallest set of deciding facts (as the questions name them) whose "
        "negative answers ('no', 'none', not listed) decide an indeterminate result; the "
        "questions list them first, the others are alternatives",
    )
    warnings: tuple[str, ...] = Field(
        default=(),
        description="facts the engine accepted but could not check (e.g. an ECCN "
        "paragraph the bundled CCL does not know)",
    )
    citations: tuple[str, ...]
    settings: RulesetSettings
    settings_notes: tuple[str, ...]
    data_dates: dict[str, str]
    library_version: str = __version__


def to_json(determination: Determination, *, indent: int | None = 2) -> str:
    """Canonical JSON: sorted keys, so the same case always gives the same bytes."""
    return json.dumps(
        determination.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, indent=indent
    )


# --- route 1 ---------------------------------------------------------------------------------


def jurisdiction(case: Case) -> Jurisdiction:
    """U.S.-origin items wherever located and items in the U.S. are subject (734.3(a)).

    Either place may be ``non-US`` (outside the U.S., country not known) or not known; an
    unknown place that could make the item U.S.-origin or located in the U.S. leaves this
    route indeterminate."""
    at = is_us_place(case.item.exported_from)
    made = is_us_place(case.item.country_of_manufacture)
    if at:
        return Jurisdiction(
            outcome=Verdict.SUBJECT,
            reason="the item is in the United States",
            citation="15 CFR 734.3(a)(1)",
        )
    if made:
        return Jurisdiction(
            outcome=Verdict.SUBJECT,
            reason="the item is of U.S. origin, wherever located",
            citation="15 CFR 734.3(a)(2)",
        )
    if at is None or made is None:
        missing = tuple(
            path
            for path, value in (
                ("item.country_of_manufacture", made),
                ("item.exported_from", at),
            )
            if value is None
        )
        return Jurisdiction(
            outcome=Verdict.INDETERMINATE,
            reason="not known whether the item is of U.S. origin or located in the U.S.",
            citation="15 CFR 734.3(a)",
            missing_facts=missing,
        )
    return Jurisdiction(
        outcome=Verdict.NOT_SUBJECT,
        reason=f"foreign-made ({_place(case.item.country_of_manufacture)}) and located outside "
        f"the United States ({_place(case.item.exported_from)})",
        citation="15 CFR 734.3(a)",
    )


def _place(value: str | None) -> str:
    code = known_country(value)
    return code if code is not None else "outside the U.S., country not given"


# --- parties ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Screened:
    """What one screening says about a party's Entity List status."""

    listed: bool | None
    settled: bool
    footnotes: frozenset[int]
    sources: tuple[str, ...]
    remarks: tuple[str, ...]
    status: str
    requirement: str | None = None
    policy: str | None = None
    entries: tuple[str, ...] = ()


def _screen(party: CaseParty, screener: Screens) -> _Screened:
    """Screen a party's name; only Entity List (``EL``) hits matter here."""
    result = screener.screen(Party(name=party.name, country=party.country, address=party.address))
    el = [h for h in result.hits if h.list == ENTITY_LIST]
    alerts = [h for h in el if h.status is Status.ALERT]
    reviews = [h for h in el if h.status is not Status.ALERT]
    notes = frozenset(f.number for h in alerts for f in h.footnotes)
    if result.status is Status.ERROR:
        return _Screened(
            None, False, notes, (), (f"screening failed: {result.error}",), result.status.value
        )
    # A review-level hit unsettles the party only if it could add a footnote (or no alert).
    open_reviews = [h for h in reviews if not alerts or {f.number for f in h.footnotes} - notes]
    remarks = [f"review-level Entity List match, not settled: {_label(h)}" for h in open_reviews]
    remarks += [
        f"review-level Entity List match adds no footnote to the alert: {_label(h)}"
        for h in reviews
        if h not in open_reviews
    ]
    entries = tuple(_label(h) for h in alerts)
    return _Screened(
        listed=True if alerts else (None if reviews else False),
        settled=not open_reviews,
        footnotes=notes,
        sources=tuple(f"screening: {e}" for e in entries) or ("screening: no Entity List alert",),
        remarks=tuple(remarks),
        status=result.status.value,
        requirement=alerts[0].license_requirement if alerts else None,
        policy=alerts[0].license_policy if alerts else None,
        entries=entries,
    )


def _label(hit: Hit) -> str:
    return f"{hit.listed_name} [{hit.entry_id}, score {hit.score:.4f}]"


def resolve_party(
    index: int, party: CaseParty, case: Case, screener: Screens | None
) -> tuple[PartyResolution, PartyListing]:
    """Entity List status of one party: the caller's, else screening's, else unsettled.

    A review-level screening match leaves the party unsettled: dependent rules become
    indeterminate, never silently clear. While the Affiliates rule (90 FR 47201) is in force an
    unknown 50 % ownership leaves the party unsettled too (Red Flag 29, Supp. No. 3 to part 732).
    """
    status: str | None = None
    texts: tuple[str | None, str | None] = (None, None)
    entries: tuple[str, ...] = ()
    if party.entity_list is not None:
        given = party.entity_list
        listed: bool | None = given.listed
        settled = given.known_footnotes is not None
        notes = set(given.known_footnotes or ())
        sources = ["caller: entity_list"]
        remarks: list[str] = (
            []
            if settled
            else [f"listed, footnotes not given (parties[{index}].entity_list.footnotes)"]
        )
        texts = (given.license_requirement, given.review_policy)
        entries = (given.entry,) if given.entry else ()
    elif screener is not None:
        screened = _screen(party, screener)
        listed, settled = screened.listed, screened.settled
        notes = set(screened.footnotes)
        sources, remarks = list(screened.sources), list(screened.remarks)
        status, entries = screened.status, screened.entries
        texts = (screened.requirement, screened.policy)
    elif case.knowledge.entity_list_party is False:
        listed, settled, notes = False, True, set()
        sources, remarks = ["caller: knowledge.entity_list_party = no"], []
    else:
        listed, settled, notes, sources = None, False, set(), []
        remarks = ["Entity List status not given and no screener supplied"]
    owned = affiliate_of_listed(case, party)
    status_50 = affiliates_status(case.settings, case.export_date)
    if status_50 is AffiliatesStatus.IN_FORCE:
        if owned is True:
            notes.update(party.affiliate_footnotes or ())
            sources.append("caller: affiliate_of_listed (90 FR 47201)")
            listed = True
            if party.affiliate_footnotes is None:
                settled = False
                remarks.append(
                    "Affiliates rule (90 FR 47201) in force: the listed owners' footnotes are "
                    f"not given (parties[{index}].affiliate_footnotes)"
                )
        elif owned is None:
            settled = False
            remarks.append(
                "Affiliates rule (90 FR 47201) in force: 50 % ownership by listed parties "
                f"not given (parties[{index}].affiliate_of_listed)"
            )
    elif status_50 is AffiliatesStatus.UNKNOWN and owned is not False:
        settled = False
        remarks.append(
            "Affiliates rule (90 FR 47201) status unknown (settings.affiliates_after_suspension): "
            + (
                "a listed owner of 50 % or more may or may not extend its restrictions"
                if owned
                else f"50 % ownership by listed parties not given (parties[{index}]"
                ".affiliate_of_listed)"
            )
        )
    footnotes = tuple(sorted(notes))
    resolution = PartyResolution(
        index=index,
        role=party.role.value,
        name=party.name,
        footnotes=footnotes,
        settled=settled,
        sources=tuple(sources),
        screening_status=status,
        notes=tuple(remarks),
    )
    listing = PartyListing(
        index=index,
        role=party.role.value,
        name=party.name,
        footnotes=footnotes,
        listed=listed if settled or listed else None,
        license_requirement=texts[0],
        review_policy=texts[1],
        entries=entries,
    )
    return resolution, listing


def context(case: Case, parties: tuple[PartyResolution, ...]) -> EvalContext:
    """The FDP rules' view of what the engine resolved (compliance.ear.fdp.base)."""
    footnotes = tuple(
        PartyFootnotes(
            role=p.role,
            name=p.name,
            footnotes=frozenset(p.footnotes),
            screening_inconclusive=False if p.settled else (True if p.sources else None),
            sources=p.sources,
        )
        for p in parties
    )
    return EvalContext(
        parties_footnotes=footnotes,
        settings=case.settings,
        export_date=case.export_date,
        readings=FdpReadings(),  # no override: the rules read case.settings
    )


# --- the whole determination -----------------------------------------------------------------


def evaluate(case: Case, *, screener: Screens | None = None) -> Determination:
    """Decide whether ``case.item`` is subject to the EAR and what license requirement follows."""
    destination = countries.normalize_destination(case.destination)
    resolved = [resolve_party(i, p, case, screener) for i, p in enumerate(case.parties)]
    parties = tuple(r for r, _ in resolved)
    listings = tuple(listing for _, listing in resolved)
    ctx = context(case, parties)
    fn5 = either(listed_party(ctx, case, 5), listed_production(case, 5, ctx)).outcome
    route1 = jurisdiction(case)
    dm = evaluate_de_minimis(case, fn5, destination=destination)
    fdp = tuple(rule.evaluate(case, ctx) for rule in ALL_RULES)
    subject, summary, deciding = _verdict(route1, dm, fdp)
    enough = _enough_to_decide(route1, dm, fdp, case) if deciding else ()
    findings = (
        license_findings(case, destination, listings, fdp) if subject is not Subject.NO else ()
    )
    warnings = case_warnings(case) + _content_warnings(dm)
    return Determination(
        case_id=case.case_id,
        subject=subject,
        summary=summary,
        item=f"{case.item.description} ({case.item.eccn or 'ECCN not known'})",
        destination=destination,
        destination_note=countries.destination_note(case.destination),
        export_date=case.export_date,
        jurisdiction=route1,
        de_minimis=dm,
        fdp=fdp,
        parties=parties,
        license_findings=findings,
        license_required=_license_required(findings),
        review_policy=overall_policy(findings),
        deciding_facts=deciding,
        questions=questions_for(deciding, case, _weights(route1, dm, fdp), enough)
        if deciding
        else (),
        enough_to_decide=enough,
        warnings=warnings,
        citations=_citations(route1, dm, fdp, findings),
        settings=case.settings,
        settings_notes=describe(case.settings, case.export_date),
        data_dates=data_dates(),
    )


def _content_warnings(dm: DeMinimisResult) -> tuple[str, ...]:
    """U.S. controlled content worth more than the item: Supp. No. 2 to part 734 divides the
    one by the other, so such a case is decided (a sale below cost is possible) but more often
    holds a typo, a unit or a currency mix-up; say so instead of a silent 500 %."""
    price = dm.denominator
    if price is None or dm.numerator <= price:
        return ()
    return (
        f"de minimis: the U.S.-origin controlled content counted ({dm.numerator} "
        f"{dm.currency}) exceeds the item's price ({price} {dm.currency}); check the BOM "
        "values, their units and currency (Supp. No. 2 to part 734 compares the two)",
    )


class BatchError(BaseModel):
    """A case in a batch that could not be evaluated; the other cases are unaffected."""

    model_config = ConfigDict(frozen=True)

    index: int = Field(description="0-based position in the batch")
    case_id: str | None
    error: str


def _evaluate_one(item: tuple[int, Case]) -> Determination | BatchError:
    index, case = item
    try:
        return evaluate(case)
    except ValueError as exc:  # reference data cannot answer for this case
        return BatchError(index=index, case_id=case.case_id, error=f"cannot evaluate: {exc}")
    except (ArithmeticError, LookupError, RecursionError) as exc:  # one case never sinks a batch
        return BatchError(
            index=index,
            case_id=case.case_id,
            error=f"cannot evaluate: {type(exc).__name__}: {exc}",
        )


def evaluate_many(
    cases: Sequence[Case], *, workers: int = 1, chunksize: int = 64
) -> Iterator[Determination | BatchError]:
    """Evaluate a batch, yielding results in input order; one failing case never loses the
    others.

    A generator, so a caller can write each result out and drop it: holding thousands of
    determinations at once makes Python's cycle collector the main cost of a large batch.
    ``workers`` > 1 spreads the batch over that many processes (the engine is CPU-bound
    Python, so threads would not help; results come back pickled, see
    docs/ear-benchmarks.md for when that pays). Parties are not screened here: pass a
    screener to :func:`evaluate` case by case, or give ``entity_list`` in the cases.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    return _batch(list(enumerate(cases)), workers, chunksize)


def _batch(
    items: list[tuple[int, Case]], workers: int, chunksize: int
) -> Iterator[Determination | BatchError]:
    if workers == 1 or len(items) < 2 * chunksize:
        yield from map(_evaluate_one, items)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_evaluate_one, items, chunksize=chunksize)


def _verdict(
    route1: Jurisdiction, dm: DeMinimisResult, fdp: tuple[FdpResult, ...]
) -> tuple[Subject, str, tuple[str, ...]]:
    applies = [r.rule_id for r in fdp if r.outcome is RuleOutcome.APPLIES]
    open_rules = [r for r in fdp if r.outcome is RuleOutcome.INDETERMINATE]
    routes: list[str] = []
    open_route1 = route1.outcome is Verdict.INDETERMINATE
    if route1.outcome is Verdict.SUBJECT:
        routes.append(f"{route1.citation} ({route1.reason})")
    if dm.verdict is Verdict.SUBJECT:
        routes.append(f"15 CFR 734.4 de minimis ({dm.basis})")
    routes.extend(f"15 CFR {rule}" for rule in applies)
    if routes:
        return Subject.YES, "Subject to the EAR: " + "; ".join(routes) + ".", ()
    deciding = tuple(
        dict.fromkeys(
            [
                *route1.missing_facts,
                *dm.missing_facts,
                *(m for r in open_rules for m in r.missing_facts),
            ]
        )
    )
    if not ALL_RULES:
        return (
            Subject.INDETERMINATE,
            "Indeterminate: the foreign-direct product rules (15 CFR 734.9) are not available "
            "in this installation, so capture with no U.S. content cannot be excluded.",
            deciding,
        )
    if dm.verdict is Verdict.INDETERMINATE or open_rules or open_route1:
        parts = [f"{route1.citation} (origin or location)"] if open_route1 else []
        if dm.verdict is Verdict.INDETERMINATE:
            parts.append(f"de minimis ({dm.basis})")
        parts.extend(f"15 CFR {r.rule_id}" for r in open_rules)
        return (
            Subject.INDETERMINATE,
            "Indeterminate: " + "; ".join(parts) + " could make the item subject; deciding "
            "facts: " + (", ".join(deciding) or "see the routes") + ".",
            deciding,
        )
    return (
        Subject.NO,
        "Not subject to the EAR: foreign-made and outside the U.S.; de minimis: "
        f"{dm.basis}; no foreign-direct product rule of 15 CFR 734.9 applies.",
        (),
    )


def _enough_to_decide(
    route1: Jurisdiction, dm: DeMinimisResult, fdp: tuple[FdpResult, ...], case: Case
) -> tuple[str, ...]:
    """The smallest set of questions that decides the case if each is answered "no"
    (``questions.smallest_deciding_set``): origin and de minimis facts are always needed; an
    open 734.9 rule is closed by closing either of its open scopes (15 CFR 734.9: a rule
    applies only when its product scope and its destination scope are both met), and a scope
    by any of its ``closed_by`` sets (an "and" of the regulation closes with any one part, an "or"
    only with every part)."""
    must: list[str] = [*route1.missing_facts, *dm.missing_facts]
    alternatives: list[tuple[tuple[str, ...], ...]] = []
    for r in fdp:
        if r.outcome is not RuleOutcome.INDETERMINATE:
            continue
        options = tuple(
            closer
            for s in (r.product_scope, r.destination_scope)
            if s.outcome is Outcome.UNKNOWN
            for closer in (s.closed_by or ((s.missing_facts,) if s.missing_facts else ()))
        )
        if options:
            alternatives.append(options)
        else:
            must.extend(r.missing_facts)
    return smallest_deciding_set(must, alternatives, case)


def _weights(route1: Jurisdiction, dm: DeMinimisResult, fdp: tuple[FdpResult, ...]) -> Counter[str]:
    """How many open routes name each deciding fact (questions settling more come first)."""
    counts: Counter[str] = Counter(route1.missing_facts)
    counts.update(set(dm.missing_facts))
    for r in fdp:
        if r.outcome is RuleOutcome.INDETERMINATE:
            counts.update(set(r.missing_facts))
    return counts


def _license_required(findings: tuple[LicenseFinding, ...]) -> bool | None:
    if any(f.required is True for f in findings):
        return True
    if any(f.required is None for f in findings):
        return None
    return False


def _citations(
    route1: Jurisdiction,
    dm: DeMinimisResult,
    fdp: tuple[FdpResult, ...],
    findings: tuple[LicenseFinding, ...],
) -> tuple[str, ...]:
    cites = {route1.citation, *dm.citations}
    for r in fdp:
        if r.outcome is not RuleOutcome.DOES_NOT_APPLY:
            cites.add(r.citation)
            cites.update(r.license_citations)
    for f in findings:
        cites.update(f.citations)
    return tuple(sorted(cites))


def data_dates() -> dict[str, str]:
    """Issue dates of the reference tables a determination relied on."""
    return {
        "ccl": ccl.ISSUE_DATE.isoformat(),
        "country_chart": country_chart.ISSUE_DATE.isoformat(),
        "country_groups": country_groups.ISSUE_DATE.isoformat(),
        "countries": countries.ISSUE_DATE.isoformat(),
    }
