"""What goes into a screening and what comes out: Party, Hit, ScreeningResult.

These models are the stable output schema (JSON Lines, CSV, the review store, the audit
trail). Scores are rounded to four decimals so the same input, snapshot and version always
serialise to the same bytes.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from compliance.watchlists.entry import AliasStrength, Footnote


class PartyType(StrEnum):
    ENTITY = "entity"
    INDIVIDUAL = "individual"


class Party(BaseModel):
    """A counterparty to screen: a company or a person."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1)
    id: str | None = None
    aliases: tuple[str, ...] = ()
    country: str | None = Field(
        default=None, description="ISO 3166-1 alpha-2 code or an English country name"
    )
    address: str | None = None
    type: PartyType | None = None
    dob: str | None = Field(
        default=None,
        exclude_if=lambda value: value is None,  # absent, so outputs keep their bytes
        description="date or year of birth of a person: YYYY, YYYY-MM or YYYY-MM-DD",
    )
    nationality: str | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="nationality or citizenship: ISO 3166-1 code or English name",
    )
    place_of_birth: str | None = Field(default=None, exclude_if=lambda value: value is None)
    id_number: str | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="passport, national ID or tax ID number of the party",
    )
    extra: dict[str, str] = Field(
        default_factory=dict, description="caller columns passed through unchanged"
    )

    @field_validator("dob")
    @classmethod
    def _dob_readable(cls, value: str | None) -> str | None:
        return _checked_dob(value)


_DOB = re.compile(r"\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?|\d{1,2}[./]\d{1,2}[./]\d{4}")


def _checked_dob(value: str | None) -> str | None:
    """A date of birth the person comparison can read (``persons.parse_dob``), else an
    error naming the accepted forms: a date that cannot be read must not pass as absent."""
    if value is None or not value.strip():
        return None
    if not _DOB.fullmatch(value.strip()):
        raise ValueError(f"{value!r} is not YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY")
    return value.strip()


class Status(StrEnum):
    CLEAR = "clear"
    REVIEW = "review"
    ALERT = "alert"
    ERROR = "error"


class TokenMatch(BaseModel):
    """One aligned pair of name tokens and what it contributed."""

    model_config = ConfigDict(frozen=True)

    query: str
    listed: str
    similarity: float
    weight: float


class Evidence(BaseModel):
    """Why a hit scored what it did: enough for a reviewer to agree or disagree."""

    model_config = ConfigDict(frozen=True)

    name_score: float
    aligned: tuple[TokenMatch, ...] = ()
    unmatched_query: tuple[str, ...] = ()
    unmatched_listed: tuple[str, ...] = ()
    country: str = Field(
        default="unknown", description="'agree', 'disagree' or 'unknown' (no country to compare)"
    )
    address: str = Field(default="unknown", description="'agree', 'partial', 'disagree', 'unknown'")
    adjustments: tuple[str, ...] = Field(
        default=(), description="each score adjustment as 'reason: +0.0300'"
    )
    dropped: tuple[str, ...] = Field(
        default=(),
        description="symbols removed from the query name before matching (emoji, flags, ™, "
        "currency...): they are not name material and were not compared",
    )


class HitReview(BaseModel):
    """A recorded reviewer decision applied to a hit (``compliance.review``): its state.

    ``state`` is ``suppressed`` (a false positive), ``confirmed``, ``escalated``, ``open`` (a
    lapsed decision, see ``notes``) or ``unverifiable`` (a decision the audit chain does not
    prove: not applied).
    """

    model_config = ConfigDict(frozen=True)

    state: str
    decision_id: int | None = None
    verdict: str | None = None
    reviewer: str | None = None
    notes: tuple[str, ...] = ()


class Listing(BaseModel):
    """One place a listed entity is published: a list entry of one snapshot."""

    model_config = ConfigDict(frozen=True)

    list: str
    list_name: str
    entry_id: str
    snapshot_id: str
    entry_hash: str

    @property
    def reference(self) -> str:
        return entry_reference(self.list, self.entry_id)


