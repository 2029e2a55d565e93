"""Reports handed in by partner systems (issue 17): ``POST /api/v1/reports`` and their public status.

A complaint system run by a Bawaslu office or a Pemda (SILAPOR ASN and the like) sends what
its own form took, with the evidence files, as ``multipart/form-data``. The fields are the
public form's and are checked by the public form itself (``reports.forms.ReportForm`` and the
reported-persons formset: the same limits, the same messages, the same file checks), then
filed by the one intake service, ``reports.services.report_submit``, with channel ``partner``.

Idempotency: the ``Idempotency-Key`` header is the client's name for this submission. The
submission token that ``report_submit`` uses to make a double submit one report is derived
from the token's id and the key (keyed with the installation's secret), so a retry returns
the first report; ``api.PartnerReport`` keeps the key's and the body's fingerprints, so that
the same key with another body is refused (422) rather than answered with a report it did
not describe. That row, written in the report's transaction, also records which token sent
the report; the partner may read the public status of its account's reports, nothing more.
"""

import hashlib
import hmac
import json
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Header, Schema, Status
from ninja.files import UploadedFile
from pydantic import field_validator

from api.models import PartnerReport, Scope
from api.partner import Problem, partner, router
from api.schemas import Id, iso_day, problems
from audit.services import audit_record

PERSONS_PREFIX = "persons"
MAX_PERSONS = 5


class ReportIn(Schema):
    """The public form's fields (reports.forms.ReportForm), as multipart form fields."""

    election: str = Field(description="The id of an open election (rules/data/elections.yaml, as the public "
                                      "form lists them), e.g. pilkada-2024.", examples=["pilkada-2024"])
    region: str = Field(description="The code of the regency/city or district where it happened (GET "
                                    "/api/v1/regions). It must lie within the token's account's jurisdiction.",
                        examples=["19.06.01"])
    place: str = Field(description="Address, building, village, or the name of the social-media group "
                                   "(at most 300 characters).", examples=["Kantor Dinas Kesehatan, Manggar"])
    known_on: date = Field(description="When the reporter learned of it, as YYYY-MM-DD (not in the future).",
                           examples=["2024-11-11"])
    occurred_on: date | None = Field(default=None, description="When it happened, as YYYY-MM-DD, if known.")
    description: str = Field(description="What happened, in the reporter's words (20 to 10,000 characters).",
                             examples=["Kepala dinas mengajak pegawai memilih calon bupati dalam apel pagi."])
    reported_persons: str = Field(
        description='The reported persons: a JSON array of 1 to 5 objects {"name": ..., "position": ..., '
                    '"unit": ...}; name is required (at most 150 characters), position and unit may be empty '
                    '(at most 200).',
        examples=['[{"name": "Budi Santoso", "position": "Kepala Dinas", "unit": "Dinas Kesehatan"}]'])
    violations: list[str] = Field(default=[], description="Ids of suspected prohibited acts (GET "
                                                          "/api/v1/violations); repeat the field for several.")
    links: list[str] = Field(default=[], description="Links (http/https) to posts; repeat the field, at most 10.")
    as_information: bool = Field(default=False, description="True: an event outside every election's supervised "
                                                            "stages is sent as information, not as a report (kept, "
                                                            "no registration time limit). Without it such an event "
                                                            "is refused with the reason (field as_information).")
    anonymous: bool = Field(default=False, description="True: no reporter identity is given (the reporter_* "
                                                       "fields are then ignored).")
    reporter_name: str = Field(default="", description="Required unless anonymous (at most 150 characters).")
    reporter_address: str = Field(default="", description="Required unless anonymous (at most 300 characters).")
    reporter_nik: str = Field(default="", description="The ID card number (NIK): 16 digits, or empty.")
    reporter_phone: str = Field(default="", description="Phone or WhatsApp number, or empty.")
    reporter_email: str = Field(default="", description="E-mail address, or empty.")

    _only_iso_days = field_validator("known_on", "occurred_on", mode="before")(
        lambda cls, value: None if value in (None, "") else iso_day(value))


class ReceiptOut(Schema):
    id: int = Field(description="The report's id, for GET /api/v1/reports/{id}.")
    number: str = Field(description="The report number, e.g. 0001/LAP/K.BB-06/2024.")
    tracking_code: str | None = Field(
        description="The reporter's secret tracking code. It is shown ONCE: Netral stores only its hash and "
                    "cannot show it again. A retry with the same Idempotency-Key within 15 minutes of the first "
                    "answer returns it again (report_submit's rule for a repeated form); a later retry answers "
                    "null, so that an old request replayed from a log reveals nothing. Hand it to the reporter.")
    created: bool = Field(description="True for the first answer (201), false for a retry (200).")
    status_url: str = Field(description="Where the public status of the report can be read with this token.")


