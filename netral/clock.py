"""How old a row is and how far its next deadline lies, as the staff lists and the landing page say it.

One definition for every list (reports, cases, recommendations) and the staff landing page:
a deadline is "due soon" when it falls within the next ``SOON_WORKING_DAYS`` working days
(weekends and the holiday calendar of rules/data skipped), "overdue" once its day has passed.
The days left or late are plain calendar days ("sisa 1 hari", "lewat 2 hari").

Registered as the template library "clock" (netral/settings.py): ``{{ case.registered_on|age }}``
and ``{% deadline_cell case.due_on horizon %}``, where the view passes ``horizon`` (one
``due_soon_until()`` per page: two queries for the calendar, whatever the number of rows).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

# "Due soon" on every staff page: within the next three working days (issue 18, item 8).
SOON_WORKING_DAYS = 3

OVERDUE = "overdue"
SOON = "soon"


def due_soon_until(today: date | None = None) -> date:
    """The last day that still counts as "due soon" from ``today``: three working days ahead."""
    from rules import deadlines
    from rules.selectors import holiday_calendar

    today = today or timezone.localdate()
    return deadlines.add_days(
        today, SOON_WORKING_DAYS, day_kind=deadlines.WORKING, holidays=holiday_calendar()
    ).due


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def age_in_days(since, today: date | None = None) -> int | None:
    """Whole days since ``since`` (a date, or a moment taken in the local time zone)."""
    since = _as_date(since)
    if since is None:
        return None
    return max(((today or timezone.localdate()) - since).days, 0)


@dataclass(frozen=True)
class DeadlineState:
    due: date
    days: int  # days left (0: due today); negative: days late
    flag: str  # OVERDUE, SOON or ""

    @property
    def text(self) -> str:
        if self.days < 0:
            late = -self.days
            return ngettext("%(days)s day late", "%(days)s days late", late) % {"days": late}
        if self.days == 0:
            return _("due today")
        return ngettext("%(days)s day left", "%(days)s days left", self.days) % {"days": self.days}


def deadline_state(due, *, horizon: date, today: date | None = None) -> DeadlineState | None:
    """Where ``due`` stands from ``today``; ``horizon`` is ``due_soon_until(today)``."""
    due = _as_date(due)
    if due is None:
        return None
    today = today or timezone.localdate()
    flag = OVERDUE if due < today else SOON if due <= horizon else ""
    return DeadlineState(due=due, days=(due - today).days, flag=flag)


@register.filter
def age(since) -> str:
    """ "3 hari" since a date or a moment; "hari ini" on the same day."""
    days = age_in_days(since)
    if days is None:
        return "—"
    if days == 0:
        return _("today")
    return ngettext("%(days)s day", "%(days)s days", days) % {"days": days}


@register.filter
def deadline_flag(due, horizon) -> str:
    """The row's class suffix ("overdue", "soon" or "") for ``tr.row-…``."""
    state = deadline_state(due, horizon=horizon)
    return state.flag if state else ""


@register.inclusion_tag("includes/deadline_cell.html")
def deadline_cell(due, horizon):
    """The next deadline as a date and, in words, how far it is: colour is never the only sign."""
    state = deadline_state(due, horizon=horizon)
    return {"state": state, "day": date_format(state.due, "j M Y") if state else ""}