def entry_reference(list_code: str, entry_id: str) -> str:
    """``EL:12345`` for display: the list code, then the entry id, never the code twice
    (CSL JSON and OFAC entry ids already start with it: ``EL:EL:...`` was printed)."""
    if entry_id.startswith(f"{list_code}:"):
        return entry_id
    return f"{list_code}:{entry_id}"


class Hit(BaseModel):
    """A list entry that matched a party above the review threshold."""

    model_config = ConfigDict(frozen=True)

    list: str = Field(description="list code: EL, SDN, DPL, UVL, MEU, ... or INTERNAL")
    list_name: str
    entry_id: str
    listed_name: str
    matched_name: str = Field(description="the primary name or alias that matched")
    matched_alias: bool
    alias_strength: AliasStrength | None = None
    query_name: str = Field(description="the party name or party alias that matched")
    score: float
    status: Status
    evidence: Evidence
    countries: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    license_requirement: str | None = None
    license_policy: str | None = None
    footnotes: tuple[Footnote, ...] = ()
    federal_register_notices: tuple[str, ...] = ()
    entry_hash: str = Field(description="content hash of the list entry, for review decisions")
    snapshot_id: str
    review: HitReview | None = Field(
        default=None,
        exclude_if=lambda value: value is None,  # absent, so outputs keep their bytes
        description="the recorded decision applied to this hit; absent (not serialised) when "
        "decisions were not applied or none concerns it",
    )
    listings: tuple[Listing, ...] = Field(
        default=(),
        exclude_if=lambda value: not value,
        description="every list entry, of every screened source, that publishes this entity "
        "(this hit's own entry first); empty when it is published once",
    )

    @property
    def reference(self) -> str:
        """``LIST:ENTRY`` as shown to people (``EL:12345``)."""
        return entry_reference(self.list, self.entry_id)


class SnapshotRef(BaseModel):
    """Which list snapshot a screening ran against: evidence that screening happened."""

    model_config = ConfigDict(frozen=True)

    snapshot_id: str
    source: str
    label: str
    published: str | None
    files: tuple[str, ...] = Field(description="'name sha256' for every file read")
    is_excerpt: bool = False


class ListThresholds(BaseModel):
    """Review and alert thresholds of one list (``Thresholds.by_list``)."""

    model_config = ConfigDict(frozen=True)

    review: float
    alert: float


class Thresholds(BaseModel):
    """Score bands. ``by_list`` overrides them for chosen list codes (``{"SDN": ...}``): a
    compliance team may review more of one list (a lower bar) than of another."""

    model_config = ConfigDict(frozen=True)

    review: float = 0.80
    alert: float = 0.92
    by_list: dict[str, ListThresholds] = Field(
        default_factory=dict, exclude_if=lambda value: not value
    )

    def for_list(self, list_code: str) -> Thresholds:
        """The thresholds in force for one list (the overrides resolved)."""
        own = self.by_list.get(list_code)
        if own is None:
            return self if not self.by_list else Thresholds(review=self.review, alert=self.alert)
        return Thresholds(review=own.review, alert=own.alert)

    @property
    def lowest_review(self) -> float:
        """The lowest review threshold of any list: what candidate pruning must keep."""
        return min((self.review, *(t.review for t in self.by_list.values())))


class ScreeningResult(BaseModel):
    """The outcome for one party; ``clear`` results carry their evidence too."""

    model_config = ConfigDict(frozen=True)

    row: int | None = Field(default=None, description="input row number (1-based, header = 1)")
    party: Party | None
    name: str
    status: Status
    hits: tuple[Hit, ...] = ()
    hits_omitted: int = Field(
        default=0,
        exclude_if=lambda value: value == 0,
        description="hits beyond the max_hits strongest, left out (counted only)",
    )
    error: str | None = None
    passthrough: dict[str, str] = Field(
        default_factory=dict,
        description="the input's other columns, kept for rows that failed validation too",
    )
    lists_screened: tuple[str, ...] = Field(
        default=(),
        exclude_if=lambda value: not value,
        description="the list codes screened when only some were chosen; empty: all",
    )
    thresholds: Thresholds
    snapshots: tuple[SnapshotRef, ...]
    weights_id: str | None = Field(
        default=None,
        description="the word-rarity table scores were computed with (TokenWeights.weights_id);"
        " None when nothing was scored",
    )
    library_version: str
