"""The case model: everything the EAR engine needs to decide jurisdiction over a foreign item.

One ``Case`` = one foreign-made item, its bill of materials (BOM), how it was produced, who
the parties are, where it goes, what the exporter knows, the export date and the ruleset
settings. Unknown is a value: every fact the caller may not know is ``None`` by default, and
``None`` never means "no" (15 CFR 734.9 prongs are knowledge tests; a missing fact leaves a
rule indeterminate, see docs/ear.md).

Money is ``Decimal``. The YAML and JSON readers hand decimal fractions over exactly
(``1000.123456789012345678`` is not rounded through a float), refuse a key given twice, and
keep numbers YAML 1.1 would read another way (``017`` octal, ``0x10``, ``1:00``) as text, so
the field reports them instead of holding 15, 16 or 60.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from compliance.ear.eccn import parse_eccn
from compliance.ear.reference.ccl_paragraphs import check_paragraphs
from compliance.ear.reference.countries import normalize_destination
from compliance.ear.settings import RulesetSettings

_TRI_WORDS: dict[str, bool | None] = {
    "yes": True,
    "true": True,
    "no": False,
    "false": False,
    "unknown": None,
    "not known": None,
}


def _to_tri(value: Any) -> Any:
    """``yes`` / ``no`` / ``unknown`` (any case) as well as true / false / null; a number
    (JSON ``1`` or ``0``) is an error, never read as yes or no."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"expected yes, no or unknown (or true, false, null), got {value!r}")
    if isinstance(value, str):
        key = " ".join(value.lower().split())
        if key in _TRI_WORDS:
            return _TRI_WORDS[key]
        raise ValueError(f"expected yes, no or unknown, got {value!r}")
    return value


Tri = Annotated[bool | None, BeforeValidator(_to_tri)]
"""A fact that may be unknown: yes (True), no (False), or unknown (None, never read as no)."""


def _to_yes_no(value: Any) -> Any:
    """``yes`` / ``no`` (any case) or true / false; not 1/0, "y", "on" (pydantic's lax
    booleans), so every yes/no answer is read one way."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and (key := " ".join(value.lower().split())) in _TRI_WORDS:
        found = _TRI_WORDS[key]
        if found is not None:
            return found
    raise ValueError(f"expected yes or no (true or false), got {value!r}")


YesNo = Annotated[bool, BeforeValidator(_to_yes_no, json_schema_input_type=bool)]
"""A yes/no answer that has no "unknown" (where unknown is said another way)."""

_UNKNOWN_WORDS = frozenset(k for k, v in _TRI_WORDS.items() if v is None)

NON_US = "non-US"
"""A place known to be outside the United States, country not known."""
_NON_US_WORDS = frozenset(
    {"non us", "outside the us", "outside us", "foreign", "not us", "non us country not known",
     "outside the us country not known", "outside us country not known"}
)  # fmt: skip
"""Compared letters only (``_place_words``): "non-U.S.", "Non-US", "outside the U.S., country
not known" and "outside the US (country not known)" are one phrase (issue 10, section 1)."""


def _place_words(value: str) -> str:
    return " ".join(re.sub(r"[^a-z]+", " ", value.lower().replace(".", "")).split())


def _unknown_is_none(value: Any) -> Any:
    """``unknown`` / ``not known`` (any case) for an optional fact means not known (null), as
    the yes/no facts read it; any other text goes on to the field's own check."""
    if isinstance(value, str) and " ".join(value.lower().split()) in _UNKNOWN_WORDS:
        return None
    return value


_PLAIN_NUMBER = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_GROUPED_NUMBER = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?")


def _to_decimal(value: Any) -> Any:
    """Only unambiguous numbers: ``3000``, ``3000.00``, ``"3,000.00"`` (comma groups of three,
    dot decimals). ``"3.000,00"``, ``"1,5"`` or ``"017"`` (a leading zero, octal in YAML 1.1)
    is an error, never silently 3.0, 15 or 15. Floats go through ``repr`` (0.1 -> '0.1'; the
    YAML and JSON readers already give exact Decimals); booleans are rejected, not 0/1."""
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean")
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if _PLAIN_NUMBER.fullmatch(text):
            return Decimal(text)
        if _GROUPED_NUMBER.fullmatch(text):
            return Decimal(text.replace(",", ""))
        raise ValueError(
            f'not an unambiguous number: {value!r}; write 3000, 3000.00 or "3,000.00" '
            "(comma thousands groups, dot decimals)"
        )
    return value


MAX_MONEY = Decimal("1e15")
"""Larger amounts are refused: no item or BOM line is worth a quadrillion, and such a value is
a typo or an attack on the arithmetic."""
Money = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    Field(ge=0, le=MAX_MONEY, allow_inf_nan=False),
]


