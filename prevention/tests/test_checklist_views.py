"""The unit checklist's pages: a unit head's own page and form, the province's table and its export."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from organizations.models import Unit
from prevention import checklist
from prevention.models import ChecklistItem
from reports.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db

PROGRESS = reverse("prevention:checklist_progress")
EXPORT = reverse("prevention:checklist_progress_xlsx")


def unit_url(unit):
    return reverse("prevention:checklist_unit", args=[unit.pk])


def record_url(unit, item):
    return reverse("prevention:checklist_record", args=[unit.pk, item])


@pytest.fixture
def dinkes(agencies):
    return agencies["dinkes_beltim"]


def test_a_unit_head_lands_on_its_own_unit_s_checklist(client, unit_head_dinkes, dinkes, election):
    client.force_login(unit_head_dinkes)
    assert client.get(reverse("accounts:home"), follow=True).redirect_chain[-1][0] == unit_url(dinkes)
    page = client.get(unit_url(dinkes)).content.decode()
    assert 'id="save-banner"' in page and "Dinas Kesehatan" in page


def test_a_unit_head_sees_no_other_unit_nor_the_province_table(client, unit_head_dinkes, agencies):
    client.force_login(unit_head_dinkes)
    assert client.get(unit_url(agencies["camat_manggar"])).status_code == 404
    assert client.get(PROGRESS).status_code == 403
    assert client.post(EXPORT).status_code == 403
    assert client.get(reverse("followup:list")).status_code == 403


def test_the_banner_is_marked_put_up_with_a_photo_from_the_form(client, unit_head_dinkes, dinkes, election):
    client.force_login(unit_head_dinkes)
    response = client.post(record_url(dinkes, "banner"), {
        "banner-election": election.pk, "banner-done": "on", "banner-done_on": "2024-11-14",
        "banner-place": "Depan kantor", "banner-photo": SimpleUploadedFile("spanduk.jpg", jpeg_bytes()),
    })
    assert response.status_code == 302 and response["Location"].endswith("#item-banner")
    record = ChecklistItem.objects.get(checklist__unit=dinkes, checklist__election=election, item="banner")
    assert record.done and record.place == "Depan kantor" and record.photos.count() == 1
    photo = record.photos.get()
    image = client.get(reverse("prevention:checklist_photo", args=[dinkes.pk, photo.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


def test_a_refused_form_keeps_what_was_typed_and_says_what_is_missing(client, unit_head_dinkes, dinkes, election):
    client.force_login(unit_head_dinkes)
    response = client.post(record_url(dinkes, "video"), {
        "video-election": election.pk, "video-done": "on", "video-done_on": "2024-11-15",
        "video-place": "Videotron lobi dinas", "video-note": "Diputar tiap pagi",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Videotron lobi dinas"' in page and "Diputar tiap pagi" in page and 'value="2024-11-15"' in page
    assert 'aria-invalid="true"' in page and "errorlist" in page
    assert not ChecklistItem.objects.exists()


def test_bawaslu_reads_the_unit_but_cannot_record(client, staff_babel, unit_head_dinkes, dinkes, election):
    checklist.checklist_item_record(actor=unit_head_dinkes, unit=dinkes, election=election, item="video",
                                    done=True, done_on=date(2024, 11, 15), channel="videotron", place="Lobi")
    client.force_login(staff_babel)
    page = client.get(unit_url(dinkes)).content.decode()
    assert "Lobi" in page and "save-video" not in page
    assert client.post(record_url(dinkes, "video"), {"video-election": election.pk}).status_code == 403


def test_another_regency_s_staff_cannot_see_the_unit_nor_its_photos(client, staff_bangka, pemda_beltim,
                                                                      unit_head_dinkes, dinkes, election):
    record = checklist.checklist_item_record(
        actor=unit_head_dinkes, unit=dinkes, election=election, item="banner", done=True,
        done_on=date(2024, 11, 14), photo=SimpleUploadedFile("s.jpg", jpeg_bytes()))
    photo_url = reverse("prevention:checklist_photo", args=[dinkes.pk, record.photos.get().pk])
    client.force_login(staff_bangka)
    assert client.get(unit_url(dinkes)).status_code == 404
    assert client.get(photo_url).status_code == 404
    assert "Dinas Kesehatan" not in client.get(PROGRESS).content.decode()
    client.force_login(pemda_beltim)
    assert client.get(photo_url).status_code == 200


def test_the_progress_table_shows_each_unit_s_items_and_filters_by_agency(client, staff_babel, register,
                                                                          unit_head_dinkes, dinkes, agencies,
                                                                          election):
    checklist.checklist_item_record(actor=unit_head_dinkes, unit=dinkes, election=election, item="banner",
                                    done=True, done_on=date(2024, 11, 14),
                                    photo=SimpleUploadedFile("s.jpg", jpeg_bytes()))
    client.force_login(staff_babel)
    page = client.get(PROGRESS, {"election": election.pk}).content.decode()
    row = page[page.index(f'id="unit-{dinkes.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "1 / 3" in row and "0 / 4" in row
    assert "Dinas Pendidikan Bangka" in page
    only_bangka = client.get(PROGRESS, {"election": election.pk, "agency": agencies["bangka"].pk}).content.decode()
    assert "Dinas Pendidikan Bangka" in only_bangka and f'id="unit-{dinkes.pk}"' not in only_bangka


def test_the_progress_table_costs_the_same_queries_for_three_units_and_thirty(client, pemda_beltim, register,
                                                                              agencies, election,
                                                                              django_assert_max_num_queries):
    client.force_login(pemda_beltim)
    with django_assert_max_num_queries(24) as few:
        assert client.get(PROGRESS, {"election": election.pk}).status_code == 200
    Unit.objects.bulk_create([Unit(agency=agencies["beltim"], name=f"Kecamatan {n:02d}") for n in range(28)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(PROGRESS, {"election": election.pk}).content.decode()
    assert "Kecamatan 00" in page and 'class="pagination"' in page  # 30 units: two pages


def test_the_excel_export_has_every_unit_with_its_items_and_pledges(client, pemda_beltim, register, unit_head_dinkes,
                                                                   dinkes, election, settings,
                                                                   django_capture_on_commit_callbacks):
    from prevention import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    services.pledge_sign(employee=register["ani"], election=election, typed_name=register["ani"].name)
    checklist.checklist_item_record(actor=unit_head_dinkes, unit=dinkes, election=election, item="video",
                                    done=True, done_on=date(2024, 11, 15), channel="videotron", place="=Lobi")
    client.force_login(pemda_beltim)
    with django_capture_on_commit_callbacks(execute=True):  # built in the background (exports), here at once
        job_url = client.post(f"{EXPORT}?election={election.pk}")["Location"]
    job_page = client.get(job_url)
    assert 'id="export-download"' in job_page.content.decode()
    response = client.get(reverse("exports:download", args=[job_page.context["job"].pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    by_unit = {row[0]: row for row in rows if row and row[0] in ("Dinas Kesehatan", "Kecamatan Manggar")}
    dinkes_row = by_unit["Dinas Kesehatan"]
    assert dinkes_row[1] == "Pemerintah Kabupaten Belitung Timur"
    assert dinkes_row[4] in ("Ya", "Yes") and dinkes_row[5].date() == date(2024, 11, 15)
    assert dinkes_row[-3:] == (1, 4, 25.0)
    assert set(by_unit) == {"Dinas Kesehatan", "Kecamatan Manggar"}  # Bangka's unit is not Pemda Beltim's


def test_the_form_records_for_the_election_it_names(client, unit_head_dinkes, dinkes, election):
    client.force_login(unit_head_dinkes)
    response = client.post(record_url(dinkes, "video"), {
        "video-election": "pemilu-2024", "video-done": "on", "video-done_on": "2024-02-01",
        "video-channel": "live_podcast", "video-place": "Podcast Dinkes",
    })
    assert response.status_code == 302 and "election=pemilu-2024" in response["Location"]
    assert ChecklistItem.objects.get().checklist.election_id == "pemilu-2024"
    page = client.get(unit_url(dinkes), {"election": election.pk}).content.decode()
    assert "Podcast Dinkes" not in page  # another election's checklist


def test_a_province_s_pledge_totals_come_from_the_stored_coverage_and_say_as_of_when(client, staff_babel,
                                                                                     staff_beltim, register,
                                                                                     election):
    """A province's or the country's units hold up to millions of employees: their pledges are summed from the
    stored coverage (prevention.coverage), the same figures as of its last refresh; a regency counts live."""
    from prevention import services
    from prevention.coverage import pledge_coverage_rebuild

    services.pledge_sign(employee=register["ani"], election=election, typed_name=register["ani"].name)
    units = checklist.progress_units(staff_babel)
    live = checklist.progress_totals(units, election=election)
    stored = checklist.progress_totals(units, election=election, stored=True)  # none stored yet: computed now
    assert stored.pledges == live.pledges and live.pledges.signed == 1 and stored.pledges_as_of is not None
    assert checklist.progress_pledges_stored(staff_babel) and not checklist.progress_pledges_stored(staff_beltim)
    client.force_login(staff_babel)
    page = client.get(PROGRESS, {"election": election.pk}).content.decode()
    assert 'id="pledges-as-of"' in page and "1 dari 9 pegawai" in page[page.index('id="progress-totals"'):]

    services.pledge_sign(employee=register["budi"], election=election, typed_name=register["budi"].name)
    assert checklist.progress_totals(units, election=election, stored=True).pledges.signed == 1  # until a refresh
    pledge_coverage_rebuild()
    assert checklist.progress_totals(units, election=election, stored=True).pledges == (
        checklist.progress_totals(units, election=election).pledges)
    client.force_login(staff_beltim)
    page = client.get(PROGRESS, {"election": election.pk}).content.decode()
    assert 'id="pledges-as-of"' not in page and "2 dari" in page[page.index('id="progress-totals"'):]
