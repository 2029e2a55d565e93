"""The reporter's next step once the case went to the civil-service authority (issue 18)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from followup.next_step import Tracked, next_step
from reports.views import TRACKED

DUE = date(2024, 12, 16)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def rec(status, due=DUE, citation="SE MenPANRB 4/2024"):
    return Tracked(status=status, due=due, citation=citation)


@pytest.mark.parametrize(("forwarding", "to_ppk", "text", "due", "finished"), [
    pytest.param(rec("issued"), [], "BKN decides on a sanction to recommend", DUE, False, id="at-the-authority"),
    pytest.param(rec("acknowledged"), [], "BKN decides on a sanction to recommend", DUE, False,
                 id="acknowledged-by-the-authority"),
    pytest.param(rec("answered"), [rec("issued", date(2024, 12, 20)), rec("acknowledged", date(2024, 12, 18)),
                                   rec("sanctioned", date(2024, 12, 10))],
                 "PPK) of the reported person decides", date(2024, 12, 18), False, id="at-the-ppk-earliest-open-limit"),
    pytest.param(rec("answered"), [rec("sanctioned"), rec("refused")], "The follow-up is finished", None, True,
                 id="every-ppk-decided"),
    pytest.param(rec("answered"), [], "BKN answered", None, True, id="answered-without-recommendations"),
])
def test_who_acts_next_after_the_forwarding(forwarding, to_ppk, text, due, finished):
    step = next_step(forwarding=forwarding, to_ppk=to_ppk, authority="BKN")
    assert text in step.text and step.due == due and step.finished is finished
    assert step.citation == ("SE MenPANRB 4/2024" if due else "")


def test_without_a_forwarding_the_case_answers():
    assert next_step(forwarding=None, to_ppk=[], authority="BKN") is None


def _page(client, report):
    session = client.session
    session[TRACKED] = report.pk
    session.save()
    client.cookies["netral_language"] = "en"  # the Indonesian of these strings is merged into locale/ by the lead
    page = client.get(reverse("reports:tracking_status")).content.decode()
    return page.split('id="status-headline">')[1].split("</strong>")[0], page.split('id="next-step"')[1].split("</div>")[0]


@pytest.mark.django_db
def test_the_reporter_reads_the_authority_s_limit_and_its_citation(client, forwarded):
    headline, block = _page(client, forwarded.case.case_reports.get().report)
    assert headline == forwarded.case.case_reports.get().report.status_changes.last().headline != ""
    assert f"{forwarded.addressee.name} decides on a sanction to recommend" in block
    assert f", by {forwarded.due_on.day} {forwarded.due_on:%B %Y}." in block
    assert forwarded.limit_citation in block


@pytest.mark.django_db
def test_then_the_ppk_s_limit_without_naming_the_person_or_the_agency(client, recommended):
    _headline, block = _page(client, recommended.case.case_reports.get().report)
    assert "The superior official (PPK) of the reported person decides" in block
    assert f", by {recommended.due_on.day} {recommended.due_on:%B %Y}." in block
    assert recommended.person_name not in block and recommended.addressee.name not in block