def _check_eccn(value: str) -> str:
    """ECCN or EAR99, stored in canonical form ('3a090 .A' -> '3A090.a'); a paragraph the CCL
    entry does not have ('3A999.zz', '5A002.a.9') is an error (15 CFR 774 Supp. No. 1)."""
    eccn = parse_eccn(value)
    found = check_paragraphs(eccn)
    if found.status == "invalid":
        raise ValueError(f"ECCN {value!r}: {found.message}")
    return eccn.text


def _check_country(value: str) -> str:
    """ISO-2 code or English name known to the EAR tables; stored as typed (HK stays HK so
    the report can say why it is treated as China)."""
    text = value.strip()
    normalize_destination(text)
    return text


def _check_destination(value: str) -> str:
    """A country as in ``_check_country``, other than the United States: the EAR's Country
    Chart has no U.S. row (15 CFR 738 Supp. No. 1), and an item in the U.S. is subject to the
    EAR whatever its origin (15 CFR 734.3(a)(1)): there is no export to decide."""
    text = _check_country(value)
    if normalize_destination(text) == "US":
        raise ValueError(
            "the United States is not an export destination: an item in the U.S. is subject to "
            "the EAR (15 CFR 734.3(a)(1)); give the country the item goes to from there"
        )
    return text


def _check_place(value: str) -> str:
    """A country as in ``_check_country``, or ``non-US`` (outside the U.S., country not known)."""
    if _place_words(value) in _NON_US_WORDS:
        return NON_US
    return _check_country(value)


@lru_cache(maxsize=4096)
def is_us_place(value: str | None) -> bool | None:
    """True for the U.S., False for another country or ``non-US``, None when not known."""
    if value is None:
        return None
    if value == NON_US:
        return False
    return normalize_destination(value) == "US"


@lru_cache(maxsize=4096)
def known_country(value: str | None) -> str | None:
    """The normalised ISO code, or None for ``non-US`` / not known."""
    if value is None or value == NON_US:
        return None
    return normalize_destination(value)


