"""Register import and export through the services, on the real database (SQLite or PostgreSQL)."""

import csv
import gc
import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from audit.models import AuditEntry
from registry.factories import EmployeeFactory
from registry.importing import EXPORT_HEADERS, FIELDS
from registry.models import Employee, EmployeeChange, ExchangeLog, ImportJob, ImportRow
from registry.services import preview
from registry.services.export import register_export
from registry.services.import_jobs import import_job_commit, import_job_create, import_job_preview
from registry.services.preview import BATCH_SIZE, RowStager, import_job_from_rows
from registry.tests.conftest import HEADERS, csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db

ANI = "198503152010012002"  # PNS, born 15 March 1985, female
BUDI = "197908212005011003"  # PNS, born 21 August 1979, male
CITRA = "199012312021012001"  # PPPK, born 31 December 1990, female


def row(nip, name, *, born="", gender="", kind="PNS", rank="Penata (III/c)", position="Analis",
        unit="Dinas Kesehatan", status="Aktif", place="Manggar"):
    return [nip, name, place, born, gender, kind, rank, position, unit, status]


def run(captured, user, agency, upload, *, full_export=False, commit=True):
    """Upload, preview with the detected mapping and (optionally) commit, as a staff member does."""
    job = import_job_create(actor=user, agency=agency, upload=upload)
    with captured(execute=True):
        import_job_preview(job=job, actor=user, mapping=job.mapping)
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEWED, job.error
    if commit:
        with captured(execute=True):
            import_job_commit(job=job, actor=user, full_export=full_export)
        job.refresh_from_db()
    return job


@pytest.fixture
def first_file():
    return csv_upload([
        row(ANI, "Dr. Ani Lestari, M.Kes.", born="15-03-1985", gender="P"),
        row(BUDI, "H. Budi Santoso, S.E.", born="1979-08-21", gender="L", unit="KECAMATAN  manggar"),
        row(CITRA, "Citra Dewi", kind="PPPK", rank="Golongan IX", unit="Dinkes"),
        row("", "Dedi Kontrak", born="12 Mei 1980", gender="L", kind="Honorer", rank="", unit=""),
    ])


def test_upload_detects_the_header_and_columns(pemda_beltim, agencies, first_file):
    job = import_job_create(actor=pemda_beltim, agency=agencies["beltim"], upload=first_file)
    assert job.headers == HEADERS
    assert job.mapping == list(FIELDS)
    assert job.delimiter == ";"
    assert job.state == ImportJob.State.MAPPING
    assert len(job.sha256) == 64
    assert AuditEntry.objects.filter(action="registry.import_uploaded", target_id=str(job.pk)).exists()


def test_an_unreadable_upload_leaves_no_job_and_no_file(pemda_beltim, agencies, settings):
    upload = SimpleUploadedFile("pegawai.xlsx", b"this is no workbook")
    with pytest.raises(ValidationError):
        import_job_create(actor=pemda_beltim, agency=agencies["beltim"], upload=upload)
    assert not ImportJob.objects.exists()
    assert not [path for path in settings.MEDIA_ROOT.glob("**/*") if path.is_file()]


def test_an_upload_of_another_format_is_refused(pemda_beltim, agencies):
    with pytest.raises(ValidationError):
        import_job_create(actor=pemda_beltim, agency=agencies["beltim"],
                          upload=SimpleUploadedFile("pegawai.pdf", b"%PDF"))


def test_pemda_staff_cannot_import_for_another_agency(pemda_bangka, agencies, first_file):
    with pytest.raises(PermissionDenied):
        import_job_create(actor=pemda_bangka, agency=agencies["beltim"], upload=first_file)


def test_bawaslu_staff_cannot_import(staff_beltim, agencies, first_file):
    with pytest.raises(PermissionDenied):
        import_job_create(actor=staff_beltim, agency=agencies["beltim"], upload=first_file)


