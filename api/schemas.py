"""What /api/v1/ takes and gives: the deadline query, its answer and the problem detail."""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import field_validator

ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_day(value):
    """YYYY-MM-DD only: no timestamp, no time of day (pydantic would take both)."""
    if not isinstance(value, str) or not ISO_DAY.fullmatch(value):
        raise ValueError("not a date as YYYY-MM-DD")
    return value


class DeadlineQuery(Schema):
    """The contract of /api/v1/deadlines (every pair exists in rules/data/deadlines.yaml)."""

    regime: str = Field(description="The election regime: an id of rules/data/regimes.yaml (an unknown one is "
                                    "answered with the list).", examples=["pilkada"], max_length=30)
    step: str = Field(description="The step whose time limit is counted: an id of rules/data/steps.yaml (an "
                                  "unknown one is answered with the list).", examples=["report"], max_length=30)
    start: date = Field(description="The day the clock starts (day 0), as YYYY-MM-DD.",
                        examples=["2024-11-22"])

    _only_an_iso_day = field_validator("start", mode="before")(lambda cls, value: iso_day(value))


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
    provisional: bool = Field(
        description="True when a working-day count crossed a year whose days off are not yet confirmed against "
                    "its joint ministerial decree: they come from a computed calendar and the date may change.")
    provisional_years: list[int] = Field(description="The years that made the answer provisional, or empty.")


class AssessmentQuery(Schema):
    """The contract of /api/v1/assessment: one act by one kind of person on one date."""

    act: str = Field(description="A prohibited act: an id of the violation catalog (GET /api/v1/violations).",
                     max_length=80)
    subject: str = Field(description="The kind of person: pns, pppk, contract, village_head, village_official, "
                                     "state_official (rules/data/subjects.yaml).", max_length=40)
    date: dt.date = Field(description="The day the act was committed, as YYYY-MM-DD.")
    regime: str = Field(description="The election regime: an id of rules/data/regimes.yaml (an unknown one is "
                                    "answered with the list).", examples=["pilkada"], max_length=30)
    on: dt.date | None = Field(default=None, description="The day of the decision, as YYYY-MM-DD (default: date). "
                                                      "It picks the sanctions and the route in force.")

    _only_an_iso_day = field_validator("date", "on", mode="before")(
        lambda cls, value: None if value is None else iso_day(value))


class AssessedSanctionOut(Schema):
    id: str
    title: str
    family: str = Field(description="discipline, moral, dismissal, contract, criminal or administrative.")
    level: str | None = Field(description="light, medium or heavy, where the law grades it.")
    verified: bool


class LegalBasisOut(Schema):
    id: str
    citation: str
    verified: bool


class AssessmentOut(Schema):
    act: str
    subject: str
    regime: str
    date: dt.date
    on: dt.date
    applicable: bool = Field(description="False when the act does not reach this person, regime or date.")
    family: str | None = Field(description="ethics, discipline, crime or administrative; null when not applicable "
                                           "or when it depends on a stage whose date is not recorded.")
    election: str | None = Field(description="The election whose stage decided the family, if any.")
    stage: dict | None = Field(description="The stage that decided the family: id, start, and whether the act "
                                           "was before it.")
    sanctions: list[AssessedSanctionOut]
    route: str | None = Field(description="The authority it goes to: kasn, bkn, gakkumdu, ppk, regional-head.")
    route_outcome: str | None = Field(description="The case outcome that carries the route out.")
    route_explanation: str | None
    legal_bases: list[LegalBasisOut]
    verified: bool = Field(description="False when part of the answer rests on a text not yet read.")
    explanation: str = Field(description="The whole answer in one paragraph, in the request's language.")


# RFC 9457, hand-written so that the schema says application/problem+json (ninja would say JSON).
# One named component (#/components/schemas/Problem, registered by api.v1.NetralAPI) that every
# problem answer refers to: a client generator makes one Problem type of it and keeps the answers.
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
PROBLEM_COMPONENT = "Problem"
PROBLEM_REF = {"$ref": f"#/components/schemas/{PROBLEM_COMPONENT}"}
PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_answer(description: str) -> dict:
    """One problem answer of an operation: its description and a reference to the Problem component."""
    return {"description": description, "content": {PROBLEM_CONTENT_TYPE: {"schema": dict(PROBLEM_REF)}}}


def problems(*statuses: int) -> dict:
    """``openapi_extra`` documenting the RFC 9457 problem answers an operation can give."""
    descriptions = {400: "A missing or invalid parameter or body.", 401: "No valid partner token.",
                    403: "The token lacks the scope, or the account may not do this.",
                    404: "Not found, or outside the account's jurisdiction.",
                    422: "The Idempotency-Key was already used with a different request.",
                    429: "Too many calls with this token."}
    return {"responses": {str(status): problem_answer(f"{descriptions[status]} (RFC 9457 problem detail)")
                          for status in statuses}}


PARTNER_PROBLEMS = problems(400, 401, 403, 404, 429)
PUBLIC_PROBLEMS = problems(400)


# Path ids and page numbers within what every database stores (a huge number is a 400, not a crash).
Id = Annotated[int, Field(ge=0, le=2_147_483_647)]
Page = Annotated[int, Field(ge=1, le=1_000_000)]
PageSize = Annotated[int, Field(ge=1, le=200)]
