"""Each letter is a real PDF, made offline: one rendering per kind, read back with pypdf."""

import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from letters.catalog import STATIC_DIR, STYLESHEET
from letters.context import LetterContextError
from letters.render import LetterRenderError, LocalStaticFetcher, URLRefused, html_to_pdf, render_letter
from letters.tests import samples

LETTERHEAD = "BADAN PENGAWAS PEMILIHAN UMUM KABUPATEN BELITUNG TIMUR"
SCRIPT = '<script>alert("x")</script>'

# What each kind must say besides the letterhead, number, date and signatory.
FACTS = {
    "clarification-invitation": ["Yth. Sdr. Ahmad Fauzi", "Undangan Klarifikasi", "sebagai Saksi",
                                 "Kamis, 28 November 2024", "09.00 WIB", "Ruang Rapat Lantai 2",
                                 samples.CASE_NUMBER],
    "completion-request": ["Yth. Sdr. Siti Aminah", "Pemberitahuan Kekurangan Syarat Laporan",
                           "Fotokopi Kartu Tanda Penduduk (KTP) pelapor", "2 (dua) hari kerja",
                           "Senin, 25 November 2024", "007/PL/PB/K.BB-06/XI/2024"],
    "forward-authority": ["Yth. Kepala Badan Kepegawaian Negara", "(Netralitas ASN)", "Rudi Hartono",
                          "198503122010011004", "Kepala Seksi Pemerintahan", "Kecamatan Manggar",
                          "Pemerintah Kabupaten Belitung Timur", "Memposting foto bersama calon",
                          "Peraturan Pemerintah Nomor 42 Tahun 2004", "Facebook pribadinya",
                          "memenuhi unsur pelanggaran netralitas", "Lampiran : 1 (satu) berkas"],
    "forward-gakkumdu": ["Yth. Koordinator Sentra Gakkumdu Kabupaten Belitung Timur",
                         "Penerusan Dugaan Tindak Pidana Pemilihan", "Drs. Bambang Sutrisno", "Camat Gantung",
                         "Pasal 71 ayat (1)", "surat edaran kepada kepala desa"],
    "forward-other": ["Yth. Kepala Inspektorat Kabupaten Belitung Timur", "kepada Instansi Lain",
                      "Yusuf Maulana", "kendaraan dinas", "kewenangan Inspektorat"],
    "status-announcement": ["PENGUMUMAN", "STATUS LAPORAN", samples.CASE_NUMBER, "22 November 2024",
                            "Kepala Seksi Pemerintahan", "diteruskan kepada instansi yang berwenang",
                            "Badan Kepegawaian Negara", "memenuhi unsur pelanggaran"],
    "recommendation-ppk": ["Yth. Bupati Belitung Timur", "Rekomendasi atas Pelanggaran Netralitas",
                           "Bawaslu Kabupaten Belitung Timur", "028/PP.01.02/K.BB-06/12/2024", "Rudi Hartono",
                           "sanksi moral berupa pernyataan secara terbuka", "8 Desember 2024",
                           "Terlapor mengakui perbuatannya"],
    "followup-reminder": ["Yth. Bupati Belitung Timur", "Pengingat Tindak Lanjut Rekomendasi",
                          "004/PP.01.02/BKN/12/2024", "5 Desember 2024", "8 Desember 2024", "pengingat ke-1"],
    "followup-escalation": ["Yth. Kepala Badan Kepegawaian Negara", "Belum Ditindaklanjuti",
                            "belum ditindaklanjuti oleh Bupati Belitung Timur", "2 (dua) kali surat pengingat",
                            "UU 5/2014 Pasal 33"],
}
# Letters signed by the civil-service authority, not by a Bawaslu office.
AUTHORITY_KINDS = {"recommendation-ppk", "followup-reminder", "followup-escalation"}


