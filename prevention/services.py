"""Prevention's writes: each state change is one transaction with its audit entry.

Public ASN actions (check-in, test, pledge) have no staff actor: the audit entry is the
system's, with ``"by": "asn"`` in its data, and no IP address or device data is stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from organizations.models import Unit
from prevention import codes
from prevention.catalog import default_catalog
from prevention.models import (
    Attendance,
    Banner,
    BannerTemplate,
    Ceremony,
    Event,
    EventPhoto,
    Invitation,
    Material,
    Pledge,
    PledgeText,
    Question,
    TestScore,
    Theme,
)
from prevention.scoring import score
from prevention.signature import clean_drawn_signature
from registry import identity as ids
from registry.models import Employee
from rules.models import Election
from storage import files as stored_files

if TYPE_CHECKING:
    from accounts.models import User

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_MATERIAL_BYTES = 20 * 1024 * 1024
TEST_QUESTIONS = 10  # questions per test, the first ones of the theme's bank


# --- Themes --------------------------------------------------------------------------------

def theme_sync_from_data() -> int:
    """Create or update the themes of prevention/data/themes.yaml; returns how many changed.

    Themes added by an administrator are left alone; the file's themes keep their id.
    """
    changed = 0
    for position, theme in enumerate(default_catalog().themes.values(), start=1):
        values = {"title_id": theme.title.id, "title_en": theme.title.en, "source": theme.source,
                  "from_data": True, "position": position}
        obj, created = Theme.objects.get_or_create(id=theme.id, defaults=values)
        if created:
            changed += 1
            continue
        different = [key for key, value in values.items() if getattr(obj, key) != value]
        if different:
            for key in different:
                setattr(obj, key, values[key])
            obj.save(update_fields=different)
            changed += 1
    return changed


# --- Events --------------------------------------------------------------------------------

def organizer_of(*, user: "User") -> dict:
    """The organizer fields for what this staff account creates: its office or its agency."""
    if user.bawaslu_office_id:
        return {"office": user.bawaslu_office, "agency": None, "region": user.bawaslu_office.region}
    if user.agency_id:
        return {"office": None, "agency": user.agency, "region": user.agency.region}
    raise ValidationError(_("Your account belongs to no Bawaslu office or agency."))


def units_allowed_for(*, organizer: dict):
    """The units an organizer may target: its agency's, or those of agencies in the office's region."""
    if organizer["agency"] is not None:
        return Unit.objects.filter(agency=organizer["agency"])
    return Unit.objects.filter(organizer["region"].subtree_q("agency__region"))


@transaction.atomic
def event_create(*, actor: "User", theme: Theme, title: str, held_on: date, place: str, speakers: str = "",
                 election: Election | None = None, target_units=(), with_tests: bool = False) -> Event:
    organizer = organizer_of(user=actor)
    units = list(target_units)
    allowed = set(units_allowed_for(organizer=organizer).filter(pk__in=[u.pk for u in units])
                  .values_list("pk", flat=True))
    if any(unit.pk not in allowed for unit in units):
        raise ValidationError(_("A target unit lies outside your jurisdiction."))
    event = Event.objects.create(
        **organizer, created_by=actor, theme=theme, title=title, held_on=held_on, place=place,
        speakers=speakers, election=election, with_tests=with_tests, checkin_token=codes.new_checkin_token(),
    )
    event.target_units.set(units)
    audit_record(actor=actor, action="event.created", target=event,
                 data={"theme": theme.pk, "held_on": held_on.isoformat(), "units": [u.pk for u in units]})
    return event


def eligible_employees(*, event: Event):
    """The register rows that may attend: active ASN of the target units, else of the organizer's scope."""
    employees = Employee.objects.filter(active=True)
    if event.agency_id:
        employees = employees.filter(agency_id=event.agency_id)
    else:
        employees = employees.filter(event.region.subtree_q("agency__region"))
    unit_ids = [unit.pk for unit in event.target_units.all()]
    if unit_ids:
        employees = employees.filter(unit_id__in=unit_ids)
    return employees