def _wrap(check: Any) -> Any:
    """Turn the reference modules' own exceptions into ValueError so pydantic names the field."""

    def run(value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError(
                "expected text, got a boolean (in YAML, quote codes such as 'NO' for Norway)"
            )
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {type(value).__name__}")
        try:
            return check(value)
        except ValueError:
            raise
        except Exception as exc:  # EccnError / UnknownCountryError may not subclass ValueError
            raise ValueError(str(exc)) from exc

    return run


EccnText = Annotated[str, BeforeValidator(_wrap(_check_eccn))]
Country = Annotated[str, BeforeValidator(_wrap(_check_country))]
Place = Annotated[str, BeforeValidator(_wrap(_check_place))]
Destination = Annotated[str, BeforeValidator(_wrap(_check_destination))]
"""A country, or ``non-US``: outside the United States, country not known."""
MaybeEccn = Annotated[EccnText | None, BeforeValidator(_unknown_is_none)]
MaybeCountry = Annotated[Country | None, BeforeValidator(_unknown_is_none)]
MaybePlace = Annotated[Place | None, BeforeValidator(_unknown_is_none)]
MaybeMoney = Annotated[Money | None, BeforeValidator(_unknown_is_none)]
"""An optional fact: ``unknown`` / ``not known`` / null / left out all mean not known."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


PART746_HTS_SUPPLEMENTS: tuple[int, ...] = (2, 4, 6, 7)
"""Supplements to 15 CFR part 746 that identify EAR99 items by HTS code (Russia/Belarus
industry sector, 746.8; Supp. No. 7, 88 FR 12150, also for Iran, 746.7)."""


class ItemKind(StrEnum):
    """Commodity, software or technology: the three kinds of "item" (15 CFR 772.1)."""

    COMMODITY = "commodity"
    SOFTWARE = "software"
    TECHNOLOGY = "technology"


class Item(_Frozen):
    """The foreign-made item whose jurisdiction is decided."""

    description: str = Field(min_length=1)
    eccn: MaybeEccn = Field(
        default=None,
        description="the item's own classification, e.g. '3B001.c' or 'EAR99'; None = not known "
        "(every rule that reads it is indeterminate, naming item.eccn)",
    )
    kind: ItemKind = ItemKind.COMMODITY
    country_of_manufacture: MaybePlace = Field(
        default=None,
        description="where the item was made; 'US' makes it U.S.-origin (15 CFR 734.3(a)(2)); "
        "'non-US' = outside the U.S., country not known; None = not known",
    )
    exported_from: MaybePlace = Field(
        default=None,
        description="the country the item leaves; 'US' means located in the U.S. (734.3(a)(1)); "
        "'non-US' = outside the U.S., country not known; None = not known",
    )
    price: MaybeMoney = Field(
        default=None,
        gt=0,
        description="normal selling price ex-works / f.o.b. factory, excluding VAT and excise "
        "(Supp. No. 2 to part 734, denominator); None = not known (needed only when there is "
        "controlled U.S. content to divide)",
    )
    currency: str = Field(default="USD", min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")
    controlled_by_exporting_country: Tri = Field(
        default=None,
        description="the first exporting country controls the item on its own list "
        "(takes 3B993.f.1 equipment out of 15 CFR 734.4(a)(3))",
    )
    listed_in_part746_supplements: Tri = Field(
        default=None,
        description="an EAR99 item identified in Supp. No. 2, 4, 6 or 7 to part 746 by HTS code "
        "(reaches 15 CFR 734.9(f)); which supplement goes in part746_supplements",
    )
    part746_supplements: tuple[int, ...] | None = Field(
        default=None,
        description="the part 746 supplements (2, 4, 6, 7) that identify the item by HTS code; "
        "() = none. 15 CFR 734.9(j) needs Supp. No. 7; None = not known",
    )
    hts_code: str | None = None
    developer_headquarters_country: MaybeCountry = Field(
        default=None,
        description="technology items: where the entity that developed the technology (or its "
        "ultimate parent) is headquartered (15 CFR 734.9(h) headquarters prong)",
    )
    for_mask_or_wafer_production: Tri = Field(
        default=None,
        description="technology items: for the production of a mask or an IC wafer or die "
        "(15 CFR 734.9(h) headquarters prong)",
    )
    technology_for_3a090_4a090: Tri = Field(
        default=None,
        description="3E001/4E001 technology items: the technology is 'for' 3A090 or 4A090 items "
        "(15 CFR 734.9(h) item scope)",
    )

    @field_validator("part746_supplements")
    @classmethod
    def _supplements_known(cls, value: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if value is None:
            return None
        bad = [n for n in value if n not in PART746_HTS_SUPPLEMENTS]
        if bad:
            raise ValueError(f"part 746 HTS supplements are 2, 4, 6 and 7, got {bad}")
        return tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _supplement_flags_agree(self) -> Item:
        flag, which = self.listed_in_part746_supplements, self.part746_supplements
        if flag is not None and which is not None and flag is not bool(which):
            raise ValueError(
                f"listed_in_part746_supplements is {str(flag).lower()} but "
                f"part746_supplements is {list(which)}: give one, or make them agree"
            )
        return self

    def in_part746_supplement(self, numbers: tuple[int, ...]) -> bool | None:
        """Whether a part 746 supplement in ``numbers`` identifies the item (None = unknown)."""
        if self.part746_supplements is not None:
            return any(n in self.part746_supplements for n in numbers)
        if self.listed_in_part746_supplements is False:
            return False
        if self.listed_in_part746_supplements is True and set(numbers) >= set(
            PART746_HTS_SUPPLEMENTS
        ):
            return True
        return None


class BomLicenseOverride(_Frozen):
    """A caller's own license determination for a BOM line, used instead of the tables.

    ``counts`` is whether the line is controlled content under Supp. No. 2 to part 734
    (a license, or a license exception other than GBS, needed to the destination).
    """

    counts: YesNo
    reason: str = Field(min_length=1, description="why; kept in the de minimis account")


class BomLine(_Frozen):
    """One input incorporated in the foreign item."""

    description: str = Field(min_length=1)
    origin_country: MaybePlace = Field(
        description="'US' for U.S.-origin content; another country, or 'non-US' (outside the "
        "U.S., country not known); None = origin not known"
    )
    eccn: MaybeEccn = Field(
        default=None,
        description="classification; not needed for non-U.S. lines (de minimis never reads "
        "it) nor for a U.S.-origin line with a license_override; None = not known",
    )
    kind: ItemKind = ItemKind.COMMODITY
    value: MaybeMoney = Field(
        default=None,
        description="fair market value in the item currency (Supp. No. 2 to part 734 (a)(2)); "
        "not needed for non-U.S. lines; None = not known",
    )
    currency: str | None = Field(
        default=None, description="if given, must equal item.currency: no conversion is done"
    )
    quantity: int = Field(default=1, ge=1, description="informational; value is the line total")
    bundled_software: Tri = Field(
        default=None,
        description="U.S.-origin software bundled with the foreign hardware (73 FR 56964): yes "
        "counts it, no leaves it out (sold separately); None = not known (a software line of a "
        "hardware item then leaves de minimis open)",
    )
    second_incorporation: YesNo = Field(
        default=False,
        description="already inside a completed foreign discrete product (BIS advisory "
        "opinion of 2009-09-14): not counted again",
    )
    is_integrated_circuit: Tri = Field(
        default=None, description="the line is or contains an integrated circuit (734.4(a)(8)-(9))"
    )
    license_override: BomLicenseOverride | None = None


class InputList(StrEnum):
    """A production input known only by the list it is on, not by its exact ECCN.

    Each value stands for the ECCNs of that list (``compliance.ear.fdp.input_lists``); a rule
    whose own list contains all of them is met, one sharing none is not met, otherwise the
    input leaves the rule unknown.
    """

    E1 = "734.9(e)(1) list"
    E2 = "734.9(e)(2) list"
    E3_K = "734.9(e)(3)/(k) plant list"
    H = "734.9(h) list"
    SME_3B = "3B001/3B090 equipment"
    NS = "NS-controlled technology/software"
    NS_CAT3 = "NS-controlled Category 3 technology/software"


_LIST_ALIASES: dict[str, InputList] = {
    "734.9(e)(1)": InputList.E1,
    "(e)(1)": InputList.E1,
    "734.9(i)": InputList.E1,
    "(i)": InputList.E1,
    "734.9(e)(2)": InputList.E2,
    "(e)(2)": InputList.E2,
    "734.9(e)(3)": InputList.E3_K,
    "(e)(3)": InputList.E3_K,
    "734.9(k)": InputList.E3_K,
    "(k)": InputList.E3_K,
    "734.9(h)": InputList.H,
    "(h)": InputList.H,
    "3b001/3b090": InputList.SME_3B,
    "3b001/3b090 equipment": InputList.SME_3B,
    "us-origin 3b001/3b090 equipment": InputList.SME_3B,
    "ns-controlled technology": InputList.NS,
    "ns-controlled technology/software": InputList.NS,
    "ns-controlled category 3 technology": InputList.NS_CAT3,
    "ns-controlled technology of category 3": InputList.NS_CAT3,
    "ns-controlled category 3 technology/software": InputList.NS_CAT3,
}


def input_list(text: str) -> InputList | None:
    """The list a description names ('on the 734.9(e)(1) list', '(e)(2) list', ...), or None."""
    key = " ".join(text.lower().split())
    key = key.removeprefix("on the ").removeprefix("on ").removesuffix(" list").strip()
    for value in InputList:
        if key == value.value.lower().removesuffix(" list"):
            return value
    return _LIST_ALIASES.get(key)


def _check_input_ref(value: str) -> str:
    """An ECCN, or the name of a list (stored as the list's canonical name)."""
    found = input_list(value)
    return found.value if found is not None else _check_eccn(value)


InputRef = Annotated[str, BeforeValidator(_wrap(_check_input_ref))]
"""An ECCN (``3E001``) or a list membership (``734.9(e)(1) list``, ``3B001/3B090 equipment``)."""


def _check_list_name(value: str) -> InputList:
    """A list named in any of the forms ``input_list`` reads ('on the 734.9(e)(1) list')."""
    found = input_list(value)
    if found is None:
        names = ", ".join(f"'{v.value}'" for v in InputList)
        raise ValueError(f"not a list this engine knows: {value!r}; use one of {names}")
    return found


ListName = Annotated[InputList, BeforeValidator(_wrap(_check_list_name))]
"""A list membership in the case writer's words, stored as the list's canonical name."""


class WrittenAssurance(StrEnum):
    """The written assurance for a technology/software input (15 CFR 734.9(b)(1); Supp. No. 2
    to part 748, paragraph (o)(3)(i); License Exception TSR, 15 CFR 740.6)."""

    GIVEN = "given"
    NOT_REQUIRED = "not required"
    NOT_GIVEN = "not given"
    UNKNOWN = "unknown"


def _to_assurance(value: Any) -> Any:
    """null is ``unknown`` (every fact may be unknown); case, repeated spaces, ``_`` and ``-``
    do not matter ('Not_Given' is 'not given'). Anything else, 'yes' included, is refused."""
    if value is None:
        return WrittenAssurance.UNKNOWN
    if isinstance(value, str):
        return " ".join(value.lower().replace("_", " ").replace("-", " ").split())
    return value


Assurance = Annotated[
    WrittenAssurance,
    BeforeValidator(_to_assurance, json_schema_input_type=WrittenAssurance | None),
]


class ProductionInput(_Frozen):
    """Technology or software used to develop or produce the item."""

    eccn: InputRef | None = Field(
        default=None,
        description="its ECCN, or the list it is on ('734.9(e)(1) list'); None = not known",
    )
    on_list: ListName | None = Field(
        default=None,
        description="the list it is on, when the exact ECCN is not known ('on the "
        "734.9(e)(1) list', '(e)(2) list', '3B001/3B090 equipment', 'NS-controlled technology "
        "of Category 3', ...)",
    )
    us_origin: Tri = Field(
        default=None,
        description="True: U.S.-origin; False: foreign-made but subject to the EAR (e.g. by "
        "de minimis); None = not known",
    )
    written_assurance: Assurance = Field(
        default=WrittenAssurance.UNKNOWN,
        description="given / not required / not given / unknown: decides whether the input "
        "is technology 'that requires a written assurance' (15 CFR 734.9(b)(1))",
    )
    description: str | None = None

    @model_validator(mode="after")
    def _one_input(self) -> ProductionInput:
        if self.eccn is not None and self.on_list is not None and self.eccn != self.on_list.value:
            raise ValueError(
                f"on_list: {self.on_list.value!r} names another input than eccn {self.eccn!r}; "
                "give the ECCN when it is known, the list only when it is not"
            )
        return self

    @property
    def ref(self) -> str | None:
        """The ECCN or list name the rules read (``eccn`` first, else ``on_list``)."""
        if self.eccn is not None:
            return self.eccn
        return self.on_list.value if self.on_list is not None else None


class ProductionFacts(_Frozen):
    """How the item was made; ``None`` = not known, ``()`` = known to be none."""

    technology_and_software: tuple[ProductionInput, ...] | None = Field(
        default=None,
        description="technology/software subject to the EAR used to develop/produce the item",
    )
    plant_direct_product_of: tuple[InputRef, ...] | None = Field(
        default=None,
        description="ECCNs (or lists, e.g. '734.9(e)(1) list', '3B001/3B090 equipment') of "
        "U.S.-origin technology/software of which the producing plant or a major component of "
        "it is a direct product (15 CFR 734.9(a))",
    )
    ic_plant_direct_product_of: tuple[InputRef, ...] | None = Field(
        default=None,
        description="the item contains an IC made by a plant/major component that is a direct "
        "product of U.S.-origin technology/software in these ECCNs or lists (734.9(e)(3), (k)); "
        "() = contains no such IC",
    )
    ic_from_qualifying_plant: Tri = Field(
        default=None,
        description="the item contains an IC produced by a plant or major component that is a "
        "direct product of U.S.-origin technology/software of the 734.9(e)(3)/(k) plant list; "
        "no ECCN needed (decides the IC prong when ic_plant_direct_product_of is not given)",
    )


class PartyRole(StrEnum):
    """Parties to the transaction for Entity List purposes (15 CFR 748.5(c)-(f))."""

    PURCHASER = "purchaser"
    INTERMEDIATE_CONSIGNEE = "intermediate consignee"
    ULTIMATE_CONSIGNEE = "ultimate consignee"
    END_USER = "end user"
    EXPORTER = "exporter"
    """The seller / exporter (or reexporter) of the foreign item."""
    DOWNSTREAM_BUYER = "downstream buyer"
    """Buys the items the foreign item goes into: read as 'produced, purchased or ordered by'."""
    FREIGHT_FORWARDER = "freight forwarder"
    OTHER = "other"


_ROLE_ALIASES = {
    "seller": "exporter",
    "seller/exporter": "exporter",
    "forwarder": "freight forwarder",
    "consignee": "ultimate consignee",
    "end-user": "end user",
}


def _to_role(value: Any) -> Any:
    if isinstance(value, str):
        key = " ".join(value.lower().replace("_", " ").split())
        return _ROLE_ALIASES.get(key, key)
    return value


class EntityListing(_Frozen):
    """A party's Entity List status as the caller knows it (Supp. No. 4 to part 744)."""

    listed: YesNo
    footnotes: tuple[int, ...] | None = Field(
        default=None,
        description="footnote numbers 1-5; [] = listed without a footnote; None = not known "
        "(a listed party with unknown footnotes leaves the footnote rules of 734.9(e), (g) "
        "open)",
    )
    license_requirement: str | None = None
    review_policy: str | None = None
    entry: str | None = Field(default=None, description="entry name or id, for the report")

    @field_validator("footnotes")
    @classmethod
    def _footnotes_known(cls, value: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if value is None:
            return None
        bad = [n for n in value if n not in (1, 2, 3, 4, 5)]
        if bad:
            raise ValueError(f"Entity List footnotes are 1-5, got {bad}")
        return tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _footnotes_need_listing(self) -> EntityListing:
        if self.footnotes and not self.listed:
            raise ValueError("footnotes given for a party marked listed: false")
        return self

    @property
    def known_footnotes(self) -> tuple[int, ...] | None:
        """The footnotes, () for an unlisted party, None when listed and not given."""
        if not self.listed:
            return ()
        return self.footnotes


class CaseParty(_Frozen):
    """A party to the transaction."""

    role: Annotated[PartyRole, BeforeValidator(_to_role)]
    name: str = Field(min_length=1)
    country: MaybeCountry = None
    address: str | None = None
    headquarters_country: MaybeCountry = None
    ultimate_parent_headquarters_country: MaybeCountry = None
    entity_list: EntityListing | None = Field(
        default=None,
        description="given Entity List status; None (or listed: unknown) = screen the name "
        "(or unknown without a screener)",
    )
    affiliate_of_listed: Tri = Field(
        default=None,
        description="owned 50% or more, directly or indirectly, by Entity List parties "
        "(Affiliates rule, 90 FR 47201); read only while that rule is in force",
    )
    affiliate_footnotes: tuple[int, ...] | None = Field(
        default=None,
        description="footnotes of the listed owners (most restrictive applies); [] = owners "
        "without a footnote; None = not known (leaves the footnote rules open while the "
        "Affiliates rule is in force)",
    )
    government_of_iran: Tri = Field(
        default=None, description="the party is the Government of Iran (15 CFR 734.9(j))"
    )

    @field_validator("entity_list", mode="before")
    @classmethod
    def _listed_unknown(cls, value: Any) -> Any:
        """``{listed: unknown}`` (or null) says the status is not known: as no entity_list."""
        if isinstance(value, dict):
            listed = value.get("listed", ...)
            if listed is None or (
                isinstance(listed, str) and " ".join(listed.lower().split()) in _UNKNOWN_WORDS
            ):
                if value.get("footnotes"):
                    raise ValueError(
                        "footnotes given for a party whose listing is not known; give listed: "
                        "yes with its footnotes, or leave both out"
                    )
                return None
        return value


class OnwardKnowledge(_Frozen):
    """Knowledge, scoped by destination group, that the item, or an item it is incorporated
    into or used to produce, will be exported, reexported or transferred there (15 CFR 772.1).

    yes / no / unknown each; ``no`` is the cheap way to state negative knowledge ("no
    knowledge of incorporation into, or export to, Russia or Belarus"). Used by the onward
    prongs when ``knowledge.onward_destinations`` (the full list) is not given.
    """

    russia_belarus: Tri = Field(
        default=None,
        description="Russia, Belarus, or the covered regions of Ukraine (734.9(f))",
    )
    iran: Tri = Field(default=None, description="Iran (734.9(j))")
    macau_or_d5: Tri = Field(
        default=None, description="Macau or a Country Group D:5 destination (734.9(h), (i), (k))"
    )
    d1_d4: Tri = Field(
        default=None,
        description="a Country Group D:1 or D:4 destination not also in A:5 or A:6 (734.9(h))",
    )
    e1_e2: Tri = Field(
        default=None, description="Country Group E:1 or E:2 (Cuba, Iran, North Korea, Syria)"
    )


class Knowledge(_Frozen):
    """What the exporter knows or has reason to know (15 CFR 772.1 "knowledge")."""

    onward_to: OnwardKnowledge = Field(
        default=OnwardKnowledge(),
        description="destination-scoped knowledge of onward export or incorporation",
    )
    entity_list_party: Tri = Field(
        default=None,
        description="a party to the transaction is on the Entity List; 'no' settles every party "
        "whose own entity_list is not given",
    )
    affiliate_of_listed_party: Tri = Field(
        default=None,
        description="a party is owned 50 % or more by Entity List parties (Affiliates rule, "
        "90 FR 47201); 'no' settles every party whose own affiliate_of_listed is not given",
    )
    government_of_iran_party: Tri = Field(
        default=None,
        description="the Government of Iran is a party (15 CFR 734.9(j)); 'no' settles every "
        "party whose own government_of_iran is not given",
    )

    supercomputer_end_use: Tri = Field(
        default=None,
        description="for a 'supercomputer' located in or destined to Macau or D:5 "
        "(15 CFR 734.9(i), 744.23)",
    )
    advanced_node_ic_production: Tri = Field(
        default=None,
        description="for development or production of advanced-node ICs (734.4(a)(3), "
        "734.9(e)(3), 744.23)",
    )
    military_end_use: Tri = Field(
        default=None, description="military end use or end user (15 CFR 744.21, 744.22)"
    )
    listed_entity_production: tuple[int, ...] | None = Field(
        default=None,
        description="footnotes (1, 3, 4, 5) of listed entities that will produce, purchase or "
        "order items incorporating or made with the item; () = none known",
    )
    onward_destinations: tuple[Country, ...] | None = Field(
        default=None,
        description="destinations of the items the foreign item will be incorporated into or "
        "used to produce; () = none other than the destination",
    )
    onward_item_eccns: tuple[EccnText, ...] | None = Field(
        default=None,
        description="classifications of the items the foreign item will be incorporated into "
        "or used to produce (the onward prongs of 15 CFR 734.9(f), (h), (j) need them to be "
        "non-EAR99); None = not known",
    )
    supercomputer_location: MaybeCountry = Field(
        default=None,
        description="where the 'supercomputer' of supercomputer_end_use is located or destined "
        "(15 CFR 734.9(i)); None = read from destination and onward_destinations",
    )
    for_advanced_node_facility: Tri = Field(
        default=None,
        description="the item is destined to, or for an entity at, a facility where "
        "'advanced-node' logic or DRAM ICs are produced (15 CFR 734.9(e)(3)(ii) [third-party "
        "reading])",
    )
    advanced_node_facility_country: MaybeCountry = Field(
        default=None,
        description="country of that facility; None = the destination",
    )

    @field_validator("listed_entity_production")
    @classmethod
    def _footnotes_known(cls, value: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if value is None:
            return None
        bad = [n for n in value if n not in (1, 2, 3, 4, 5)]
        if bad:
            raise ValueError(f"Entity List footnotes are 1-5, got {bad}")
        return tuple(sorted(set(value)))


class Case(_Frozen):
    """One determination request. ``case_id`` is echoed in every output."""

    case_id: str | None = None
    item: Item
    bom: tuple[BomLine, ...] | None = Field(
        default=None,
        description="U.S.-origin and foreign inputs; None = BOM not known (de minimis "
        "indeterminate), () = no inputs",
    )
    production: ProductionFacts = ProductionFacts()
    parties: tuple[CaseParty, ...] = ()
    destination: Destination = Field(
        description="country of ultimate destination (not the United States)"
    )
    knowledge: Knowledge = Knowledge()
    export_date: date
    settings: RulesetSettings = RulesetSettings()

    @model_validator(mode="after")
    def _one_currency(self) -> Case:
        for index, line in enumerate(self.bom or ()):
            if line.currency is not None and line.currency != self.item.currency:
                raise ValueError(
                    f"bom[{index}].currency {line.currency!r} differs from item.currency "
                    f"{self.item.currency!r}; convert BOM values to the item currency"
                )
        return self

    def parties_in(self, role: PartyRole) -> tuple[CaseParty, ...]:
        return tuple(p for p in self.parties if p.role is role)


# --- reading cases from files -----------------------------------------------------------------


class CaseInput(BaseModel):
    """One case read from a file, or the reason it could not be read; never silently dropped."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(description="file, with ':line' (JSON Lines) or '[n]' (lists, YAML docs)")
    case: Case | None = None
    error: str | None = None


def format_errors(exc: ValidationError, prefix: str = "case") -> str:
    """Pydantic errors as 'case.bom[3].value: message', one per line."""
    lines = []
    for err in exc.errors(include_url=False):
        path = prefix
        for part in err["loc"]:
            path += f"[{part}]" if isinstance(part, int) else f".{part}"
        message = str(err["msg"]).removeprefix("Value error, ")
        lines.append(f"{path}: {message}")
    return "\n".join(lines)


def parse_case(data: object, source: str) -> CaseInput:
    """Validate one decoded case; errors name the field."""
    if not isinstance(data, dict):
        return CaseInput(source=source, error=f"a case must be a mapping, got {_kind(data)}")
    try:
        return CaseInput(source=source, case=Case.model_validate(data))
    except ValidationError as exc:
        return CaseInput(source=source, error=format_errors(exc))


def _kind(data: object) -> str:
    return "nothing" if data is None else type(data).__name__


MAX_FILE_BYTES = 32 * 1024 * 1024
"""Largest case file read (a JSON Lines batch of ~10,000 cases); larger files are refused."""
MAX_YAML_BYTES = 4 * 1024 * 1024
"""Largest YAML case file: YAML is for hand-written cases, batches go in JSON Lines."""
MAX_YAML_NODES = 200_000
"""Most YAML nodes a document may expand to once aliases are followed (a "billion laughs"
file of a few hundred bytes would otherwise expand to gigabytes in validation)."""


class _CaseLoader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates stay text so that a bad date is reported by
    the case model naming its field (``case.export_date: ...``), not as a YAML error."""


_CaseLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_YAML_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,99})")
_YAML_PLAIN_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,99})\.[0-9]{1,100}")


