"""A citizen reports from a phone, follows the report with the code; staff read it and reply."""

import re

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.otp import totp_code
from reports.models import Report
from reports.tests.conftest import jpeg_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(live_server, places, offices, agencies, staff_beltim):
    from registry.models import Employee

    call_command("load_rules", verbosity=0)
    Employee.objects.create(kind="pns", nip="198503152010011002", name="Budi Santoso", position="Kepala Dinas",
                            agency=agencies["beltim"], unit=agencies["dinkes_beltim"])
    return live_server.url


def test_report_from_a_phone_then_track_it_while_staff_reply(world, phone, desktop, tmp_path):
    photo = tmp_path / "baliho.jpg"
    photo.write_bytes(jpeg_bytes(size=(800, 600)))

    # The citizen files a report on a phone.
    phone.goto(world + "/lapor/")
    phone.fill("#id_reporter_name", "Siti Aminah")
    phone.fill("#id_reporter_address", "Jl. Merdeka 1, Manggar")
    phone.fill("#id_reporter_nik", "1906 0141 0785 0001")  # a Pilkada report: its rules ask for the NIK
    phone.fill("#search-persons-0", "budi")
    phone.click("button[data-pick='persons-0']")
    assert phone.input_value("#id_persons-0-unit") == "Dinas Kesehatan"
    # The place by name, with a suggestion picked (issue 20: htmx loads on first use of the field).
    phone.fill("#id_region_name", "Mangg")
    phone.click("#region-suggestions button[data-label='Manggar, Kab. Belitung Timur']")
    assert phone.input_value("#id_region_name") == "Manggar, Kab. Belitung Timur"
    assert phone.input_value("#id_region") != ""
    assert phone.locator("#region-suggestions button").count() == 0
    phone.fill("#id_place", "Depan kantor Dinas Kesehatan")
    phone.fill("#id_known_on", "2024-11-11")
    phone.fill("#id_description", "Kepala dinas memasang baliho calon bupati di halaman kantor.")
    phone.locator("input[name='violations']").first.check()
    phone.set_input_files("#id_evidence", str(photo))
    phone.check("#id_truthful")
    phone.click("#submit-report")

    code = phone.locator("#tracking-code").inner_text()
    number = phone.locator("#report-number").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    report = Report.objects.get(number=number)
    assert report.attachments.count() == 1
    # The receipt on a 360 px phone: no group of the code broken across lines, a QR code to the
    # tracking page (not holding the code), and Back does not refill the identity (a shared phone).
    groups = phone.locator("#tracking-code .code-group")
    assert groups.count() == 4 and all(box["height"] < 2 * 1.5 * 16 for box in
                                       (groups.nth(i).bounding_box() for i in range(4)))
    assert phone.locator("#report-number").bounding_box()["height"] < 2 * 1.5 * 16  # one line
    assert phone.locator("#tracking-qr svg").count() == 1
    assert code.replace("-", "") not in phone.locator("#tracking-qr").inner_html()
    phone.go_back()
    phone.wait_for_selector("#id_reporter_name")
    assert phone.input_value("#id_reporter_name") == "" and phone.input_value("#id_reporter_nik") == ""

    # Later, the citizen opens the report with the code.
    phone.goto(world + "/lacak/")
    phone.fill("#id_code", code)
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_url("**/lacak/status/")
    assert number in phone.locator("h1").inner_text()

    # Staff log in, find it in the inbox and reply.
    desktop.goto(world + "/akun/masuk/")
    desktop.fill("#id_auth-username", "staf.beltim")
    desktop.fill("#id_auth-password", "kata-sandi-uji-123")
    desktop.click("#login-submit")
    # The second factor: the code the staff member's authenticator app shows now.
    desktop.fill("#id_token-otp_token", totp_code(TOTPDevice.objects.get(user__username="staf.beltim")))
    desktop.click("#login-submit")
    desktop.click(f"text={number}")
    assert "Kepala dinas memasang baliho" in desktop.locator("#description").inner_text()
    assert desktop.locator(".evidence img").count() == 1
    desktop.fill("#id_body", "Terima kasih. Mohon kirim foto baliho dari dekat.")
    desktop.locator("form[action$='/balas/'] button[type=submit]").click()
    desktop.wait_for_selector("text=Mohon kirim foto baliho dari dekat.")

    # The citizen reads the reply.
    phone.reload()
    assert "Mohon kirim foto baliho dari dekat." in phone.locator("#messages").inner_text()
