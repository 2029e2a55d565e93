"""Letters are signed by the office: the official in office on the date, copied in; copies, logo, QR."""

import hashlib
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from audit.models import AuditEntry
from letters.models import Letter, Official
from letters.render import render_letter_html
from letters.selectors import signatory_on
from letters.services import (
    letter_issue,
    office_remove_logo,
    office_set_logo,
    official_add,
    official_delete,
    official_update,
)
from letters.tests import samples
from letters.tests.test_render import pdf_text
from storage import kinds


@pytest.fixture(autouse=True)
def _on_27_november_2024(time_machine):
    time_machine.move_to("2024-11-27 10:00 +07:00")


@pytest.fixture
def admin(cast):
    return cast["admin.nasional"]


def add_head(admin, office, name="Andi Saputra", start=date(2023, 8, 17), end=None, **extra):
    return official_add(actor=admin, office=office, role=Official.Role.HEAD, name=name,
                        position=extra.pop("position", f"Ketua {office.name}"), valid_from=start, valid_until=end,
                        **extra)


def context(kind="forward-other") -> dict:
    data = samples.SAMPLES[kind]()
    del data["date"], data["number"], data["copies"]
    return data


def issue(issuer, actor, kind="forward-other", **extra):
    data = {**context(kind), **extra}
    data["office"] = {**data["office"], "number_code": issuer.number_code}
    return letter_issue(kind=kind, context=data, addressee="Kepala Inspektorat", actor=actor, office=issuer)


# --- The periods -------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end"), [
    pytest.param(date(2024, 1, 1), None, id="open-inside"),
    pytest.param(date(2020, 1, 1), date(2023, 8, 17), id="ends-on-first-day"),
    pytest.param(date(2020, 1, 1), None, id="covers-all"),
    pytest.param(date(2028, 8, 16), date(2029, 1, 1), id="starts-on-last-day"),
])
def test_periods_of_the_same_role_may_not_overlap(admin, offices, start, end):
    add_head(admin, offices["beltim"], start=date(2023, 8, 17), end=date(2028, 8, 16))
    with pytest.raises(ValidationError) as error:
        add_head(admin, offices["beltim"], name="Budi", start=start, end=end)
    assert error.value.code == "overlap"
    assert "Andi Saputra" in error.value.messages[0] and "17 Agustus 2023" in error.value.messages[0]
    assert Official.objects.count() == 1


def test_periods_that_follow_each_other_and_other_roles_and_offices_are_fine(admin, offices):
    add_head(admin, offices["beltim"], start=date(2018, 8, 17), end=date(2023, 8, 16))
    add_head(admin, offices["beltim"], name="Budi", start=date(2023, 8, 17))
    official_add(actor=admin, office=offices["beltim"], role=Official.Role.ACTING, name="Citra",
                 position="Plh. Ketua Bawaslu Kabupaten Belitung Timur", valid_from=date(2024, 11, 25),
                 valid_until=date(2024, 11, 29))
    add_head(admin, offices["bangka"], name="Dewi", start=date(2023, 8, 17))
    assert Official.objects.count() == 4


def test_changing_a_period_into_an_overlap_is_refused_but_ending_it_is_fine(admin, offices):
    first = add_head(admin, offices["beltim"], start=date(2018, 8, 17), end=date(2023, 8, 16))
    add_head(admin, offices["beltim"], name="Budi", start=date(2023, 8, 17))
    with pytest.raises(ValidationError):
        official_update(actor=admin, official=first, name=first.name, position=first.position,
                        valid_from=first.valid_from, valid_until=date(2023, 8, 17))
    official_update(actor=admin, official=first, name="Andi Saputra, S.H.", position=first.position,
                    valid_from=first.valid_from, valid_until=date(2023, 8, 15))
    entry = AuditEntry.objects.filter(action="official.changed").get()
    assert entry.data["before"]["name"] == "Andi Saputra" and entry.data["after"]["name"] == "Andi Saputra, S.H."


