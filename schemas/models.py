"""Topic contracts.

`MessageEvent` is what producers write to the input topic (`messages`); `EnforcementEvent` is what the
worker writes to the enforcement topic (`moderation.enforcements`). `python -m schemas` regenerates the
JSON Schema files beside this module; a test fails when they drift.
"""
from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Event times outside this range are treated as corrupt producer clocks, not as real messages.
EARLIEST_EVENT_TIME = datetime(2000, 1, 1, tzinfo=timezone.utc)
LATEST_EVENT_TIME = datetime(2100, 1, 1, tzinfo=timezone.utc)


class Surface(StrEnum):
    moments = "moments"
    group = "group"
    direct = "direct"


Action = Literal["allow", "review", "limit", "remove", "suspend"]
# From mildest to harshest; the order is part of the contract.
ACTIONS: tuple[str, ...] = ("allow", "review", "limit", "remove", "suspend")


def as_utc(value: datetime) -> datetime:
    """An event time in UTC (naive: read as UTC), within EARLIEST_EVENT_TIME..LATEST_EVENT_TIME (ValueError)."""
    if value.tzinfo is None:  # a timestamp without offset is read as UTC
        value = value.replace(tzinfo=timezone.utc)
    value = value.astimezone(timezone.utc)
    if not EARLIEST_EVENT_TIME <= value < LATEST_EVENT_TIME:
        raise ValueError(f"timestamp {value.isoformat()} is outside 2000-01-01..2100-01-01")
    return value


class MessageEvent(BaseModel):
    """One message posted on the platform (input topic). Unknown extra fields are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: str = Field(min_length=1, max_length=200, description="Unique id of this event")
    account_id: str = Field(min_length=1, max_length=200, description="The posting account")
    surface: Surface = Field(description="Where it was posted: moments, group or direct")
    text: str = Field(description="The message text (may be empty)")
    sent_at: datetime = Field(description="Event time, ISO-8601; without an offset it is read as UTC")
    message_id: str | None = None
    account_created_at: datetime | None = Field(default=None, description="When the account was registered")
    conversation_id: str | None = Field(default=None, description="Group or chat id; null for moments")
    urls: list[str] | None = None
    lang: str | None = None

    @field_validator("sent_at", "account_created_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else as_utc(value)


class Reason(BaseModel):
    """Why a decision was made: one detector finding with its evidence span in the original text."""

    model_config = ConfigDict(frozen=True)

    detector: str
    rule_id: str
    label: str | None = Field(default=None, description="The label this finding supports, if any")
    weight: float
    start: int = Field(ge=0, description="Evidence start offset (code points) in the original text")
    end: int = Field(ge=0, description="Evidence end offset (exclusive) in the original text")
    evidence: str | None = Field(default=None, description="Non-text evidence, e.g. a counter key and count")


class EnforcementEvent(BaseModel):
    """A non-allow decision (enforcement topic), keyed by account_id."""

    model_config = ConfigDict(frozen=True)

    enforcement_id: str = Field(description="Deterministic: derived from event_id and policy_version")
    event_id: str
    account_id: str
    surface: Surface
    action: Action
    labels: list[str]
    score: float
    reasons: list[Reason]
    policy_version: str
    event_time: datetime
    decided_at: datetime
    degraded: bool = Field(default=False, description="True when counters were unavailable (text-only)")
    text_sha256: str = Field(description="SHA-256 of the original text")
    text: str | None = Field(default=None, description="The full text, only when MODWORKER_INCLUDE_TEXT=true")
