"""Pelimpahan: a report filed at the wrong office goes to the competent one with everything it has."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEntry
from regions.models import Region
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
    response = client.post(hand_over_url(report), {"to_office": offices["bangka"].pk, "to_region": places["bangka"].pk,
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
                                                   "to_region": places["bangka"].pk, "reason": "salah"})
    assert response.status_code == 400 and not Handover.objects.exists()


def test_another_office_cannot_hand_over_what_it_cannot_see(client, filed, places, offices, staff_bangka):
    report, _code = filed
    client.force_login(staff_bangka)
    response = client.post(hand_over_url(report), {"to_office": offices["bangka"].pk,
                                                   "to_region": places["bangka"].pk,
                                                   "reason": "Mengambil alih laporan kabupaten lain."})
    assert response.status_code == 404 and not Handover.objects.exists()


def test_the_province_may_hand_over_within_its_jurisdiction(client, filed, places, offices, staff_babel):
    report, _code = filed
    client.force_login(staff_babel)
    response = client.post(hand_over_url(report), {"to_office": offices["bangka"].pk,
                                                   "to_region": places["bangka"].pk,
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
                                                   "to_region": places["bangka"].pk,
                                                   "reason": "Kejadian berada di Kabupaten Bangka."})
    assert response.status_code == 400 and not Handover.objects.exists()


# --- Issue 20: the office and the place are typed, never <select>s of the country's ~550 ---------


def test_the_office_and_the_place_are_found_by_name(client, filed, places, offices, staff_beltim):
    report, _code = filed
    client.force_login(staff_beltim)
    response = client.post(hand_over_url(report), {"to_office_name": "Bawaslu Kab. Bangka",
                                                   "to_region_name": "Sungailiat",
                                                   "reason": "Kejadian berada di Sungailiat, Kabupaten Bangka."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.office == offices["bangka"] and report.region == places["sungailiat"]


def test_several_offices_of_the_name_come_back_as_choices(client, filed, places, offices, staff_beltim):
    from organizations.models import BawasluOffice

    barat = Region.objects.create(code="19.05", name="Kabupaten Bangka Barat", level=2, parent=places["babel"])
    west = BawasluOffice.objects.create(region=barat, name="Bawaslu Kabupaten Bangka Barat",
                                        short_name="Bangka Barat", number_code="K.BB-05")
    report, _code = filed
    client.force_login(staff_beltim)
    data = {"to_office_name": "Bangka B", "to_region_name": "Bangka Barat", "reason": "Kejadian di Bangka Barat."}
    response = client.post(hand_over_url(report), data)
    assert response.status_code == 400 and not Handover.objects.exists()
    page = response.content.decode()
    assert page.count('type="radio" name="to_office"') == 2  # Bangka Barat and the province's Bangka Belitung
    assert 'value="Bangka B"' in page and "Kejadian di Bangka Barat." in page
    response = client.post(hand_over_url(report), {**data, "to_office": west.pk})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.office == west and report.region == barat


def test_the_whole_name_tells_a_city_s_office_from_the_regency_s(client, filed, places, offices, staff_beltim):
    from organizations.models import BawasluOffice

    city = Region.objects.create(code="19.71", name="Kota Bangka", level=2, parent=places["babel"])
    BawasluOffice.objects.create(region=city, name="Bawaslu Kota Bangka", short_name="Kota", number_code="K.BB-71")
    report, _code = filed
    client.force_login(staff_beltim)
    response = client.post(hand_over_url(report), {"to_office_name": "Kabupaten Bangka",
                                                   "to_region_name": "Sungailiat",
                                                   "reason": "Kejadian berada di Kabupaten Bangka."})
    assert response.status_code == 302
    assert Report.objects.get().office == offices["bangka"]


def test_an_unknown_office_and_the_own_office_are_not_found(client, filed, places, offices, staff_beltim):
    report, _code = filed
    client.force_login(staff_beltim)
    for name in ["Bawaslu Atlantis", "Bawaslu Kabupaten Belitung Timur", ""]:
        response = client.post(hand_over_url(report), {"to_office_name": name, "reason": "Salah kantor."})
        assert response.status_code == 400
        assert response.context["handover_form"].errors["to_office_name"]
    assert not Handover.objects.exists()


def test_the_report_page_does_not_grow_with_the_country(client, filed, places, offices, staff_beltim):
    from organizations.models import BawasluOffice

    report, _code = filed
    client.force_login(staff_beltim)
    url = reverse("reports:detail", args=[report.pk])
    before = len(client.get(url).content)
    call_command("load_regions", levels="province,regency", stdout=open("/dev/null", "w"))  # noqa: SIM115
    BawasluOffice.objects.bulk_create([
        BawasluOffice(region=region, name=f"Bawaslu {region.name}", short_name=region.name, number_code=region.code)
        for region in Region.objects.filter(level__in=[1, 2], bawaslu_office__isnull=True)
    ])
    assert BawasluOffice.objects.count() > 500
    assert abs(len(client.get(url).content) - before) < 100, "the report page grows with the offices loaded"
