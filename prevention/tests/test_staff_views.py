"""Staff pages, checked against role and jurisdiction."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from prevention import services
from prevention.models import Attendance, Banner, Event, EventPhoto, Pledge
from reports.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("prevention:dashboard")


def test_anonymous_visitors_are_sent_to_the_login(client):
    assert client.get(DASHBOARD).status_code == 302


@pytest.mark.parametrize(("username", "status"), [
    ("staf.beltim", 200), ("ketua.beltim", 200), ("bkpsdm.beltim", 200), ("ppk.beltim", 200),
    ("bkn", 403), ("admin.nasional", 403),
])
def test_who_may_open_the_prevention_pages(client, cast, username, status):
    client.force_login(cast[username])
    assert client.get(DASHBOARD).status_code == status


def test_staff_create_an_event_with_target_units(client, staff_beltim, themes, agencies, election):
    client.force_login(staff_beltim)
    response = client.post(reverse("prevention:event_new"), {
        "title": "Sosialisasi Netralitas", "theme": "asn-neutrality", "held_on": "2024-10-01", "place": "Manggar",
        "election": election.pk, "target_units": "Dinas Kesehatan\nKecamatan Manggar",
    })
    event = Event.objects.get()
    assert response["Location"] == event.get_absolute_url()
    assert event.office_id == staff_beltim.bawaslu_office_id and event.target_units.count() == 2


def test_a_bad_event_form_keeps_what_was_typed(client, pemda_beltim, themes):
    client.force_login(pemda_beltim)
    response = client.post(reverse("prevention:event_new"), {"title": "Sosialisasi Ku", "theme": "asn-neutrality"})
    assert response.status_code == 400 and 'value="Sosialisasi Ku"' in response.content.decode()
    assert not Event.objects.exists()


def test_a_unit_of_another_regency_cannot_be_targeted(client, pemda_beltim, themes, register):
    client.force_login(pemda_beltim)
    response = client.post(reverse("prevention:event_new"), {
        "title": "x", "theme": "asn-neutrality", "held_on": "2024-10-01", "place": "y",
        "target_units": register["bangka_unit"].name})
    assert response.status_code == 400 and not Event.objects.exists()


def test_staff_of_another_regency_get_404_for_an_event(client, staff_bangka, event_bawaslu):
    client.force_login(staff_bangka)
    assert client.get(event_bawaslu.get_absolute_url()).status_code == 404
    checkin = client.post(reverse("prevention:event_checkin", args=[event_bawaslu.pk]), {"identity": "1" * 18})
    assert checkin.status_code == 404


def test_the_province_sees_the_regency_event_but_cannot_change_it(client, staff_babel, event_bawaslu, register):
    client.force_login(staff_babel)
    assert client.get(event_bawaslu.get_absolute_url()).status_code == 200
    response = client.post(reverse("prevention:event_checkin", args=[event_bawaslu.pk]), {"identity": register["ani"].nip})
    assert response.status_code == 404 and not Attendance.objects.exists()


def test_pemda_sees_bawaslu_s_event_of_its_regency_but_only_bawaslu_changes_it(client, pemda_beltim, event_bawaslu):
    client.force_login(pemda_beltim)
    assert client.get(event_bawaslu.get_absolute_url()).status_code == 200
    record = client.post(reverse("prevention:event_record", args=[event_bawaslu.pk]), {"minutes": "x"})
    assert record.status_code == 404


def test_desk_check_in_twice_records_once(client, pemda_beltim, event_pemda, register):
    client.force_login(pemda_beltim)
    url = reverse("prevention:event_checkin", args=[event_pemda.pk])
    assert client.post(url, {"identity": register["ani"].nip}).status_code == 302
    assert client.post(url, {"identity": register["ani"].nip}).status_code == 302
    assert Attendance.objects.count() == 1


def test_desk_check_in_of_an_unknown_nip_shows_the_error(client, pemda_beltim, event_pemda, register):
    client.force_login(pemda_beltim)
    response = client.post(reverse("prevention:event_checkin", args=[event_pemda.pk]), {"identity": "199001012015031001"})
    assert response.status_code == 400 and response.context["nip_form"].errors


def test_a_photo_upload_is_stripped_and_a_bad_one_leaves_nothing(client, pemda_beltim, event_pemda):
    client.force_login(pemda_beltim)
    url = reverse("prevention:event_photo", args=[event_pemda.pk])
    assert client.post(url, {"photo": SimpleUploadedFile("a.jpg", jpeg_bytes()), "caption": "Pembukaan"}).status_code == 302
    photo = EventPhoto.objects.get()
    served = client.get(reverse("prevention:event_photo_file", args=[event_pemda.pk, photo.pk]))
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as image:
        assert not image.getexif().get_ifd(0x8825)
    bad = client.post(url, {"photo": SimpleUploadedFile("b.jpg", b"GIF89a not a photo")})
    assert bad.status_code == 400 and EventPhoto.objects.count() == 1


def test_the_event_list_has_a_constant_query_count(client, pemda_beltim, themes):
    client.force_login(pemda_beltim)

    def make(count):
        for n in range(count):
            services.event_create(actor=pemda_beltim, theme=themes["asn-neutrality"], title=f"E{n}", place="x",
                                  held_on=date(2024, 10, 1))

    make(2)
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as two:
        assert client.get(DASHBOARD).status_code == 200
    make(20)
    with CaptureQueriesContext(connection) as many:
        client.get(DASHBOARD)
    assert len(many) == len(two)


def test_the_event_page_pages_its_attendance_with_a_constant_query_count(client, pemda_beltim, event_pemda,
                                                                          agencies):
    from registry.factories import EmployeeFactory

    client.force_login(pemda_beltim)
    url = reverse("prevention:event_detail", args=[event_pemda.pk])

    def attend(count):
        for _ in range(count):
            employee = EmployeeFactory(agency=agencies["beltim"], unit=agencies["dinkes_beltim"])
            services.attendance_check_in(event=event_pemda, employee=employee, method="desk", actor=pemda_beltim)

    attend(2)
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    attend(30)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(many) == len(two)
    assert len(page.context["attendances"]) == 25 and page.context["attendances"].paginator.count == 32
    assert len(client.get(url, {"page": 2}).context["attendances"]) == 7


def test_the_reach_page_lists_units_and_themes(client, staff_beltim, event_bawaslu, register):
    services.attendance_check_in_by_identity(event=event_bawaslu, identity=register["fajar"].nip, actor=staff_beltim)
    client.force_login(staff_beltim)
    html = client.get(reverse("prevention:reach")).content.decode()
    assert "Kecamatan Manggar" in html and "33,3%" in html and "Dinas Pendidikan Bangka" not in html


def test_the_pledge_page_shows_coverage_and_a_constant_query_count(client, pemda_beltim, register, election):
    client.force_login(pemda_beltim)
    services.pledge_sign(employee=register["ani"], election=election, typed_name="Ani")
    client.get(reverse("prevention:pledges"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("prevention:pledges"))
    for name in ("budi", "cici", "dedi", "fajar"):
        services.pledge_sign(employee=register[name], election=election, typed_name=register[name].name)
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("prevention:pledges"))
    assert len(five) == len(one)
    assert "71,4" in response.content.decode()  # 5 of 7 active ASN of Belitung Timur, Indonesian decimal comma


def test_the_signed_pledges_are_counted_only_up_to_a_bound(client, staff_babel, register, election):
    """The list of signed pledges grows with the country (issue 20): its count stops at a bound
    (netral/paginator.py), with the list's order served by the index pledge_election_signed."""
    for name in ("ani", "budi"):
        services.pledge_sign(employee=register[name], election=election, typed_name=register[name].name)
    client.force_login(staff_babel)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("prevention:pledges")).content.decode()
    counts = [query["sql"] for query in queries.captured_queries
              if query["sql"].startswith("SELECT COUNT(*)") and "prevention_pledge\"" in query["sql"]]
    assert counts and all("LIMIT 1001" in sql for sql in counts), counts
    assert register["ani"].name in html and register["budi"].name in html


