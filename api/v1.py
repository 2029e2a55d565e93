"""Netral API, version 1: public, read-only answers computed by the same rules as the cases.

No authentication, no session, no CSRF (GET only). Answers are in Indonesian unless the
request prefers English (``Accept-Language: en``); bad parameters answer 400 with an
RFC 9457 problem detail (``application/problem+json``) instead of ninja's 422.
"""

from __future__ import annotations

import json

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema

from api.schemas import (
    PROBLEM_COMPONENT,
    PROBLEM_CONTENT_TYPE,
    PROBLEM_JSON_SCHEMA,
    AssessmentOut,
    AssessmentQuery,
    DeadlineOut,
    DeadlineQuery,
    problem_answer,
)
from rules.assessment import AssessmentError
from rules.selectors import DeadlineRuleNotFound, assessment_for, catalog, deadline_compute

LANGUAGES = ("id", "en")


class NetralOpenAPISchema(OpenAPISchema):
    """ninja's document, made valid OpenAPI 3.1 for client generators (openapi-python-client).

    - ninja copies a field's JSON Schema ``examples`` (a list, right inside a schema) onto the
      parameter object, where OpenAPI wants a map of Example Objects: the parameter gets
      ``example`` (one value) or that map instead; the list stays in the parameter's schema.
    - The RFC 9457 problem detail is one component, ``#/components/schemas/Problem``, that every
      problem answer refers to (api.schemas.problems).
    """

    def _extract_parameters(self, model):
        parameters = super()._extract_parameters(model)
        for parameter in parameters:
            values = parameter.pop("examples", None)
            if isinstance(values, list) and len(values) == 1:
                parameter["example"] = values[0]
            elif isinstance(values, list) and values:
                parameter["examples"] = {f"example-{number}": {"value": value}
                                         for number, value in enumerate(values, start=1)}
        return parameters

    def get_components(self) -> dict:
        components = super().get_components()
        components["schemas"][PROBLEM_COMPONENT] = PROBLEM_JSON_SCHEMA
        return components


class NetralAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return NetralOpenAPISchema(api=self, path_prefix=path_prefix)


api = NetralAPI(
    title="Netral API",
    version="1",
    description=(
        "Netral's data exchange. Public and without a token: the legal deadlines of handling a report, "
        "regions, agencies, units and the violation catalog. With a partner token (Authorization: Bearer "
        "ntr_..., scoped to the partner's jurisdiction, every call audited and throttled): cases and their "
        "status, recommendations with acknowledgement and the PPK's decision, reports handed in by a "
        "partner's complaint system (POST /api/v1/reports, with an Idempotency-Key) and their public status. "
        "Errors are RFC 9457 problem details in Indonesian or English (Accept-Language)."
    ),
    urls_namespace="api",
    # Swagger UI from ninja's own static files; no validator badge from swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    # The one relaxation of the site's CSP: Swagger UI's stylesheet draws its icons as
    # data: SVG images. Only img-src, only on the docs page (docs/threat-model.md).
    docs_decorator=csp_update({"img-src": ["data:"]}),
)


def request_language(request: HttpRequest) -> str:
    """The first of Indonesian and English in the client's Accept-Language; Indonesian otherwise."""
    ranked = []
    for position, part in enumerate(request.headers.get("Accept-Language", "").split(",")):
        tag, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            key, _sep, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        code = tag.lower().split("-")[0]
        if code in LANGUAGES and quality > 0:
            ranked.append((-quality, position, code))
    return min(ranked)[2] if ranked else "id"


class ParameterProblem(Exception):
    """A parameter that passed the schema but cannot be answered (no rule, date out of range)."""

    def __init__(self, field: str, message: str):
        super().__init__(field, message)
        self.field, self.message = field, message


def field_message(field: str, error_type: str) -> str:
    """What is wrong with one query parameter, in the active language."""
    missing = error_type == "missing"
    if field == "regime":
        return _("Give the election regime: %(known)s.") % {"known": _known(catalog().regimes)} if missing else \
            _("Unknown election regime: use %(known)s.") % {"known": _known(catalog().regimes)}
    if field == "step":
        return _("Give the step: %(known)s.") % {"known": _known(catalog().steps)} if missing else \
            _("Unknown step: use %(known)s.") % {"known": _known(catalog().steps)}
    if field == "act":
        return _("Give the prohibited act: an id of the violation catalog.") if missing else \
            _("Unknown prohibited act: use an id of the violation catalog (GET /api/v1/violations).")
    if field == "subject":
        return _("Give the kind of person: %(known)s.") % {"known": _known(catalog().subjects)} if missing else \
            _("Unknown kind of person: use %(known)s.") % {"known": _known(catalog().subjects)}
    if field in ("date", "on", "known_on", "occurred_on"):
        return _("Give the date as YYYY-MM-DD.") if missing else \
            _("Not a valid date: give a real calendar day as YYYY-MM-DD, for example 2024-11-22.")
    if field.lower() in ("idempotency-key", "idempotency_key"):
        return _("Give an Idempotency-Key header of 8 to 100 printable ASCII characters (e.g. a UUID): the "
                 "same key makes a retry return the same report.")
    if field == "start":
        return _("Give the start date (day 0) as YYYY-MM-DD.") if missing else \
            _("Not a valid date: give a real calendar day as YYYY-MM-DD, for example 2024-11-22.")
    if missing:
        return _("This field is required.")
    return _("This value is not valid.")


def _known(entries) -> str:
    return ", ".join(entries)