@pytest.mark.parametrize(("changes", "field"), [
    pytest.param({"name": "  "}, "name", id="no-name"),
    pytest.param({"nip": "1234"}, "nip", id="short-nip"),
    pytest.param({"end": date(2023, 1, 1)}, "valid_until", id="ends-before-start"),
])
def test_an_official_is_checked_field_by_field(admin, offices, changes, field):
    with pytest.raises(ValidationError) as error:
        add_head(admin, offices["beltim"], **changes)
    assert field in error.value.error_dict


def test_recording_and_removing_an_official_is_audited(admin, offices):
    official = add_head(admin, offices["beltim"], nip="197005121995031002")
    official_delete(actor=admin, official=official)
    added, deleted = (AuditEntry.objects.get(action=name) for name in ("official.added", "official.deleted"))
    assert added.data["name"] == deleted.data["name"] == "Andi Saputra"
    assert added.data["issuer"] == f"office:{offices['beltim'].pk}" and added.actor == admin
    assert not Official.objects.exists()


def test_the_acting_head_signs_while_in_office(admin, offices):
    add_head(admin, offices["beltim"])
    official_add(actor=admin, office=offices["beltim"], role=Official.Role.ACTING, name="Citra Lestari",
                 position="Plh. Ketua Bawaslu Kabupaten Belitung Timur", valid_from=date(2024, 11, 25),
                 valid_until=date(2024, 11, 29))
    assert signatory_on(office=offices["beltim"], on=date(2024, 11, 27)).name == "Citra Lestari"
    assert signatory_on(office=offices["beltim"], on=date(2024, 11, 30)).name == "Andi Saputra"
    assert signatory_on(office=offices["beltim"], on=date(2023, 8, 16)) is None


# --- The letter --------------------------------------------------------------------------------

def test_the_official_in_office_is_copied_into_the_letter_and_stays(admin, offices, staff_beltim):
    official = add_head(admin, offices["beltim"], name="Andi Saputra", nip="197005121995031002")
    letter = issue(offices["beltim"], staff_beltim)
    text = pdf_text(letter.file.read())
    assert "ANDI SAPUTRA" in text and "NIP 197005121995031002" in text
    assert "Wahyu" not in text  # the caller's name is not the signature
    assert (letter.signatory_name, letter.signatory_position) == ("Andi Saputra",
                                                                   "Ketua Bawaslu Kabupaten Belitung Timur")
    sha = letter.sha256
    official_update(actor=admin, official=official, name="Someone Else", position="Ketua Lain",
                    valid_from=official.valid_from)
    letter.refresh_from_db()
    assert (letter.signatory_name, letter.sha256) == ("Andi Saputra", sha)
    assert hashlib.sha256(letter.file.read()).hexdigest() == sha
    assert AuditEntry.objects.get(action="letter.issued").data["signatory"] == official.pk


def test_without_an_official_the_letter_has_the_position_and_a_blank_name_line(offices, staff_beltim):
    letter = issue(offices["beltim"], staff_beltim)
    text = pdf_text(letter.file.read())
    assert "Ketua Badan Pengawas Pemilihan Umum Kabupaten Belitung Timur," in text  # the caller's position
    assert "WAHYU" not in text.upper()
    assert (letter.signatory_name, letter.signatory_position) == (
        "", "Ketua Badan Pengawas Pemilihan Umum Kabupaten Belitung Timur")


def test_the_declared_copies_come_under_the_signature_with_the_office_above(offices, staff_beltim):
    letter = issue(offices["beltim"], staff_beltim, copies=["Arsip"])
    text = pdf_text(letter.file.read())
    # (pypdf reads a list's numbers after its items: "1." and "2." come at the end)
    assert "Tembusan: Ketua Bawaslu Provinsi Kepulauan Bangka Belitung; Arsip." in text
    html = render_letter_html("forward-other", samples.forward_other(), copy_values={"issuer_above": "Bawaslu X"})
    assert html.index('class="signature"') < html.index('class="copies"') < html.index("Ketua Bawaslu X")


