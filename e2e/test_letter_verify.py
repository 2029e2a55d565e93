"""Anyone checks a letter on a phone: the QR code's page, then the PDF received, then a changed copy."""

import io
import re

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def letter(live_server, offices, staff_beltim, settings):
    from django.core.management import call_command

    from letters.services import letter_issue
    from letters.tests import samples

    call_command("load_rules", verbosity=0)
    settings.NETRAL_PUBLIC_URL = live_server.url
    data = samples.forward_authority()
    del data["date"], data["number"]
    return letter_issue(kind="forward-authority", context=data, addressee="Kepala Badan Kepegawaian Negara",
                        actor=staff_beltim, office=offices["beltim"])


def test_a_letter_is_checked_on_a_phone_from_its_qr_link(letter, phone, tmp_path):
    pdf = letter.file.read()
    text = "".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    link = re.search(r"http://[^/]+/surat/verifikasi/[A-Za-z0-9_-]+/", text).group(0)

    phone.goto(link)
    assert phone.locator("#verify-number").inner_text() == letter.number
    assert phone.locator("#verify-sha256").inner_text() == letter.sha256
    assert "Rudi Hartono" not in phone.content()  # the reported person of the letter
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width}px)"

    received = tmp_path / "surat.pdf"
    received.write_bytes(pdf)
    phone.set_input_files("#id_file", str(received))
    phone.click("#verify-submit")
    phone.wait_for_selector("#check-result")
    assert phone.locator("#check-result").get_attribute("data-match") == "yes"

    changed = tmp_path / "surat-diubah.pdf"
    changed.write_bytes(pdf.replace(b"%%EOF", b"%%EOF\n% diubah", 1))
    phone.set_input_files("#id_file", str(changed))
    phone.click("#verify-submit")
    phone.wait_for_selector("#check-result[data-match='no']")