def test_a_first_import_adds_everyone_with_history_log_and_one_audit_entry(
        django_capture_on_commit_callbacks, pemda_beltim, agencies, first_file):
    job = run(django_capture_on_commit_callbacks, pemda_beltim, agencies["beltim"], first_file)
    assert job.state == ImportJob.State.COMMITTED, job.error
    assert (job.rows_total, job.rows_new, job.rows_invalid) == (4, 4, 0)
    ani = Employee.objects.get(nip=ANI)
    assert ani.name == "Dr. Ani Lestari, M.Kes." and ani.name_plain == "Ani Lestari"
    assert ani.birth_date == date(1985, 3, 15) and ani.gender == "F" and ani.birth_place == "Manggar"
    assert ani.unit == agencies["dinkes_beltim"] and ani.agency == agencies["beltim"]
    assert Employee.objects.get(nip=BUDI).unit == agencies["camat_manggar"]  # case and spaces ignored
    assert Employee.objects.get(nip=CITRA).kind == "pppk"
    dedi = Employee.objects.get(name="Dedi Kontrak")
    assert dedi.kind == "contract" and dedi.nip is None and dedi.birth_date == date(1980, 5, 12)
    assert EmployeeChange.objects.filter(job=job, kind="created").count() == 4
    log = ExchangeLog.objects.get(job=job)
    assert (log.direction, log.dataset, log.rows, log.checksum, log.actor) == (
        "import", "asn-register", 4, job.sha256, pemda_beltim)
    [entry] = AuditEntry.objects.filter(action="registry.import_committed")
    assert entry.data["sha256"] == job.sha256 and entry.data["created"] == 4


def test_the_same_file_imported_twice_changes_nothing(django_capture_on_commit_callbacks, pemda_beltim, agencies,
                                                      first_file):
    run(django_capture_on_commit_callbacks, pemda_beltim, agencies["beltim"], first_file)
    before = list(Employee.objects.order_by("pk").values())
    first_file.seek(0)
    again = run(django_capture_on_commit_callbacks, pemda_beltim, agencies["beltim"],
                SimpleUploadedFile("lagi.csv", first_file.read()), full_export=True)
    assert (again.rows_unchanged, again.rows_new, again.rows_changed, again.rows_leaving) == (4, 0, 0, 0)
    assert list(Employee.objects.order_by("pk").values()) == before
    assert not EmployeeChange.objects.filter(job=again).exists()


def test_preview_classifies_changed_invalid_and_leaving_rows_without_writing(
        django_capture_on_commit_callbacks, pemda_beltim, agencies, dinkes_bangka):
    beltim = agencies["beltim"]
    ani = EmployeeFactory(nip=ANI, name="Ani Lestari", agency=beltim, unit=agencies["dinkes_beltim"],
                          birth_date=date(1985, 3, 15), gender="F", rank="Penata Muda (III/a)", position="Analis")
    gone = EmployeeFactory(agency=beltim, unit=agencies["dinkes_beltim"])
    foreign = EmployeeFactory(agency=agencies["bangka"], unit=dinkes_bangka)
    upload = csv_upload([
        row(ANI, "Ani Lestari", rank="Penata (III/c)", place=""),                       # changed: rank
        row("19850315201001100", "Salah Digit"),                                          # bad NIP
        row(BUDI, "Budi", born="22-08-1979"),                                             # birth date disagrees
        row(CITRA, "Citra", kind="PPPK"), row(CITRA, "Citra lagi", kind="PPPK"),           # duplicate NIP
        row("198001012005011001", "Eko", unit="Dinas Pariwisata"),                        # unknown unit
        row(foreign.nip, foreign.name),                                                   # another agency's
    ])
    job = run(django_capture_on_commit_callbacks, pemda_beltim, beltim, upload, commit=False)
    assert (job.rows_total, job.rows_changed, job.rows_invalid, job.rows_leaving, job.rows_new) == (7, 1, 6, 1, 0)
    changed = ImportRow.objects.get(job=job, status="changed")
    assert changed.changes == {"rank": ["Penata Muda (III/a)", "Penata (III/c)"]}
    reasons = {r.line: [code for code, _params in r.reasons] for r in ImportRow.objects.filter(job=job,
                                                                                              status="invalid")}
    assert reasons == {3: ["bad_nip"], 4: ["nip_birth_date"], 5: ["duplicate_nip"], 6: ["duplicate_nip"],
                       7: ["unknown_unit"], 8: ["other_agency"]}
    texts = ImportRow.objects.get(job=job, line=8).reason_texts
    assert "Pemerintah Kabupaten Bangka" in texts[0]
    assert ImportRow.objects.get(job=job, status="leaving").employee_id == gone.pk
    ani.refresh_from_db()
    assert ani.rank == "Penata Muda (III/a)"  # the preview writes nothing


