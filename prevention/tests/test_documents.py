"""The certificate and banner files, rendered for real and read back (pypdf, Pillow)."""

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from prevention import services
from prevention.documents import banner_pdf, banner_png, certificate_pdf

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_certificate_shows_name_unit_election_code_and_link(register, election):
    pledge, _ = services.pledge_sign(employee=register["ani"], election=election, typed_name="Ani")
    url = "https://netral.example/ikrar/cek/ABC.DEF/"
    pdf = certificate_pdf(pledge, verify_url=url)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for expected in ("SERTIFIKAT IKRAR NETRALITAS", "Ani", "Dinas Kesehatan", "Pemerintah Kabupaten Belitung Timur",
                     "Pemilihan Serentak Gubernur, Bupati dan Wali Kota 2024",
                     "Teks ikrar ini adalah templat"):
        assert expected in text, expected
    assert pledge.code[:4] in text
    assert url in text.replace(" ", "")  # the link wraps under the QR code
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_the_banner_pdf_and_png(register, election, pemda_beltim, agencies):
    banner = services.banner_create(actor=pemda_beltim, unit=agencies["dinkes_beltim"], election=election,
                                    head_name="dr. Budi Santoso", head_position="Kepala Dinas Kesehatan",
                                    leaders="Burhanudin; Bupati Belitung Timur\nKhairil Anwar; Wakil Bupati")
    text = _text(banner_pdf(banner))
    for expected in ("ASN NETRAL", "dr. Budi Santoso", "Kepala Dinas Kesehatan", "Dinas Kesehatan",
                     "Burhanudin", "Bupati Belitung Timur", "TIDAK BERPIHAK DAN BEBAS DARI INTERVENSI POLITIK",
                     "2024"):
        assert expected.casefold() in text.casefold(), expected
    page = PdfReader(io.BytesIO(banner_pdf(banner))).pages[0]
    width_mm, height_mm = (float(v) * 25.4 / 72 for v in (page.mediabox.width, page.mediabox.height))
    assert (round(width_mm), round(height_mm)) == (600, 1600)
    with Image.open(io.BytesIO(banner_png(banner))) as image:
        assert image.format == "PNG" and image.size == (1080, 1350)


def test_a_banner_takes_the_colours_of_the_adjusted_template(register, election, pemda_beltim, agencies):
    from prevention.models import BannerTemplate

    template = BannerTemplate.objects.create(name="Merah", background_color="#aa0000", accent_color="#ffffff",
                                             text_color="#ffffff", default_tagline="NETRAL ITU KEREN")
    banner = services.banner_create(actor=pemda_beltim, unit=agencies["dinkes_beltim"], election=election,
                                    head_name="A", head_position="B", template=template)
    assert banner.tagline == "NETRAL ITU KEREN"
    with Image.open(io.BytesIO(banner_png(banner))) as image:
        assert image.getpixel((5, 5)) == (0xAA, 0, 0)


def test_a_banner_of_another_regency_is_refused(election, pemda_beltim, register):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.banner_create(actor=pemda_beltim, unit=register["bangka_unit"], election=election,
                               head_name="A", head_position="B")
