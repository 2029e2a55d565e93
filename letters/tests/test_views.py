"""The public verification page of a letter, and the staff pages of who signs."""

import hashlib
from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from letters.models import Official
from letters.services import letter_issue, official_add
from letters.tests import samples
from letters.tests.test_officials import png_with_gps


@pytest.fixture(autouse=True)
def _on_27_november_2024(time_machine):
    time_machine.move_to("2024-11-27 10:00 +07:00")


@pytest.fixture(autouse=True)
def _fresh_budgets(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def letter(offices, staff_beltim):
    """A letter about a reported person, to a named addressee: what the page must never show."""
    data = samples.forward_authority()
    del data["date"], data["number"]
    return letter_issue(kind="forward-authority", context=data, addressee="Kepala Badan Kepegawaian Negara",
                        actor=staff_beltim, office=offices["beltim"])


def url(letter) -> str:
    return reverse("letters:verify", args=[letter.verify_token])


# --- Verification ------------------------------------------------------------------------------

def test_the_page_shows_number_date_office_kind_and_hash_and_nothing_of_the_content(client, letter):
    response = client.get(url(letter))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (letter.number, "27 November 2024", "Bawaslu Kabupaten Belitung Timur", letter.sha256,
                  "Penerusan Pelanggaran Peraturan Perundang-undangan Lainnya"):
        assert shown in page
    for hidden in (samples.REPORTED["name"], samples.REPORTED["nip"], samples.REPORTED["position"],
                   samples.CASE_NUMBER, "Kepala Badan Kepegawaian Negara", "Facebook", letter.file.name):
        assert hidden not in page
    assert response["Cache-Control"] == "no-store"


def test_the_issued_pdf_matches(client, letter):
    pdf = letter.file.read()
    response = client.post(url(letter), {"file": SimpleUploadedFile("surat.pdf", pdf, "application/pdf")})
    assert response.status_code == 200
    assert 'data-match="yes"' in response.content.decode()


def test_a_changed_pdf_does_not_match_and_its_hash_is_shown(client, letter):
    changed = letter.file.read() + b"\n% changed"
    response = client.post(url(letter), {"file": SimpleUploadedFile("surat.pdf", changed, "application/pdf")})
    page = response.content.decode()
    assert 'data-match="no"' in page and hashlib.sha256(changed).hexdigest() in page


@pytest.mark.parametrize(("typed", "match"), [
    pytest.param(lambda sha: sha.upper(), "yes", id="same-hash-in-capitals"),
    pytest.param(lambda sha: "0" * 64, "no", id="another-hash"),
])
def test_a_pasted_hash_is_compared(client, letter, typed, match):
    response = client.post(url(letter), {"sha256": typed(letter.sha256)})
    assert f'data-match="{match}"' in response.content.decode()


@pytest.mark.parametrize("data", [pytest.param({}, id="nothing"), pytest.param({"sha256": "abc"}, id="not-a-hash")])
def test_a_check_without_a_file_or_a_hash_is_refused(client, letter, data):
    response = client.post(url(letter), data)
    assert response.status_code == 400 and "data-match" not in response.content.decode()


def test_the_uploaded_file_is_not_kept(client, letter, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # any kept upload would land in the temp folder
    before = sorted(path.name for path in settings.MEDIA_ROOT.rglob("*"))
    client.post(url(letter), {"file": SimpleUploadedFile("surat.pdf", letter.file.read(), "application/pdf")})
    assert sorted(path.name for path in settings.MEDIA_ROOT.rglob("*")) == before
    assert list((tmp_path / "uploads").iterdir()) == []


def test_a_file_too_large_to_be_a_letter_is_refused(client, letter, settings):
    settings.NETRAL_LETTER_VERIFY_MAX_BYTES = 1000
    response = client.post(url(letter), {"file": SimpleUploadedFile("big.pdf", b"x" * 5000, "application/pdf")})
    assert response.status_code == 400 and "data-match" not in response.content.decode()


def test_an_unknown_token_is_404_and_wrong_tries_are_limited(client, letter, settings):
    settings.NETRAL_LETTER_VERIFY_FAILURES_PER_SESSION = "3/10m"
    for _ in range(3):
        assert client.get(reverse("letters:verify", args=["bukan-token-surat"])).status_code == 404
    assert client.get(reverse("letters:verify", args=["bukan-token-surat"])).status_code == 429
    assert client.get(reverse("letters:verify", args=[str(letter.pk)])).status_code == 429
    assert client.get(url(letter)).status_code == 200  # a genuine link still opens


def test_the_sequential_id_is_not_a_token(client, letter):
    assert client.get(reverse("letters:verify", args=[str(letter.pk)])).status_code == 404


def test_checks_are_limited_per_address(client, letter, settings):
    settings.NETRAL_LETTER_VERIFY_CHECKS_PER_ADDRESS = "2/10m"
    statuses = [client.post(url(letter), {"sha256": letter.sha256}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


# --- Who signs: the staff pages ------------------------------------------------------------------

def officials_url(office) -> str:
    return reverse("letters:office_officials", args=[office.pk])


FORM = {"official-role": "head", "official-name": "Andi Saputra", "official-nip": "",
        "official-position": "Ketua Bawaslu Kabupaten Belitung Timur", "official-valid_from": "2023-08-17",
        "official-valid_until": ""}


@pytest.mark.parametrize(("username", "status"), [
    pytest.param("ketua.beltim", 200, id="own-office-lead"),
    pytest.param("admin.nasional", 200, id="administrator"),
    pytest.param("staf.beltim", 403, id="staff-without-the-capability"),
    pytest.param("staf.bangka", 403, id="other-office-staff"),
    pytest.param("ppk.beltim", 403, id="ppk"),
])
def test_who_opens_an_office_s_signatories(client, cast, offices, username, status):
    client.force_login(cast[username])
    assert client.get(officials_url(offices["beltim"])).status_code == status


def test_a_lead_of_another_office_gets_404(client, offices, lead_beltim):
    client.force_login(lead_beltim)
    assert client.get(officials_url(offices["bangka"])).status_code == 404


def test_the_authority_manages_its_own_agency_only(client, authority_bkn, agencies):
    client.force_login(authority_bkn)
    assert client.get(reverse("letters:signatories")).url == reverse("letters:agency_officials",
                                                                       args=[authority_bkn.agency_id])
    assert client.get(reverse("letters:agency_officials", args=[authority_bkn.agency_id])).status_code == 200
    assert client.get(reverse("letters:agency_officials", args=[agencies["beltim"].pk])).status_code == 404


def test_a_lead_records_an_official_and_a_clashing_one_is_refused_in_words(client, offices, lead_beltim):
    client.force_login(lead_beltim)
    response = client.post(officials_url(offices["beltim"]), FORM)
    assert response.status_code == 302
    official = Official.objects.get()
    assert (official.office, official.name, official.created_by) == (offices["beltim"], "Andi Saputra", lead_beltim)
    assert AuditEntry.objects.filter(action="official.added", actor=lead_beltim).count() == 1
    response = client.post(officials_url(offices["beltim"]), {**FORM, "official-name": "Budi",
                                                              "official-valid_from": "2024-01-01"})
    assert response.status_code == 400
    assert "bertumpang tindih dengan masa jabatan Andi Saputra" in response.content.decode()  # in Indonesian
    assert Official.objects.count() == 1


def test_an_official_is_changed_and_removed_by_its_office_only(client, offices, lead_beltim, cast):
    official = official_add(actor=lead_beltim, office=offices["beltim"], role="head", name="Andi",
                            position="Ketua", valid_from=date(2023, 8, 17))
    edit = reverse("letters:official_edit", args=[official.pk])
    client.force_login(cast["staf.bangka"])
    assert client.get(edit).status_code == 403
    client.force_login(lead_beltim)
    response = client.post(edit, {"name": "Andi", "nip": "", "position": "Ketua", "valid_from": "2023-08-17",
                                  "valid_until": "2028-08-16"})
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.valid_until == date(2028, 8, 16)
    assert client.post(reverse("letters:official_delete", args=[official.pk])).status_code == 302
    assert not Official.objects.exists()


def test_the_officials_list_takes_a_fixed_number_of_queries(client, offices, lead_beltim,
                                                            django_assert_max_num_queries):
    client.force_login(lead_beltim)
    client.get(officials_url(offices["beltim"]))
    for year in range(2000, 2020):
        official_add(actor=lead_beltim, office=offices["beltim"], role="head", name=f"Ketua {year}",
                     position="Ketua", valid_from=date(year, 1, 1), valid_until=date(year, 12, 31))
    with django_assert_max_num_queries(14):
        response = client.get(officials_url(offices["beltim"]))
    assert response.content.decode().count("Ketua 20") == 20


def test_a_lead_uploads_the_office_logo_and_sees_it(client, offices, lead_beltim):
    client.force_login(lead_beltim)
    response = client.post(reverse("letters:logo_upload", args=[offices["beltim"].pk]),
                           {"logo": SimpleUploadedFile("logo.png", png_with_gps(), "image/png")})
    assert response.status_code == 302
    offices["beltim"].refresh_from_db()
    assert offices["beltim"].logo_sha256
    image = client.get(reverse("letters:logo", args=[offices["beltim"].pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    client.post(reverse("letters:logo_remove", args=[offices["beltim"].pk]))
    offices["beltim"].refresh_from_db()
    assert not offices["beltim"].logo


def test_staff_are_warned_before_issuing_when_no_official_signs_today(client, offices, staff_beltim, lead_beltim):
    client.force_login(staff_beltim)
    page = client.get(reverse("cases:list")).content.decode()
    assert 'id="signatory-warning"' in page and "Minta pimpinan kantor Anda mencatat pejabatnya." in page
    official_add(actor=lead_beltim, office=offices["beltim"], role="head", name="Andi", position="Ketua",
                 valid_from=date(2023, 8, 17))
    assert 'id="signatory-warning"' not in client.get(reverse("cases:list")).content.decode()
