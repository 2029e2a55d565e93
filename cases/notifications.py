"""The daily deadline watch: due-soon and overdue cases notify the office's Bawaslu staff.

"Due soon" is the one rule of every staff page (netral.clock.due_soon_until: within the next
SOON_WORKING_DAYS working days, the holiday calendar skipped), so the e-mail and the lists agree
on which case is due soon. It used to be 2 calendar days here, so a case due on Monday was "due
soon" on the Friday's list but not e-mailed until Saturday.
"""

from datetime import date

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import User
from accounts.permissions import BAWASLU_ROLES
from audit.services import audit_record
from cases import states
from cases.models import Case, Notification
from netral.clock import due_soon_until


def cases_to_watch(today: date):
    return (Case.objects.filter(status__in=states.OPEN, due_on__isnull=False,
                                due_on__lte=due_soon_until(today))
            .select_related("office").order_by("due_on", "id"))


def deadlines_notify(*, today: date | None = None) -> int:
    """Create today's notices (once per case, person and kind) and e-mail them after commit."""
    today = today or timezone.localdate()
    cases = list(cases_to_watch(today))
    staff = {}
    for user in User.objects.filter(is_active=True, role__in=BAWASLU_ROLES,
                                    bawaslu_office__in={c.office_id for c in cases}):
        staff.setdefault(user.bawaslu_office_id, []).append(user)
    mails, created = [], 0
    with transaction.atomic():
        for case in cases:
            kind = Notification.Kind.OVERDUE if case.due_on < today else Notification.Kind.DUE_SOON
            for user in staff.get(case.office_id, []):
                try:
                    with transaction.atomic():
                        Notification.objects.create(user=user, case=case, kind=kind, due_on=case.due_on, sent_on=today)
                except IntegrityError:
                    continue  # already told today
                created += 1
                if user.email:
                    mails.append(_mail(case, kind, user))
        if created:
            audit_record(actor=None, action="cases.deadlines_notified", target="cases:deadlines",
                         data={"on": str(today), "notifications": created, "cases": len(cases)})
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=False) if mails else None)
    return created


def _mail(case, kind, user):
    with override("id"):
        subject = (_("Deadline passed: %(number)s") if kind == Notification.Kind.OVERDUE
                   else _("Deadline coming up: %(number)s")) % {"number": case.number}
        body = _("Case %(number)s is due on %(date)s.") % {"number": case.number, "date": date_format(case.due_on, "j F Y")}
    return (subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
