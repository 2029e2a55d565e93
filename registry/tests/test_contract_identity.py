"""Issue 19: contract staff (non-ASN) have no NIP; they are known by a register number or their NIK."""

from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from registry import identity
from registry.factories import EmployeeFactory
from registry.importing import clean_row, reason_text
from registry.models import Employee, ImportRow
from registry.services.export import register_export
from registry.tests.test_admin import superuser_client  # noqa: F401 (a fixture)
from registry.tests.test_titles_and_units import committed, previewed

TODAY = date(2024, 11, 1)
SITI_NIK = "1904015503900001"  # Belitung Timur, born 15 March 1990, a woman (day + 40)
RUDI_NIK = "1904010201880002"  # born 2 January 1988, a man
HEADERS = ["NAMA", "JENIS PEGAWAI", "TANGGAL LAHIR", "NIK", "NOMOR REGISTER", "UNIT KERJA"]


# --- The pure rules (registry.identity) -----------------------------------------------------


def test_a_new_register_number_is_ten_crockford_characters_and_reads_back_however_it_is_typed():
    numbers = {identity.new_register_number() for _ in range(200)}
    assert len(numbers) == 200
    for number in numbers:
        assert identity.is_register_number(number)
        printed = identity.format_register_number(number)
        assert printed[5] == "-" and identity.clean_register_number(f" {printed.lower()} ") == number
    # Look-alike letters are read as Crockford does: O as 0, I and L as 1.
    assert identity.normalize_register_number("o1ilo-ABCDE") == "01110ABCDE"


@pytest.mark.parametrize(
    ("nik", "parts"),
    [
        pytest.param(SITI_NIK, ("190401", 15, 3, 90, "F"), id="woman-day-plus-40"),
        pytest.param("1904 0102 0188 0002", ("190401", 2, 1, 88, "M"), id="grouped"),
        pytest.param("3171012902000003", ("317101", 29, 2, 0, "M"), id="29-february-2000"),
    ],
)
def test_a_nik_is_read_by_its_layout(nik, parts):
    found = identity.parse_nik(nik)
    assert (found.region, found.day, found.month, found.year, found.gender) == parts


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        pytest.param("190401550390001", "A NIK has exactly 16 digits.", id="15-digits"),
        pytest.param("19040155039000a1", "A NIK has exactly 16 digits.", id="a-letter"),
        pytest.param(
            "0904015503900001",
            "The first two digits of a NIK are a province code (11 to 99).",
            id="no-province",
        ),
        pytest.param(
            "1904013503900001",
            "Digits 7 to 12 of a NIK must be a birth date (DDMMYY, 40 added to the day for a woman).",
            id="day-35",
        ),
        pytest.param(
            "1904011513900001",
            "Digits 7 to 12 of a NIK must be a birth date (DDMMYY, 40 added to the day for a woman).",
            id="month-13",
        ),
        pytest.param(
            "1904015503900000", "The last four digits of a NIK are a sequence from 0001.", id="sequence-0"
        ),
    ],
)
def test_what_cannot_be_a_nik_is_refused_with_its_reason(nik, message):
    with translation.override("en"):
        with pytest.raises(identity.IdentityError) as raised:
            identity.parse_nik(nik)
        assert str(raised.value.message) == message


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        pytest.param("19850315 201001 1 002", ("nip", "198503152010011002"), id="nip"),
        pytest.param("1904.0155.0390.0001", ("nik", SITI_NIK), id="nik"),
        pytest.param("7kq2m-xw4p9", ("register_number", "7KQ2MXW4P9"), id="register-number"),
        pytest.param("12345", None, id="too-short"),
        pytest.param("7KQ2M-XW4P9U1", None, id="too-long"),
    ],
)
def test_the_identity_typed_is_told_apart_by_its_shape(typed, found):
    assert identity.identity_kind(typed) == found


def test_the_nik_hash_is_keyed_and_the_nik_is_shown_masked():
    assert identity.nik_digest(SITI_NIK, "one secret") != identity.nik_digest(SITI_NIK, "another secret")
    assert identity.nik_digest("1904 0155 0390 0001", "s") == identity.nik_digest(SITI_NIK, "s")
    assert identity.mask_nik(SITI_NIK) == "••••••••••••0001"