def _yaml_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    """A plain decimal integer; anything YAML 1.1 reads otherwise (``017`` octal = 15, ``0x10``,
    ``1:00`` base 60 = 60, ``1_000``, a 5,000-digit number) stays text, so that the field's
    own check reports it instead of the case silently holding another number."""
    text = str(loader.construct_scalar(node))
    return int(text) if _YAML_PLAIN_INT.fullmatch(text) else text


def _yaml_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | str:
    """A plain decimal fraction as an exact Decimal (a float would round
    ``1000.123456789012345678`` silently); ``1e3``, ``.inf``, ``1_0.5`` stay text (see above)."""
    text = str(loader.construct_scalar(node))
    return Decimal(text) if _YAML_PLAIN_FLOAT.fullmatch(text) else text


def _yaml_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """A mapping that refuses a key given twice (YAML keeps the last one silently)."""
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # "<<: *anchor" keys may be overridden by explicit ones, as YAML says
        key = loader.construct_object(key_node, deep=True)
        try:
            first = seen.get(key)
        except TypeError:  # an unhashable key (a list or mapping as a key)
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be text", key_node.start_mark
            ) from None
        if first is not None:
            raise yaml.constructor.ConstructorError(
                f"key {key!r} first given on line {first.start_mark.line + 1}",
                first.start_mark,
                f"key {key!r} is given twice in one mapping; keep one",
                key_node.start_mark,
            )
        seen[key] = key_node
    return loader.construct_mapping(node, deep=True)