class TimelineEntryOut(Schema):
    status: str
    label: str = Field(description="The status in words, in the language of the request.")
    at: datetime
    note: str = Field(description="The public note Bawaslu wrote to the reporter with this step, or empty.")


class ReportStatusOut(Schema):
    id: int
    number: str
    status: str = Field(description="received, in_review, needs_completion, registered, not_registered, "
                                    "information or withdrawn.")
    status_label: str
    explanation: str = Field(description="What the status means for the reporter, in plain words.")
    received_at: datetime
    timeline: list[TimelineEntryOut] = Field(description="Every public step, oldest first.")


SUBMIT_PROBLEMS = problems(400, 401, 403, 422, 429)
STATUS_PROBLEMS = problems(400, 401, 403, 404, 429)


def _keyed(purpose: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"netral-partner-{purpose}:{value}".encode(),
                    hashlib.sha256).hexdigest()


def _file_digest(uploaded) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def body_fingerprint(payload: ReportIn, files) -> str:
    """What the request said, fields and files (by content), as one keyed hash (it holds an identity)."""
    fields = payload.model_dump()
    canonical = json.dumps({"fields": fields, "files": [[f.name, _file_digest(f)] for f in files]},
                           default=str, sort_keys=True, ensure_ascii=False)
    return _keyed("body", canonical)


def submission_token_for(token, key: str) -> str:
    """report_submit's submission token for this token and Idempotency-Key (never shown, never stored)."""
    return _keyed("submission", f"{token.pk}:{key}")


def _region(code: str, user):
    """The region by its code: 400 unknown, 403 outside the account's jurisdiction."""
    from accounts.permissions import NATIONWIDE_ROLES
    from regions.models import Region

    region = Region.objects.filter(code=code.strip()[:20]).first()
    if region is None:
        message = _("Unknown region code: use the code of a regency/city or district (GET /api/v1/regions).")
        raise Problem(400, message, [{"field": "region", "message": message}])
    if user.role not in NATIONWIDE_ROLES and (user.jurisdiction is None or not user.jurisdiction.contains(region)):
        raise Problem(403, _("This region is outside the jurisdiction of the token's account."))
    return region


def _persons(raw: str) -> list[dict]:
    message = _('Give the reported persons as a JSON array of 1 to %(count)d objects with a "name" (and '
                'optionally "position" and "unit").') % {"count": MAX_PERSONS}
    try:
        persons = json.loads(raw)
    except ValueError:
        persons = None
    if (not isinstance(persons, list) or not 1 <= len(persons) <= MAX_PERSONS
            or not all(isinstance(p, dict) and all(isinstance(v, str) for v in p.values()) for p in persons)):
        raise Problem(400, message, [{"field": "reported_persons", "message": message}])
    return persons


def _forms(payload: ReportIn, region, files):
    """The public form and its reported-persons formset, filled from the call."""
    from reports.forms import ReportedPersonFormSet, ReportForm
    from reports.tracking import new_submission_token

    persons = _persons(payload.reported_persons)
    data = MultiValueDict({
        # The form's own token field wants a token this server signed; report_submit gets ours.
        "submission_token": [new_submission_token()],
        "identity": [ReportForm.ANONYMOUS if payload.anonymous else ReportForm.IDENTIFIED],
        "election": [payload.election], "region": [str(region.pk)], "place": [payload.place],
        "known_on": [payload.known_on.isoformat()],
        "occurred_on": [payload.occurred_on.isoformat() if payload.occurred_on else ""],
        "description": [payload.description], "violations": list(payload.violations),
        "links": ["\n".join(payload.links)], "truthful": ["on"],
        "reporter_name": [payload.reporter_name], "reporter_address": [payload.reporter_address],
        "reporter_nik": [payload.reporter_nik], "reporter_phone": [payload.reporter_phone],
        "reporter_email": [payload.reporter_email], "as_information": ["on" if payload.as_information else ""],
        f"{PERSONS_PREFIX}-TOTAL_FORMS": [str(len(persons))], f"{PERSONS_PREFIX}-INITIAL_FORMS": ["0"],
        f"{PERSONS_PREFIX}-MIN_NUM_FORMS": ["1"], f"{PERSONS_PREFIX}-MAX_NUM_FORMS": [str(MAX_PERSONS)],
    })
    for index, person in enumerate(persons):
        for name in ("name", "position", "unit"):
            data[f"{PERSONS_PREFIX}-{index}-{name}"] = person.get(name, "")
    form = ReportForm(data, MultiValueDict({"evidence": list(files)}))
    return form, ReportedPersonFormSet(data, prefix=PERSONS_PREFIX)


FIELD_NAMES = {"identity": "anonymous", "__all__": ""}