@transaction.atomic
def event_invite_targets(*, event: Event, actor: "User") -> int:
    """Invite every eligible ASN not yet invited; returns how many were added."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    already = Invitation.objects.filter(event=event).values("employee_id")
    new = [Invitation(event=event, employee_id=pk)
           for pk in eligible_employees(event=event).exclude(pk__in=already).values_list("pk", flat=True)]
    Invitation.objects.bulk_create(new, ignore_conflicts=True)
    audit_record(actor=actor, action="event.invited", target=event, data={"added": len(new)})
    return len(new)


@transaction.atomic
def event_invite_identity(*, event: Event, actor: "User", identity: str) -> Invitation:
    """Invite one person by NIP, or a contract employee by register number or NIK."""
    match = _identity_q(identity)
    employee = eligible_employees(event=event).filter(match).first() if match is not None else None
    if employee is None:
        raise ValidationError(_("Nobody active with this NIP, register number or NIK may attend this event."),
                              code="not_eligible")
    invitation, created = Invitation.objects.get_or_create(event=event, employee=employee)
    if created:
        audit_record(actor=actor, action="event.invited", target=event, data={"employee": employee.pk})
    return invitation


@transaction.atomic
def event_update_record(*, event: Event, actor: "User", minutes: str, checkin_open: bool) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    event.minutes, event.checkin_open = minutes, checkin_open
    event.save(update_fields=["minutes", "checkin_open"])
    audit_record(actor=actor, action="event.updated", target=event, data={"checkin_open": checkin_open})
    return event


# --- Attendance ----------------------------------------------------------------------------

class CheckInError(ValidationError):
    pass


@dataclass(frozen=True)
class CheckIn:
    attendance: Attendance
    created: bool


def _identity_q(value: str) -> Q | None:
    """The register rows an identity names: an NIP, a register number, or a NIK (found by its
    keyed hash, never decrypted); None when the value has none of their shapes."""
    found = ids.identity_kind(value or "")
    if found is None:
        return None
    kind, normalized = found
    if kind == ids.NIP:
        return Q(nip=normalized)
    if kind == ids.NIK:
        return Q(nik_hash=ids.nik_digest(normalized, settings.SECRET_KEY))
    return Q(register_number=normalized)


def identity_used(*, identity: str) -> str:
    """Which identity a value is ("nip", "nik", "register_number"), for the audit entry; "" if none."""
    found = ids.identity_kind(identity or "")
    return found[0] if found else ""


def employee_verify(*, identity: str, birth_date: date | None) -> Employee | None:
    """The active register row with this identity (NIP, register number or NIK) and birth date,
    or None: the same answer for an unknown identity and a wrong birth date."""
    match = _identity_q(identity)
    if match is None or birth_date is None:
        return None
    return (Employee.objects.select_related("agency", "unit")
            .filter(match, birth_date=birth_date, active=True).order_by("pk").first())


def not_matched_error() -> CheckInError:
    return CheckInError(_("The identity and birth date do not match an active employee in the register."),
                        code="not_matched")


@transaction.atomic
def attendance_check_in(*, event: Event, employee: Employee, method: str,
                        actor: "User | None" = None, identified_by: str = "") -> CheckIn:
    """Record one ASN or contract employee present; a second check-in returns the first one.

    ``identified_by`` ("nip", "register_number", "nik") goes to the audit entry.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    if method == Attendance.Method.PHONE and not event.checkin_open:
        raise CheckInError(_("Check-in for this event is closed."), code="closed")
    if not eligible_employees(event=event).filter(pk=employee.pk).exists():
        raise CheckInError(_("This ASN is not among the participants of this event."), code="not_eligible")
    existing = Attendance.objects.filter(event=event, employee=employee).first()
    if existing is not None:
        return CheckIn(existing, False)
    attendance = Attendance.objects.create(event=event, employee=employee, method=method, recorded_by=actor)
    audit_record(actor=actor, action="event.checked_in", target=event,
                 data={"employee": employee.pk, "method": method, "kind": employee.kind,
                       **({"identified_by": identified_by} if identified_by else {}),
                       **({} if actor else {"by": "asn"})})
    return CheckIn(attendance, True)


