"""The case model: everything the EAR engine needs to decide jurisdiction over a foreign item.

One ``Case`` = one foreign-made item, its bill of materials (BOM), how it was produced, who
the parties are, where it goes, what the exporter knows, the export date and the ruleset
settings. Unknown is a value: every fact the caller may not know is ``None`` by default, and
``None`` never means "no" (15 CFR 734.9 prongs are knowledge tests; a missing fact leaves a
rule indeterminate, see docs/ear.md).

Money is ``Decimal``. Floats from YAML/JSON are converted through their shortest ``repr`` so
``12.5`` stays ``Decimal("12.5")``; strings are recommended for exact values.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
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
from compliance.ear.reference.countries import normalize_destination
from compliance.ear.settings import RulesetSettings

Tri = bool | None
"""A fact that may be unknown: True, False, or None (= not known, never read as False)."""


def _to_decimal(value: Any) -> Any:
    """Floats go through ``repr`` (0.1 -> '0.1'); booleans are rejected, not read as 0/1."""
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean")
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", ""))
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
    return value


Money = Annotated[Decimal, BeforeValidator(_to_decimal), Field(ge=0, allow_inf_nan=False)]


def _check_eccn(value: str) -> str:
    """ECCN or EAR99, stored in canonical form ('3a090 .A' -> '3A090.a')."""
    return parse_eccn(value).text


def _check_country(value: str) -> str:
    """ISO-2 code or English name known to the EAR tables; stored as typed (HK stays HK so
    the report can say why it is treated as China)."""
    text = value.strip()
    normalize_destination(text)
    return text


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
    eccn: EccnText = Field(description="the item's own classification, e.g. '3B001.c' or 'EAR99'")
    kind: ItemKind = ItemKind.COMMODITY
    country_of_manufacture: Country = Field(
        description="where the item was made; 'US' makes it U.S.-origin (15 CFR 734.3(a)(2))"
    )
    exported_from: Country = Field(
        description="the country the item leaves; 'US' means located in the U.S. (734.3(a)(1))"
    )
    price: Money = Field(
        gt=0,
        description="normal selling price ex-works / f.o.b. factory, excluding VAT and excise "
        "(Supp. No. 2 to part 734, denominator)",
    )
    currency: str = Field(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")
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
    developer_headquarters_country: Country | None = Field(
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

    counts: bool
    reason: str = Field(min_length=1, description="why; kept in the de minimis account")


class BomLine(_Frozen):
    """One input incorporated in the foreign item."""

    description: str = Field(min_length=1)
    origin_country: Country
    eccn: EccnText
    kind: ItemKind = ItemKind.COMMODITY
    value: Money = Field(
        description="fair market value in the item currency (Supp. No. 2 to part 734 (a)(2))"
    )
    currency: str | None = Field(
        default=None, description="if given, must equal item.currency: no conversion is done"
    )
    quantity: int = Field(default=1, ge=1, description="informational; value is the line total")
    bundled_software: bool = Field(
        default=False,
        description="U.S.-origin software bundled with the foreign hardware (73 FR 56964)",
    )
    second_incorporation: bool = Field(
        default=False,
        description="already inside a completed foreign discrete product (BIS advisory "
        "opinion of 2009-09-14): not counted again",
    )
    is_integrated_circuit: Tri = Field(
        default=None, description="the line is or contains an integrated circuit (734.4(a)(8)-(9))"
    )
    license_override: BomLicenseOverride | None = None


class ProductionInput(_Frozen):
    """Technology or software used to develop or produce the item."""

    eccn: EccnText
    us_origin: bool = Field(
        description="True: U.S.-origin; False: foreign-made but subject to the EAR (e.g. by "
        "de minimis)"
    )
    description: str | None = None


class ProductionFacts(_Frozen):
    """How the item was made; ``None`` = not known, ``()`` = known to be none."""

    technology_and_software: tuple[ProductionInput, ...] | None = Field(
        default=None,
        description="technology/software subject to the EAR used to develop/produce the item",
    )
    plant_direct_product_of: tuple[EccnText, ...] | None = Field(
        default=None,
        description="ECCNs of U.S.-origin technology/software of which the producing plant or "
        "a major component of it is a direct product (15 CFR 734.9(a))",
    )
    ic_plant_direct_product_of: tuple[EccnText, ...] | None = Field(
        default=None,
        description="the item contains an IC made by a plant/major component that is a direct "
        "product of U.S.-origin technology/software in these ECCNs (734.9(e)(3), (k)); () = "
        "contains no such IC",
    )


class PartyRole(StrEnum):
    """Parties to the transaction for Entity List purposes (15 CFR 748.5(c)-(f))."""

    PURCHASER = "purchaser"
    INTERMEDIATE_CONSIGNEE = "intermediate consignee"
    ULTIMATE_CONSIGNEE = "ultimate consignee"
    END_USER = "end user"


class EntityListing(_Frozen):
    """A party's Entity List status as the caller knows it (Supp. No. 4 to part 744)."""

    listed: bool
    footnotes: tuple[int, ...] = Field(default=(), description="footnote numbers 1-5")
    license_requirement: str | None = None
    review_policy: str | None = None
    entry: str | None = Field(default=None, description="entry name or id, for the report")

    @field_validator("footnotes")
    @classmethod
    def _footnotes_known(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        bad = [n for n in value if n not in (1, 2, 3, 4, 5)]
        if bad:
            raise ValueError(f"Entity List footnotes are 1-5, got {bad}")
        return tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _footnotes_need_listing(self) -> EntityListing:
        if self.footnotes and not self.listed:
            raise ValueError("footnotes given for a party marked listed: false")
        return self


class CaseParty(_Frozen):
    """A party to the transaction."""

    role: PartyRole
    name: str = Field(min_length=1)
    country: Country | None = None
    address: str | None = None
    headquarters_country: Country | None = None
    ultimate_parent_headquarters_country: Country | None = None
    entity_list: EntityListing | None = Field(
        default=None,
        description="given Entity List status; None = screen the name (or unknown without a "
        "screener)",
    )
    affiliate_of_listed: Tri = Field(
        default=None,
        description="owned 50% or more, directly or indirectly, by Entity List parties "
        "(Affiliates rule, 90 FR 47201); read only while that rule is in force",
    )
    affiliate_footnotes: tuple[int, ...] = Field(
        default=(), description="footnotes of the listed owners (most restrictive applies)"
    )
    government_of_iran: Tri = Field(
        default=None, description="the party is the Government of Iran (15 CFR 734.9(j))"
    )


class Knowledge(_Frozen):
    """What the exporter knows or has reason to know (15 CFR 772.1 "knowledge")."""

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
    supercomputer_location: Country | None = Field(
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
    advanced_node_facility_country: Country | None = Field(
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
    destination: Country = Field(description="country of ultimate destination")
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


def read_cases(path: Path) -> list[CaseInput]:
    """Cases from a .json (object or array), .jsonl or .yaml/.yml (mapping, list, or several
    documents) file. A file that cannot be decoded at all gives one error entry."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [CaseInput(source=name, error=f"cannot read file: {exc}")]
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _json_lines(text, name)
    try:
        if suffix == ".json":
            docs: list[object] = [json.loads(text, parse_float=Decimal)]
        elif suffix in (".yaml", ".yml"):
            docs = [d for d in yaml.safe_load_all(text) if d is not None]
        else:
            return [CaseInput(source=name, error="unknown file type: use .json, .jsonl or .yaml")]
    except (ValueError, yaml.YAMLError) as exc:
        return [CaseInput(source=name, error=f"not valid {suffix[1:].upper()}: {exc}")]
    if len(docs) == 1 and not isinstance(docs[0], list):
        return [parse_case(docs[0], name)]
    items = docs[0] if len(docs) == 1 and isinstance(docs[0], list) else docs
    assert isinstance(items, list)
    return [parse_case(d, f"{name}[{i}]") for i, d in enumerate(items)]


def _json_lines(text: str, name: str) -> list[CaseInput]:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{name}:{number}"
        try:
            data = json.loads(line, parse_float=Decimal)
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
