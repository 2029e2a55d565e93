"""The dashboard's precomputed figures (followup.tallies) against the live computation.

The scenario of test_dashboard (five recommendations through the real services) and, for
varied data, a few hundred more written in bulk over both regencies, both stages, two
elections and every state, then counted on several days: every figure from the tallies
must equal the figure counted from the recommendations themselves.
"""

import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from cases.models import Case, CasePerson
from followup import compliance
from followup.dashboard import DashboardFilter, dashboard_for
from followup.models import ComplianceTally, DaysTally, Decision, Recommendation, SanctionTally
from followup.services import decision_record
from followup.tallies import median_of_counts, stored_days_refresh, tallied_figures, tallies_rebuild
from followup.tests.test_dashboard import ON, _upload, lead_bangka, pemda_bangka, scenario  # noqa: F401 (fixtures)
from rules.models import Election

pytestmark = pytest.mark.django_db


def _board(board):
    """Everything a dashboard shows, as plain values."""
    return {
        "agencies": [(row.agency_id, row.name, row.region_code, vars(row.figures)) for row in board.agencies],
        "regions": [(row.code, row.agencies, vars(row.figures)) for row in board.regions],
        "total": vars(board.total),
        "sanctions": [(row.outcome, row.sanction, row.family, row.level, row.count, row.share)
                      for row in board.sanctions],
        "families": board.families,
        "medians": board.medians,
    }


def _assert_same(user, flt, today):
    assert tallied_figures(user, flt, today=today) is not None, "this filter is served from the tallies"
    precomputed = _board(dashboard_for(user, flt, today=today))
    live = _board(dashboard_for(user, flt, today=today, precomputed=False))
    assert precomputed == live
    return precomputed


def _varied(scenario, agencies, offices, count=240, seed=20):
    """``count`` recommendations copied from the scenario's, over both regencies' cases, both stages,
    two elections, and every state: open (due or not), acted on in time or late, sanctions and refusals."""
    rng = random.Random(seed)
    other = Election.objects.exclude(pk=scenario["a"].case.election_id).order_by("-voting_day").first()
    templates = [scenario["a"], scenario["e"], scenario["a"].parent]
    cases = []
    for template in templates:  # a copy of each case per election, so that both elections have rows
        for election in (template.case.election, other):
            fields = {f.attname: getattr(template.case, f.attname) for f in Case._meta.concrete_fields
                      if f.attname not in {"id", "number"}}
            fields["election_id"] = election.pk
            fields["registered_on"] = template.case.registered_on - timedelta(days=rng.randint(0, 9))
            cases.append(Case.objects.create(**fields, number=f"T/{len(cases)}/{template.case.number}"))
    rows = []
    for index in range(count):
        template = rng.choice(templates)
        case = rng.choice([case for case in cases if case.office_id == template.case.office_id])
        person = CasePerson.objects.create(case=case, name=f"Terlapor {index}")
        fields = {f.attname: getattr(template, f.attname) for f in Recommendation._meta.concrete_fields
                  if f.attname not in {"id", "person_id", "number", "created_at", "case_id"}}
        issued = ON - timedelta(days=rng.randint(0, 40))
        due = issued + timedelta(days=rng.choice([3, 5, 14]))
        state = rng.choice(["open", "open", "imposed", "refused", "answered"])
        closed_on = None if state == "open" else min(ON, issued + timedelta(days=rng.randint(0, 20)))
        status = {"open": rng.choice(["issued", "acknowledged"]), "imposed": "sanctioned", "refused": "refused",
                  "answered": "answered"}[state]
        fields.update(case_id=case.pk, issued_on=issued, due_on=due, status=status, is_open=state == "open",
                      closed_on=closed_on, addressee_id=(template.addressee_id if template.stage == "authority"
                                                         else rng.choice([agencies["beltim"], agencies["bangka"]]).pk))
        fields["person_id"] = person.pk if template.stage == "ppk" else None
        if template.stage == "authority":
            fields["person_id"] = None
        rows.append(Recommendation(**fields, number=f"V/{index}"))
    # One forwarding per case: stage-authority copies keep the constraint by going to fresh cases.
    created = []
    for row in rows:
        if row.stage == "authority":
            if Recommendation.objects.filter(case_id=row.case_id, stage="authority").exists():
                row.stage = "ppk"
                row.person_id = CasePerson.objects.create(case_id=row.case_id, name=f"Terlapor {row.number}").pk
        created.append(Recommendation.objects.create(**{f.attname: getattr(row, f.attname)
                                                          for f in Recommendation._meta.concrete_fields
                                                          if f.attname != "id"}))
    sanctions = ["moral-statement-open", "moral-statement-closed", "pns-written-reprimand"]
    for row in created:
        if row.status == "sanctioned":
            Decision.objects.create(recommendation=row, outcome="imposed", sanction=rng.choice(sanctions),
                                    sanction_family="moral", letter_number=f"800/{row.pk}",
                                    letter_date=rng.choice([row.closed_on, None]), recorded_by=row.created_by)
        elif row.status == "refused":
            Decision.objects.create(recommendation=row, outcome="refused", recorded_by=row.created_by,
                                    reason="Alasan penolakan yang cukup panjang.")
    return created