def attendance_check_in_by_identity(*, event: Event, identity: str, actor: "User") -> CheckIn:
    """Staff at the desk: the NIP, register number or NIK alone (staff see the register anyway)."""
    match = _identity_q(identity)
    employee = Employee.objects.filter(match, active=True).order_by("pk").first() if match is not None else None
    if employee is None:
        raise CheckInError(_("Nobody active has this NIP, register number or NIK in the register."),
                           code="unknown_nip")
    return attendance_check_in(event=event, employee=employee, method=Attendance.Method.DESK, actor=actor,
                               identified_by=identity_used(identity=identity))


# --- Tests ---------------------------------------------------------------------------------

def quiz_questions(*, event: Event) -> list[Question]:
    return list(Question.objects.filter(theme_id=event.theme_id, active=True).order_by("id")[:TEST_QUESTIONS])


@transaction.atomic
def quiz_submit(*, attendance: Attendance, phase: str, answers: dict[int, int | None]) -> TestScore:
    """Score one participant's test once per phase; a second submission returns the first score."""
    attendance = Attendance.objects.select_for_update().select_related("event").get(pk=attendance.pk)
    if not attendance.event.with_tests:
        raise ValidationError(_("This event has no test."))
    existing = TestScore.objects.filter(attendance=attendance, phase=phase).first()
    if existing is not None:
        return existing
    if phase == TestScore.Phase.POST and not TestScore.objects.filter(
            attendance=attendance, phase=TestScore.Phase.PRE).exists():
        raise ValidationError(_("Take the pre-test first."))
    questions = quiz_questions(event=attendance.event)
    if not questions:
        raise ValidationError(_("The question bank of this theme is empty."))
    result = score({q.pk: q.answer for q in questions}, answers)
    test = TestScore.objects.create(attendance=attendance, phase=phase, correct=result.correct,
                                    total=result.total, score=result.score)
    audit_record(actor=None, action="event.test_taken", target=attendance.event,
                 data={"employee": attendance.employee_id, "phase": phase, "score": str(result.score),
                       "by": "asn"})
    return test


# --- Photos and materials ------------------------------------------------------------------

def _prepare_image(uploaded, max_bytes):
    from storage.prepare import IMAGE_TYPES, prepare_upload

    prepared = prepare_upload(uploaded, max_bytes=max_bytes)  # type, size, EXIF/GPS stripped
    if prepared.content_type not in IMAGE_TYPES:
        raise ValidationError(_("“%(name)s” is not a photo (JPG, PNG, WEBP)."), code="bad_type",
                              params={"name": prepared.name})
    return prepared


def event_add_photo(*, event: Event, actor: "User", uploaded, caption: str = "") -> EventPhoto:
    """Store the metadata-stripped copy only. The file is written inside the transaction
    (storage.files), so a failure that rolls the row back deletes the file too."""
    prepared = _prepare_image(uploaded, MAX_PHOTO_BYTES)
    digest = hashlib.sha256(prepared.public).hexdigest()
    photo = EventPhoto(event=event, caption=caption, sha256=digest, uploaded_by=actor)
    with transaction.atomic():
        existing = EventPhoto.objects.filter(event=event, sha256=digest).first()
        if existing is not None:
            return existing
        stored_files.save_field(photo.file, f"photo.{prepared.extension}", prepared.public)
        photo.save()
        audit_record(actor=actor, action="event.photo_added", target=event, data={"sha256": digest})
    return photo