# --- The register entry ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_contract_employee_gets_a_register_number_and_the_nik_is_encrypted_and_hashed(agencies):
    siti = EmployeeFactory(
        contract=True,
        name="Siti Rahma",
        agency=agencies["beltim"],
        nik=SITI_NIK,
        birth_date=date(1990, 3, 15),
    )
    pns = EmployeeFactory(agency=agencies["beltim"])
    assert identity.is_register_number(siti.register_number) and pns.register_number is None
    assert siti.nik_hash == identity.nik_digest(SITI_NIK, settings.SECRET_KEY)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nik FROM {Employee._meta.db_table} WHERE id = %s", [siti.pk])
        stored = cursor.fetchone()[0]
    assert SITI_NIK not in stored
    number = siti.register_number
    siti.name = "Siti Rahmawati"
    siti.save()
    siti.refresh_from_db()
    assert siti.register_number == number  # stable
    assert siti.identity_display == identity.format_register_number(number)
    assert siti.nik_masked == "••••••••••••0001"


@pytest.mark.django_db
def test_a_nik_that_disagrees_with_the_birth_date_is_refused(agencies):
    employee = EmployeeFactory.build(
        contract=True, agency=agencies["beltim"], nik=SITI_NIK, birth_date=date(1991, 3, 15)
    )
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        employee.full_clean()
    assert "NIK" in str(raised.value.message_dict["nik"])


# --- The import -------------------------------------------------------------------------------


def test_a_contract_row_needs_a_birth_date_and_says_why():
    row = clean_row({"name": "Rudi", "kind": "Non ASN"}, today=TODAY)
    assert row.reasons == [["contract_missing_birth_date", {}]]
    with translation.override("en"):  # Indonesian once the lead merges the catalogue (i18n_tests check it)
        assert reason_text(*row.reasons[0]) == (
            "Contract staff need a birth date: with it and their register number or NIK they check in at "
            "socialisation events and sign the pledge."
        )
    unreadable = clean_row({"name": "Rudi", "kind": "Non ASN", "birth_date": "kemarin"}, today=TODAY)
    assert [code for code, _params in unreadable.reasons] == ["bad_date"]  # said once


def test_a_contract_row_takes_its_nik_from_its_own_column_or_from_a_nip_nik_column():
    own = clean_row(
        {"name": "Siti", "kind": "Honorer", "birth_date": "15-03-1990", "nik": SITI_NIK}, today=TODAY
    )
    shared = clean_row({"name": "Siti", "birth_date": "15-03-1990", "nip": SITI_NIK}, today=TODAY)
    for row in (own, shared):
        assert row.valid, row.reasons
        assert (row.data["kind"], row.data["nip"], row.data["nik"], row.data["gender"]) == (
            "contract",
            None,
            SITI_NIK,
            "F",
        )
    pns = clean_row({"name": "Budi", "nip": "198503152010011002", "nik": SITI_NIK}, today=TODAY)
    assert pns.valid and pns.data["nik"] is None  # an ASN is known by the NIP


def test_a_bad_nik_is_explained_without_repeating_the_number():
    row = clean_row(
        {"name": "Siti", "kind": "kontrak", "birth_date": "15-03-1990", "nik": "1904013503900001"},
        today=TODAY,
    )
    assert row.reasons == [["bad_nik", {"problem": "birth_date"}]]  # what is wrong, not the number
    with translation.override("en"):
        assert reason_text(*row.reasons[0]) == (
            "Invalid NIK: Digits 7 to 12 of a NIK must be a birth date "
            "(DDMMYY, 40 added to the day for a woman)."
        )
    wrong_date = clean_row(
        {"name": "Siti", "kind": "kontrak", "birth_date": "16-03-1990", "nik": SITI_NIK}, today=TODAY
    )
    assert wrong_date.reasons == [["nik_birth_date", {"birth_date": "1990-03-16"}]]


@pytest.mark.django_db
def test_an_import_creates_contract_staff_with_a_register_number_and_an_encrypted_nik(
    pemda_beltim, agencies, django_capture_on_commit_callbacks
):
    rows = [
        ["Siti Rahma", "Non ASN", "15-03-1990", SITI_NIK, "", "Dinas Kesehatan"],
        ["Rudi Hartono", "Tenaga Kontrak", "02-01-1988", "", "", "Dinas Kesehatan"],
        ["Tanpa Tanggal", "Honorer", "", "", "", "Dinas Kesehatan"],
        ["Nik Salah", "Honorer", "01-01-1990", "1904019999900001", "", "Dinas Kesehatan"],
    ]
    job = previewed(
        pemda_beltim, agencies["beltim"], rows, django_capture_on_commit_callbacks, headers=HEADERS
    )
    assert (job.rows_new, job.rows_invalid) == (2, 2)
    invalid = {row.name: row for row in ImportRow.objects.filter(job=job, status=ImportRow.Status.INVALID)}
    assert invalid["Tanpa Tanggal"].reasons == [["contract_missing_birth_date", {}]]
    assert "1904019999900001" not in str(invalid["Nik Salah"].raw)  # the file's values are kept masked
    assert invalid["Nik Salah"].raw["nik"] == "••••••••••••0001"
    staged = ImportRow.objects.get(job=job, name="Siti Rahma")
    assert staged.nik == SITI_NIK and staged.nik_hash == identity.nik_digest(SITI_NIK, settings.SECRET_KEY)
    committed(pemda_beltim, job, django_capture_on_commit_callbacks)
    siti, rudi = Employee.objects.get(name="Siti Rahma"), Employee.objects.get(name="Rudi Hartono")
    assert siti.kind == rudi.kind == "contract" and siti.nip is None
    assert siti.nik == SITI_NIK and siti.nik_hash == identity.nik_digest(SITI_NIK, settings.SECRET_KEY)
    assert rudi.nik is None and rudi.nik_hash is None
    assert identity.is_register_number(siti.register_number) and siti.register_number != rudi.register_number


