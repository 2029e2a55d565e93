"""Issue 19: on a phone, a report about an event outside every election's supervised stages gets
a clear message before anything is sent, and the reporter sends it as information instead."""

import pytest
from django.core.management import call_command

from e2e.conftest import PHONE
from e2e.test_accessibility import axe_violations, undescribed_errors
from reports.models import Report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(live_server, places, offices):
    call_command("load_rules", verbosity=0)
    return live_server.url


def test_an_event_outside_the_stages_is_explained_then_sent_as_information(world, browser):
    # bypass_csp only so that axe-core can be injected for the accessibility check.
    context = browser.new_context(**PHONE, locale="id-ID", bypass_csp=True)
    context.set_default_timeout(15_000)
    try:
        phone = context.new_page()
        phone.goto(world + "/lapor/")
        phone.check("input[name='identity'][value='anonymous']")
        phone.fill("#id_persons-0-name", "Kepala Dinas")
        phone.fill("#id_region_name", "Manggar")
        phone.fill("#id_place", "Halaman kantor dinas")
        phone.fill("#id_occurred_on", "2025-06-01")  # after both 2024 elections' stages
        phone.fill("#id_known_on", "2025-06-02")
        phone.fill("#id_description", "Kepala dinas mengajak pegawai mendukung calon dalam rapat dinas.")
        phone.check("#id_truthful")
        phone.click("#submit-report")

        # Nothing was sent: the message says why and offers the choice, on a 360 px screen.
        phone.wait_for_selector("#outside-stages")
        assert not Report.objects.exists()
        box = phone.locator("#outside-stages")
        assert box.is_visible() and "16 Desember 2024" in box.inner_text()
        assert phone.locator("#form-errors a[href='#id_as_information']").count() == 1
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        assert box.bounding_box()["width"] <= 360
        found = axe_violations(phone, "report form, outside the stages")
        found += undescribed_errors(phone, "report form, outside the stages")
        assert not found, "\n".join(found)
        # What was typed is still there.
        assert phone.input_value("#id_description").startswith("Kepala dinas mengajak")

        # The reporter sends it as information.
        phone.check("#id_as_information")
        phone.check("#id_truthful")
        phone.click("#submit-report")
        phone.wait_for_selector("#tracking-code")
        report = Report.objects.get(number=phone.locator("#report-number").inner_text())
        assert report.status == "information" and report.outside_stages
    finally:
        context.close()
