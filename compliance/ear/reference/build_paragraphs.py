"""Generate ``ccl_paragraphs.yaml``: the paragraph tree of each CCL entry of Categories 1, 3, 4, 5.

Provenance: the only machine-readable text of the CCL's item paragraphs at hand is the
third-party parse of the eCFR (Supplement No. 1 to 15 CFR part 774, eCFR issue 2026-07-23)
in ``../shared/data/ear/seelpeed-export-controls-agent-mcp_2026-07-23/ccl.json`` (MIT code;
the text is the regulation, public domain, 17 U.S.C. 105). It carries item paragraphs only for
Categories 1, 3, 4 and 5 (its ``deepCategories``). This script keeps nothing of it but the
paragraph labels, and is kept here so that the data can be regenerated and audited:

    python -m compliance.ear.reference.build_paragraphs ../shared/data/ear/.../ccl.json \
        compliance/ear/reference/ccl_paragraphs.yaml

The parse mixes the lettered lists of Notes and Technical Notes in with the entry's own
paragraphs (a Note's "a., b." restart the lettering), files some real paragraphs as plain
text (``z.1.b ...``) and drops others (1A001.a, 3A001.a.15). So:

* every label is kept (lenient where a Note's list adds one, e.g. 3A090.d);
* labels inside a "[Reserved]" span the entry declares (``f through y. [Reserved]``) are
  reserved;
* a paragraph the CCL's text names anywhere (``3A001.a.15`` in a License Requirements row) is
  added as ``open``: it exists, what is below it is not known;
* every prefix of a label is a label;
* an entry whose labels have a gap at some level (``a, c`` without ``b``) is written
  ``unchecked`` with the gap, because the parse has lost part of it. One loss is systematic:
  the first item after "Items:" (``.a``) is often dropped while the rest is there (1A001,
  1A003, 1B003, ...); when ``.a`` is the only gap it is added as ``open``.

The checker (:mod:`.ccl_paragraphs`) does not refuse the label right after the last one of a
level either (``.a.16`` after ``.a.15``): the parse may have dropped the end of a list.

The parse's entry "3E001" holds the items of 3E002 (its heading markup differs, see
``../shared/data/ear/derived/ccl_errata_2026-07-23.json``): they are filed under 3E002, and
3E001 is left out (its paragraphs are then not checked).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_LABEL = re.compile(r"[a-z]{1,2}(?:\.(?:[a-z]{1,2}|[1-9][0-9]*))*\Z")
_TEXT_LABEL = re.compile(r"([a-z]{1,2}(?:\.(?:[a-z]{1,2}|[1-9][0-9]*))+)\.?\s")
_MENTION = re.compile(
    r"\b([0-9][A-E][0-9]{3})\.([a-z]{1,2}(?:\.(?:[a-z]{1,2}|[1-9][0-9]*))*)(?![a-z0-9])"
)
_RANGE = re.compile(r"(?:through|to)\s+([a-z0-9.]+?)\.?\s*\[Reserved\]", re.IGNORECASE)

Key = tuple[tuple[int, int, str], ...]


def label_key(label: str) -> Key:
    """Sort key of a paragraph label: letters by (length, text), numbers by value."""
    out = []
    for part in label.split("."):
        if part.isdigit():
            out.append((1, int(part), ""))
        else:
            out.append((0, len(part), part))
    return tuple(out)


def _before(a: Key, b: Key) -> bool:
    """True when label ``a`` comes before ``b`` in a CCL entry (same kinds at each level)."""
    for x, y in zip(a, b, strict=False):
        if x[0] != y[0]:
            return False
        if x != y:
            return x < y
    return len(a) < len(b)


def _letters(start: str, end: str) -> list[str]:
    """Single letters start..end inclusive (or numbers, when both are numbers)."""
    if start.isdigit() and end.isdigit():
        return [str(n) for n in range(int(start), int(end) + 1)]
    if len(start) == 1 and len(end) == 1 and start <= end:
        return [chr(c) for c in range(ord(start), ord(end) + 1)]
    return [start, end]


def _reserved(label: str, text: str) -> list[str]:
    """The labels a "[Reserved]" item declares: itself, or a span ``f through y``."""
    if "[Reserved]" not in text:
        return []
    span = _RANGE.match(text.strip())
    if span is None:
        return [label]
    *parent, first = label.split(".")
    end = span.group(1).rstrip(".").split(".")[-1]
    return [".".join([*parent, last]) for last in _letters(first, end)]


def mentions(data: dict[str, Any]) -> dict[str, set[str]]:
    """Paragraphs the CCL text names anywhere (``RS applies to 3A001.z.1.a``), per entry: the
    parse drops some paragraphs of an entry, and a mention brings them back, or at
    least shows the gap that makes the entry unchecked."""
    out: dict[str, set[str]] = {}
    for found in _MENTION.finditer(json.dumps(data, ensure_ascii=False)):
        out.setdefault(found.group(1), set()).add(found.group(2).rstrip("."))
    return out


def entry_tree(
    items: list[dict[str, Any]], named: Iterable[str] = ()
) -> tuple[list[str], list[str], str | None, list[str]]:
    """(paragraphs, reserved, why not checkable, open paragraphs) of one entry from the parse's
    item list; an open paragraph exists but the paragraphs below it are not known.

    Every label the entry's text gives is kept (a Note's own "a., b." list included: the parse
    cannot tell them apart, so the check is lenient there), minus the labels inside a span the
    entry declares "[Reserved]". When the labels at some level are not a gapless run from "a"
    or "1" (reserved ones counted), the parse has dropped paragraphs and the entry is returned
    with a reason instead: it is then not checked.
    """
    reserved: set[str] = set()
    labels: set[str] = set()
    for item in items:
        label, text, kind = item.get("paragraph"), str(item.get("text") or ""), item.get("kind")
        if kind == "text" and label is None:
            found = _TEXT_LABEL.match(text.strip())
            if found is None:
                continue
            label = found.group(1)
        elif kind != "item" or not isinstance(label, str):
            continue
        if not _LABEL.match(label):
            continue
        reserved.update(_reserved(label, text))
        parts = label.split(".")
        labels.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))

    from_items = set(labels)
    for label in named:
        parts = label.split(".")
        labels.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))

    def hidden(label: str) -> bool:
        parts = label.split(".")
        return any(".".join(parts[:n]) in reserved for n in range(1, len(parts) + 1))

    paragraphs = {lab for lab in labels if not hidden(lab)}
    why = _gap(paragraphs | reserved)
    # a paragraph known only from a mention: it exists, what is below it is not known
    opened = {
        lab
        for lab in paragraphs - from_items
        if not any(other.startswith(lab + ".") for other in from_items)
    }
    return (
        sorted(paragraphs, key=label_key),
        sorted(reserved, key=label_key),
        why,
        sorted(opened, key=label_key),
    )


def _gap(labels: set[str]) -> str | None:
    """Why ``labels`` cannot be the whole tree (a gap in some run of siblings), or None."""
    if not labels:
        return "the parse gives no paragraph of this entry"
    children: dict[str, list[str]] = {}
    for label in labels:
        parent, _, last = label.rpartition(".")
        children.setdefault(parent, []).append(last)
    for parent, kids in sorted(children.items()):
        if all(k.isdigit() for k in kids):
            want = [str(n) for n in range(1, max(int(k) for k in kids) + 1)]
        elif all(len(k) == 1 and k.isalpha() for k in kids):
            want = [chr(c) for c in range(ord("a"), ord(max(kids)) + 1)]
        else:
            return f"mixed paragraph labels under {parent or 'the entry'!r}"
        missing = sorted(set(want) - set(kids), key=lambda k: (len(k), k.zfill(3)))
        if missing:
            where = f"{parent}." if parent else ""
            return f"the parse lacks {where}{missing[0]} (a gap before {where}{max(kids)})"
    return None


def build(ccl_json: Path) -> str:
    """The YAML text of ``ccl_paragraphs.yaml`` from the parse at ``ccl_json``."""
    data = json.loads(ccl_json.read_text(encoding="utf-8"))
    lines = [
        "# Paragraph labels of each CCL entry of Categories 1, 3, 4 and 5 (Supplement No. 1 to",
        "# 15 CFR part 774). GENERATED by compliance/ear/reference/build_paragraphs.py from the",
        "# third-party parse of the eCFR named in `source`; do not edit by hand, regenerate.",
        f"issue_date: {data['ecfrIssueDate']}",
        "source: >-",
        f"  eCFR Title 15, issue of {data['ecfrIssueDate']}, Supplement No. 1 to part 774, item",
        "  paragraphs as parsed by seelpeed/export-controls-agent-mcp (ccl.json, from the eCFR",
        "  versioner XML); labels only (see build_paragraphs.py for how they are read).",
        f"categories: [{', '.join(str(c) for c in data['deepCategories'])}]",
        "entries:",
    ]
    entries = {e["eccn"]: e for e in data["entries"] if e["category"] in data["deepCategories"]}
    entries["3E002"] = {**entries.pop("3E001"), "eccn": "3E002"}  # parse defect, see above
    named = mentions(data)
    for eccn, entry in sorted(entries.items()):
        found = entry_tree(entry.get("items") or [], named.get(eccn, ()))
        paragraphs, reserved, why, opened = found
        first_lost = why is not None and why.startswith("the parse lacks a (")
        if first_lost and "a" not in reserved and _gap({*paragraphs, *reserved, "a"}) is None:
            # the parse drops the first item after "Items:" (1A001, 1A003, 1B003, ...):
            # .a exists, its sub-paragraphs are not known
            paragraphs = sorted([*paragraphs, "a"], key=label_key)
            opened, why = sorted([*opened, "a"], key=label_key), None
        if why is not None:
            lines.append(f'  {eccn}: {{unchecked: "{why}"}}')
            continue
        fields = [f'paragraphs: "{" ".join(paragraphs)}"']
        if reserved:
            fields.append(f'reserved: "{" ".join(reserved)}"')
        if opened:
            fields.append(f'open: "{" ".join(opened)}"')
        lines.append(f"  {eccn}: {{{', '.join(fields)}}}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    source, target = (Path(a) for a in argv)
    target.write_text(build(source), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
