"""The recommendation list's age and next-deadline columns and its "due soon" filter."""

from datetime import timedelta

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
LIST = reverse("followup:list")


def test_due_soon_lists_the_open_recommendation_within_three_working_days(client, ppk_beltim, recommended,
                                                                          time_machine):
    time_machine.move_to(f"{recommended.due_on - timedelta(days=1):%Y-%m-%d} 09:00 +07:00")
    client.force_login(ppk_beltim)
    page = client.get(LIST, {"state": "soon"})
    assert [item.pk for item in page.context["page"]] == [recommended.pk]
    html = page.content.decode()
    assert "1 day left" in html or "sisa 1 hari" in html
    assert 'class="row-soon"' in html
    time_machine.shift(timedelta(days=2))
    client.force_login(ppk_beltim)
    assert list(client.get(LIST, {"state": "soon"}).context["page"]) == []
    html = client.get(LIST).content.decode()
    assert "1 day late" in html or "lewat 1 hari" in html


def test_the_list_shows_how_old_a_recommendation_is(client, ppk_beltim, recommended, time_machine):
    time_machine.move_to(f"{recommended.issued_on + timedelta(days=3):%Y-%m-%d} 09:00 +07:00")
    client.force_login(ppk_beltim)
    html = client.get(LIST).content.decode()
    assert ">Umur<" in html or ">Age<" in html
    assert "3 days" in html or "3 hari" in html
