"""The staff landing page of the Pemda side (PPK, personnel staff) and of the civil-service authority:
recommendations due soon or overdue for their own agency only, forwardings awaiting a recommendation,
register imports needing attention."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.tests.conftest import (  # noqa: F401 (fixtures)
    _after_the_pilkada,
    camat,
    election,
    forwarded,
    recommended,
)
from registry.services.import_jobs import import_job_create
from registry.tests.conftest import csv_upload

pytestmark = pytest.mark.django_db
HOME = reverse("portal:staff_home")


def _blocks(client, user):
    client.force_login(user)
    return {block.id: block for block in client.get(HOME).context["summary"].blocks}


@pytest.fixture
def ppk_bangka(agencies):
    from accounts.models import User
    from accounts.tests.otp import confirmed_totp_device

    user = User.objects.create_user(username="ppk.bangka", password="kata-sandi-uji-123", role="ppk",
                                    agency=agencies["bangka"])
    confirmed_totp_device(user)
    return user


def test_the_ppk_sees_a_recommendation_due_soon_then_overdue(client, ppk_beltim, recommended, time_machine):
    time_machine.move_to(f"{recommended.due_on:%Y-%m-%d} 09:00 +07:00")
    blocks = _blocks(client, ppk_beltim)
    assert list(blocks) == ["recommendations-due-soon", "recommendations-overdue"]
    assert [row.title for row in blocks["recommendations-due-soon"].rows] == [recommended.number]
    time_machine.shift(timedelta(days=2))
    blocks = _blocks(client, ppk_beltim)
    assert blocks["recommendations-due-soon"].count == 0
    overdue = blocks["recommendations-overdue"]
    assert [row.title for row in overdue.rows] == [recommended.number]
    listed = client.get(overdue.url)
    assert [item.pk for item in listed.context["page"]] == [recommended.pk]


def test_another_agency_s_ppk_sees_none_of_it(client, ppk_bangka, recommended, time_machine):
    time_machine.move_to(f"{recommended.due_on:%Y-%m-%d} 09:00 +07:00")
    time_machine.shift(timedelta(days=2))
    blocks = _blocks(client, ppk_bangka)
    assert all(block.count == 0 for block in blocks.values())
    assert recommended.number not in client.get(HOME).content.decode()


def test_the_authority_sees_the_forwardings_awaiting_its_recommendation(client, authority_bkn, forwarded):
    blocks = _blocks(client, authority_bkn)
    assert list(blocks) == ["forwardings-awaiting"]
    assert [row.title for row in blocks["forwardings-awaiting"].rows] == [forwarded.number]
    listed = client.get(blocks["forwardings-awaiting"].url)
    assert forwarded.pk in [item.pk for item in listed.context["page"]]


def test_the_personnel_staff_see_register_imports_waiting_for_them(client, pemda_beltim, agencies, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    job = import_job_create(actor=pemda_beltim, agency=agencies["beltim"], upload=csv_upload([]))
    blocks = _blocks(client, pemda_beltim)
    assert list(blocks) == ["recommendations-due-soon", "recommendations-overdue", "imports-attention"]
    imports = blocks["imports-attention"]
    assert imports.count == 1 and imports.rows[0].url == reverse("registry:import_detail", args=[job.pk])


def test_the_pemda_summary_takes_the_same_queries_for_more_rows(client, ppk_beltim, recommended, forwarded,
                                                                 authority_bkn, agencies, places, election,
                                                                 staff_beltim, lead_beltim, time_machine):
    from followup.sanctions import Grade
    from followup.services import recommendation_issue
    from followup.tests.conftest import forward_case
    from reports.services import ReportedPersonInput

    late = f"{recommended.due_on + timedelta(days=2):%Y-%m-%d} 09:00 +07:00"

    def count():
        time_machine.move_to(late)
        client.force_login(ppk_beltim)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(HOME)
        overdue = next(b for b in response.context["summary"].blocks if b.id == "recommendations-overdue")
        return len(queries), overdue.count

    one, rows = count()
    assert rows == 1
    time_machine.move_to("2024-12-02 10:00 +07:00")
    for number in range(3):
        case = forward_case(region=places["manggar"], election=election, staff=staff_beltim, lead=lead_beltim,
                            persons=[ReportedPersonInput(name=f"Terlapor {number}", position="Staf")])
        forwarding = case.recommendations.get(stage="authority")
        recommendation_issue(forwarding=forwarding, actor=authority_bkn, person=case.persons.get(),
                             addressee=agencies["beltim"], employee_kind="pns", position_class="pelaksana",
                             violations=forwarding.violations.all(), grade=Grade("moral", ""),
                             considerations="Terbukti.")
    assert count() == (one, 4)