def test_staff_revoke_a_pledge_of_their_jurisdiction_only(client, pemda_beltim, staff_bangka, register, election):
    pledge, _ = services.pledge_sign(employee=register["ani"], election=election, typed_name="Ani")
    url = reverse("prevention:pledge_revoke", args=[pledge.pk])
    client.force_login(staff_bangka)
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(pemda_beltim)
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Ditandatangani orang lain"}).status_code == 302
    assert Pledge.objects.get().revoked_at is not None


def test_a_ceremony_records_many_pledges_at_once(client, pemda_beltim, register, election):
    client.force_login(pemda_beltim)
    response = client.post(reverse("prevention:ceremony_new"), {
        "title": "Ikrar Camat se-Beltim", "election": election.pk, "held_on": "2024-10-07", "place": "Manggar"})
    url = response["Location"]
    page = client.get(url, {"q": "Kecamatan"})
    assert "Fajar" in page.content.decode() and "Ani" not in page.content.decode()
    ids = [register[name].pk for name in ("fajar", "gita", "hadi")]
    assert client.post(url, {"employees": ids}).status_code == 302
    assert client.post(url, {"employees": ids}).status_code == 302  # a double submit adds nothing
    assert Pledge.objects.filter(signature_kind="ceremony").count() == 3


def test_a_ceremony_refuses_asn_of_another_regency(client, pemda_beltim, register, election):
    client.force_login(pemda_beltim)
    url = client.post(reverse("prevention:ceremony_new"), {
        "title": "Ikrar", "election": election.pk, "held_on": "2024-10-07", "place": "Manggar"})["Location"]
    assert client.post(url, {"employees": [register["indra"].pk]}).status_code == 400
    assert not Pledge.objects.exists()


