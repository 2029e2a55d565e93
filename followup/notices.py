"""E-mail for follow-up notices (sent after the transaction commits)."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override


def notices_mail(notices) -> int:
    messages = []
    for notice in notices:
        if not notice.user.email:
            continue
        recommendation = notice.recommendation
        with override("id"):
            subject = f"{notice.get_kind_display()}: {recommendation.number}"
            body = _("Recommendation %(number)s (case %(case)s) is due on %(date)s.") % {
                "number": recommendation.number, "case": recommendation.case.number,
                "date": date_format(recommendation.due_on, "j F Y")}
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [notice.user.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0