def test_a_copy_without_its_value_is_left_out(offices, staff_babel):
    letter = issue(offices["babel"], staff_babel)
    assert "Tembusan" not in pdf_text(letter.file.read())  # no office above the province in the cast


def test_the_recommendation_is_copied_to_the_authority_head_and_the_forwarding_offices(authority_bkn):
    agency = authority_bkn.agency
    data = samples.recommendation_ppk()
    del data["date"], data["number"]
    data["forwarding_office_above"] = "Bawaslu Provinsi Kepulauan Bangka Belitung"
    letter = letter_issue(kind="recommendation-ppk", context=data, addressee="Bupati", actor=authority_bkn,
                          agency=agency)
    text = pdf_text(letter.file.read())
    assert ("Tembusan: Kepala Badan Kepegawaian Negara; Ketua Bawaslu Kabupaten Belitung Timur; "
            "Ketua Bawaslu Provinsi Kepulauan Bangka Belitung") in text


def test_each_letter_gets_its_own_verification_link_printed_with_its_qr_code(offices, staff_beltim, settings):
    settings.NETRAL_PUBLIC_URL = "https://netral.example"
    first, second = issue(offices["beltim"], staff_beltim), issue(offices["beltim"], staff_beltim)
    assert first.verify_token != second.verify_token and len(first.verify_token) >= 20
    assert not first.verify_token.isdigit()  # not a sequential id
    text = pdf_text(first.file.read())
    assert f"https://netral.example/surat/verifikasi/{first.verify_token}/" in text.replace(" ", "")


# --- The logo ----------------------------------------------------------------------------------

def png_with_gps() -> bytes:
    image = Image.new("RGB", (120, 120), (10, 90, 60))
    exif = Image.Exif()
    exif[0x010F] = "Kamera Kantor"  # Make
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    return out.getvalue()


def test_a_logo_goes_through_storage_and_into_the_letterhead(admin, offices, staff_beltim, settings):
    raw = png_with_gps()
    office = office_set_logo(actor=admin, office=offices["beltim"],
                             uploaded=SimpleUploadedFile("logo.jpg", raw, content_type="image/jpeg"))
    stored = office.logo.read()
    assert office.logo.name.startswith("offices/logos/") and office.logo.name.endswith(".png")  # type from content
    assert stored != raw and b"Kamera Kantor" not in stored  # re-encoded, metadata gone
    assert office.logo_sha256 == hashlib.sha256(stored).hexdigest()
    assert office.logo.name in kinds.by_key("office-logos").names()
    without = issue(offices["bangka"], staff_beltim)
    with_logo = issue(office, staff_beltim)
    assert _images(with_logo) == 1 and _images(without) == 0
    assert AuditEntry.objects.get(action="office.logo_set").data["sha256"] == office.logo_sha256


def test_a_replaced_or_removed_logo_leaves_no_file_behind(admin, offices, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = office_set_logo(actor=admin, office=offices["beltim"],
                                uploaded=SimpleUploadedFile("a.png", png_with_gps())).logo.name
        second = office_set_logo(actor=admin, office=offices["beltim"],
                                 uploaded=SimpleUploadedFile("b.png", png_with_gps())).logo.name
    assert not (settings.MEDIA_ROOT / first).exists() and (settings.MEDIA_ROOT / second).exists()
    with django_capture_on_commit_callbacks(execute=True):
        office = office_remove_logo(actor=admin, office=offices["beltim"])
    assert not office.logo and not (settings.MEDIA_ROOT / second).exists()


def test_a_logo_that_is_not_a_picture_is_refused(admin, offices):
    with pytest.raises(ValidationError):
        office_set_logo(actor=admin, office=offices["beltim"],
                        uploaded=SimpleUploadedFile("logo.png", b"%PDF-1.4 not a picture"))
    offices["beltim"].refresh_from_db()
    assert not offices["beltim"].logo


def _images(letter: Letter) -> int:
    reader = PdfReader(io.BytesIO(letter.file.read()))
    return len(reader.pages[0].images)
