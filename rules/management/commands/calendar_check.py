"""``manage.py calendar_check`` (daily): ask administrators to confirm the holiday calendar.

From 1 October, when next year's days off are not confirmed (rules.calendar.needs_confirmation),
every active administrator and superuser with an e-mail address is told once for that
year. The notice is recorded as the audit entry "rules.calendar_confirmation_requested"
on the year ("rules.calendaryear:<year>", the key of rules.models.CalendarYear), and a
year with that entry is not announced again: running the command twice sends nothing twice.
"""

from datetime import date

from django.conf import settings
from django.core.mail import send_mass_mail
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import User
from audit.models import AuditEntry
from audit.services import audit_record
from rules.calendar import needs_confirmation
from rules.selectors import calendar_confirmed_years

ACTION = "rules.calendar_confirmation_requested"
TARGET_TYPE = "rules.calendaryear"


def calendar_administrators():
    """Who confirms the calendar: active administrators and superusers with an e-mail address."""
    return (User.objects.filter(Q(role=User.Role.ADMIN) | Q(is_superuser=True), is_active=True)
            .exclude(email="").order_by("pk"))


def calendar_confirmation_request(*, today: date | None = None) -> tuple[int | None, int]:
    """Tell administrators about the year that needs confirming, once per year.

    Returns (the year, or None when no year needs confirming, and the number of e-mails
    sent: 0 when they were already told, or when there is nobody to tell). The mails
    go out before the audit entry is written: a failed send leaves nothing recorded,
    so the next run tries again.
    """
    today = today or timezone.localdate()
    year = needs_confirmation(today, calendar_confirmed_years())
    if year is None:
        return None, 0
    if AuditEntry.objects.filter(action=ACTION, target_type=TARGET_TYPE, target_id=str(year)).exists():
        return year, 0
    recipients = list(calendar_administrators())
    if not recipients:
        return year, 0
    with override("id"):
        subject = _("Holiday calendar %(year)s not confirmed") % {"year": year}
        body = _(
            "The holiday calendar of %(year)s has not been confirmed in Netral.\n\n"
            "Until it is, working-day deadlines that reach into %(year)s skip the days off computed "
            "by the holidays package, and every such deadline is shown as provisional.\n\n"
            "When the joint decree of the ministers of religious affairs, manpower and administrative "
            "reform on national holidays and collective leave for %(year)s is out, check its days in the "
            "admin, correct them under calendar corrections, then confirm the year under confirmed "
            "calendar years. Afterwards run manage.py recompute_deadlines.") % {"year": year}
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in recipients],
                   fail_silently=False)
    audit_record(actor=None, action=ACTION, target=f"{TARGET_TYPE}:{year}",
                 data={"year": year, "on": str(today), "recipients": len(recipients)})
    return year, len(recipients)


class Command(BaseCommand):
    help = ("Ask administrators to confirm next year's holiday calendar from 1 October (run daily; "
            "each year is announced once).")

    def handle(self, *args, **options):
        year, sent = calendar_confirmation_request()
        if year is None:
            self.stdout.write("The holiday calendar is confirmed.")
        elif sent:
            self.stdout.write(f"The holiday calendar of {year} is not confirmed: {sent} administrators told.")
        elif not calendar_administrators().exists():
            self.stderr.write(f"The holiday calendar of {year} is not confirmed and no active administrator "
                              "has an e-mail address to tell.")
        else:
            self.stdout.write(f"The holiday calendar of {year} is not confirmed (administrators already told).")