@pytest.fixture
def varied(scenario, agencies, offices):
    rows = _varied(scenario, agencies, offices)
    tallies_rebuild()
    return rows


@pytest.mark.parametrize("today", [ON - timedelta(days=30), ON, ON + timedelta(days=7)])
def test_every_figure_from_the_tallies_equals_the_live_count(varied, today, admin_national, authority_bkn,
                                                              staff_babel, staff_beltim, staff_bangka, ppk_beltim,
                                                              pemda_bangka, places, agencies):
    elections = list(Election.objects.filter(cases__isnull=False).distinct())
    assert len(elections) == 2
    filters = [DashboardFilter(), DashboardFilter(stage="authority"), DashboardFilter(region=places["babel"]),
               DashboardFilter(region=places["bangka"]), DashboardFilter(agency=agencies["beltim"]),
               *(DashboardFilter(election=election) for election in elections),
               DashboardFilter(stage="authority", election=elections[1])]
    national = _assert_same(admin_national, DashboardFilter(), today)
    assert national["total"]["received"] == Recommendation.objects.filter(stage="ppk").count() > 200
    classes = {name: national["total"][name] for name in compliance.CLASSES}
    assert all(classes.values()) or today < ON - timedelta(days=20), classes  # every class is exercised
    for user in (admin_national, authority_bkn, staff_babel, staff_beltim, staff_bangka, ppk_beltim, pemda_bangka):
        for flt in filters:
            _assert_same(user, flt, today)


@pytest.mark.parametrize("today", [ON - timedelta(days=30), ON + timedelta(days=7)])
def test_the_election_comparison_from_the_tallies_equals_the_live_count(varied, today, admin_national,
                                                                        authority_bkn, staff_babel, staff_bangka,
                                                                        ppk_beltim, pemda_bangka, places, agencies):
    from followup.dashboard_elections import election_comparison

    def rows(comparison):
        return [(row.agency_id, vars(row.current), vars(row.previous)) for row in comparison.agencies]

    [later, earlier] = Election.objects.filter(cases__isnull=False).distinct().order_by("-voting_day")
    filters = [DashboardFilter(election=later), DashboardFilter(election=earlier),
               DashboardFilter(election=later, stage="authority"), DashboardFilter(election=later, region=places["bangka"]),
               DashboardFilter(election=later, agency=agencies["beltim"])]
    seen = 0
    for user in (admin_national, authority_bkn, staff_babel, staff_bangka, ppk_beltim, pemda_bangka):
        for flt in filters:
            precomputed = election_comparison(user, flt, today=today)
            live = election_comparison(user, flt, today=today, precomputed=False)
            assert rows(precomputed) == rows(live), (user.username, flt)
            paged = election_comparison(user, flt, today=today, per_page=1, page=len(live.agencies))
            assert rows(paged) == rows(live)[-1:]  # the last page lists the last agency
            seen += sum(row.current.received + row.previous.received for row in precomputed.agencies)
    assert seen > 0
    national = election_comparison(admin_national, filters[0], today=today)
    assert all(row.current.received and row.previous.received for row in national.agencies)
    assert sum(row.current.sanctions + row.previous.sanctions for row in national.agencies) > 0


def test_the_services_store_each_recommendations_day_counts(scenario):
    rows = Recommendation.objects.all()
    assert rows.count() >= 5
    assert not rows.filter(days_report_to_registration__isnull=True).exists()
    assert not rows.filter(days_registration_to_recommendation__isnull=True).exists()
    assert stored_days_refresh(rows) == 0  # nothing stale: what the services stored is what the cases give


def test_the_stored_day_counts_change_no_figure(varied, admin_national, staff_babel, pemda_bangka, places):
    """The live medians read the day counts stored on the recommendations, or compute them from the
    cases where none is stored: the same figures either way."""
    filters = [DashboardFilter(), DashboardFilter(issued_from=ON - timedelta(days=20), issued_until=ON),
               DashboardFilter(region=places["bangka"], issued_from=ON - timedelta(days=30))]
    users = (admin_national, staff_babel, pemda_bangka)

    def boards():
        return [_board(dashboard_for(user, flt, today=ON, precomputed=False)) for user in users for flt in filters]

    assert not Recommendation.objects.filter(days_report_to_registration__isnull=True).exists()  # the rebuild
    stored = boards()
    assert Recommendation.objects.update(days_report_to_registration=None, days_registration_to_recommendation=None)
    assert boards() == stored
    assert stored[0]["medians"].report_to_registration_count > 0
    Recommendation.objects.update(days_report_to_registration=999, days_registration_to_recommendation=999)
    assert boards() != stored, "the stored counts are read: the comparison above can fail"
    assert stored_days_refresh(Recommendation.objects.all()) == Recommendation.objects.count()
    assert boards() == stored


