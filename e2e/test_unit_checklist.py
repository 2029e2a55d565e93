"""A unit head keeps the unit's checklist on a phone; the province's table shows it. Axe on both pages.

The flow runs under the site's real Content-Security-Policy; the axe-core walk, which injects
its script, runs in a second context made with ``bypass_csp=True`` and the same session
cookies (as e2e/test_accessibility.py explains).
"""

import pytest
from django.core.management import call_command

from e2e.conftest import PHONE, staff_login
from e2e.test_accessibility import axe_violations, undescribed_errors
from prevention.models import ChecklistItem
from reports.tests.conftest import jpeg_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ELECTION = "pilkada-2024"


@pytest.fixture
def world(live_server, agencies, unit_head_dinkes, staff_babel):
    from prevention.services import pledge_sign
    from registry.factories import EmployeeFactory
    from rules.models import Election

    call_command("load_rules", verbosity=0)
    people = [EmployeeFactory(agency=agencies["beltim"], unit=agencies["dinkes_beltim"]) for _ in range(4)]
    pledge_sign(employee=people[0], election=Election.objects.get(pk=ELECTION), typed_name=people[0].name)
    return live_server.url


def _axe(browser, page, base, paths, *, error_form=None) -> list[str]:
    """Axe on ``paths`` in a CSP-bypassing phone context with ``page``'s session."""
    context = browser.new_context(**PHONE, locale="id-ID", bypass_csp=True,
                                  storage_state=page.context.storage_state())
    context.set_default_timeout(15_000)
    found = []
    try:
        checker = context.new_page()
        for path in paths:
            checker.goto(base + path)
            found += axe_violations(checker, f"[phone] {path}")
        if error_form:
            checker.goto(base + paths[0])
            error_form(checker)
            found += axe_violations(checker, f"[phone] {paths[0]} errors")
            found += undescribed_errors(checker, f"[phone] {paths[0]} errors")
    finally:
        context.close()
    return found


def _refused_video(page):
    """The video marked shown, without saying where: the server's refusal."""
    page.check("#id_video-done")
    page.fill("#id_video-done_on", "2024-11-15")
    page.click("#save-video")
    page.wait_for_selector("#item-video .errorlist")


def test_a_unit_head_puts_up_the_banner_with_a_photo_and_the_province_sees_it(world, browser, phone, agencies):
    dinkes = agencies["dinkes_beltim"]
    staff_login(phone, world, "kadinkes.beltim")
    phone.goto(world + "/akun/")  # the role's start page: the unit's own checklist
    phone.wait_for_url(f"**/staf/daftar-periksa/unit/{dinkes.pk}/")
    assert phone.locator("#checklist-unit").inner_text() == "Dinas Kesehatan"
    assert "1" in phone.locator("#pledge-count").inner_text() and "4" in phone.locator("#pledge-count").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone

    banner = phone.locator("#item-banner")
    banner.scroll_into_view_if_needed()
    phone.check("#id_banner-done")
    phone.fill("#id_banner-done_on", "2024-11-14")
    phone.fill("#id_banner-place", "Depan kantor Dinas Kesehatan")
    phone.set_input_files("#id_banner-photo", files=[{"name": "spanduk.jpg", "mimeType": "image/jpeg",
                                                       "buffer": jpeg_bytes(size=(640, 480))}])
    phone.click("#save-banner")
    phone.wait_for_url("**#item-banner")
    assert phone.locator("#item-banner .badge.done").count() == 1
    photo = phone.locator("#item-banner .checklist-photos img")
    assert photo.count() == 1
    photo.scroll_into_view_if_needed()  # the page shows the stored copy, served to its unit head
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    record = ChecklistItem.objects.get(checklist__unit=dinkes, item="banner")
    assert record.done and record.photos.count() == 1
    unit_path = f"/staf/daftar-periksa/unit/{dinkes.pk}/"
    found = _axe(browser, phone, world, [unit_path], error_form=_refused_video)

    # The province's Bawaslu reads the table of units (read-only), on a phone too.
    province = browser.new_context(**PHONE, locale="id-ID")
    province.set_default_timeout(15_000)
    try:
        page = province.new_page()
        staff_login(page, world, "staf.babel")
        page.goto(world + f"/staf/daftar-periksa/kemajuan/?election={ELECTION}")
        row = page.locator(f"#unit-{dinkes.pk}")
        assert "Dinas Kesehatan" in row.inner_text()
        cells = row.locator("td")
        assert cells.nth(2).locator(".badge.done").count() == 1  # the banner, third item
        assert cells.nth(0).locator(".badge.done").count() == 0
        assert "1 / 4" in cells.nth(3).inner_text() and "1 / 3" in cells.nth(4).inner_text()
        page.click(f"#unit-{dinkes.pk} a")
        page.wait_for_url(f"**{unit_path}?election={ELECTION}")
        assert page.locator("#save-banner").count() == 0  # Bawaslu reads, never records
        found += _axe(browser, page, world, [f"/staf/daftar-periksa/kemajuan/?election={ELECTION}", unit_path])
    finally:
        province.close()
    assert not found, f"{len(found)} serious or critical accessibility violations:\n" + "\n".join(found)
