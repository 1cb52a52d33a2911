"""Entity List footnotes (Supplement No. 4 to 15 CFR part 744) recovered from license text.

The Entity List marks some entries with superscript footnotes 1-5; each pulls the entry into a
foreign-direct product rule (15 CFR 734.9) or a de minimis exclusion (15 CFR 734.4(a)(9)).
The CSL flattens the superscripts into bare digits glued to the License Requirement text::

    "... see §§ 734.9(e)1 and 744.11 of the EAR2"          -> 1, 2
    "(See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) ...)"   -> 3
    "(See §§ 734.9(e)(2) and 744.11 of the EAR)4"          -> 4
    "(See §§734.4(a)(9), 734.9(e)(3), and 744.11 of the EAR)5" -> 5

A marker is a single digit 1-5 standing right after a closing parenthesis (optionally with a
comma and one space between) or right after the word "EAR", and not followed by another digit.
Citation digits ("734.9", "(a)(3)", "744.11") never sit in that position, which the tests check
on every Entity List row of the 2022 and 2026 CSL.

Entity List rows published before the 2022 renumbering show the Huawei footnote-1 rule only as
the reference "§ 736.2(b)(3)(vi)" without a marker: those rows get footnote 1.
"""

from __future__ import annotations

import re

from compliance.watchlists.entry import Footnote

_SUPP4 = "Supplement No. 4 to 15 CFR part 744"

FOOTNOTES: dict[int, Footnote] = {
    1: Footnote(
        number=1,
        meaning=(
            "Entity is subject to the Entity List foreign-direct product rule for footnote 1 "
            "entities (Huawei and listed affiliates); the license requirement for foreign-produced "
            "items is in 15 CFR 744.11(a)(2)(i)."
        ),
        citation=f"{_SUPP4}, footnote 1; 15 CFR 734.9(e)(1); 15 CFR 744.11(a)(2)(i)",
    ),
    2: Footnote(
        number=2,
        meaning=(
            "On Huawei entries: the Entity List license requirement does not apply to technology "
            "designated EAR99 or controlled for anti-terrorism reasons only when released to "
            "members of a 'standards organization' (15 CFR 772.1) for standards work. That this "
            "carve-out carries the number 2 is unverified."
        ),
        citation=f"{_SUPP4}, footnote 2 (numbering unverified); 15 CFR 772.1",
    ),
    3: Footnote(
        number=3,
        meaning=(
            "Russian or Belarusian 'military end user' or procurement entity: subject to the "
            "Russia/Belarus-Military End User and Procurement foreign-direct product rule; "
            "license requirements in 15 CFR 746.8(a)(3) and 744.21(b)."
        ),
        citation=f"{_SUPP4}, footnote 3; 15 CFR 734.9(g); 15 CFR 746.8(a)(3); 15 CFR 744.21(b)",
    ),
    4: Footnote(
        number=4,
        meaning=(
            "Entity is subject to the Entity List foreign-direct product rule for footnote 4 "
            "entities (advanced computing / supercomputer end users)."
        ),
        citation=f"{_SUPP4}, footnote 4; 15 CFR 734.9(e)(2)",
    ),
    5: Footnote(
        number=5,
        meaning=(
            "No de minimis level for the foreign-made items described in 15 CFR 734.4(a)(9) "
            "when a footnote 5 entity is involved, and subject to the Entity List foreign-direct "
            "product rule of 15 CFR 734.9(e)(3); license requirement in 15 CFR 744.11(a)(2)(v)."
        ),
        citation=(
            f"{_SUPP4}, footnote 5; 15 CFR 734.4(a)(9); 15 CFR 734.9(e)(3); 15 CFR 744.11(a)(2)(v)"
        ),
    ),
}

# A digit 1-5 after ")" (optionally "," and/or one space) or after "EAR" (optionally one space),
# followed by the end of the text, whitespace, or punctuation that is not part of a number.
_MARKER = re.compile(r"(?:\),? ?|\bEAR ?)([1-5])(?=$|\s|[,.;)](?!\d))")
_HUAWEI_FN1_REFERENCE = re.compile(r"736\.2\s*\(b\)\s*\(3\)\s*\(vi\)")
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:)])")
_SPACE_AFTER_OPEN = re.compile(r"\(\s+")
_SECTION = re.compile(r"§+\s*")
_TRAILING_PUNCT = re.compile(r"[\s.;,]+$")


def footnote_numbers(license_requirement: str | None) -> tuple[int, ...]:
    """The footnote numbers marked in one License Requirement text, sorted and distinct."""
    if not license_requirement:
        return ()
    found = {int(m.group(1)) for m in _MARKER.finditer(license_requirement)}
    if _HUAWEI_FN1_REFERENCE.search(license_requirement):
        found.add(1)
    return tuple(sorted(found))


def footnotes_for(license_requirement: str | None) -> tuple[Footnote, ...]:
    """The footnotes of an Entity List License Requirement, with meaning and citation."""
    return tuple(FOOTNOTES[n] for n in footnote_numbers(license_requirement))


def strip_markers(license_requirement: str) -> str:
    """The text with footnote markers removed (the markers are not part of the requirement)."""
    return _MARKER.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)], license_requirement)


def normalise_license_requirement(license_requirement: str | None) -> str | None:
    """A grouping key: markers removed, whitespace, "§"/"§§" and trailing punctuation unified.

    "For all items subject to the EAR.  (See §744.11 of the EAR)" and
    "For all items subject to the EAR. (See § 744.11 of the EAR)." give the same key. The
    published text stays in ``ListEntry.license_requirement``; this is for grouping only.
    """
    if license_requirement is None:
        return None
    text = strip_markers(license_requirement)
    text = _SECTION.sub("§ ", text)
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN.sub("(", text)
    text = text.replace(".)", ")").replace(").", ")")
    text = _TRAILING_PUNCT.sub("", text).strip()
    return text.casefold() or None