def test_commit_applies_good_rows_and_sets_leaving_inactive_only_for_a_full_export(
        django_capture_on_commit_callbacks, pemda_beltim, agencies):
    beltim = agencies["beltim"]
    EmployeeFactory(nip=ANI, name="Ani Lestari", agency=beltim, unit=agencies["dinkes_beltim"], rank="Penata Muda")
    gone = EmployeeFactory(agency=beltim, unit=agencies["dinkes_beltim"], status="Aktif")
    upload = csv_upload([row(ANI, "Ani Lestari", place=""), row("19850315201001100", "Salah")])
    job = run(django_capture_on_commit_callbacks, pemda_beltim, beltim, upload, full_export=False)
    assert job.state == "committed" and job.rows_deactivated == 0
    gone.refresh_from_db()
    assert gone.active
    assert Employee.objects.get(nip=ANI).rank == "Penata (III/c)"
    assert Employee.objects.count() == 2  # the invalid row is not applied

    upload = csv_upload([row(ANI, "Ani Lestari", place="")])
    job = run(django_capture_on_commit_callbacks, pemda_beltim, beltim, upload, full_export=True)
    assert job.rows_deactivated == 1
    gone.refresh_from_db()
    assert not gone.active and gone.status == "Tidak Aktif"
    [change] = EmployeeChange.objects.filter(employee=gone)
    assert change.kind == "deactivated" and change.changes["active"] == [True, False]


def test_history_keeps_old_and_new_values(django_capture_on_commit_callbacks, pemda_beltim, agencies):
    beltim = agencies["beltim"]
    run(django_capture_on_commit_callbacks, pemda_beltim, beltim, csv_upload([row(ANI, "Ani", position="Analis")]))
    run(django_capture_on_commit_callbacks, pemda_beltim, beltim,
        csv_upload([row(ANI, "Ani", position="Kepala Seksi", unit="Kecamatan Manggar")]))
    history = list(EmployeeChange.objects.filter(employee__nip=ANI).order_by("pk"))
    assert [h.kind for h in history] == ["created", "updated"]
    assert history[1].changes == {"position": ["Analis", "Kepala Seksi"],
                                  "unit": ["Dinas Kesehatan", "Kecamatan Manggar"]}
    assert history[1].actor == pemda_beltim


def test_a_failing_commit_leaves_nothing_half_applied(django_capture_on_commit_callbacks, pemda_beltim, agencies,
                                                      dinkes_bangka):
    beltim = agencies["beltim"]
    upload = csv_upload([row(ANI, "Ani"), row(BUDI, "Budi"), row(CITRA, "Citra", kind="PPPK")])
    job = run(django_capture_on_commit_callbacks, pemda_beltim, beltim, upload, commit=False)
    # Between preview and commit another agency registers one of the numbers.
    EmployeeFactory(nip=CITRA, pppk=True, agency=agencies["bangka"], unit=dinkes_bangka)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_commit(job=job, actor=pemda_beltim, full_export=False)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and job.error
    assert not Employee.objects.filter(agency=beltim).exists()
    assert not EmployeeChange.objects.exists()
    assert not ExchangeLog.objects.exists()
    assert not AuditEntry.objects.filter(action="registry.import_committed").exists()