_CaseLoader.add_constructor("tag:yaml.org,2002:int", _yaml_int)
_CaseLoader.add_constructor("tag:yaml.org,2002:float", _yaml_float)
_CaseLoader.add_constructor("tag:yaml.org,2002:map", _yaml_mapping)


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object that refuses a key given twice (``json`` keeps the last one silently)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"key {key!r} is given twice in one object; keep one")
        out[key] = value
    return out


def _json_int(text: str) -> int | str:
    """Integers of up to 100 digits; a longer one stays text for the field's check to refuse
    (Python would refuse it with a message about ``sys.set_int_max_str_digits``)."""
    return int(text) if len(text) <= 100 else text


def parse_json(text: str) -> object:
    """JSON with exact decimals, no duplicate keys and bounded integers."""
    return json.loads(
        text, parse_float=Decimal, parse_int=_json_int, object_pairs_hook=_json_object
    )


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """Nodes ``node`` stands for with every alias expanded; linear in the distinct nodes."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # a cycle counts once while it is being measured
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, memo) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    memo[key] = min(size, MAX_YAML_NODES + 1)
    return memo[key]


def load_yaml_documents(text: str) -> list[object]:
    """Every non-empty document of ``text``, refusing documents that expand past
    ``MAX_YAML_NODES`` through aliases. Raises ``yaml.YAMLError`` or ``ValueError``."""
    loader = _CaseLoader(text)
    docs: list[object] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            size = _expanded_size(node, {})
            if size > MAX_YAML_NODES:
                raise ValueError(
                    f"YAML document {len(docs) + 1} expands to more than {MAX_YAML_NODES} "
                    "nodes through aliases; refusing it"
                )
            data = loader.construct_document(node)
            if data is not None:
                docs.append(data)
    finally:
        loader.dispose()
    return docs


_TOO_DEEP = "lists or mappings are nested too deeply to be a case"


def _no_case(name: str) -> CaseInput:
    return CaseInput(source=name, error=f"no case in {name}")


def read_cases(path: Path) -> list[CaseInput]:
    """Cases from a .json (object or array), .jsonl, .yaml/.yml (mapping, list, or several
    documents) or .csv (one case a row, ``compliance.ear.case_csv``) file. A file that cannot
    be decoded at all, or that holds no case (empty, comment-only, ``[]``, a header without
    rows), gives one error entry: nothing is silently skipped."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".jsonl", ".yaml", ".yml", ".csv"):
        return [CaseInput(source=name, error="unknown file type: use .json, .jsonl, .yaml or .csv")]
    try:
        size = path.stat().st_size
        limit = MAX_YAML_BYTES if suffix in (".yaml", ".yml") else MAX_FILE_BYTES
        if size > limit:
            return [
                CaseInput(
                    source=name,
                    error=f"file is {size} bytes; the limit for {suffix} case files is {limit}",
                )
            ]
        # a byte-order mark (Windows editors write one) is not part of the text
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as exc:
        return [CaseInput(source=name, error=f"cannot read file: {exc}")]
    if suffix == ".jsonl":
        return _json_lines(text, name) or [_no_case(name)]
    if suffix == ".csv":
        from compliance.ear.case_csv import read_csv_cases  # imports this module

        return read_csv_cases(text, name) or [_no_case(name)]
    try:
        if suffix == ".json":
            docs: list[object] = [parse_json(text)] if text.strip() else []
        else:
            docs = load_yaml_documents(text)
    except RecursionError:
        return [CaseInput(source=name, error=f"not valid {suffix[1:].upper()}: {_TOO_DEEP}")]
    except (ValueError, yaml.YAMLError) as exc:
        return [CaseInput(source=name, error=f"not valid {suffix[1:].upper()}: {exc}")]
    if len(docs) == 1 and not isinstance(docs[0], list):
        return [parse_case(docs[0], name)]
    items = docs[0] if len(docs) == 1 and isinstance(docs[0], list) else docs
    assert isinstance(items, list)
    if not items:
        return [_no_case(name)]
    return [parse_case(d, f"{name}[{i}]") for i, d in enumerate(items)]


def _json_lines(text: str, name: str) -> list[CaseInput]:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{name}:{number}"
        try:
            data = parse_json(line)
        except RecursionError:
            out.append(CaseInput(source=source, error=f"not valid JSON: {_TOO_DEEP}"))
            continue
        except ValueError as exc:
            out.append(CaseInput(source=source, error=f"not valid JSON: {exc}"))
            continue
        out.append(parse_case(data, source))
    return out


def case_schema() -> dict[str, Any]:
    """JSON Schema of the case model (written to docs/ear-case.schema.json, test-checked)."""
    schema = Case.model_json_schema(mode="validation")
    schema["$id"] = "https://github.com/compliance/compliance/docs/ear-case.schema.json"
    schema["title"] = "EAR determination case"
    return schema


def write_schema(path: Path) -> None:
    """Write the case JSON Schema with sorted keys and a trailing newline (deterministic)."""
    text = json.dumps(case_schema(), indent=2, sort_keys=True, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
