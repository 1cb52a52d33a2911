"""What goes into a screening and what comes out: Party, Hit, ScreeningResult.

These models are the stable output schema (JSON Lines, CSV, the review store, the audit
trail). Scores are rounded to four decimals so the same input, snapshot and version always
serialise to the same bytes.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

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
    extra: dict[str, str] = Field(
        default_factory=dict, description="caller columns passed through unchanged"
    )


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


class SnapshotRef(BaseModel):
    """Which list snapshot a screening ran against: evidence that screening happened."""

    model_config = ConfigDict(frozen=True)

    snapshot_id: str
    source: str
    label: str
    published: str | None
    files: tuple[str, ...] = Field(description="'name sha256' for every file read")
    is_excerpt: bool = False


class Thresholds(BaseModel):
    model_config = ConfigDict(frozen=True)

    review: float = 0.80
    alert: float = 0.92


class ScreeningResult(BaseModel):
    """The outcome for one party; ``clear`` results carry their evidence too."""

    model_config = ConfigDict(frozen=True)

    row: int | None = Field(default=None, description="input row number (1-based, header = 1)")
    party: Party | None
    name: str
    status: Status
    hits: tuple[Hit, ...] = ()
    error: str | None = None
    passthrough: dict[str, str] = Field(
        default_factory=dict,
        description="the input's other columns, kept for rows that failed validation too",
    )
    thresholds: Thresholds
    snapshots: tuple[SnapshotRef, ...]
    weights_id: str | None = Field(
        default=None,
        description="the word-rarity table scores were computed with (TokenWeights.weights_id);"
        " None when nothing was scored",
    )
    library_version: str
