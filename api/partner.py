"""The partner API: token-authenticated, scoped to the partner account's jurisdiction, audited.

A partner (a Pemda personnel agency, a province, the civil-service authority, another
Bawaslu office) calls with ``Authorization: Bearer ntr_...``. The token acts as its
account: the same selectors decide what it may read and the same services what it may
change, so the API and the web pages can never disagree. Every call, answered or refused,
lands in the audit log with the token's prefix; calls are throttled per token.
"""

from __future__ import annotations

import json
from datetime import date
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from api.models import Scope
from api.schemas import PARTNER_PROBLEMS, Id, Page, PageSize
from api.tokens import token_authenticate
from audit.services import audit_record

PROBLEM_CONTENT_TYPE = "application/problem+json"


class TokenAuth(HttpBearer):
    openapi_description = "A partner token (ntr_...), made by an administrator; shown once."

    def authenticate(self, request: HttpRequest, token: str):
        found = token_authenticate(token)
        if found is None:
            _audit_refused(request, status=401)
        return found


class PartnerThrottle(AuthRateThrottle):
    """ninja's per-token throttle, at the rate the installation sets (NETRAL_API_RATE, read per call)."""

    def __init__(self):
        super().__init__(getattr(settings, "NETRAL_API_RATE", "600/m"))

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, "NETRAL_API_RATE", "600/m")
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


router = Router(auth=TokenAuth(), throttle=[PartnerThrottle()], tags=["partner"])


class Problem(Exception):
    def __init__(self, status: int, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors or []


TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 422: "Unprocessable Content",
          429: "Too Many Requests"}


def problem_response(request: HttpRequest, status: int, detail: str, errors=(), language: str = "id") -> HttpResponse:
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status, "detail": detail,
            "errors": list(errors)}
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status,
                            content_type=f"{PROBLEM_CONTENT_TYPE}; charset=utf-8")
    response["Content-Language"] = language
    response["Vary"] = "Accept-Language"
    return response


def _audit_refused(request: HttpRequest, *, status: int) -> None:
    """A refused token is audited, but at most NETRAL_API_REFUSED_AUDITS per client address
    (keyed, never stored in clear), so that guessing cannot flood the hash-chained log."""
    from django_ratelimit.core import get_usage

    from netral.http import address_key

    usage = get_usage(request, group="api-refused", key=address_key,
                      rate=getattr(settings, "NETRAL_API_REFUSED_AUDITS", "30/10m"), increment=True)
    if usage and usage["should_limit"]:
        return
    with transaction.atomic():
        audit_record(actor=None, actor_kind="system", action="api.refused", target="api:v1",
                     data={"method": request.method, "path": request.path[:200], "status": status})


def _audit_call(request: HttpRequest, status: int) -> None:
    token = request.auth
    with transaction.atomic():
        audit_record(actor=token.user, action="api.called", target=token,
                     data={"prefix": token.prefix, "method": request.method, "path": request.path[:200],
                           "status": status})


def partner(scope: str):
    """Check the token's scope, answer in the client's language, audit the call and its status."""
    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            from api.v1 import request_language

            language = request_language(request)
            status = 200
            try:
                with translation.override(language):
                    if scope not in request.auth.scopes:
                        raise Problem(403, _("This token does not have the scope %(scope)s.") % {"scope": scope})
                    try:
                        return view(request, *args, **kwargs)
                    except ValidationError as error:
                        errors = [{"field": field, "message": " ".join(messages)}
                                  for field, messages in error.message_dict.items()] \
                            if hasattr(error, "error_dict") else [{"field": "", "message": " ".join(error.messages)}]
                        raise Problem(400, " ".join(e["message"] for e in errors), errors) from None
                    except PermissionDenied:
                        raise Problem(403, _("This account may not do this.")) from None
                    except Http404:
                        raise Problem(404, _("Not found, or outside this account's jurisdiction.")) from None
            except Problem as problem:
                status = problem.status
                problem.language = language
                raise
            finally:
                _audit_call(request, status)
        return wrapper
    return decorate


def log_exchange(request: HttpRequest, *, direction: str, dataset: str, payload, agency=None) -> None:
    """The call as an exchange of data (registry.ExchangeLog): what the agreements' indicators count.

    ``agency``: the agency whose data moved, by default the token's account's.
    """
    import hashlib

    from registry.services.exchange import exchange_log_record

    user = request.auth.user
    rows = len(payload) if isinstance(payload, list) else 1
    checksum = hashlib.sha256(json.dumps(payload, default=str, sort_keys=True).encode()).hexdigest()
    with transaction.atomic():
        exchange_log_record(direction=direction, dataset=dataset, partner=request.auth.name, rows=rows,
                            checksum=checksum, agency=agency or user.agency, actor=user, channel="api",
                            file_format="json")


def paginated(items, page: int, page_size: int) -> tuple[int, list]:
    page_size = max(1, min(page_size, 200))
    page = max(1, page)
    count = items.count()
    return count, list(items[(page - 1) * page_size:page * page_size])


# --- cases ---------------------------------------------------------------------------------

class CaseOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    outcome: str
    office: str
    region: str
    election: str
    registered_on: date
    due_on: date | None
    due_step: str
    announcement: str


class CasePage(Schema):
    count: int
    page: int
    results: list[CaseOut]


def _case_out(case) -> dict:
    return {"id": case.pk, "number": case.number, "kind": case.kind, "status": case.status, "outcome": case.outcome,
            "office": case.office.name, "region": case.region.code, "election": case.election_id,
            "registered_on": case.registered_on, "due_on": case.due_on, "due_step": case.due_step,
            "announcement": case.announcement}