def pdf_text(pdf: bytes) -> str:
    """All the text of a PDF, whitespace collapsed (justified lines extract with double spaces)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture(scope="module")
def rendered():
    """Each kind rendered once, with its script-tag field: {kind: (pdf, text)}."""
    result = {}
    for kind, make in samples.SAMPLES.items():
        context = make()
        if kind == "forward-authority":
            context["facts"] = f"{samples.FACTS}\n\n{SCRIPT}"  # a paragraph of its own: no line break inside
        pdf = render_letter(kind, context)
        result[kind] = (pdf, pdf_text(pdf))
    return result


@pytest.mark.parametrize("kind", list(samples.SAMPLES))
def test_each_letter_is_a_pdf_of_one_or_more_a4_pages(rendered, kind):
    pdf, _text = rendered[kind]
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points


@pytest.mark.parametrize("kind", sorted(set(samples.SAMPLES) - AUTHORITY_KINDS))
def test_each_letter_has_the_letterhead_number_date_and_signatory(rendered, kind):
    _pdf, text = rendered[kind]
    context = samples.SAMPLES[kind]()
    assert LETTERHEAD in text
    assert "Komplek Perkantoran Terpadu Jalan Raya Manggar-Gantung" in text
    assert context["number"] in text
    assert f"Manggar, {context['date'].day} " in text
    assert "Ketua Badan Pengawas Pemilihan Umum Kabupaten Belitung Timur," in text
    assert "WAHYU EPAN YUDHISTIRA" in text


@pytest.mark.parametrize("kind", sorted(AUTHORITY_KINDS))
def test_the_authority_signs_its_own_letters(rendered, kind):
    _pdf, text = rendered[kind]
    context = samples.SAMPLES[kind]()
    assert "BADAN KEPEGAWAIAN NEGARA" in text
    assert context["number"] in text
    assert f"Jakarta, {context['date'].day} Desember 2024" in text
    assert "a.n. Kepala Badan Kepegawaian Negara," in text
    assert "SITI RAHMAWATI" in text
    assert LETTERHEAD not in text


@pytest.mark.parametrize("kind", list(samples.SAMPLES))
def test_each_letter_says_what_its_kind_is_about(rendered, kind):
    _pdf, text = rendered[kind]
    missing = [fact for fact in FACTS[kind] if fact not in text]
    assert not missing, f"not in the PDF: {missing}"


def test_the_date_is_written_the_indonesian_way(rendered):
    assert "Manggar, 27 November 2024" in rendered["forward-authority"][1]
    assert "Manggar, 2 Desember 2024" in rendered["status-announcement"][1]


def test_copies_are_listed_when_given(rendered):
    text = rendered["forward-authority"][1]
    assert "Tembusan: " in text
    assert "Ketua Bawaslu Provinsi Kepulauan Bangka Belitung; Arsip." in text
    assert "Tembusan" not in rendered["status-announcement"][1]


def test_a_script_tag_in_a_text_field_is_printed_as_text(rendered):
    assert SCRIPT in rendered["forward-authority"][1]


def test_the_public_announcement_shows_no_reporter(rendered):
    text = rendered["status-announcement"][1]
    assert "Pelapor" not in text and "Siti Aminah" not in text


def test_the_pdf_is_titled_by_its_subject_and_office(rendered):
    metadata = PdfReader(io.BytesIO(rendered["forward-gakkumdu"][0])).metadata
    assert metadata.title == "Penerusan Dugaan Tindak Pidana Pemilihan"
    assert metadata.author == "Bawaslu Kabupaten Belitung Timur"


# --- No network: the URL fetcher -------------------------------------------------


@pytest.mark.parametrize("url", [
    "http://example.org",
    "https://example.org/font.woff2",
    "ftp://example.org/x.css",
    "data:text/css,body{color:red}",
    "file:///etc/passwd",
    "file://example.org/share/letter.css",
])
def test_the_url_fetcher_refuses_anything_but_a_local_static_file(url):
    with pytest.raises(URLRefused):
        LocalStaticFetcher().fetch(url)


def test_the_url_fetcher_refuses_a_way_out_of_the_static_folder():
    escape = (STATIC_DIR / "letters" / ".." / ".." / "render.py").as_uri()
    with pytest.raises(URLRefused):
        LocalStaticFetcher().fetch(escape)


def test_the_url_fetcher_refuses_a_static_file_that_is_no_stylesheet_or_image(tmp_path):
    secret = tmp_path / "keys.txt"
    secret.write_text("not for letters")
    with pytest.raises(URLRefused, match="stylesheets and images"):
        LocalStaticFetcher(roots=[tmp_path]).fetch(secret.as_uri())


def test_the_url_fetcher_serves_the_letters_stylesheet():
    response = LocalStaticFetcher().fetch((STATIC_DIR / STYLESHEET).as_uri())
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_a_page_asking_for_a_remote_image_is_not_printed():
    with pytest.raises(LetterRenderError, match="example.org"):
        html_to_pdf('<p>Surat</p><img src="http://example.org/logo.png">')


def test_an_office_logo_comes_from_the_static_files(settings, tmp_path):
    static = tmp_path / "static"
    (static / "offices").mkdir(parents=True)
    Image.new("RGB", (40, 40), (200, 30, 30)).save(static / "offices" / "logo-beltim.png")
    settings.STATICFILES_DIRS = [static]  # the staticfiles finders are reset by this change
    context = samples.forward_other()
    context["office"]["logo"] = "offices/logo-beltim.png"
    pdf = render_letter("forward-other", context)
    assert re.search(rb"/Subtype\s*/Image", pdf)


def test_a_logo_that_is_no_static_file_is_refused():
    context = samples.forward_other()
    context["office"]["logo"] = "offices/no-such-logo.png"
    with pytest.raises(LetterContextError, match="no-such-logo.png"):
        render_letter("forward-other", context)
