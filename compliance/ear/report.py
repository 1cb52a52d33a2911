"""A determination as a report a compliance officer can attach to the file (text or Markdown).

The report is built once as sections of paragraphs and tables, then written in either format,
so the two never disagree. It contains no timestamp: the same determination gives the same
bytes; the export date, ruleset settings, data issue dates and library version identify it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from compliance.ear.de_minimis import DeMinimisResult
from compliance.ear.determination import Determination
from compliance.ear.fdp.base import Outcome, RuleOutcome
from compliance.ear.reference.countries import display_name

Format = Literal["text", "markdown"]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    one_line: bool = False  # text format: one line per row instead of a block per row


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[str | Table, ...] = field(default_factory=tuple)


def render(determination: Determination, fmt: Format = "text") -> str:
    """The report for ``determination`` in ``fmt`` ("text" or "markdown")."""
    sections = build(determination)
    title = f"EAR jurisdiction determination: {determination.case_id or 'case'}"
    if fmt == "markdown":
        return _markdown(title, sections)
    if fmt == "text":
        return _text(title, sections)
    raise ValueError(f"unknown report format {fmt!r}; use 'text' or 'markdown'")


def build(d: Determination) -> tuple[Section, ...]:
    return (
        Section(
            "Result",
            (
                f"Result: {d.subject.value.upper()}. {d.summary}",
                f"Item: {d.item}. Destination: {_place(d.destination)}"
                + (f" ({d.destination_note})" if d.destination_note else "")
                + f". Export date: {d.export_date.isoformat()}.",
            ),
        ),
        *((_deciding(d),) if d.questions or d.deciding_facts else ()),
        *((Section("Warnings", tuple(f"- {w}" for w in d.warnings)),) if d.warnings else ()),
        Section(
            "1. U.S. origin or location (15 CFR 734.3(a))",
            (
                f"{d.jurisdiction.outcome.value}: {d.jurisdiction.reason} "
                f"({d.jurisdiction.citation}).",
            ),
        ),
        _de_minimis(d.de_minimis),
        _fdp(d),
        _parties(d),
        _licensing(d),
        Section(
            "Ruleset, data and version",
            (
                *d.settings_notes,
                "Reference data issue dates: "
                + ", ".join(f"{k} {v}" for k, v in sorted(d.data_dates.items()))
                + ".",
                f"compliance library version {d.library_version}.",
                "This determination rests on the facts stated in the case; a fact left out is "
                "treated as unknown, never as 'no'. Regulatory readings and open questions are "
                "documented in docs/ear.md.",
            ),
        ),
        Section("Citations", (", ".join(d.citations),)),
    )


def _place(code: str) -> str:
    """'Macau (MO)': the name an officer reads, with the code the tables use."""
    try:
        return f"{display_name(code)} ({code})"
    except (KeyError, ValueError):  # a code the tables do not name: show it as given
        return code


def _money(value: object, currency: str) -> str:
    return f"{value} {currency}"


def _de_minimis(dm: DeMinimisResult) -> Section:
    blocks: list[str | Table] = [
        f"{dm.outcome.value}: {dm.basis}.",
        f"Threshold: {dm.threshold_percent} % ({dm.threshold_citation}); the item is subject "
        "only when controlled content is more than the threshold (Supp. No. 2 to part 734).",
        f"Numerator (controlled U.S.-origin content): {_money(dm.numerator, dm.currency)}"
        + (
            f"; unclassified U.S.-origin content {_money(dm.numerator_unknown, dm.currency)}"
            if dm.numerator_unknown
            else ""
        )
        + ". Denominator (price ex-works): "
        + (_money(dm.denominator, dm.currency) if dm.denominator is not None else "not given")
        + "."
        + (f" Percentage: {dm.percentage} %." if dm.percentage is not None else ""),
    ]
    if dm.lines:
        blocks.append(
            Table(
                ("BOM", "Description", "Origin", "ECCN", "Value", "Counted", "Why", "Citation"),
                tuple(
                    (
                        f"bom[{a.index}]",
                        a.description,
                        a.origin or "not known",
                        a.eccn or "not given",
                        "not given" if a.value is None else str(a.value),
                        a.status.value,
                        a.reason,
                        "; ".join(a.citations),
                    )
                    for a in dm.lines
                ),
            )
        )
    relevant = [z for z in dm.zero_categories if z.outcome is not Outcome.NOT_MET]
    blocks.append(
        "No-de-minimis categories (15 CFR 734.4(a)): "
        + (
            "; ".join(f"{z.paragraph} {z.outcome.value}: {z.reason}" for z in relevant)
            if relevant
            else f"none met ({len(dm.zero_categories)} checked)"
        )
        + "."
    )
    blocks.extend(f"Reminder: {r}" for r in dm.reminders)
    # the 734.4(a) reasons are already in the categories line above
    blocks.extend(r for r in dm.reasons if not any(z.reason in r for z in relevant))
    return Section("2. De minimis (15 CFR 734.4; Supp. No. 2 to part 734)", tuple(blocks))


def _fdp(d: Determination) -> Section:
    if not d.fdp:
        return Section("3. Foreign-direct product rules (15 CFR 734.9)", ("No rule evaluated.",))
    rows = tuple(
        (
            r.rule_id,
            r.title,
            r.outcome.value,
            r.product_scope.outcome.value,
            r.destination_scope.outcome.value,
            ", ".join(r.missing_facts),
        )
        for r in d.fdp
    )
    details = tuple(
        f"{r.rule_id} {r.title}: {r.outcome.value}.\n"
        + "\n".join(f"- {x.rstrip('.')}." for x in r.reasons[1:])
        for r in d.fdp
        if r.outcome is not RuleOutcome.DOES_NOT_APPLY
    )
    return Section(
        "3. Foreign-direct product rules (15 CFR 734.9)",
        (
            Table(("Rule", "Title", "Outcome", "Product", "Destination", "Missing"), rows, True),
            *details,
        ),
    )


def _parties(d: Determination) -> Section:
    if not d.parties:
        return Section("Parties (15 CFR 748.5(c)-(f))", ("No parties given.",))
    rows = tuple(
        (
            f"parties[{p.index}]",
            p.role,
            p.name,
            ", ".join(str(n) for n in p.footnotes) or "-",
            "yes" if p.settled else "no",
            "; ".join((*p.sources, *p.notes)),
        )
        for p in d.parties
    )
    return Section(
        "Parties (15 CFR 748.5(c)-(f))",
        (Table(("Party", "Role", "Name", "Footnotes", "Settled", "Basis"), rows),),
    )


def _licensing(d: Determination) -> Section:
    if not d.license_findings:
        return Section("License requirements", ("None: the item is not subject to the EAR.",))
    required = {True: "required", False: "not required", None: "unsettled"}
    rows = tuple(
        (
            f.source,
            required[f.required],
            f.reason,
            f.review_policy or "-",
            "; ".join(f.citations),
        )
        for f in d.license_findings
    )
    head = (
        (
            "If the item is subject (the answer is indeterminate): "
            if d.subject.value == "indeterminate"
            else ""
        )
        + f"License: {required[d.license_required]}"
        + (f"; review policy: {d.review_policy}" if d.review_policy else "")
        + "."
    )
    return Section(
        "License requirements",
        (head, Table(("Source", "License", "Why", "Review policy", "Citation"), rows)),
    )


def _deciding(d: Determination) -> Section:
    """Shown first: the smallest set of questions whose answers decide the case, then the
    other questions, each of which would also settle an open rule."""
    if not d.questions:
        return Section("Questions that would decide it", tuple(f"- {f}" for f in d.deciding_facts))
    enough = set(d.enough_to_decide)
    first = tuple(f"- {q.question} [{q.fact}]" for q in d.questions if q.fact in enough)
    rest = tuple(f"- {q.question} [{q.fact}]" for q in d.questions if q.fact not in enough)
    if not first or not rest:
        return Section("Questions that would decide it", first + rest)
    return Section(
        "Questions that would decide it",
        (
            f'Enough to decide: these {len(first)} answered with "no" or "none" decide the case.',
            *first,
            "Or instead of some of them (each settles an open rule):",
            *rest,
        ),
    )


# --- writers ---------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(title: str, sections: Sequence[Section]) -> str:
    out = [f"# {title}", ""]
    for s in sections:
        out += [f"## {s.title}", ""]
        for b in s.blocks:
            if isinstance(b, Table):
                out.append("| " + " | ".join(b.header) + " |")
                out.append("|" + "---|" * len(b.header))
                out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows]
            else:
                out.append(b)
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _text(title: str, sections: Sequence[Section]) -> str:
    out = [title, "=" * len(title), ""]
    for s in sections:
        out += [s.title, "-" * len(s.title)]
        for b in s.blocks:
            if isinstance(b, Table) and b.one_line:
                out += ["  " + _one_line(b.header, row) for row in b.rows]
                out.append("")
            elif isinstance(b, Table):
                for row in b.rows:
                    out += [f"  {h}: {c}" for h, c in zip(b.header, row, strict=True) if c]
                    out.append("")
            else:
                out.append(b)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _one_line(header: tuple[str, ...], row: tuple[str, ...]) -> str:
    """'734.9(b) National Security FDP rule: does not apply (Product: not met; ...)'."""
    rest = "; ".join(f"{h}: {c}" for h, c in zip(header[3:], row[3:], strict=True) if c)
    return f"{row[0]} {row[1]}: {row[2]}" + (f" ({rest})" if rest else "")
