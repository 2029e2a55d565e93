"""Issue 18 item 11: degrees in their own columns, and a new unit added from the preview."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from organizations.models import Unit
from registry.importing import detect_mapping
from registry.models import Employee, ImportJob, ImportRow
from registry.selectors import import_missing_units
from registry.services.export import register_export
from registry.services.import_jobs import (
    import_job_cancel,
    import_job_commit,
    import_job_create,
    import_job_preview,
    import_unit_add,
)
from registry.tests.conftest import csv_upload

pytestmark = pytest.mark.django_db

ANI = "198503152010012002"
BUDI = "197908212005011003"
HEADERS = ["NIP", "GELAR DEPAN", "NAMA", "GELAR BELAKANG", "JABATAN", "UNIT KERJA"]


def previewed(user, agency, rows, captured, *, headers=HEADERS):
    job = import_job_create(actor=user, agency=agency, upload=csv_upload(rows, headers=headers))
    with captured(execute=True):
        import_job_preview(job=job, actor=user, mapping=job.mapping)
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEWED, job.error
    return job


def committed(user, job, captured):
    with captured(execute=True):
        import_job_commit(job=job, actor=user, full_export=False)
    job.refresh_from_db()
    assert job.state == ImportJob.State.COMMITTED, job.error
    return job


@pytest.mark.parametrize("headers", [
    ["GELAR DEPAN", "GELAR BELAKANG"], ["GELAR_DEPAN", "GELAR_BELAKANG"], ["Gelar Depan", "Gelar Belakang"],
    ["GLR DEPAN", "GELAR BLK"], ["glr. depan", "Glr Blk"],
])
def test_the_title_columns_are_found_by_their_usual_headers(headers):
    assert detect_mapping(["NIP", headers[0], "Nama", headers[1]]) == ["nip", "title_prefix", "name", "title_suffix"]


def test_degrees_are_stored_apart_shown_with_the_name_and_exported_back(pemda_beltim, agencies,
                                                                         django_capture_on_commit_callbacks):
    job = previewed(pemda_beltim, agencies["beltim"], [
        [ANI, "dr.", "Siti Aminah", "S.Kom.", "Dokter Ahli Pertama", "Dinas Kesehatan"],
        [BUDI, "-", "Budi Santoso", "S.E.,M.Si.", "Kepala Seksi Umum", "Dinas Kesehatan"],
    ], django_capture_on_commit_callbacks)
    assert job.rows_new == 2 and job.rows_invalid == 0
    committed(pemda_beltim, job, django_capture_on_commit_callbacks)
    siti, budi = Employee.objects.get(nip=ANI), Employee.objects.get(nip=BUDI)
    assert (siti.title_prefix, siti.name, siti.title_suffix) == ("dr.", "Siti Aminah", "S.Kom.")
    assert siti.full_name == str(siti) == "dr. Siti Aminah, S.Kom." and siti.name_plain == "Siti Aminah"
    assert budi.full_name == "Budi Santoso, S.E., M.Si."
    # The class of the position is guessed on import, for the public pages' counts.
    assert (siti.position_class, budi.position_class) == ("fungsional", "pengawas")

    out, _count, _digest = register_export(actor=pemda_beltim, agency=agencies["beltim"], file_format="csv")
    rows = list(csv.DictReader(io.StringIO(out.read().decode("utf-8-sig")), delimiter=";"))
    exported = {row["NIP"]: row for row in rows}
    assert (exported[ANI]["Gelar Depan"], exported[ANI]["Nama"], exported[ANI]["Gelar Belakang"]) == (
        "dr.", "Siti Aminah", "S.Kom.")
    assert detect_mapping(list(rows[0].keys()))[-4:] == ["title_prefix", "title_suffix", "register_number", "nik"]


def test_a_new_degree_is_a_change_and_an_unchanged_file_changes_nothing(pemda_beltim, agencies,
                                                                        django_capture_on_commit_callbacks):
    first = [[ANI, "", "Siti Aminah", "S.Kom.", "Analis", "Dinas Kesehatan"]]
    committed(pemda_beltim, previewed(pemda_beltim, agencies["beltim"], first, django_capture_on_commit_callbacks),
              django_capture_on_commit_callbacks)
    again = previewed(pemda_beltim, agencies["beltim"], first, django_capture_on_commit_callbacks)
    assert again.rows_unchanged == 1 and again.rows_changed == 0
    import_job_cancel(job=again, actor=pemda_beltim)
    job = previewed(pemda_beltim, agencies["beltim"], [[ANI, "", "Siti Aminah", "S.Kom., M.T.", "Kepala Dinas Kesehatan",
                                                        "Dinas Kesehatan"]], django_capture_on_commit_callbacks)
    changed = ImportRow.objects.get(job=job, status=ImportRow.Status.CHANGED)
    assert changed.changes["title_suffix"] == ["S.Kom.", "S.Kom., M.T."]
    committed(pemda_beltim, job, django_capture_on_commit_callbacks)
    siti = Employee.objects.get(nip=ANI)
    assert siti.full_name == "Siti Aminah, S.Kom., M.T." and siti.position_class == "jpt"


def test_a_saved_employee_keeps_its_class_in_step_with_its_title(agencies):
    from registry.factories import EmployeeFactory

    employee = EmployeeFactory(agency=agencies["beltim"], position="Guru Ahli Muda")
    assert employee.position_class == "fungsional"
    employee.position = "Camat Manggar"
    employee.save(update_fields=["position"])
    employee.refresh_from_db()
    assert employee.position_class == "administrator"
    checked = Employee(kind="contract", name="Dedi", position="Pengemudi", agency=agencies["beltim"])
    checked.clean()  # as the demo checks entries before bulk-creating them
    assert checked.position_class == "non_asn"


# --- a missing unit, added from the preview --------------------------------------------------------

@pytest.fixture
def refused_for_units(pemda_beltim, agencies, django_capture_on_commit_callbacks):
    return previewed(pemda_beltim, agencies["beltim"], [
        [ANI, "", "Siti Aminah", "", "Analis", "UPTD Puskesmas Gantung"],
        [BUDI, "", "Budi Santoso", "", "Analis", "uptd  PUSKESMAS gantung"],  # the same unit, written otherwise
        ["198001012005011001", "", "Cahya", "", "Analis", "Dinas Pariwisata"],
        ["198202022006041002", "", "Dodi", "", "Analis", "Dinas Kesehatan"],
    ], django_capture_on_commit_callbacks)


def test_the_preview_lists_each_missing_unit_once_with_its_rows(refused_for_units):
    assert refused_for_units.rows_invalid == 3
    assert import_missing_units(refused_for_units) == [("UPTD Puskesmas Gantung", 2), ("Dinas Pariwisata", 1)]


def test_adding_a_missing_unit_previews_again_and_its_rows_become_valid(pemda_beltim, agencies, refused_for_units,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        unit = import_unit_add(job=refused_for_units, actor=pemda_beltim, name="uptd puskesmas GANTUNG")
    assert unit.agency == agencies["beltim"] and unit.name == "UPTD Puskesmas Gantung"
    job = ImportJob.objects.get(pk=refused_for_units.pk)
    assert job.state == ImportJob.State.PREVIEWED and job.rows_new == 3 and job.rows_invalid == 1
    assert import_missing_units(job) == [("Dinas Pariwisata", 1)]
    entry = AuditEntry.objects.get(action="registry.unit_added")
    assert entry.target_id == str(unit.pk) and entry.data["import"] == job.pk
    assert AuditEntry.objects.filter(action="registry.import_preview_requested", target_id=str(job.pk)).count() == 2
    committed(pemda_beltim, job, django_capture_on_commit_callbacks)  # the commit stays all good rows
    assert set(Employee.objects.values_list("unit__name", flat=True)) == {"UPTD Puskesmas Gantung", "Dinas Kesehatan"}


def test_only_a_unit_the_preview_found_missing_may_be_added(pemda_beltim, refused_for_units):
    with pytest.raises(ValidationError):
        import_unit_add(job=refused_for_units, actor=pemda_beltim, name="Dinas Rahasia")
    assert not Unit.objects.filter(name="Dinas Rahasia").exists()


def test_another_agency_s_staff_cannot_add_a_unit(pemda_bangka, refused_for_units):
    with pytest.raises(PermissionDenied):
        import_unit_add(job=refused_for_units, actor=pemda_bangka, name="Dinas Pariwisata")
    assert not Unit.objects.filter(name="Dinas Pariwisata").exists()


def test_a_committed_import_adds_no_unit(pemda_beltim, refused_for_units, django_capture_on_commit_callbacks):
    committed(pemda_beltim, refused_for_units, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        import_unit_add(job=refused_for_units, actor=pemda_beltim, name="Dinas Pariwisata")


def test_the_preview_page_offers_one_button_per_missing_unit(client, pemda_beltim, refused_for_units,
                                                             django_capture_on_commit_callbacks):
    client.force_login(pemda_beltim)
    url = refused_for_units.get_absolute_url()
    page = client.get(url).content.decode()
    add = reverse("registry:import_add_unit", args=[refused_for_units.pk])
    assert page.count(f'action="{add}"') == 2 and 'value="UPTD Puskesmas Gantung"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add, {"name": "Dinas Pariwisata"})
    assert response.status_code == 302 and response["Location"] == url
    assert Unit.objects.filter(name="Dinas Pariwisata").exists()
    page = client.get(url).content.decode()
    assert page.count(f'action="{add}"') == 1


def test_the_add_unit_button_is_refused_to_other_agencies_and_roles(client, pemda_bangka, ppk_beltim,
                                                                    refused_for_units):
    add = reverse("registry:import_add_unit", args=[refused_for_units.pk])
    client.force_login(pemda_bangka)
    assert client.post(add, {"name": "Dinas Pariwisata"}).status_code == 404
    client.force_login(ppk_beltim)
    assert client.post(add, {"name": "Dinas Pariwisata"}).status_code == 403
    assert not Unit.objects.filter(name="Dinas Pariwisata").exists()
