"""Agreements' reads: the user's agreements, one agreement, and the monitoring figures of a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.http import Http404

from accounts.permissions import PEMDA_ROLES, Capability, can
from agreements import indicators
from agreements.models import Agreement, EvaluationMeeting, ManualValue, Party, Target


def _party_q(user) -> Q:
    if user.is_bawaslu and user.bawaslu_office_id:
        return Q(parties__office_id=user.bawaslu_office_id)
    if user.role in PEMDA_ROLES and user.agency_id:
        return Q(parties__agency_id=user.agency_id)
    return Q(pk__in=[])


def agreement_list_for(user):
    """The agreements the user's office or agency is a party to (none for anyone else)."""
    if not can(user, Capability.SEE_AGREEMENTS):
        return Agreement.objects.none()
    ids = Agreement.objects.filter(_party_q(user)).values("pk")
    return (Agreement.objects.filter(pk__in=ids).select_related("termination")
            .prefetch_related(Prefetch("parties", queryset=Party.objects.order_by("position")))
            .order_by("-signed_on", "-id"))


def access_agreement(user, pk) -> Agreement:
    """The agreement if the user acts for one of its parties: 404 for missing and foreign alike."""
    try:
        return agreement_list_for(user).prefetch_related(
            "parties__office__region", "parties__agency__region").get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class TargetRow:
    target: Target
    label: str  # the indicator's label, or "" for a value by hand
    unit: str
    value: Decimal | None
    manual: ManualValue | None

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target.target_value is None:
            return None
        return self.value >= self.target.target_value


def default_period(agreement: Agreement, today: date) -> tuple[date, date]:
    """From the signing to today (or the agreement's end, if earlier)."""
    start = agreement.signed_on or today
    end = min(today, agreement.ends_on) if agreement.ends_on else today
    return start, max(start, end)


def monitoring(agreement: Agreement, start: date, end: date) -> list[tuple[object, list[TargetRow]]]:
    """Per work-plan item, each output and outcome with its value for the period.

    A computed indicator gives its value; a target recorded by hand shows the latest value
    recorded for a period within [start, end].
    """
    from prevention.selectors import theme_titles

    titles = theme_titles()  # once for every themed indicator
    items = list(agreement.work_plan.prefetch_related("targets"))
    manual = {}
    for value in (ManualValue.objects.filter(target__item__agreement=agreement, period_start__gte=start,
                                             period_end__lte=end).select_related("evidence")
                  .order_by("target_id", "-period_end", "-id")):
        manual.setdefault(value.target_id, value)
    rows = []
    for item in items:
        item_rows = []
        for target in item.targets.all():
            if target.indicator:
                try:
                    parsed = indicators.parse(target.indicator, themes=set(titles))
                    item_rows.append(TargetRow(
                        target, indicators.label(target.indicator, titles=titles), parsed.unit,
                        indicators.compute(target.indicator, agreement, start, end, themes=set(titles)), None))
                except indicators.UnknownIndicator:
                    item_rows.append(TargetRow(target, target.indicator, "", None, None))
            else:
                value = manual.get(target.pk)
                item_rows.append(TargetRow(target, "", "", value.value if value else None, value))
        rows.append((item, item_rows))
    return rows


def meetings_in(agreement: Agreement, start: date, end: date):
    return EvaluationMeeting.objects.filter(agreement=agreement, held_on__gte=start, held_on__lte=end).order_by(
        "held_on", "id")
