"""The staff pages of the register exchange, through the real stack (two-factor session, templates)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.factories import EmployeeFactory
from registry.models import Employee, ExchangeLog, ImportJob, ImportRow
from registry.services.export import register_export
from registry.services.import_jobs import import_job_create, import_job_preview
from registry.tests.conftest import csv_upload

pytestmark = pytest.mark.django_db

ANI = "198503152010012002"
BUDI = "197908212005011003"


def row(nip, name, unit="Dinas Kesehatan"):
    return [nip, name, "Manggar", "", "", "PNS", "Penata", "Analis", unit, "Aktif"]


@pytest.fixture
def pemda(client, pemda_beltim):
    client.force_login(pemda_beltim)
    return client


def upload(client, content):
    return client.post(reverse("registry:upload"), {"file": content})


def test_the_whole_import_through_the_pages(pemda, agencies, django_capture_on_commit_callbacks):
    response = pemda.get(reverse("registry:home"))
    assert response.status_code == 200
    response = upload(pemda, csv_upload([row(ANI, "Ani"), row(BUDI, "Budi", unit="Dinas Antah")],
                                        headers=["NIP", "Nama", "Tempat Lahir", "Tgl Lahir", "JK", "Jenis Pegawai",
                                                 "Gol", "Jabatan", "Bidang", "Status"]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = pemda.get(job.get_absolute_url()).content.decode()
    assert 'id="mapping-form"' in page and ANI in page  # the sample shows under its column
    mapping = {f"col_{i}": name for i, name in enumerate(job.mapping)}
    mapping.update({"col_8": "unit", "encoding": "auto", "delimiter": "auto"})
    with django_capture_on_commit_callbacks(execute=True):
        response = pemda.post(reverse("registry:import_mapping", args=[job.pk]), mapping)
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.state, job.rows_new, job.rows_invalid) == ("previewed", 1, 1)
    page = pemda.get(job.get_absolute_url()).content.decode()
    assert 'id="commit-form"' in page and "Dinas Antah" in page
    # Issue 18: the full-export box says, with the count, that it deactivates everyone absent.
    leaving = pemda.get(job.get_absolute_url()).context["commit_form"]["full_export"].help_text
    assert f"the {job.rows_leaving} active employee" in leaving or f"{job.rows_leaving} pegawai aktif" in leaving
    with django_capture_on_commit_callbacks(execute=True):
        pemda.post(reverse("registry:import_commit", args=[job.pk]), {"full_export": ""})
        pemda.post(reverse("registry:import_commit", args=[job.pk]), {"full_export": ""})  # double click
    job.refresh_from_db()
    assert job.state == "committed"
    assert list(Employee.objects.values_list("nip", flat=True)) == [ANI]
    assert ExchangeLog.objects.filter(direction="import").count() == 1


def test_a_bad_upload_comes_back_with_a_message_and_leaves_nothing(pemda):
    response = upload(pemda, SimpleUploadedFile("pegawai.xlsx", b"not a workbook"))
    assert response.status_code == 400
    assert 'id="upload-form"' in response.content.decode()
    assert response.context["upload_form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_a_mapping_without_nip_is_refused_and_keeps_the_choices(pemda, pemda_beltim, agencies):
    job = import_job_create(actor=pemda_beltim, agency=agencies["beltim"],
                            upload=csv_upload([row(ANI, "Ani")]))
    mapping = {f"col_{i}": name for i, name in enumerate(job.mapping)}
    mapping.update({"col_0": "", "col_3": "birth", "col_5": "", "encoding": "auto", "delimiter": "auto"})
    response = pemda.post(reverse("registry:import_mapping", args=[job.pk]), mapping)
    assert response.status_code == 400
    form = response.context["mapping_form"]
    assert form.non_field_errors() and form["col_3"].value() == "birth"
    job.refresh_from_db()
    assert job.state == "mapping"


def test_changing_the_delimiter_reads_the_header_again(pemda, pemda_beltim, agencies):
    job = import_job_create(actor=pemda_beltim, agency=agencies["beltim"],
                            upload=csv_upload([row(ANI, "Ani")], delimiter=";"))
    response = pemda.post(reverse("registry:import_mapping", args=[job.pk]),
                          {"encoding": "auto", "delimiter": ",", "col_0": "nip"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.delimiter == "," and len(job.headers) == 1 and job.state == "mapping"


def test_the_progress_fragment_polls_while_running_and_refreshes_when_done(pemda, pemda_beltim, agencies):
    job = import_job_create(actor=pemda_beltim, agency=agencies["beltim"],
                            upload=csv_upload([row(ANI, "Ani")]))
    ImportJob.objects.filter(pk=job.pk).update(state="previewing", processed=5000, progress=40)
    url = reverse("registry:import_progress", args=[job.pk])
    fragment = pemda.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="40"' in fragment
    assert 'hx-trigger="every 1s"' in pemda.get(job.get_absolute_url()).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(state="previewed")
    response = pemda.get(url, headers={"HX-Request": "true"})
    assert response.headers["HX-Refresh"] == "true"


def test_export_downloads_the_register_and_logs_it(pemda, agencies):
    EmployeeFactory(agency=agencies["beltim"], unit=agencies["dinkes_beltim"], nip=ANI)
    response = pemda.post(reverse("registry:export"), {"format": "csv"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert content.startswith("NIP;Nama;") and ANI in content
    log = ExchangeLog.objects.get()
    assert (log.direction, log.rows, log.agency) == ("export", 1, agencies["beltim"])


def test_an_administrator_chooses_the_agency(client, admin_national, agencies):
    client.force_login(admin_national)
    response = client.post(reverse("registry:upload"), {"file": csv_upload([row(ANI, "Ani")]),
                                                        "agency": agencies["bangka"].pk})
    assert response.status_code == 302
    assert ImportJob.objects.get().agency == agencies["bangka"]


@pytest.mark.parametrize("username", ["staf.beltim", "ketua.beltim", "ppk.beltim", "bkn"])
def test_other_roles_are_refused(client, cast, username):
    client.force_login(cast[username])
    assert client.get(reverse("registry:home")).status_code == 403
    assert client.post(reverse("registry:export"), {"format": "csv"}).status_code == 403


def test_pemda_staff_of_another_agency_gets_404_on_every_page_of_an_import(client, pemda_bangka, pemda_beltim,
                                                                         agencies):
    job = import_job_create(actor=pemda_beltim, agency=agencies["beltim"],
                            upload=csv_upload([row(ANI, "Ani")]))
    client.force_login(pemda_bangka)
    for name in ("import_detail", "import_progress"):
        assert client.get(reverse(f"registry:{name}", args=[job.pk])).status_code == 404
    for name in ("import_mapping", "import_commit", "import_cancel", "import_remap"):
        assert client.post(reverse(f"registry:{name}", args=[job.pk]), {}).status_code == 404
    assert client.get(reverse("registry:import_rows", args=[job.pk, "invalid"])).status_code == 404
    assert job.file.name not in client.get(reverse("registry:home")).content.decode()
    job.refresh_from_db()
    assert job.state == "mapping"


def test_cancel_drops_the_staged_rows(pemda, pemda_beltim, agencies, django_capture_on_commit_callbacks):
    job = import_job_create(actor=pemda_beltim, agency=agencies["beltim"],
                            upload=csv_upload([row(ANI, "Ani")]))
    with django_capture_on_commit_callbacks(execute=True):
        import_job_preview(job=job, actor=pemda_beltim, mapping=job.mapping)
    assert ImportRow.objects.filter(job=job).exists()
    assert pemda.post(reverse("registry:import_cancel", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.state == "cancelled" and not ImportRow.objects.filter(job=job).exists()


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_take_as_many_queries_for_two_rows_as_for_many(pemda, pemda_beltim, agencies,
                                                           django_capture_on_commit_callbacks):
    def make_job(rows):
        job = import_job_create(actor=pemda_beltim, agency=agencies["beltim"], upload=csv_upload(rows))
        with django_capture_on_commit_callbacks(execute=True):
            import_job_preview(job=job, actor=pemda_beltim, mapping=job.mapping)
        register_export(actor=pemda_beltim, agency=agencies["beltim"], file_format="csv")[0].close()
        return job

    bad = [row(f"1985031520100120{i:02d}", f"Orang {i}", unit="Dinas Antah") for i in range(2)]
    job = make_job(bad)
    urls = [reverse("registry:home"), reverse("registry:exchange_log"),
            reverse("registry:import_rows", args=[job.pk, "invalid"]), job.get_absolute_url()]
    few = [_queries(pemda, url) for url in urls]
    for _ in range(3):
        make_job(bad)
    many_rows = [row(f"1985031520100120{i:02d}", f"Orang {i}", unit="Dinas Antah") for i in range(30)]
    job_many = make_job(many_rows)
    urls_many = urls[:2] + [reverse("registry:import_rows", args=[job_many.pk, "invalid"]),
                            job_many.get_absolute_url()]
    assert [_queries(pemda, url) for url in urls_many] == few
