"""Services and selectors against a real database: attendance, tests, pledges, photos, reach, coverage."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from audit.models import AuditEntry
from prevention import services
from prevention.coverage import pledge_coverage_rebuild
from prevention.models import Attendance, EventPhoto, Pledge, TestScore, Theme
from prevention.selectors import coverage_for, coverage_rows, event_figures, live_coverage_queries, reach_for
from prevention.tests.conftest import signature_data_url
from reports.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


# --- Themes ---------------------------------------------------------------------------------

def test_the_three_themes_of_the_agreement_exist_after_migrate(themes):
    assert set(themes) == {"asn-neutrality", "anti-money-politics", "anti-black-campaign"}
    assert all(theme.from_data and "seed 000" in theme.source for theme in themes.values())


def test_syncing_again_changes_nothing_and_keeps_an_added_theme(themes):
    Theme.objects.create(id="hoax", title_id="Anti hoaks", title_en="Anti hoax", source="Rapat koordinasi")
    assert services.theme_sync_from_data() == 0
    assert Theme.objects.filter(pk="hoax").exists()


# --- Attendance -----------------------------------------------------------------------------

def test_a_desk_check_in_records_the_asn_once(event_pemda, register, pemda_beltim):
    first = services.attendance_check_in_by_identity(event=event_pemda, identity=register["ani"].nip, actor=pemda_beltim)
    again = services.attendance_check_in_by_identity(event=event_pemda, identity=register["ani"].nip, actor=pemda_beltim)
    assert first.created and not again.created
    assert again.attendance.pk == first.attendance.pk
    assert Attendance.objects.filter(event=event_pemda).count() == 1
    assert AuditEntry.objects.filter(action="event.checked_in").count() == 1


def test_an_nip_not_in_the_register_is_refused(event_pemda, register, pemda_beltim):
    with pytest.raises(services.CheckInError) as error:
        services.attendance_check_in_by_identity(event=event_pemda, identity="199001012015031001", actor=pemda_beltim)
    assert error.value.code == "unknown_nip"
    assert not Attendance.objects.exists()


def test_an_asn_of_another_agency_cannot_check_in(event_pemda, register, pemda_beltim):
    with pytest.raises(services.CheckInError) as error:
        services.attendance_check_in_by_identity(event=event_pemda, identity=register["indra"].nip, actor=pemda_beltim)
    assert error.value.code == "not_eligible"


def test_an_asn_outside_the_target_units_cannot_check_in(event_pemda, register, pemda_beltim):
    with pytest.raises(services.CheckInError):
        services.attendance_check_in_by_identity(event=event_pemda, identity=register["fajar"].nip, actor=pemda_beltim)


def test_a_bawaslu_event_admits_asn_of_every_agency_of_its_region_only(event_bawaslu, register, staff_beltim):
    assert services.attendance_check_in_by_identity(event=event_bawaslu, identity=register["fajar"].nip,
                                               actor=staff_beltim).created
    with pytest.raises(services.CheckInError):
        services.attendance_check_in_by_identity(event=event_bawaslu, identity=register["joko"].nip, actor=staff_beltim)


def test_an_inactive_asn_cannot_check_in(event_pemda, register, pemda_beltim):
    with pytest.raises(services.CheckInError):
        services.attendance_check_in_by_identity(event=event_pemda, identity=register["eko_pensiun"].nip, actor=pemda_beltim)


def test_verification_needs_the_nip_and_the_birth_date(register):
    ani = register["ani"]
    assert services.employee_verify(identity=ani.nip, birth_date=ani.birth_date) == ani
    assert services.employee_verify(identity=ani.nip, birth_date=date(1900, 1, 1)) is None
    assert services.employee_verify(identity="199001012015031001", birth_date=ani.birth_date) is None


def test_a_phone_check_in_is_refused_once_check_in_is_closed(event_pemda, register, pemda_beltim):
    services.event_update_record(event=event_pemda, actor=pemda_beltim, minutes="", checkin_open=False)
    with pytest.raises(services.CheckInError):
        services.attendance_check_in(event=event_pemda, employee=register["ani"], method="phone")


def test_inviting_the_targets_adds_each_active_asn_once(event_pemda, register, pemda_beltim):
    assert services.event_invite_targets(event=event_pemda, actor=pemda_beltim) == 4
    assert services.event_invite_targets(event=event_pemda, actor=pemda_beltim) == 0


def test_an_event_cannot_target_a_unit_of_another_regency(pemda_beltim, themes, register):
    with pytest.raises(ValidationError):
        services.event_create(actor=pemda_beltim, theme=themes["asn-neutrality"], title="x", place="y",
                              held_on=date(2024, 10, 1), target_units=[register["bangka_unit"]])


# --- Tests ----------------------------------------------------------------------------------

def test_the_average_gain_of_an_event(event_pemda, register, pemda_beltim, questions):
    key = {q.pk: q.answer for q in questions}
    wrong = {q.pk: 3 for q in questions}
    half = {pk: (answer if index % 2 == 0 else 3) for index, (pk, answer) in enumerate(key.items())}
    plans = {"ani": (wrong, key), "budi": (half, key), "cici": (half, None)}  # gains 100 and 50; cici no post
    for name, (pre, post) in plans.items():
        attendance = services.attendance_check_in_by_identity(event=event_pemda, identity=register[name].nip,
                                                         actor=pemda_beltim).attendance
        services.quiz_submit(attendance=attendance, phase="pre", answers=pre)
        if post:
            services.quiz_submit(attendance=attendance, phase="post", answers=post)
    figures = event_figures(event_pemda)
    assert figures.average_gain == Decimal("75.00")
    assert figures.tested_both == 2
    assert figures.pre_average == Decimal("33.33")  # (0 + 50 + 50) / 3
    assert figures.post_average == Decimal("100.00")


def test_a_second_test_of_the_same_phase_keeps_the_first_score(event_pemda, register, pemda_beltim, questions):
    attendance = services.attendance_check_in_by_identity(event=event_pemda, identity=register["ani"].nip,
                                                     actor=pemda_beltim).attendance
    first = services.quiz_submit(attendance=attendance, phase="pre", answers={})
    again = services.quiz_submit(attendance=attendance, phase="pre", answers={q.pk: q.answer for q in questions})
    assert again.pk == first.pk and again.score == 0
    assert TestScore.objects.count() == 1


def test_the_post_test_needs_the_pre_test(event_pemda, register, pemda_beltim, questions):
    attendance = services.attendance_check_in_by_identity(event=event_pemda, identity=register["ani"].nip,
                                                     actor=pemda_beltim).attendance
    with pytest.raises(ValidationError):
        services.quiz_submit(attendance=attendance, phase="post", answers={})


# --- Photos ---------------------------------------------------------------------------------

def _gps(data: bytes):
    with Image.open(io.BytesIO(data)) as image:
        return image.getexif().get_ifd(0x8825)


def test_a_documentation_photo_is_stored_without_its_gps_metadata(event_pemda, pemda_beltim):
    original = jpeg_bytes()
    assert _gps(original)
    photo = services.event_add_photo(event=event_pemda, actor=pemda_beltim,
                                     uploaded=SimpleUploadedFile("a.jpg", original), caption="Pembukaan")
    assert not _gps(photo.file.read())
    again = services.event_add_photo(event=event_pemda, actor=pemda_beltim,
                                     uploaded=SimpleUploadedFile("a.jpg", original))
    assert again.pk == photo.pk


def test_a_photo_that_is_not_an_image_leaves_nothing(event_pemda, pemda_beltim, settings):
    with pytest.raises(ValidationError):
        services.event_add_photo(event=event_pemda, actor=pemda_beltim,
                                 uploaded=SimpleUploadedFile("a.jpg", b"%PDF-1.4 not really"))
    assert not EventPhoto.objects.exists()
    media = settings.MEDIA_ROOT
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


# --- Pledges --------------------------------------------------------------------------------

def test_a_drawn_pledge_is_signed_once(register, election):
    ani = register["ani"]
    pledge, created = services.pledge_sign(employee=ani, election=election, drawn=signature_data_url())
    again, created_again = services.pledge_sign(employee=ani, election=election, drawn=signature_data_url())
    assert created and not created_again and again.pk == pledge.pk
    assert pledge.signature_file.read().startswith(b"\x89PNG")
    assert pledge.text_is_template  # no administrator's text yet
    assert (pledge.name, pledge.unit_name) == (ani.name, "Dinas Kesehatan")


def test_a_typed_signature_must_match_the_registered_name(register, election):
    with pytest.raises(ValidationError):
        services.pledge_sign(employee=register["ani"], election=election, typed_name="Orang Lain")
    pledge, _ = services.pledge_sign(employee=register["ani"], election=election, typed_name=" ani ")
    assert pledge.signature_kind == "typed"


def test_the_administrators_text_replaces_the_template(register, election):
    from prevention.models import PledgeText

    PledgeText.objects.create(election=election, title="Ikrar Pemkab", body="Kami berikrar netral.",
                              source="Keputusan Bupati", is_template=False)
    pledge, _ = services.pledge_sign(employee=register["ani"], election=election, typed_name="Ani")
    assert (pledge.text_body, pledge.text_is_template) == ("Kami berikrar netral.", False)


def test_a_revoked_pledge_may_be_signed_again(register, election, pemda_beltim):
    pledge, _ = services.pledge_sign(employee=register["ani"], election=election, typed_name="Ani")
    services.pledge_revoke(pledge=pledge, actor=pemda_beltim, reason="Tanda tangan keliru")
    with pytest.raises(ValidationError):
        services.pledge_revoke(pledge=pledge, actor=pemda_beltim, reason="lagi")
    new, created = services.pledge_sign(employee=register["ani"], election=election, typed_name="Ani")
    assert created and new.pk != pledge.pk


def test_a_ceremony_signs_many_at_once_and_skips_who_already_signed(register, election, pemda_beltim):
    services.pledge_sign(employee=register["fajar"], election=election, typed_name="Fajar")
    ceremony = services.ceremony_create(actor=pemda_beltim, title="Ikrar Camat", election=election,
                                        held_on=date(2024, 10, 7), place="Manggar")
    heads = [register[name] for name in ("fajar", "gita", "hadi")]
    assert services.ceremony_sign(ceremony=ceremony, actor=pemda_beltim, employees=heads) == (2, 1)
    assert Pledge.objects.filter(ceremony=ceremony, signature_kind="ceremony").count() == 2


def test_a_ceremony_cannot_sign_for_asn_of_another_regency(register, election, pemda_beltim):
    ceremony = services.ceremony_create(actor=pemda_beltim, title="Ikrar", election=election,
                                        held_on=date(2024, 10, 7), place="Manggar")
    with pytest.raises(ValidationError):
        services.ceremony_sign(ceremony=ceremony, actor=pemda_beltim, employees=[register["indra"]])
    assert not Pledge.objects.exists()


# --- Reach and coverage against hand counts -------------------------------------------------

def test_reach_per_unit_and_theme_matches_the_hand_count(event_pemda, event_bawaslu, event_bangka, register,
                                                         pemda_beltim, staff_beltim, staff_bangka,
                                                         django_assert_num_queries):
    checkin = services.attendance_check_in_by_identity
    # Neutrality (Pemda, Dinkes only): ani, budi. Money politics (Bawaslu): ani, fajar, gita.
    for name in ("ani", "budi"):
        checkin(event=event_pemda, identity=register[name].nip, actor=pemda_beltim)
    for name in ("ani", "fajar", "gita"):
        checkin(event=event_bawaslu, identity=register[name].nip, actor=staff_beltim)
    checkin(event=event_bangka, identity=register["indra"].nip, actor=staff_bangka)  # another regency
    # A second neutrality event where budi comes again: he still counts once.
    from prevention.services import event_create

    again = event_create(actor=pemda_beltim, theme=event_pemda.theme, title="Ulang", place="x",
                         held_on=date(2024, 10, 20))
    checkin(event=again, identity=register["budi"].nip, actor=pemda_beltim)

    with django_assert_num_queries(4):  # themes, units, totals, reach
        themes, rows = reach_for(staff_beltim)
    by_unit = {row.unit.name: row for row in rows}
    assert set(by_unit) == {"Dinas Kesehatan", "Kecamatan Manggar"}
    dinkes, camat = by_unit["Dinas Kesehatan"], by_unit["Kecamatan Manggar"]
    assert dinkes.active == 4 and camat.active == 3  # the retired ASN does not count
    assert dinkes.attended == {"asn-neutrality": 2, "anti-money-politics": 1}
    assert camat.attended == {"anti-money-politics": 2}
    assert dinkes.shares["asn-neutrality"] == Decimal("50.0")
    assert camat.shares["anti-money-politics"] == Decimal("66.7")
    assert camat.shares["anti-black-campaign"] == Decimal("0.0")


def test_coverage_per_unit_and_agency_matches_the_hand_count(register, election, pemda_beltim, staff_babel,
                                                             django_assert_num_queries):
    for name in ("ani", "budi", "fajar", "indra"):
        services.pledge_sign(employee=register[name], election=election, typed_name=register[name].name)
    revoked = Pledge.objects.get(employee=register["budi"])
    services.pledge_revoke(pledge=revoked, actor=pemda_beltim, reason="keliru")
    services.pledge_sign(employee=register["eko_pensiun"], election=election, typed_name="Eko Pensiun")

    # A province office reads the stored figures (prevention.coverage): rebuilt first, as the page's refresh
    # would; then the state row and the two tables.
    pledge_coverage_rebuild()
    with django_assert_num_queries(3):
        units, agencies = coverage_for(staff_babel, election=election)
    got = {row.label: (row.active, row.signed) for row in units}
    assert got == {"Dinas Kesehatan": (4, 1), "Kecamatan Manggar": (3, 1), "Dinas Pendidikan Bangka": (2, 1)}
    assert {row.label: (row.active, row.signed) for row in agencies} == {
        "Pemerintah Kabupaten Belitung Timur": (7, 2), "Pemerintah Kabupaten Bangka": (2, 1)}
    assert [row.share for row in agencies] == [Decimal("50.0"), Decimal("28.6")]  # Bangka, then Beltim

    assert coverage_for(staff_babel, election=election) == (  # the very figures counted live
        coverage_rows(live_coverage_queries(staff_babel, election=election)[0], per="unit"),
        coverage_rows(live_coverage_queries(staff_babel, election=election)[1], per="agency"))

    with django_assert_num_queries(1):  # a Pemda account counts live, one grouping
        units, agencies = coverage_for(pemda_beltim, election=election)
    assert [row.label for row in agencies] == ["Pemerintah Kabupaten Belitung Timur"]

