"""The opt-in draft of the report form on a phone (static/js/draft.js): kept without identity, gone when sent."""

import json

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
KEY = "netral.report-draft.v1"


@pytest.fixture
def site(live_server, places, offices):
    call_command("load_rules", verbosity=0)
    return live_server.url


def draft(page):
    return page.evaluate(f"() => localStorage.getItem('{KEY}')")


def test_a_draft_survives_a_reload_without_identity_and_goes_when_sent_or_left(site, phone):
    phone.goto(site + "/lapor/")
    # Off by default: typing keeps nothing.
    assert not phone.is_checked("#draft-keep")
    phone.fill("#id_place", "Balai Desa Lalang")
    phone.wait_for_timeout(500)
    assert draft(phone) is None

    phone.check("#draft-keep")
    phone.fill("#id_reporter_name", "Siti Aminah")
    phone.fill("#id_reporter_nik", "1906014107850001")
    phone.fill("#id_reporter_phone", "081234567890")
    phone.fill("#id_persons-0-name", "Budi Santoso")
    phone.click("#add-person")  # htmx arrives on this first use (report.js), then adds the block
    phone.fill("#id_persons-1-name", "Andi Wijaya")
    phone.fill("#id_region_name", "Manggar")
    phone.fill("#id_description", "Kepala dinas memasang baliho calon bupati di halaman kantor.")
    phone.locator("input[name='violations']").first.check()
    phone.wait_for_function(f"() => (localStorage.getItem('{KEY}') || '').includes('baliho')")
    stored = draft(phone)
    for identity in (
        "Siti",
        "1906014107850001",
        "081234567890",
        "identified",
        "submission_token",
        "csrfmiddlewaretoken",
    ):
        assert identity not in stored
    assert json.loads(stored)["fields"]["persons-0-name"] == "Budi Santoso"

    # The connection dropped, the reporter opens the form again: the draft is back, the identity is not.
    phone.reload()
    phone.wait_for_selector("#draft-restored", state="visible")
    assert phone.is_checked("#draft-keep")
    assert phone.input_value("#id_place") == "Balai Desa Lalang"
    assert phone.input_value("#id_persons-0-name") == "Budi Santoso"
    phone.wait_for_selector("#id_persons-1-name")  # the second block is added again
    phone.wait_for_function("() => document.getElementById('id_persons-1-name').value === 'Andi Wijaya'")
    assert phone.input_value("#id_region_name") == "Manggar"  # the typed text, not an id
    assert phone.locator("input[name='violations']").first.is_checked()
    assert phone.input_value("#id_reporter_name") == "" and phone.input_value("#id_reporter_nik") == ""

    # Sent: the receipt deletes the draft.
    phone.fill("#id_reporter_name", "Siti Aminah")
    phone.fill("#id_reporter_address", "Jl. Merdeka 1, Manggar")
    phone.fill("#id_reporter_nik", "1906 0141 0785 0001")
    phone.fill("#id_known_on", "2024-11-11")
    phone.check("#id_truthful")
    phone.click("#submit-report")
    code = phone.locator("#tracking-code").inner_text()
    assert draft(phone) is None
    phone.goto(site + "/lapor/")
    assert phone.is_hidden("#draft-restored") and not phone.is_checked("#draft-keep")
    assert phone.input_value("#id_place") == ""

    # "Leave this page" on the tracking page deletes a draft too (a shared phone).
    phone.check("#draft-keep")
    phone.fill("#id_place", "Pasar Manggar")
    phone.wait_for_function(f"() => localStorage.getItem('{KEY}') !== null")
    phone.goto(site + "/lacak/")
    phone.fill("#id_code", code)
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_url("**/lacak/status/")
    phone.click("form[data-draft-clear] button[type=submit]")
    phone.wait_for_url(site + "/")
    assert draft(phone) is None
