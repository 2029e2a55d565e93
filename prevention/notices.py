"""Notices and circulars to the ASN of chosen units (seed 000, work plan 3: Party 2 publishes to ASN).

A Pemda's personnel staff (role pemda_staff, at its agency) writes a notice or circular
(subject, text, an optional PDF through the storage service) for some units of its own
agency. ``notice_send`` records it and one delivery row per active employee of those units
(the register's e-mail as it is then; "no e-mail" at once when the register has none), and
queues ``prevention.tasks.notice_deliver_task`` after the commit. ``notice_deliver_run``
sends each waiting delivery in its own short transaction, marks it sent or failed, and
closes the notice once nothing waits: running it twice sends nobody twice (a delivery is
locked and checked to be still waiting before its e-mail leaves).

E-mail now; the message channels (intake) once they can reach ASN.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import Role
from audit.services import audit_record
from organizations.models import Unit
from prevention.notice_models import AsnNotice, NoticeDelivery
from registry.models import Employee
from storage import files as stored_files

if TYPE_CHECKING:
    from accounts.models import User

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def may_send_notices(user) -> bool:
    """Only the Pemda's personnel staff of an agency send to that agency's ASN."""
    return bool(user.is_authenticated and user.is_active and user.role == Role.PEMDA_STAFF and user.agency_id)


def _require_sender(user) -> None:
    if not may_send_notices(user):
        raise PermissionDenied


def notice_units_for(user) -> QuerySet[Unit]:
    _require_sender(user)
    return Unit.objects.filter(agency_id=user.agency_id).order_by("name")


def notice_list_for(user) -> QuerySet[AsnNotice]:
    _require_sender(user)
    return AsnNotice.objects.filter(agency_id=user.agency_id).annotate(
        recipients=Count("deliveries")).order_by("-created_at", "-id")


def access_notice(user, pk) -> AsnNotice:
    """A notice of the user's agency: 404 for a missing and another agency's alike."""
    _require_sender(user)
    try:
        return AsnNotice.objects.filter(agency_id=user.agency_id).get(pk=pk)
    except (AsnNotice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def notice_progress(notice: AsnNotice) -> dict[str, int]:
    """How many deliveries are in each status, and in all: one query."""
    counts = notice.deliveries.aggregate(
        total=Count("pk"), **{status: Count("pk", filter=Q(status=status)) for status in NoticeDelivery.Status.values})
    done = counts["total"] - counts[NoticeDelivery.Status.PENDING]
    counts["done"] = done
    counts["percent"] = round(100 * done / counts["total"]) if counts["total"] else 100
    return counts


def notice_send(*, actor: User, kind: str, subject: str, body: str, units: list[Unit],
                uploaded=None) -> AsnNotice:
    """Record the notice and its recipients, then queue the sending (after the commit)."""
    from storage.prepare import DOCUMENT_TYPES, prepare_upload

    _require_sender(actor)
    units = list(units)
    if not units:
        raise ValidationError(_("Choose at least one unit."))
    if any(unit.agency_id != actor.agency_id for unit in units):
        raise ValidationError(_("A unit of another agency cannot be chosen."))
    notice = AsnNotice(agency_id=actor.agency_id, kind=kind, subject=subject, body=body, created_by=actor)
    if uploaded is not None:
        prepared = prepare_upload(uploaded, max_bytes=MAX_ATTACHMENT_BYTES)
        if prepared.content_type not in DOCUMENT_TYPES:
            raise ValidationError(_("“%(name)s” is not a PDF."), code="bad_type", params={"name": prepared.name})
        notice.sha256 = hashlib.sha256(prepared.public).hexdigest()
    with transaction.atomic():  # the file is written in it: a rollback deletes it (storage.files)
        if uploaded is not None:
            stored_files.save_field(notice.attachment, "notice.pdf", prepared.public)
        notice.save()
        notice.units.set(units)
        recipients = (Employee.objects.filter(agency_id=actor.agency_id, unit__in=units, active=True)
                      .order_by("id").values_list("id", "email"))
        NoticeDelivery.objects.bulk_create([
            NoticeDelivery(notice=notice, employee_id=employee_id, email=email or "",
                           status=NoticeDelivery.Status.PENDING if email else NoticeDelivery.Status.NO_EMAIL)
            for employee_id, email in recipients], batch_size=500)
        audit_record(actor=actor, action="asn_notice.queued", target=notice,
                     data={"kind": kind, "units": [unit.pk for unit in units],
                           "recipients": notice.deliveries.count(), "attachment": bool(notice.sha256)})
        transaction.on_commit(lambda: _enqueue(notice.pk))
    return notice


def _enqueue(notice_id: int) -> None:
    from prevention import tasks

    tasks.notice_deliver_task.enqueue(notice_id)


def _message(notice: AsnNotice, address: str, attachment: bytes | None) -> EmailMessage:
    message = EmailMessage(subject=notice.subject, body=notice.body, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=[address])
    if attachment is not None:
        message.attach(f"{notice.get_kind_display()}.pdf".replace(" ", "-"), attachment, "application/pdf")
    return message


def notice_deliver_run(*, notice_id: int) -> AsnNotice:
    """Send every waiting delivery of the notice once; close the notice when none waits."""
    with transaction.atomic():
        notice = AsnNotice.objects.select_for_update().get(pk=notice_id)
        if notice.state == AsnNotice.State.QUEUED:
            notice.state = AsnNotice.State.SENDING
            notice.save(update_fields=["state"])
    attachment = None
    if notice.attachment:
        with notice.attachment.open("rb") as handle:
            attachment = handle.read()
    waiting = list(notice.deliveries.filter(status=NoticeDelivery.Status.PENDING).values_list("pk", flat=True))
    for delivery_id in waiting:
        with transaction.atomic():
            delivery = NoticeDelivery.objects.select_for_update().get(pk=delivery_id)
            if delivery.status != NoticeDelivery.Status.PENDING:
                continue  # another run sent it meanwhile
            try:
                _message(notice, delivery.email, attachment).send()
            except Exception as error:  # noqa: BLE001 (an SMTP refusal of one address must not stop the rest)
                delivery.status, delivery.error = NoticeDelivery.Status.FAILED, str(error)[:300]
            else:
                delivery.status, delivery.sent_at = NoticeDelivery.Status.SENT, timezone.now()
            delivery.save(update_fields=["status", "error", "sent_at"])
    with transaction.atomic():
        notice = AsnNotice.objects.select_for_update().get(pk=notice_id)
        if notice.state != AsnNotice.State.DONE and not notice.deliveries.filter(
                status=NoticeDelivery.Status.PENDING).exists():
            notice.state, notice.finished_at = AsnNotice.State.DONE, timezone.now()
            notice.save(update_fields=["state", "finished_at"])
            progress = notice_progress(notice)
            audit_record(actor=None, action="asn_notice.sent", target=notice, actor_kind="system",
                         data={status: progress[status] for status in NoticeDelivery.Status.values})
    return notice
