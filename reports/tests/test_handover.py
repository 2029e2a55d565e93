"""Pelimpahan: a report filed at the wrong office goes to the competent one with everything it has."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from reports.models import Handover, Report
from reports.tests.test_tracking_views import STATUS, TRACK, filed  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def hand_over_url(report):
    return reverse("reports:hand_over", args=[report.pk])


def test_a_report_goes_to_the_competent_office_and_the_code_keeps_working(client, django_app_client, filed,
                                                                          places, offices, staff_beltim, staff_bangka):
    report, code = filed
    files_before = list(report.attachments.values_list("blob__sha256", flat=True))
    client.force_login(staff_beltim)
    response = client.post(hand_over_url(report), {"to_office": offices["bangka"].pk, "to_region": places["bangka"].code,
                                                   "reason": "Kejadian berada di Kabupaten Bangka, bukan Manggar."})
    assert response.status_code == 302 and response["Location"] == reverse("reports:inbox")
    report.refresh_from_db()
    assert report.office == offices["bangka"] and report.region == places["bangka"]
    assert list(report.attachments.values_list("blob__sha256", flat=True)) == files_before
    handover = Handover.objects.get()
    assert (handover.from_office, handover.to_office, handover.from_region) == (
        offices["beltim"], offices["bangka"], places["manggar"])
    assert AuditEntry.objects.filter(action="report.handed_over").count() == 1
    # Beltim no longer sees it; Bangka does, with the handover in its history.
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    client.force_login(staff_bangka)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Kejadian berada di Kabupaten Bangka" in page and "Bawaslu Kabupaten Belitung Timur" in page
    # The reporter's code still opens the report, which tells of the handover.
    assert django_app_client.post(TRACK, {"code": code}).status_code == 302
    status = django_app_client.get(STATUS).content.decode()
    assert report.number in status and "dilimpahkan kepada Bawaslu Kabupaten Bangka" in status


def test_the_place_must_lie_in_the_new_office_s_jurisdiction(client, filed, offices, staff_beltim):
    report, _code = filed
    client.force_login(staff_beltim)
    response = client.post(hand_over_url(report), {"to_office": offices["bangka"].pk, "to_region": "",
                                                   "reason": "Salah kantor menurut pelapor."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "di luar wilayah" in page and "Salah kantor menurut pelapor." in page  # typed text kept
    assert Report.objects.get().office == offices["beltim"] and not Handover.objects.exists()


def test_a_reason_is_required(client, filed, places, offices, staff_beltim):
    report, _code = filed
    client.force_login(staff_beltim)
    response = client.post(hand_over_url(report), {"to_office": offices["bangka"].pk,
                                                   "to_region": places["bangka"].code, "reason": "salah"})
    assert response.status_code == 400 and not Handover.objects.exists()


def test_another_office_cannot_hand_over_what_it_cannot_see(client, filed, places, offices, staff_bangka):
    report, _code = filed
    client.force_login(staff_bangka)
    response = client.post(hand_over_url(report), {"to_office": offices["bangka"].pk,
                                                   "to_region": places["bangka"].code,
                                                   "reason": "Mengambil alih laporan kabupaten lain."})
    assert response.status_code == 404 and not Handover.objects.exists()


def test_the_province_may_hand_over_within_its_jurisdiction(client, filed, places, offices, staff_babel):
    report, _code = filed
    client.force_login(staff_babel)
    response = client.post(hand_over_url(report), {"to_office": offices["bangka"].pk,
                                                   "to_region": places["bangka"].code,
                                                   "reason": "Kejadian berada di Kabupaten Bangka."})
    assert response.status_code == 302
    assert Report.objects.get().office == offices["bangka"]


def test_a_registered_report_is_not_handed_over(client, filed, places, offices, staff_beltim):
    from cases.services import case_register_report
    from cases.tests.conftest import all_met
    from reports.services import report_change_status

    report, _code = filed
    report = report_change_status(report=report, actor=staff_beltim, to_status="in_review")
    case_register_report(report=report, actor=staff_beltim, checks=all_met())
    client.force_login(staff_beltim)
    response = client.post(hand_over_url(report), {"to_office": offices["bangka"].pk,
                                                   "to_region": places["bangka"].code,
                                                   "reason": "Kejadian berada di Kabupaten Bangka."})
    assert response.status_code == 400 and not Handover.objects.exists()
