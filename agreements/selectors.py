"""Agreements' reads: the user's agreements, one agreement, and the monitoring figures of a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.http import Http404

from accounts.permissions import PEMDA_ROLES, Capability, can
from agreements import indicators
from agreements.models import (
    Agreement,
    BudgetLine,
    Dissemination,
    Duty,
    DutyEvidence,
    EvaluationMeeting,
    ManualValue,
    Party,
    Spending,
    Target,
)


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


# --- Duties, costs, dissemination and the outcome indicators (issue 19) ------------------------

@dataclass
class Figure:
    code: str
    label: str
    unit: str
    value: Decimal | None


def live_figures(agreement: Agreement, codes, start: date, end: date) -> dict[str, Figure]:
    """Each indicator code's label and value for the period, computed once per code."""
    from prevention.selectors import theme_titles

    titles = theme_titles()
    figures = {}
    for code in sorted(set(codes)):
        try:
            parsed = indicators.parse(code, themes=set(titles))
            figures[code] = Figure(code, indicators.label(code, titles=titles), parsed.unit,
                                   indicators.compute(code, agreement, start, end, themes=set(titles)))
        except indicators.UnknownIndicator:
            figures[code] = Figure(code, code, "", None)
    return figures


def duties_of(agreement: Agreement, start: date, end: date) -> dict[int, list[Duty]]:
    """The duties of each work-plan item (by item id), their evidence attached; a live figure's value is
    computed for the period (``evidence.figure``). A constant number of queries plus one per distinct figure."""
    duties = list(Duty.objects.filter(item__agreement=agreement).select_related("party", "status_changed_by")
                  .prefetch_related(Prefetch("evidence", queryset=DutyEvidence.objects.select_related("document")))
                  .order_by("item__order", "party__position", "order", "id"))
    codes = [evidence.indicator for duty in duties for evidence in duty.evidence.all() if evidence.indicator]
    figures = live_figures(agreement, codes, start, end) if codes else {}
    by_item: dict[int, list[Duty]] = {}
    for duty in duties:
        for evidence in duty.evidence.all():
            evidence.figure = figures.get(evidence.indicator)
        by_item.setdefault(duty.item_id, []).append(duty)
    return by_item