def test_a_preview_made_before_another_commit_is_refused(django_capture_on_commit_callbacks, pemda_beltim,
                                                         agencies):
    beltim = agencies["beltim"]
    older = run(django_capture_on_commit_callbacks, pemda_beltim, beltim, csv_upload([row(ANI, "Ani")]),
                commit=False)
    run(django_capture_on_commit_callbacks, pemda_beltim, beltim, csv_upload([row(BUDI, "Budi")]))
    with django_capture_on_commit_callbacks(execute=True):
        import_job_commit(job=older, actor=pemda_beltim, full_export=True)
    older.refresh_from_db()
    assert older.state == ImportJob.State.FAILED
    assert Employee.objects.get(nip=BUDI).active


def test_a_double_commit_click_commits_once(django_capture_on_commit_callbacks, pemda_beltim, agencies):
    job = run(django_capture_on_commit_callbacks, pemda_beltim, agencies["beltim"], csv_upload([row(ANI, "Ani")]),
              commit=False)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_commit(job=job, actor=pemda_beltim, full_export=False)
        import_job_commit(job=job, actor=pemda_beltim, full_export=False)
    assert ExchangeLog.objects.count() == 1
    assert EmployeeChange.objects.count() == 1


def test_a_mapping_without_nip_is_refused(pemda_beltim, agencies, first_file):
    # Without a kind column either: a list of contract staff alone names their kind instead (issue 19).
    job = import_job_create(actor=pemda_beltim, agency=agencies["beltim"], upload=first_file)
    with pytest.raises(ValidationError):
        import_job_preview(job=job, actor=pemda_beltim,
                           mapping=["" if name in {"nip", "kind"} else name for name in job.mapping])


def test_unknown_headers_are_mapped_by_hand(django_capture_on_commit_callbacks, pemda_beltim, agencies):
    upload = csv_upload([[ANI, "Ani", "Dinkes"]], headers=["Nomor Pegawai", "Nama", "Bidang"])
    job = import_job_create(actor=pemda_beltim, agency=agencies["beltim"], upload=upload)
    assert job.mapping == ["", "name", ""]
    with django_capture_on_commit_callbacks(execute=True):
        import_job_preview(job=job, actor=pemda_beltim, mapping=["nip", "name", "unit"])
    job.refresh_from_db()
    assert job.rows_new == 1


def test_windows_1252_file_is_read_with_a_note(django_capture_on_commit_callbacks, pemda_beltim, agencies):
    upload = csv_upload([row(ANI, "Ani Andr\u00e9")], encoding="cp1252", delimiter=",")
    job = run(django_capture_on_commit_callbacks, pemda_beltim, agencies["beltim"], upload)
    assert job.fallback_lines == 1
    assert Employee.objects.get(nip=ANI).name == "Ani Andr\u00e9"


def test_xlsx_import_with_excel_dates(django_capture_on_commit_callbacks, pemda_beltim, agencies):
    upload = xlsx_upload([row(ANI, "Ani", born=date(1985, 3, 15)), row(BUDI, "Budi", born=date(1979, 8, 21))])
    job = run(django_capture_on_commit_callbacks, pemda_beltim, agencies["beltim"], upload)
    assert job.rows_new == 2 and job.state == "committed"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(django_capture_on_commit_callbacks, pemda_beltim, agencies, file_format):
    beltim = agencies["beltim"]
    EmployeeFactory.create_batch(3, agency=beltim, unit=agencies["dinkes_beltim"])
    EmployeeFactory(agency=beltim, unit=agencies["camat_manggar"], pppk=True, name="Dr. Hj. Siti, M.Pd.")
    EmployeeFactory(agency=beltim, unit=None, contract=True)
    EmployeeFactory(agency=beltim, unit=agencies["camat_manggar"], active=False)
    out, count, digest = register_export(actor=pemda_beltim, agency=beltim, file_format=file_format)
    content = out.read()
    out.close()
    assert count == 6
    upload = SimpleUploadedFile(f"ekspor.{file_format}", content)
    job = run(django_capture_on_commit_callbacks, pemda_beltim, beltim, upload, full_export=True)
    assert (job.rows_unchanged, job.rows_new, job.rows_changed, job.rows_invalid, job.rows_leaving) == (
        6, 0, 0, 0, 0), list(ImportRow.objects.filter(job=job).values("status", "changes", "reasons"))
    logs = list(ExchangeLog.objects.order_by("pk").values_list("direction", "rows", "checksum", "format"))
    assert logs == [("export", 6, digest, file_format), ("import", 6, job.sha256, file_format)]