def material_add(*, actor: "User", title: str, kind: str, description: str = "", theme: Theme | None = None,
                 event: Event | None = None, url: str = "", uploaded=None, published: bool = True) -> Material:
    """A library item or an event handout: a link, a file (PDF or image, metadata stripped), or both."""
    from storage.prepare import DOCUMENT_TYPES, IMAGE_TYPES, prepare_upload

    if not url and uploaded is None:
        raise ValidationError(_("Give a link or a file."))
    material = Material(**organizer_of(user=actor), created_by=actor, title=title, kind=kind,
                        description=description, theme=theme, event=event, url=url, published=published)
    if uploaded is not None:
        prepared = prepare_upload(uploaded, max_bytes=MAX_MATERIAL_BYTES)
        if prepared.content_type not in {**IMAGE_TYPES, **DOCUMENT_TYPES}:
            raise ValidationError(_("“%(name)s” is not a PDF or a picture."), code="bad_type",
                                  params={"name": prepared.name})
        material.sha256 = hashlib.sha256(prepared.public).hexdigest()
        material.content_type = prepared.content_type
    with transaction.atomic():  # the file is written in it: a rollback deletes it (storage.files)
        if uploaded is not None:
            stored_files.save_field(material.file, f"material.{prepared.extension}", prepared.public)
        material.save()
        audit_record(actor=actor, action="material.added", target=material,
                     data={"kind": kind, "event": event.pk if event else None})
    return material


@transaction.atomic
def material_set_published(*, material: Material, actor: "User", published: bool) -> Material:
    material = Material.objects.select_for_update().get(pk=material.pk)
    material.published = published
    material.save(update_fields=["published"])
    audit_record(actor=actor, action="material.published" if published else "material.withdrawn",
                 target=material)
    return material


# --- Pledges -------------------------------------------------------------------------------

@dataclass(frozen=True)
class PledgeWording:
    title: str
    body: str
    is_template: bool
    source: str


def pledge_text_for(*, election: Election, language: str = "id") -> PledgeWording:
    """The administrator's text for this election, else the data file's template (marked so)."""
    text = PledgeText.objects.filter(election=election).first()
    if text is not None:
        return PledgeWording(text.title, text.body, text.is_template, text.source)
    template = default_catalog().pledge
    return PledgeWording(template.title.get(language), template.body.get(language), True, template.source)


def _new_pledge(*, employee: Employee, election: Election, signature_kind: str, actor=None, ceremony=None,
                typed_name: str = "", signature_png: bytes | None = None) -> tuple[Pledge, bool]:
    # Lock the register row: two submits of the same signature serialise here, and the
    # second finds the first pledge (the partial unique constraint is the last guard).
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    existing = Pledge.objects.filter(employee=employee, election=election, revoked_at__isnull=True).first()
    if existing is not None:
        return existing, False
    wording = pledge_text_for(election=election)
    pledge = Pledge(
        code=codes.new_code(), employee=employee, election=election, ceremony=ceremony,
        name=employee.name, position=employee.position, unit_name=employee.unit.name if employee.unit else "",
        agency_name=employee.agency.name, agency_id=employee.agency_id, unit_id=employee.unit_id,
        text_title=wording.title, text_body=wording.body, text_is_template=wording.is_template,
        signature_kind=signature_kind, typed_name=typed_name, signed_at=timezone.now(), recorded_by=actor,
    )
    try:
        with transaction.atomic():  # a lost race rolls back the row and its signature image (storage.files)
            if signature_png is not None:
                stored_files.save_field(pledge.signature_file, "signature.png", signature_png)
            pledge.save()
    except IntegrityError:
        return Pledge.objects.get(employee=employee, election=election, revoked_at__isnull=True), False
    return pledge, True


