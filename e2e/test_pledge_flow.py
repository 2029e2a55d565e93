"""An ASN signs the neutrality pledge on a phone; the certificate's link confirms it."""

import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from prevention.models import Pledge

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(live_server, places, agencies):
    from registry.models import Employee

    call_command("load_rules", verbosity=0)
    employee = Employee(kind="pns", nip="198503152010011002", name="Budi Santoso", position="Camat Manggar",
                        agency=agencies["beltim"], unit=agencies["camat_manggar"])
    employee.full_clean()  # the birth date comes from the NIP: 15 March 1985
    employee.save()
    return live_server.url


def test_an_asn_signs_the_pledge_on_a_phone_and_the_verification_page_confirms_it(world, phone):
    phone.goto(world + "/ikrar/")
    phone.select_option("#id_election", "pilkada-2024")
    phone.fill("#id_identity", "19850315 201001 1 002")
    phone.fill("#id_birth_date", "1985-03-15")
    phone.click("#pledge-continue")
    phone.wait_for_url("**/ikrar/tanda-tangan/")
    assert "Budi Santoso" in phone.locator("#signer-name").inner_text()

    # Draw on the pad with a finger.
    pad = phone.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    phone.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    phone.mouse.down()
    for step in range(1, 12):
        phone.mouse.move(box["x"] + 20 + step * (box["width"] - 40) / 11,
                         box["y"] + box["height"] * (0.3 if step % 2 else 0.7), steps=3)
    phone.mouse.up()
    phone.check("#id_agree")
    phone.click("#pledge-submit")
    phone.wait_for_url("**/ikrar/selesai/")

    pledge = Pledge.objects.get()
    assert pledge.signature_kind == "drawn" and pledge.signature_file.read().startswith(b"\x89PNG")
    code = phone.locator("#certificate-code").inner_text()
    assert code.replace("-", "") == pledge.code

    with phone.expect_download() as download:
        phone.click("#certificate-download")
    assert download.value.suggested_filename.endswith(".pdf")
    text = "".join(PdfReader(download.value.path()).pages[0].extract_text().split())
    verify_url = re.search(r"http://[^\s]+/ikrar/cek/[0-9A-Z]+\.[0-9A-Z]+/", text).group(0)
    assert verify_url == phone.locator("#verify-link").get_attribute("href")

    # Anyone scanning the certificate's QR code lands on the verification page.
    phone.goto(verify_url)
    assert phone.locator("#verify-status").get_attribute("data-status") == "valid"
    assert phone.locator("#verify-name").inner_text() == "Budi Santoso"


def test_a_contract_employee_signs_the_pledge_on_a_phone_with_the_register_number(live_server, places, agencies,
                                                                                    phone):
    """Issue 19: contract staff have no NIP; the register number from their agency stands for it."""
    from datetime import date

    from registry.identity import format_register_number
    from registry.models import Employee

    call_command("load_rules", verbosity=0)
    rudi = Employee.objects.create(kind="contract", name="Rudi Hartono", position="Pengemudi",
                                   birth_date=date(1988, 1, 2), agency=agencies["beltim"],
                                   unit=agencies["camat_manggar"])
    printed = format_register_number(rudi.register_number)  # as in the register export

    phone.goto(live_server.url + "/ikrar/")
    phone.select_option("#id_election", "pilkada-2024")
    # A wrong birth date first: the same answer as for a number nobody has.
    phone.fill("#id_identity", printed.lower())
    phone.fill("#id_birth_date", "1988-01-03")
    phone.click("#pledge-continue")
    assert phone.locator("#form-errors").is_visible()
    assert phone.input_value("#id_identity") == printed.lower()  # what was typed is kept
    phone.fill("#id_birth_date", "1988-01-02")
    phone.click("#pledge-continue")
    phone.wait_for_url("**/ikrar/tanda-tangan/")
    assert "Rudi Hartono" in phone.locator("#signer-name").inner_text()
    # The page fits the phone: nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.fill("#id_typed_name", "Rudi Hartono")
    phone.check("#id_agree")
    phone.click("#pledge-submit")
    phone.wait_for_url("**/ikrar/selesai/")
    pledge = Pledge.objects.get()
    assert (pledge.employee_id, pledge.signature_kind) == (rudi.pk, "typed")
    assert phone.locator("#certificate-code").inner_text().replace("-", "") == pledge.code