def test_export_has_the_import_headers(pemda_beltim, agencies):
    EmployeeFactory(agency=agencies["beltim"], unit=agencies["dinkes_beltim"])
    out, _count, _digest = register_export(actor=pemda_beltim, agency=agencies["beltim"],
                                           file_format="csv")
    lines = list(csv.reader(io.StringIO(out.read().decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == [EXPORT_HEADERS[name] for name in FIELDS]
    out, _count, _digest = register_export(actor=pemda_beltim, agency=agencies["beltim"],
                                           file_format="xlsx")
    sheet = load_workbook(out, read_only=True).worksheets[0]
    assert list(next(sheet.iter_rows(values_only=True))) == lines[0]


def test_pemda_staff_cannot_export_another_agency(pemda_bangka, agencies):
    with pytest.raises(PermissionDenied):
        register_export(actor=pemda_bangka, agency=agencies["beltim"], file_format="csv")


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_an_enqueued_preview(pemda_beltim, agencies, settings, first_file):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    job = import_job_create(actor=pemda_beltim, agency=agencies["beltim"], upload=first_file)
    import_job_preview(job=job, actor=pemda_beltim, mapping=job.mapping)
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEW_QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEWED and job.rows_new == 4


def test_rows_sent_by_a_system_go_through_the_same_preview_and_commit(django_capture_on_commit_callbacks,
                                                                       pemda_beltim, agencies):
    from registry.selectors import exchange_count

    rows = [{"nip": ANI, "name": "Ani", "unit": "Dinkes"}, {"nip": "123", "name": "Salah"}]
    job = import_job_from_rows(actor=pemda_beltim, agency=agencies["beltim"], rows=rows,
                               partner="SIMPEG BKPSDM Belitung Timur")
    assert (job.state, job.rows_new, job.rows_invalid) == ("previewed", 1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_commit(job=job, actor=pemda_beltim, full_export=False)
    log = ExchangeLog.objects.get()
    assert (log.channel, log.partner, log.rows, log.format) == ("api", "SIMPEG BKPSDM Belitung Timur", 2, "json")
    assert Employee.objects.get(nip=ANI).unit == agencies["dinkes_beltim"]
    assert exchange_count(dataset="asn-register", direction="import", agency=agencies["beltim"]) == 1


def test_rows_sent_by_a_system_have_no_columns_to_map_again(pemda_beltim, agencies):
    job = import_job_from_rows(actor=pemda_beltim, agency=agencies["beltim"],
                               rows=[{"nip": ANI, "name": "Ani"}], partner="SIMPEG")
    with pytest.raises(ValidationError):
        import_job_preview(job=job, actor=pemda_beltim, mapping=list(job.headers))
    job.refresh_from_db()
    assert job.state == "previewed"


# --- The preview's fast paths give the same rows ------------------------------------------

STAGED_FIELDS = ("line", "status", "kind", "nip", "name", "name_plain", "birth_place", "birth_date", "gender", "rank",
                 "position", "unit_id", "unit_name", "status_text", "active", "employee_id", "changes", "reasons",
                 "raw")


@pytest.mark.parametrize("batch_size", [1, 2, 3])
def test_rows_staged_over_many_batches_are_classified_as_in_one(
        monkeypatch, django_capture_on_commit_callbacks, pemda_beltim, agencies, dinkes_bangka, batch_size):
    # PostgreSQL runs each batch's lookup and COPY in a second thread, behind the next batch's cleaning.
    beltim = agencies["beltim"]
    EmployeeFactory(nip=ANI, name="Ani Lestari", agency=beltim, unit=agencies["dinkes_beltim"],
                    birth_date=date(1985, 3, 15), gender="F", rank="Penata Muda (III/a)", position="Analis")
    EmployeeFactory(nip=BUDI, name="Budi", agency=beltim, unit=agencies["dinkes_beltim"], birth_place="Manggar",
                    birth_date=date(1979, 8, 21), gender="M", rank="Penata (III/c)", position="Analis",
                    status="Aktif")
    EmployeeFactory(agency=beltim, unit=agencies["dinkes_beltim"])  # leaving
    EmployeeFactory(agency=beltim, unit=None, contract=True, name="Dedi Kontrak", birth_date=date(1980, 5, 12))
    foreign = EmployeeFactory(agency=agencies["bangka"], unit=dinkes_bangka)
    content = csv_upload([
        row(ANI, "Ani Lestari", rank="Penata (III/c)", place=""),                      # changed
        row(BUDI, "Budi"),                                                               # unchanged
        row("19850315201001100", "Salah Digit"),                                         # bad NIP
        row(CITRA, "Citra", kind="PPPK"), row(CITRA, "Citra lagi", kind="PPPK"),          # duplicate, in two batches
        row("198001012005011001", "Eko", unit="Dinas Pariwisata"),                       # unknown unit
        row(foreign.nip, foreign.name),                                                  # another agency's
        row("", "Dedi Kontrak", born="12 Mei 1980", kind="Honorer", rank="", unit=""),   # contract, matched
        row("197001012000011001", "Fajar", unit="Dinkes"),                               # new
    ]).read()

    def staged(size):
        monkeypatch.setattr(preview, "BATCH_SIZE", size)
        job = run(django_capture_on_commit_callbacks, pemda_beltim, beltim, SimpleUploadedFile("p.csv", content),
                  commit=False)
        rows = ImportRow.objects.filter(job=job).order_by("line", "employee_id").values_list(*STAGED_FIELDS)
        counts = (job.rows_new, job.rows_changed, job.rows_unchanged, job.rows_invalid, job.rows_leaving)
        return counts, list(rows)

    assert staged(batch_size) == staged(5000)
    counts, rows = staged(batch_size)
    assert counts == (1, 2, 1, 5, 1)
    [dedi] = [values for values in rows if values[4] == "Dedi Kontrak"]  # matched by plain name and birth date
    assert dedi[1] == "changed" and dedi[15] is not None


def test_a_number_with_quotes_and_commas_is_looked_up_as_written(django_capture_on_commit_callbacks, pemda_beltim,
                                                                  agencies, dinkes_bangka):
    # The lookup sends the batch's numbers as one array literal (PostgreSQL) or JSON (SQLite).
    odd = 'A"1,{2}\\3'
    foreign = EmployeeFactory(agency=agencies["bangka"], unit=dinkes_bangka)
    Employee.objects.filter(pk=foreign.pk).update(nip=odd)  # no form would take it; the database does
    job = run(django_capture_on_commit_callbacks, pemda_beltim, agencies["beltim"], csv_upload([row(odd, "Aneh")]),
              commit=False)
    [staged] = ImportRow.objects.filter(job=job)
    assert staged.nip == odd
    assert [code for code, _params in staged.reasons] == ["bad_nip", "other_agency"]


def test_the_preview_gives_python_objects_back_to_the_cycle_collector(
        django_capture_on_commit_callbacks, pemda_beltim, agencies, first_file):
    before = gc.get_freeze_count()
    run(django_capture_on_commit_callbacks, pemda_beltim, agencies["beltim"], first_file, commit=False)
    assert gc.get_freeze_count() == before


def test_a_database_error_while_staging_stops_the_stage(pemda_beltim, agencies):
    # Line numbers are never negative (a CHECK constraint): here the COPY or INSERT fails in the
    # second batch, and the first batch's lookup and COPY ran in the worker thread on PostgreSQL.
    job = ImportJob.objects.create(agency=agencies["beltim"], created_by=pemda_beltim, original_name="x",
                                   sha256="0" * 64, format=ImportJob.Format.ROWS)
    stager = RowStager(job)
    before = gc.get_freeze_count()
    rows = [(1, {"nip": ANI, "name": "Ani"})] * BATCH_SIZE + [(-1, {"nip": BUDI, "name": "Budi"})]
    with pytest.raises(Exception, match="line"):
        stager.stage(rows)
    assert gc.get_freeze_count() == before