def _errors(form, persons) -> list[dict]:
    errors = [{"field": FIELD_NAMES.get(field, field), "message": str(message)}
              for field, messages in form.errors.items() for message in messages]
    for index, person_errors in enumerate(persons.errors):
        errors += [{"field": f"reported_persons[{index}].{field}", "message": str(message)}
                   for field, messages in person_errors.items() for message in messages]
    errors += [{"field": "reported_persons", "message": str(message)} for message in persons.non_form_errors()]
    return errors


def _receipt(request: HttpRequest, receipt) -> dict:
    from reports.tracking import format_code

    report = receipt.report
    return {"id": report.pk, "number": report.number, "created": receipt.created,
            "tracking_code": format_code(receipt.code) if receipt.code else None,
            "status_url": request.build_absolute_uri(reverse("api:partner_report", args=[report.pk]))}


def _key_reused() -> Problem:
    return Problem(422, _("This Idempotency-Key was already used for a different report: use a new key for a new "
                          "report, or send exactly the same request to get the first answer again."))


@router.post(
    "/reports", response={200: ReceiptOut, 201: ReceiptOut}, url_name="partner_reports",
    openapi_extra=SUBMIT_PROBLEMS, summary="Hand in a report from a partner's complaint system",
    description=(
        "The public form's fields as multipart/form-data, with up to 10 evidence files (the same size "
        "and type checks as the web form: the type is read from the content). The region must lie in the "
        "token's account's jurisdiction. Answers 201 with the report number, the tracking code (shown "
        "once) and a status URL. The Idempotency-Key header is required: the same key with the same request "
        "answers 200 with the same report; the same key with another request is a 422 problem. The "
        "report's channel is `partner`; no reporter data is ever sent back."
    ),
)
@partner(Scope.REPORTS_SUBMIT)
def report_hand_in(request, payload: Form[ReportIn],
                   idempotency_key: str = Header(..., alias="Idempotency-Key", min_length=8, max_length=100,
                                                 description="The client's unique name for this submission "
                                                             "(8 to 100 printable ASCII characters, e.g. a UUID)."),
                   evidence: File[list[UploadedFile]] = None):
    from reports.forms import build_submission
    from reports.models import Report
    from reports.services import report_submit

    if not (idempotency_key.isascii() and idempotency_key.isprintable()):
        message = _("The Idempotency-Key must be 8 to 100 printable ASCII characters.")
        raise Problem(400, message, [{"field": "Idempotency-Key", "message": message}])
    token, user = request.auth, request.auth.user
    files = list(evidence or [])
    key_hash, body_hash = _keyed("key", idempotency_key), body_fingerprint(payload, files)
    earlier = PartnerReport.objects.filter(token=token, key_hash=key_hash).first()
    if earlier is not None and earlier.body_hash != body_hash:
        raise _key_reused()
    region = _region(payload.region, user)
    form, persons = _forms(payload, region, files)
    if not (form.is_valid() & persons.is_valid()):
        errors = _errors(form, persons)
        raise Problem(400, " ".join(e["message"] for e in errors), errors)
    submission = build_submission(form, persons)
    submission.channel = Report.Channel.PARTNER
    with transaction.atomic():  # the report and the row naming its sender commit together
        receipt = report_submit(submission=submission, submission_token=submission_token_for(token, idempotency_key))
        if receipt.created:
            PartnerReport.objects.create(token=token, report=receipt.report, key_hash=key_hash, body_hash=body_hash)
            audit_record(actor=user, action="api.report_received", target=receipt.report,
                         data={"prefix": token.prefix, "number": receipt.report.number})
        else:
            sent = PartnerReport.objects.filter(report=receipt.report, token=token).first()
            if sent is None or sent.body_hash != body_hash:  # a concurrent call with another body won
                raise _key_reused()
    return Status(201 if receipt.created else 200, _receipt(request, receipt))


@router.get(
    "/reports/{report_id}", response=ReportStatusOut, url_name="partner_report", openapi_extra=STATUS_PROBLEMS,
    summary="The public status of a report this partner handed in",
    description="What the reporter sees on the tracking page: the status, its explanation and the public "
                "timeline. Nothing of the reporter and no internal note. 404 for a report not handed in by a "
                "token of this account.",
)
@partner(Scope.REPORTS_SUBMIT)
def report_status(request, report_id: Id):
    from reports.models import StatusChange
    from reports.states import public_explanation

    sent = (PartnerReport.objects.filter(report_id=report_id, token__user=request.auth.user)
            .select_related("report").first())
    if sent is None:
        raise Http404
    report = sent.report
    changes = StatusChange.objects.filter(report=report).order_by("created_at", "id")
    return {
        "id": report.pk, "number": report.number, "status": report.status,
        "status_label": str(report.get_status_display()), "explanation": str(public_explanation(report)),
        "received_at": report.created_at,
        "timeline": [{"status": change.to_status, "label": str(change.get_to_status_display()),
                      "at": change.created_at, "note": change.public_note} for change in changes],
    }