def test_staff_make_a_banner_and_download_its_pdf_and_png(client, pemda_beltim, staff_bangka, agencies, election):
    client.force_login(pemda_beltim)
    response = client.post(reverse("prevention:banners"), {
        "unit": agencies["dinkes_beltim"].pk, "election": election.pk, "head_name": "dr. Budi",
        "head_position": "Kepala Dinas", "leaders": "Burhanudin; Bupati"})
    assert response.status_code == 302
    banner = Banner.objects.get()
    pdf = client.get(reverse("prevention:banner_file", args=[banner.pk, "pdf"]))
    png = client.get(reverse("prevention:banner_file", args=[banner.pk, "png"]))
    assert pdf.content.startswith(b"%PDF") and png.content.startswith(b"\x89PNG")
    assert client.get(reverse("prevention:banner_file", args=[banner.pk, "exe"])).status_code == 404
    client.force_login(staff_bangka)
    assert client.get(reverse("prevention:banner_file", args=[banner.pk, "png"])).status_code == 404


def test_staff_add_a_library_item_with_a_file(client, pemda_beltim):
    client.force_login(pemda_beltim)
    image = SimpleUploadedFile("infografis.jpg", jpeg_bytes(size=(200, 200)))
    response = client.post(reverse("prevention:materials"), {
        "title": "Infografis larangan ASN", "kind": "infographic", "file": image, "published": "on"})
    assert response.status_code == 302
    from prevention.models import Material

    material = Material.objects.get()
    served = client.get(reverse("prevention:library_file", args=[material.pk]))
    assert served.status_code == 200
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as picture:
        assert not picture.getexif().get_ifd(0x8825)


def test_a_library_item_needs_a_link_or_a_file(client, pemda_beltim):
    client.force_login(pemda_beltim)
    response = client.post(reverse("prevention:materials"), {"title": "Kosong", "kind": "other"})
    assert response.status_code == 400 and 'value="Kosong"' in response.content.decode()