def problem(request: HttpRequest, errors: list[dict[str, str]], language: str) -> HttpResponse:
    """A 400 problem detail (RFC 9457) listing every bad parameter."""
    with translation.override(language):
        body = {
            "type": "about:blank",
            "title": _("Bad Request"),
            "status": 400,
            "detail": " ".join(error["message"] for error in errors),
            "errors": errors,
        }
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=400,
                            content_type=f"{PROBLEM_CONTENT_TYPE}; charset=utf-8")
    return _localized(response, language)


def _localized(response: HttpResponse, language: str) -> HttpResponse:
    response["Content-Language"] = language
    response["Vary"] = "Accept-Language"
    return response


@api.exception_handler(ValidationError)
def validation_problem(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """ninja's 422 becomes a 400 problem detail, one entry per parameter, in the client's language."""
    language = request_language(request)
    errors, seen = [], set()
    with translation.override(language):
        for error in exc.errors:
            location = [str(part) for part in error.get("loc", ())]
            field = location[1] if len(location) > 1 else (location[0] if location else "")
            if field in seen:
                continue
            seen.add(field)
            errors.append({"field": field, "message": field_message(field, error.get("type", ""))})
    return problem(request, errors, language)


@api.exception_handler(ParameterProblem)
def parameter_problem(request: HttpRequest, exc: ParameterProblem) -> HttpResponse:
    return problem(request, [{"field": exc.field, "message": exc.message}], request_language(request))


def bad_request(description: str) -> dict:
    """The 400 answer of a public endpoint in its OpenAPI operation."""
    return {"responses": {"400": problem_answer(description)}}


@api.get(
    "/deadlines",
    response=DeadlineOut,
    url_name="deadlines",
    summary="Compute a legal deadline",
    description=(
        "The last day on which a step of handling a report may still be done, counted from "
        "`start` (day 0) with the rule and the holiday calendar that Netral uses for its cases."
    ),
    openapi_extra=bad_request("A missing or invalid parameter (RFC 9457 problem detail)."),
)
def deadlines(request: HttpRequest, response: HttpResponse, query: Query[DeadlineQuery]):
    language = request_language(request)
    _localized(response, language)
    with translation.override(language):
        if query.regime not in catalog().regimes:
            raise ParameterProblem("regime", field_message("regime", "unknown"))
        if query.step not in catalog().steps:
            raise ParameterProblem("step", field_message("step", "unknown"))
        try:
            answer = deadline_compute(query.regime, query.step, query.start)
        except DeadlineRuleNotFound:
            raise ParameterProblem("step", field_message("step", "unknown")) from None
        except OverflowError:
            raise ParameterProblem("start", field_message("start", "out_of_range")) from None
        return {
            "regime": answer.regime, "step": answer.step, "title": answer.title,
            "start": answer.start, "due": answer.due, "day_kind": answer.day_kind, "days": answer.days,
            "citation": answer.citation, "verified": answer.verified, "explanation": answer.skipped,
            "summary": answer.explanation, "counted_from": answer.counted_from, "note": answer.note,
            "provisional": answer.provisional, "provisional_years": list(answer.provisional_years),
        }


@api.get(
    "/assessment",
    response=AssessmentOut,
    url_name="assessment",
    summary="What the law says about one act by one kind of person on one date",
    description=(
        "The family of the act (by the election's stage where it depends on it), the sanctions that can "
        "follow for this kind of person, the authority the case goes to and the legal bases in force, "
        "from the same catalog and function as the staff pages: what it answers is exactly what staff "
        "may choose. An act that does not reach the person answers 200 with `applicable: false`."
    ),
    openapi_extra=bad_request("A missing or unknown parameter, or an impossible date (RFC 9457 problem detail)."),
)
def assessment(request: HttpRequest, response: HttpResponse, query: Query[AssessmentQuery]):
    language = request_language(request)
    _localized(response, language)
    with translation.override(language):
        try:
            answer = assessment_for(act=query.act, subject=query.subject, regime=query.regime,
                                    act_date=query.date, decided_on=query.on)
        except AssessmentError as error:
            raise ParameterProblem(error.param, field_message(error.param, "unknown")) from None
        return answer.as_dict(language)


# --- the partner API (token, scopes, audit) and the public reference data ------------------

from ninja.errors import AuthenticationError, HttpError, Throttled  # noqa: E402

from api import partner, public, register, submissions  # noqa: E402,F401 (they add routes to the partner router)

api.add_router("/", public.router)
api.add_router("/", partner.router)


@api.exception_handler(partner.Problem)
def partner_problem(request: HttpRequest, exc: partner.Problem) -> HttpResponse:
    return partner.problem_response(request, exc.status, exc.detail, exc.errors,
                                    getattr(exc, "language", request_language(request)))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    language = request_language(request)
    with translation.override(language):
        detail = _("Give a valid partner token: Authorization: Bearer ntr_...")
    response = partner.problem_response(request, 401, detail, language=language)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    language = request_language(request)
    with translation.override(language):
        detail = _("Too many calls with this token: wait a minute and try again.")
    response = partner.problem_response(request, 429, detail, language=language)
    if getattr(exc, "wait", None):
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


@api.exception_handler(HttpError)
def http_problem(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals (a body that is not JSON, a wrong method) as problem details too."""
    language = request_language(request)
    with translation.override(language):
        detail = _("The request could not be read: send JSON as the schema describes.") \
            if exc.status_code == 400 else str(exc)
    return partner.problem_response(request, exc.status_code, detail, language=language)