@router.get("/cases", response=CasePage, url_name="partner_cases",
            openapi_extra=PARTNER_PROBLEMS, summary="Cases of the partner's jurisdiction")
@partner(Scope.CASES_READ)
def cases(request, status: str = "", page: Page = 1, page_size: PageSize = 50):
    from cases.selectors import case_list_for

    items = case_list_for(request.auth.user, status=status, order="new").prefetch_related(None)
    count, rows = paginated(items, page, page_size)
    results = [_case_out(case) for case in rows]
    log_exchange(request, direction="export", dataset="cases", payload=results)
    return {"count": count, "page": page, "results": results}


@router.get("/cases/{case_id}", response=CaseOut, url_name="partner_case",
            openapi_extra=PARTNER_PROBLEMS, summary="One case and its status")
@partner(Scope.CASES_READ)
def case(request, case_id: Id):
    from cases.selectors import access_case

    return _case_out(access_case(request.auth.user, case_id))


# --- recommendations ---------------------------------------------------------------------

class DecisionOut(Schema):
    outcome: str
    sanction: str
    letter_number: str
    letter_date: date | None
    reason: str
    sha256: str


class RecommendationOut(Schema):
    id: int
    stage: str
    status: str
    case_number: str
    number: str
    issued_on: date
    due_on: date
    overdue: bool
    deadline_citation: str
    deadline_verified: bool
    addressee: str
    person_name: str
    position: str
    employee_kind: str
    sanction_family: str
    sanction_level: str
    violations: list[str]
    reminders_sent: int
    escalation_level: int
    decision: DecisionOut | None


class RecommendationPage(Schema):
    count: int
    page: int
    results: list[RecommendationOut]


def _recommendation_out(item, today) -> dict:
    decision = getattr(item, "decision", None)  # RelatedObjectDoesNotExist is an AttributeError
    return {
        "id": item.pk, "stage": item.stage, "status": item.status, "case_number": item.case.number,
        "number": item.number, "issued_on": item.issued_on, "due_on": item.due_on,
        "overdue": item.is_open and item.due_on < today, "deadline_citation": item.limit_citation,
        "deadline_verified": item.limit_verified, "addressee": item.addressee.name, "person_name": item.person_name,
        "position": item.position, "employee_kind": item.employee_kind, "sanction_family": item.sanction_family,
        "sanction_level": item.sanction_level, "violations": [v.pk for v in item.violations.all()],
        "reminders_sent": item.reminders_sent, "escalation_level": item.escalation_level,
        "decision": None if decision is None else {
            "outcome": decision.outcome, "sanction": decision.sanction, "letter_number": decision.letter_number,
            "letter_date": decision.letter_date, "reason": decision.reason, "sha256": decision.sha256},
    }


def _today():
    from django.utils import timezone

    return timezone.localdate()


@router.get("/recommendations", response=RecommendationPage, url_name="partner_recommendations",
            openapi_extra=PARTNER_PROBLEMS,
            summary="Recommendations the partner may read (addressed to it, issued by it, or of its cases)")
@partner(Scope.RECOMMENDATIONS_READ)
def recommendations(request, stage: str = "", state: str = "", page: Page = 1, page_size: PageSize = 50):
    from followup.selectors import recommendation_list_for

    items = recommendation_list_for(request.auth.user, stage=stage, state=state).prefetch_related("violations")
    count, rows = paginated(items, page, page_size)
    today = _today()
    results = [_recommendation_out(item, today) for item in rows]
    log_exchange(request, direction="export", dataset="recommendations", payload=results)
    return {"count": count, "page": page, "results": results}


def _recommendation(request, recommendation_id: Id):
    from followup.selectors import access_recommendation

    return access_recommendation(request.auth.user, recommendation_id)


@router.get("/recommendations/{recommendation_id}", response=RecommendationOut, url_name="partner_recommendation",
            openapi_extra=PARTNER_PROBLEMS,
            summary="One recommendation")
@partner(Scope.RECOMMENDATIONS_READ)
def recommendation(request, recommendation_id: Id):
    return _recommendation_out(_recommendation(request, recommendation_id), _today())


@router.post("/recommendations/{recommendation_id}/acknowledge", response=RecommendationOut,
             url_name="partner_acknowledge",
            openapi_extra=PARTNER_PROBLEMS, summary="Acknowledge receipt (the addressee only)")
@partner(Scope.RECOMMENDATIONS_WRITE)
def acknowledge(request, recommendation_id: Id):
    from followup.services import recommendation_acknowledge

    item = recommendation_acknowledge(recommendation=_recommendation(request, recommendation_id),
                                      actor=request.auth.user)
    return _recommendation_out(_recommendation(request, item.pk), _today())


@router.post("/recommendations/{recommendation_id}/decision", response=RecommendationOut,
             url_name="partner_decision",
            openapi_extra=PARTNER_PROBLEMS,
             summary="Record the PPK's decision: a sanction imposed (with its letter) or a reasoned refusal")
@partner(Scope.RECOMMENDATIONS_WRITE)
def decision(request, recommendation_id: Id, outcome: Form[str], sanction: Form[str] = "",
             letter_number: Form[str] = "", letter_date: Form[date | None] = None, reason: Form[str] = "",
             file: File[UploadedFile] = None):
    from followup.services import decision_record

    item = _recommendation(request, recommendation_id)
    decision_record(recommendation=item, actor=request.auth.user, outcome=outcome, sanction=sanction,
                    letter_number=letter_number, letter_date=letter_date, upload=file, reason=reason)
    answer = _recommendation_out(_recommendation(request, item.pk), _today())
    log_exchange(request, direction="import", dataset="recommendations", payload=answer["decision"])
    return answer