@pytest.mark.django_db
def test_the_register_number_round_trips_through_the_export_and_matches_the_person(
    pemda_beltim, agencies, django_capture_on_commit_callbacks
):
    import csv
    import io

    rudi = EmployeeFactory(
        contract=True,
        name="Rudi Hartono",
        agency=agencies["beltim"],
        birth_date=date(1988, 1, 2),
        unit=agencies["dinkes_beltim"],
    )
    out, _count, _digest = register_export(actor=pemda_beltim, agency=agencies["beltim"], file_format="csv")
    exported = list(csv.DictReader(io.StringIO(out.read().decode("utf-8-sig")), delimiter=";"))
    row = next(row for row in exported if row["Nama"] == "Rudi Hartono")
    assert row["Nomor Register"] == identity.format_register_number(rudi.register_number)
    assert row["NIK"] == ""  # never written out
    # The agency renames him and fills in his NIK: the register number finds him, the NIK is added.
    job = previewed(
        pemda_beltim,
        agencies["beltim"],
        [
            [
                "Rudi Hartono Putra",
                "Non ASN",
                "02-01-1988",
                RUDI_NIK,
                row["Nomor Register"],
                "Dinas Kesehatan",
            ],
            ["Orang Lain", "Non ASN", "02-01-1988", "", "ZZZZZ-ZZZZZ", "Dinas Kesehatan"],
        ],
        django_capture_on_commit_callbacks,
        headers=HEADERS,
    )
    changed = ImportRow.objects.get(job=job, status=ImportRow.Status.CHANGED)
    assert changed.employee_id == rudi.pk
    assert changed.changes["nik"] == ["", "••••••••••••0002"]
    unknown = ImportRow.objects.get(job=job, status=ImportRow.Status.INVALID)
    with translation.override("en"):
        assert unknown.reason_texts == [
            "Unknown register number “ZZZZZ-ZZZZZ”: no contract employee of this agency "
            "has it; leave it empty for a new person."
        ]
    committed(pemda_beltim, job, django_capture_on_commit_callbacks)
    rudi.refresh_from_db()
    assert (rudi.name, rudi.nik, rudi.register_number) == (
        "Rudi Hartono Putra",
        RUDI_NIK,
        changed.register_number,
    )
    assert rudi.nik_hash == identity.nik_digest(RUDI_NIK, settings.SECRET_KEY)


# --- The admin ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_never_shows_the_nik_and_an_empty_field_keeps_it(agencies, superuser_client):  # noqa: F811
    from django.urls import reverse

    from registry.admin import EmployeeAdminForm
    from registry.tests.test_admin import form_data

    siti = EmployeeFactory(
        contract=True,
        name="Siti Rahma",
        agency=agencies["beltim"],
        nik=SITI_NIK,
        birth_date=date(1990, 3, 15),
    )
    page = superuser_client.get(reverse("admin:registry_employee_change", args=[siti.pk])).content.decode()
    assert SITI_NIK not in page and "••••••••••••0001" in page
    assert identity.format_register_number(siti.register_number) in page or siti.register_number in page
    data = form_data(
        agencies, kind="contract", nip="", name="Siti Rahmawati", birth_date="1990-03-15", nik=""
    )
    form = EmployeeAdminForm(data=data, instance=siti)
    assert form.is_valid(), form.errors
    form.save()
    siti.refresh_from_db()
    assert (siti.name, siti.nik) == ("Siti Rahmawati", SITI_NIK)
    refused = EmployeeAdminForm(data={**data, "nik": "1904015503910001"}, instance=siti)  # says 1991
    assert not refused.is_valid() and "nik" in refused.errors


def test_a_list_of_contract_staff_needs_no_nip_column_when_it_names_their_kind():
    from registry.importing import mapping_problems

    with translation.override("en"):
        assert [str(p) for p in mapping_problems(["name", "birth_date"])] == [
            "Choose the column that holds the NIP."
        ]
        assert mapping_problems(["name", "kind", "birth_date", "nik"]) == []
