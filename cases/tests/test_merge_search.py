"""Merging by number (issue 20): a search of at most ten open cases instead of a select of all of them,
and a form that works without JavaScript by the number typed whole."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case
from cases.selectors import case_list_for
from cases.services import case_register_report
from cases.tests.conftest import all_met

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(report_beltim, staff_beltim):
    return case_register_report(report=report_beltim, actor=staff_beltim, checks=all_met())


def add_cases(office, region, election, user, count, *, prefix="900", status=Case.Status.REGISTERED, start=0):
    """``count`` cases of an office, numbered ``<prefix><seq>/LP/PL/Kab/19.06/XI/2024``."""
    open_ = status in (Case.Status.REGISTERED, Case.Status.IN_STUDY, Case.Status.AWAITING_APPROVAL)
    return Case.objects.bulk_create([
        Case(number=f"{prefix}{start + index:03d}/LP/PL/Kab/{office.region.code}/XI/2024", kind=Case.Kind.REPORT,
             office=office, region=region, election=election, status=status, is_open=open_,
             summary="ASN ikut kampanye.", place="Manggar", known_on=date(2024, 11, 11),
             registered_on=date(2024, 11, 11), registered_by=user, due_on=date(2024, 11, 20) if open_ else None,
             outcome="" if open_ else Case.Outcome.FORWARDED_AUTHORITY)
        for index in range(count)])


def merge(client, case, **data):
    return client.post(reverse("cases:merge", args=[case.pk]), {f"merge-{key}": value for key, value in data.items()})


def error_codes(response):
    return [error.code for error in response.context["merge_form"].non_field_errors().as_data()]


# --- The form: by number, without JavaScript --------------------------------------------------

def test_a_case_is_merged_into_the_open_case_whose_number_is_typed(client, staff_beltim, case, offices, places,
                                                                    election):
    target = add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 1)[0]
    client.force_login(staff_beltim)
    response = merge(client, case, number=f"  {target.number} ")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.MERGED and case.merged_into == target


def test_a_case_picked_from_the_search_is_merged_by_its_id(client, staff_beltim, case, offices, places, election):
    target = add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 1)[0]
    client.force_login(staff_beltim)
    assert merge(client, case, number=target.number, target=target.pk).status_code == 302
    case.refresh_from_db()
    assert case.merged_into == target


def test_a_number_typed_after_a_pick_wins_over_the_picked_id(client, staff_beltim, case, offices, places, election):
    picked, typed = add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 2)
    client.force_login(staff_beltim)
    assert merge(client, case, number=typed.number, target=picked.pk).status_code == 302
    case.refresh_from_db()
    assert case.merged_into == typed


def test_a_closed_case_is_refused_and_the_form_says_why(client, staff_beltim, case, offices, places, election):
    closed = add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 1, status=Case.Status.DECIDED)[0]
    client.force_login(staff_beltim)
    response = merge(client, case, number=closed.number)
    assert response.status_code == 400 and error_codes(response) == ["closed"]
    assert closed.number in response.content.decode()
    case.refresh_from_db()
    assert case.is_open and case.merged_into is None


@pytest.mark.parametrize("number", ["123/LP/PL/Kab/19.06/XI/2024", "tidak ada"])
def test_an_unknown_number_is_refused(client, staff_beltim, case, number):
    client.force_login(staff_beltim)
    response = merge(client, case, number=number)
    assert response.status_code == 400 and error_codes(response) == ["not_found"]


def test_a_case_cannot_be_merged_into_itself(client, staff_beltim, case):
    client.force_login(staff_beltim)
    response = merge(client, case, number=case.number)
    assert response.status_code == 400 and error_codes(response) == ["itself"]


def test_a_case_of_another_jurisdiction_is_not_found_even_by_its_id(client, staff_beltim, staff_bangka, case,
                                                                     offices, places, election):
    foreign = add_cases(offices["bangka"], places["sungailiat"], election, staff_bangka, 1)[0]
    client.force_login(staff_beltim)
    for data in ({"number": foreign.number}, {"number": foreign.number, "target": foreign.pk}):
        response = merge(client, case, **data)
        assert response.status_code == 400 and error_codes(response) == ["not_found"]  # its existence not told
    case.refresh_from_db()
    assert case.is_open


def test_the_province_cannot_merge_cases_of_two_regencies(client, staff_babel, staff_bangka, case, offices, places,
                                                          election):
    other = add_cases(offices["bangka"], places["sungailiat"], election, staff_bangka, 1)[0]
    client.force_login(staff_babel)
    response = merge(client, case, number=other.number)
    assert response.status_code == 400 and error_codes(response) == ["other_office"]


def test_an_empty_number_is_required(client, staff_beltim, case):
    client.force_login(staff_beltim)
    response = merge(client, case, number="")
    assert response.status_code == 400 and "number" in response.context["merge_form"].errors


# --- The search under the field -----------------------------------------------------------------

def search(client, case, number):
    return client.get(reverse("cases:merge_search", args=[case.pk]), {"merge-number": number})


def test_the_search_offers_at_most_ten_open_cases_of_the_office_by_number_prefix(
        client, staff_beltim, staff_bangka, case, offices, places, election):
    add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 14)
    add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 3, status=Case.Status.DECIDED, start=50)
    add_cases(offices["bangka"], places["sungailiat"], election, staff_bangka, 3, start=60)
    client.force_login(staff_beltim)
    response = search(client, case, "900")
    targets = response.context["targets"]
    assert response.status_code == 200 and len(targets) == 10
    assert all(t.is_open and t.office_id == case.office_id and t.pk != case.pk for t in targets)
    assert [t.number for t in targets] == sorted(t.number for t in targets)
    assert response.content.decode().count("data-merge-pick=") == 10


def test_the_search_finds_an_exact_number_and_never_the_case_itself_or_a_closed_one(
        client, staff_beltim, case, offices, places, election):
    add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 3)
    closed = add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 1, status=Case.Status.DECIDED,
                       start=50)[0]
    client.force_login(staff_beltim)
    exact = "900001/LP/PL/Kab/19.06/XI/2024"
    assert [t.number for t in search(client, case, exact).context["targets"]] == [exact]
    assert search(client, case, closed.number).context["targets"] == []
    assert search(client, case, case.number).context["targets"] == []
    assert search(client, case, "9").context["targets"] == []  # one character: too many to mean anything


def test_the_search_query_count_does_not_grow_with_the_open_cases(client, staff_beltim, case, offices, places,
                                                                   election):
    add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 3)
    client.force_login(staff_beltim)
    search(client, case, "900")  # warm-up: session, caches
    with CaptureQueriesContext(connection) as few:
        assert len(search(client, case, "900").context["targets"]) == 3
    add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 30, start=3)
    with CaptureQueriesContext(connection) as many:
        assert len(search(client, case, "900").context["targets"]) == 10
    assert len(many) == len(few)


def test_the_search_answers_only_inside_the_jurisdiction(client, staff_bangka, pemda_beltim, case):
    client.force_login(staff_bangka)
    assert search(client, case, "00").status_code == 404
    client.force_login(pemda_beltim)
    assert search(client, case, "00").status_code == 403


def test_the_search_offers_nothing_for_a_case_that_can_no_longer_be_merged(client, staff_beltim, case, offices,
                                                                          places, election):
    add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 3)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.DECIDED, is_open=False)
    client.force_login(staff_beltim)
    assert search(client, case, "900").context["targets"] == []


# --- The case page does not grow with the office's open cases ----------------------------------

def test_the_case_page_does_not_grow_with_the_open_cases_of_the_office(client, staff_beltim, case, offices, places,
                                                                        election):
    add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 3)
    client.force_login(staff_beltim)
    url = case.get_absolute_url()
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as few_queries:
        few = client.get(url)
    add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 27, start=3)
    with CaptureQueriesContext(connection) as many_queries:
        many = client.get(url)
    assert few.status_code == many.status_code == 200
    assert 'id="id_merge-number"' in many.content.decode() and "<select" not in _merge_part(many)
    assert len(many_queries) == len(few_queries)
    assert abs(len(many.content) - len(few.content)) < 64


def _merge_part(response):
    html = response.content.decode()
    start = html.index('id="merge-results"')
    return html[html.rindex("<form", 0, start):html.index("</form>", start)]


# --- The case list: an exact number is an index lookup -------------------------------------------

def test_an_exact_number_in_the_case_list_is_looked_up_by_equality(staff_beltim, case, offices, places, election):
    add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 12)
    number = "900011/LP/PL/Kab/19.06/XI/2024"
    with CaptureQueriesContext(connection) as queries:
        found = list(case_list_for(staff_beltim, query=number))
    assert [c.number for c in found] == [number]
    main = next(q["sql"] for q in queries if 'FROM "cases_case"' in q["sql"] and "ORDER BY" in q["sql"])
    assert '"cases_case"."number" = ' in main and "LIKE" not in main.upper()


def test_a_part_of_a_number_still_finds_the_cases_that_contain_it(staff_beltim, case, offices, places, election):
    add_cases(offices["beltim"], places["manggar"], election, staff_beltim, 12)
    assert len(case_list_for(staff_beltim, query="900011/LP")) == 1
    assert len(case_list_for(staff_beltim, query="/LP/PL/Kab/19.06/XI/2024")) == 12  # number-shaped, not exact
    assert len(case_list_for(staff_beltim, query="90000")) == 10  # 900000 ... 900009