def test_a_period_of_issue_is_counted_live(varied, admin_national):
    flt = DashboardFilter(issued_from=date(2024, 11, 20), issued_until=date(2024, 12, 5))
    assert tallied_figures(admin_national, flt, today=ON) is None
    assert dashboard_for(admin_national, flt, today=ON).total.received > 0


def test_the_services_keep_the_tallies_current_without_a_rebuild(scenario, admin_national, staff_babel, ppk_beltim,
                                                                  time_machine):
    """The scenario was built through the services only: no rebuild, and the tallies agree."""
    for user in (admin_national, staff_babel, ppk_beltim):
        _assert_same(user, DashboardFilter(), ON)
    key = dict(stage="ppk", addressee=scenario["c"].addressee, election=scenario["c"].case.election,
               office=scenario["c"].case.office)
    before = ComplianceTally.objects.get(**key)
    assert (before.received, before.in_time, before.late, before.open) == (4, 1, 1, 2)
    # C, ignored, is acted on late: the tally changes in the decision's transaction.
    decision_record(recommendation=scenario["c"], actor=ppk_beltim, outcome="imposed",
                    sanction="moral-statement-open", letter_number="800/3/BKPSDM/2024", letter_date=ON,
                    upload=_upload())
    after = ComplianceTally.objects.get(**key)
    assert (after.received, after.in_time, after.late, after.open) == (4, 1, 2, 1)
    assert SanctionTally.objects.filter(**key, sanction="moral-statement-open").get().count == 2
    assert DaysTally.objects.filter(**key, measure="rec_sanction").values_list("days", "count").count() == 2
    board = _assert_same(admin_national, DashboardFilter(), ON)
    assert (board["total"]["late"], board["total"]["ignored"]) == (2, 0)


def test_a_failed_change_leaves_the_tallies_as_they_were(scenario, ppk_beltim):
    from django.core.exceptions import ValidationError

    rows = list(ComplianceTally.objects.values_list("received", "in_time", "late", "open").order_by("pk"))
    with pytest.raises(ValidationError):
        decision_record(recommendation=scenario["c"], actor=ppk_beltim, outcome="refused", reason="Pendek.")
    assert list(ComplianceTally.objects.values_list("received", "in_time", "late", "open").order_by("pk")) == rows


def test_the_rebuild_is_idempotent_and_audited(varied, admin_national):
    def snapshot():
        return [sorted(model.objects.values_list(*fields)) for model, fields in (
            (ComplianceTally, ("stage", "addressee_id", "election_id", "office_id", "received", "in_time", "late",
                               "open")),
            (SanctionTally, ("stage", "addressee_id", "election_id", "office_id", "outcome", "sanction", "count")),
            (DaysTally, ("measure", "stage", "addressee_id", "election_id", "office_id", "days", "count")))]

    first = snapshot()
    ComplianceTally.objects.update(received=0)  # stale figures are replaced, not added to
    call_command("followup_tallies", verbosity=0)
    assert snapshot() == first
    assert AuditEntry.objects.filter(action="followup.tallies_rebuilt").count() == 2
    _assert_same(admin_national, DashboardFilter(), ON)


@pytest.mark.parametrize("seed", range(20))
def test_the_median_of_a_histogram_is_the_median_of_its_values(seed):
    rng = random.Random(seed)
    values = [rng.randint(-3, 40) for _ in range(rng.randint(0, 30))]
    pairs = {}
    for value in values:
        pairs[value] = pairs.get(value, 0) + 1
    assert median_of_counts(pairs.items()) == (compliance.median(values), len(values))


# --- the list's search (issue 20: a whole number is an index lookup) ------------------------------

def test_the_list_finds_a_whole_number_and_still_searches_inside_numbers_and_names(scenario, admin_national):
    from followup.selectors import recommendation_list_for

    a = scenario["a"]
    assert list(recommendation_list_for(admin_national, query=a.number)) == [a]
    by_case = recommendation_list_for(admin_national, query=a.case.number)
    assert set(by_case) == set(Recommendation.objects.filter(case=a.case))
    assert a in recommendation_list_for(admin_national, query=a.number[2:-2])
    assert list(recommendation_list_for(admin_national, query=a.person_name)) == [a]
