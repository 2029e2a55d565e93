"""What /api/v1/ takes and gives: the deadline query, its answer and the problem detail."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import field_validator

ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class DeadlineQuery(Schema):
    """The contract of /api/v1/deadlines (every pair exists in rules/data/deadlines.yaml)."""

    regime: Literal["pemilu", "pilkada"] = Field(description="The election regime: pemilu or pilkada.")
    step: Literal["report", "completion", "study", "study_extended"] = Field(
        description="The step whose time limit is counted.")
    start: date = Field(description="The day the clock starts (day 0), as YYYY-MM-DD.",
                        examples=["2024-11-22"])

    @field_validator("start", mode="before")
    @classmethod
    def _only_an_iso_day(cls, value):
        """YYYY-MM-DD only: no timestamp, no time of day (pydantic would take both)."""
        if not isinstance(value, str) or not ISO_DAY.fullmatch(value):
            raise ValueError("not a date as YYYY-MM-DD")
        return value


class DeadlineOut(Schema):
    regime: str
    step: str
    title: str = Field(description="The rule's name, in the language of the request.")
    start: date = Field(description="Day 0.")
    due: date = Field(description="The last day on which the step may still be done.")
    day_kind: Literal["working", "calendar"]
    days: int = Field(description="How many days are counted.")
    citation: str = Field(description="The rule's legal basis.")
    verified: bool = Field(description="False when the length of this time limit was not read in the law.")
    explanation: list[str] = Field(description="Every day skipped between day 0 and the due date, and why.")
    summary: str = Field(description="The whole count in one sentence.")
    counted_from: str = Field(description="The event whose date is day 0.")
    note: str = Field(description="Caveats about the rule, or empty.")
    calendar_missing_years: list[int] = Field(
        description="Years of a working-day count with no day off in the holiday calendar (weekends only).")


# RFC 9457, hand-written so that the schema says application/problem+json (ninja would say JSON).
PROBLEM_JSON_SCHEMA = {
    "title": "Problem",
    "type": "object",
    "required": ["type", "title", "status", "detail", "errors"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def problems(*statuses: int) -> dict:
    """``openapi_extra`` documenting the RFC 9457 problem answers an operation can give."""
    descriptions = {400: "A missing or invalid parameter or body.", 401: "No valid partner token.",
                    403: "The token lacks the scope, or the account may not do this.",
                    404: "Not found, or outside the account's jurisdiction.", 429: "Too many calls with this token."}
    return {"responses": {str(status): {
        "description": f"{descriptions[status]} (RFC 9457 problem detail)",
        "content": {"application/problem+json": {"schema": PROBLEM_JSON_SCHEMA}},
    } for status in statuses}}


PARTNER_PROBLEMS = problems(400, 401, 403, 404, 429)
PUBLIC_PROBLEMS = problems(400)


# Path ids and page numbers within what every database stores (a huge number is a 400, not a crash).
Id = Annotated[int, Field(ge=0, le=2_147_483_647)]
Page = Annotated[int, Field(ge=1, le=1_000_000)]
PageSize = Annotated[int, Field(ge=1, le=200)]
