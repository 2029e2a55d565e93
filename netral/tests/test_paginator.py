"""netral.paginator.BoundedPaginator: a list counted up to a bound, its pages still numbered (issue 20)."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from netral.paginator import BoundedPaginator, page_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    Group.objects.bulk_create([Group(name=f"Kelompok {number:03d}") for number in range(60)])
    return Group.objects.order_by("-name")


@pytest.mark.parametrize(("value", "number"), [
    pytest.param("3", 3, id="a-number"), pytest.param(None, 1, id="none"), pytest.param("last", 1, id="a-word"),
    pytest.param("-4", 1, id="negative"), pytest.param("0", 1, id="zero"),
    pytest.param("99999999999999999999", 1_000_000, id="past-any-list"),
])
def test_page_number(value, number):
    assert page_number(value) == number


def test_a_list_shorter_than_the_bound_is_counted_exactly(groups):
    paginator = BoundedPaginator(groups, 10, page="2", bound=100)
    assert paginator.count == 60 and paginator.exact and paginator.shown_count == 60
    assert paginator.num_pages == 6
    assert [group.name for group in paginator.get_page("2")][:1] == ["Kelompok 049"]


def test_a_list_longer_than_the_bound_is_counted_one_row_past_it(groups):
    paginator = BoundedPaginator(groups, 10, page=None, bound=25)
    assert paginator.count == 26 and not paginator.exact and paginator.shown_count == 25
    page = paginator.get_page(None)
    assert page.number == 1 and page.has_next() and [group.name for group in page][0] == "Kelompok 059"


def test_the_count_reaches_past_the_page_asked_for_so_next_leads_on(groups):
    paginator = BoundedPaginator(groups, 10, page="4", bound=25)
    page = paginator.get_page("4")
    assert paginator.count == 41 and not paginator.exact
    assert page.number == 4 and page.has_next() and page.next_page_number() == 5
    assert [group.name for group in page][0] == "Kelompok 029"
    last = BoundedPaginator(groups, 10, page="6", bound=25)
    assert last.exact and last.count == 60 and not last.get_page("6").has_next()


def test_a_page_past_the_end_opens_the_last_page(groups):
    page = BoundedPaginator(groups, 10, page="999", bound=25).get_page("999")
    assert page.number == 6 and len(page) == 10


def test_the_count_is_one_query_bounded_and_unordered(groups):
    paginator = BoundedPaginator(groups, 10, page="1", bound=25)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 26
    assert len(queries) == 1
    sql = queries.captured_queries[0]["sql"].upper()
    assert "LIMIT 26" in sql and "ORDER BY" not in sql


def test_a_plain_list_is_bounded_too():
    paginator = BoundedPaginator(list(range(60)), 10, bound=25)
    assert paginator.count == 26 and not paginator.exact
    assert BoundedPaginator(list(range(20)), 10, bound=25).count == 20