def access_duty(agreement: Agreement, pk) -> Duty:
    """A duty of an agreement the user already reached through access_agreement: 404 otherwise."""
    try:
        return Duty.objects.select_related("party", "item").get(item__agreement=agreement, pk=pk)
    except (Duty.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class CostLine:
    line: BudgetLine
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.line.amount - self.spent


@dataclass
class Costs:
    lines: list[CostLine]
    by_party: list[tuple[Party, Decimal, Decimal]]  # (party, budget, spent)
    by_item: list[tuple[object, Decimal, Decimal]]  # (work-plan item, budget, spent)
    budget: Decimal
    spent: Decimal


def costs_of(agreement: Agreement, *, start: date | None = None, end: date | None = None) -> Costs:
    """Budget lines with what was spent on each (in the period, if given), totals per party and per item."""
    from django.db.models import Sum

    spent_q = Q()
    if start:
        spent_q &= Q(spendings__spent_on__gte=start)
    if end:
        spent_q &= Q(spendings__spent_on__lte=end)
    lines = list(BudgetLine.objects.filter(item__agreement=agreement).select_related("item", "party")
                 .annotate(spent_total=Sum("spendings__amount", filter=spent_q)))
    rows = [CostLine(line, line.spent_total or Decimal(0)) for line in lines]
    parties, items = {}, {}
    for row in rows:
        for key, owner, totals in ((row.line.party_id, row.line.party, parties),
                                   (row.line.item_id, row.line.item, items)):
            budget, spent = totals.get(key, (owner, Decimal(0), Decimal(0)))[1:]
            totals[key] = (owner, budget + row.line.amount, spent + row.spent)
    return Costs(rows, sorted(parties.values(), key=lambda row: row[0].position),
                 sorted(items.values(), key=lambda row: row[0].order),
                 sum((row.line.amount for row in rows), Decimal(0)), sum((row.spent for row in rows), Decimal(0)))


def spending_list(agreement: Agreement, *, start: date | None = None, end: date | None = None):
    spendings = (Spending.objects.filter(line__item__agreement=agreement)
                 .select_related("line__item", "line__party", "evidence"))
    if start:
        spendings = spendings.filter(spent_on__gte=start)
    if end:
        spendings = spendings.filter(spent_on__lte=end)
    return spendings.order_by("spent_on", "id")


def dissemination_list(agreement: Agreement, *, start: date | None = None, end: date | None = None):
    posts = Dissemination.objects.filter(agreement=agreement).select_related("party")
    if start:
        posts = posts.filter(published_on__gte=start)
    if end:
        posts = posts.filter(published_on__lte=end)
    return posts.order_by("-published_on", "-id")


@dataclass
class ElectionRow:
    election: object
    decided: int
    sanctioned: int
    active_asn: int
    per_thousand: Decimal | None
    change: Decimal | None  # from the previous election, in violations per 1,000 ASN


def neutrality_by_election(agreement: Agreement, *, until: date) -> list[ElectionRow]:
    """Decided violations of the agency's ASN per 1,000 active ASN in each election voted by ``until``."""
    from agreements.obligations import per_thousand
    from followup.selectors import violations_by_election
    from registry.selectors import active_asn_count

    party = indicators.pemda_party(agreement)
    if party is None:
        return []
    agency = party.agency
    active = active_asn_count(agency=agency)
    rows, previous = [], None
    for election, decided, sanctioned in violations_by_election(agency=agency):
        if election.voting_day > until:
            continue
        rate = per_thousand(decided, active)
        change = rate - previous if rate is not None and previous is not None else None
        rows.append(ElectionRow(election, decided, sanctioned, active, rate, change))
        previous = rate
    return rows


@dataclass
class UnderstandingRow:
    theme: str
    mean_gain: Decimal | None
    improved: Decimal | None
    tested: int


def understanding(agreement: Agreement, start: date, end: date) -> list[UnderstandingRow]:
    """Per prevention theme: the pre/post-test gains of the agency's ASN at events held in the period."""
    from agreements.obligations import score_gains
    from prevention.selectors import test_score_pairs, theme_titles

    party = indicators.pemda_party(agreement)
    if party is None:
        return []
    rows = []
    for theme_id, title in theme_titles().items():
        mean, improved, tested = score_gains(test_score_pairs(agency=party.agency, theme_id=theme_id, start=start,
                                                              end=end))
        rows.append(UnderstandingRow(title, mean, improved, tested))
    return rows


# --- Officials, disputes, open obligations and standalone meetings (issue 19) ------------------

@dataclass
class PartyOfficials:
    party: Party
    signatory: object  # the current Official, or the Party itself (its signatory at signing)
    focal_points: list
    history: list  # every Official row of the party, newest first


def officials_of(agreement: Agreement) -> list[PartyOfficials]:
    """Per party: who signs now, the current focal points and the whole history (art. 4(1), 12). One query."""
    from agreements.models import Official

    rows: dict[int, list] = {}
    for official in (Official.objects.filter(party__agreement=agreement).select_related("replaces")
                     .order_by("-valid_from", "-id")):
        rows.setdefault(official.party_id, []).append(official)
    result = []
    for party in agreement.parties.all():
        history = rows.get(party.pk, [])
        signatory = next((o for o in history if o.kind == o.Kind.SIGNATORY and o.is_current), party)
        focal = [o for o in history if o.kind == o.Kind.FOCAL_POINT and o.is_current]
        result.append(PartyOfficials(party, signatory, focal, history))
    return result


def access_official(agreement: Agreement, pk):
    from agreements.models import Official

    try:
        return Official.objects.select_related("party").get(party__agreement=agreement, pk=pk)
    except (Official.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def dispute_list(agreement: Agreement):
    from agreements.models import Deliberation, Dispute

    return (Dispute.objects.filter(agreement=agreement).select_related("raised_by", "closed_by")
            .prefetch_related(Prefetch("deliberations", queryset=Deliberation.objects.order_by("held_on", "id")))
            .order_by("-raised_on", "-id"))


def access_dispute(agreement: Agreement, pk):
    """A dispute of an agreement the user already reached through access_agreement: 404 otherwise."""
    from agreements.models import Dispute

    try:
        return dispute_list(agreement).get(pk=pk)
    except (Dispute.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class OpenObligations:
    duties: list  # duties not done
    disputes: list  # disputes still open
    costs: list  # budget lines with money unspent or not yet accounted for (CostLine)

    def __bool__(self):
        return bool(self.duties or self.disputes or self.costs)

    def as_record(self) -> dict:
        """Plain data for the termination record: what was open then, as it was then."""
        return {
            "duties": [{"id": d.pk, "item": d.item.number, "party": d.party.position, "text": d.text,
                        "status": d.status} for d in self.duties],
            "disputes": [{"id": d.pk, "article": d.article, "party": d.raised_by.position,
                          "raised_on": str(d.raised_on), "question": d.question} for d in self.disputes],
            "costs": [{"line": c.line.pk, "item": c.line.item.number, "party": c.line.party.position,
                       "budget": str(c.line.amount), "spent": str(c.spent), "remaining": str(c.remaining)}
                      for c in self.costs],
        }


def open_obligations(agreement: Agreement) -> OpenObligations:
    """What the parties still owe each other (seed 000 art. 8(2)): three queries whatever the size."""
    from agreements.models import Dispute

    duties = list(Duty.objects.filter(item__agreement=agreement).exclude(status=Duty.Status.DONE)
                  .select_related("item", "party").order_by("item__order", "party__position", "order", "id"))
    disputes = list(Dispute.objects.filter(agreement=agreement, status=Dispute.Status.OPEN)
                    .select_related("raised_by").order_by("raised_on", "id"))
    costs = [row for row in costs_of(agreement).lines if row.remaining > 0]
    return OpenObligations(duties, disputes, costs)


def standalone_meeting_list_for(user, *, election: str = ""):
    """Evaluation meetings without an agreement organized within the user's jurisdiction (seed 002)."""
    if not can(user, Capability.SEE_AGREEMENTS) or user.jurisdiction is None:
        return EvaluationMeeting.objects.none()
    meetings = (EvaluationMeeting.objects.filter(user.jurisdiction.subtree_q("region"), agreement__isnull=True)
                .select_related("office", "agency", "election", "ceremony")
                .annotate(participant_total=Sum("participants__count")))
    if election:
        meetings = meetings.filter(election_id=election)
    return meetings.order_by("-held_on", "-id")


def access_standalone_meeting(user, pk) -> EvaluationMeeting:
    """A standalone meeting within the user's jurisdiction: 404 for missing and foreign alike."""
    try:
        return standalone_meeting_list_for(user).select_related("region").get(pk=pk)
    except (EvaluationMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def meeting_ceremony(user, meeting: EvaluationMeeting):
    """The meeting's pledge ceremony with its ``pledge_count``, read through prevention's selectors (or None)."""
    from prevention.selectors import ceremony_list_for

    if meeting.ceremony_id is None:
        return None
    return ceremony_list_for(user).filter(pk=meeting.ceremony_id).first()


def ceremony_choices_for(user, *, held_on: date | None = None):
    """Pledge ceremonies in the user's jurisdiction (of one day, if given) that a meeting may link to."""
    from prevention.selectors import ceremony_list_for

    ceremonies = ceremony_list_for(user)
    if held_on:
        ceremonies = ceremonies.filter(held_on=held_on)
    return ceremonies


def agreement_agencies_for(user):
    """The governments a user may record an agreement with: those in a Bawaslu office's jurisdiction, or
    one's own agency (the offices over it are a short list: at most regency, province and RI)."""
    from organizations.models import Agency

    if user.bawaslu_office_id:
        return Agency.objects.filter(user.bawaslu_office.region.subtree_q("region")).exclude(
            kind=Agency.Kind.AUTHORITY)
    if user.agency_id:
        return Agency.objects.filter(pk=user.agency_id)
    return Agency.objects.none()