def pledge_sign(*, employee: Employee, election: Election, drawn: str = "", typed_name: str = "",
                identified_by: str = "") -> tuple[Pledge, bool]:
    """An ASN or a contract employee signs on the public page: a drawn signature (data: PNG) or
    their typed name. ``identified_by`` ("nip", "register_number", "nik") goes to the audit entry."""
    if drawn:
        png, kind = clean_drawn_signature(drawn), Pledge.Signature.DRAWN
    elif typed_name.strip():
        if " ".join(typed_name.split()).casefold() != " ".join(employee.name.split()).casefold():
            raise ValidationError(_("Type your name exactly as it is in the register: %(name)s.") %
                                  {"name": employee.name}, code="name_mismatch")
        png, kind = None, Pledge.Signature.TYPED
    else:
        raise ValidationError(_("Draw your signature or type your name."), code="no_signature")
    with transaction.atomic():  # rolled back, the signature image written for the row goes too
        pledge, created = _new_pledge(employee=employee, election=election, signature_kind=kind,
                                      typed_name=" ".join(typed_name.split()), signature_png=png)
        if created:
            audit_record(actor=None, action="pledge.signed", target=pledge,
                         data={"election": election.pk, "signature": kind, "kind": employee.kind,
                               **({"identified_by": identified_by} if identified_by else {}), "by": "asn"})
    return pledge, created


@transaction.atomic
def ceremony_create(*, actor: "User", title: str, election: Election, held_on: date, place: str) -> Ceremony:
    ceremony = Ceremony.objects.create(**organizer_of(user=actor), created_by=actor, title=title,
                                       election=election, held_on=held_on, place=place)
    audit_record(actor=actor, action="ceremony.created", target=ceremony, data={"election": election.pk})
    return ceremony


@transaction.atomic
def ceremony_sign(*, ceremony: Ceremony, actor: "User", employees) -> tuple[int, int]:
    """Record the pledges of everyone who signed on paper at the ceremony: (new, already signed)."""
    allowed = ceremony_candidates(ceremony=ceremony)
    employees = list(employees)
    if allowed.filter(pk__in=[e.pk for e in employees]).count() != len({e.pk for e in employees}):
        raise ValidationError(_("An ASN chosen lies outside your jurisdiction."))
    new = old = 0
    for employee in employees:
        _pledge, created = _new_pledge(employee=employee, election=ceremony.election, actor=actor,
                                       ceremony=ceremony, signature_kind=Pledge.Signature.CEREMONY)
        new, old = new + created, old + (not created)
    audit_record(actor=actor, action="ceremony.signed", target=ceremony, data={"new": new, "already": old})
    return new, old


def ceremony_candidates(*, ceremony: Ceremony):
    if ceremony.agency_id:
        return Employee.objects.filter(active=True, agency_id=ceremony.agency_id)
    return Employee.objects.filter(ceremony.region.subtree_q("agency__region"), active=True)


@transaction.atomic
def pledge_revoke(*, pledge: Pledge, actor: "User", reason: str) -> Pledge:
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.revoked_at is not None:
        raise ValidationError(_("This pledge was already revoked."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for revoking."))
    pledge.revoked_at, pledge.revoked_reason, pledge.revoked_by = timezone.now(), reason.strip(), actor
    pledge.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    audit_record(actor=actor, action="pledge.revoked", target=pledge, data={"reason": reason.strip()})
    return pledge


# --- Banners -------------------------------------------------------------------------------

def banner_template_default() -> BannerTemplate:
    template = BannerTemplate.objects.filter(active=True).order_by("pk").first()
    if template is None:
        template, _created = BannerTemplate.objects.get_or_create(
            name="ASN Netral", defaults={"subtitle": "Dalam"})
    return template


@transaction.atomic
def banner_create(*, actor: "User", unit: Unit, election: Election, head_name: str, head_position: str,
                  leaders: str = "", tagline: str = "", unit_name: str = "",
                  template: BannerTemplate | None = None) -> Banner:
    allowed = units_allowed_for(organizer=organizer_of(user=actor))
    if not allowed.filter(pk=unit.pk).exists():
        raise ValidationError(_("This unit lies outside your jurisdiction."))
    template = template or banner_template_default()
    banner = Banner.objects.create(
        unit=unit, election=election, template=template, unit_name=unit_name or unit.name,
        head_name=head_name, head_position=head_position, leaders=leaders,
        tagline=tagline or template.default_tagline, created_by=actor,
    )
    audit_record(actor=actor, action="banner.created", target=banner, data={"unit": unit.pk})
    return banner

