"""Issue 20, the public map, on a phone in headless Chromium: drawn, within the policy, navigable."""

import os
from pathlib import Path

import pytest

from portal.tests.conftest import lead_bangka, published  # noqa: F401 (the fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Records every violation of the Content-Security-Policy before any script of the page runs.
LISTEN = ("window.__cspViolations = [];"
          "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
          "e.violatedDirective + ' ' + e.blockedURI));")


def test_the_map_fits_a_phone_and_leads_to_a_province(live_server, phone, published, settings,  # noqa: F811
                                                      tmp_path):
    settings.NETRAL_PUBLIC_K_ANONYMITY = 1
    requests = []
    phone.on("request", lambda request: requests.append(request.url))
    phone.add_init_script(LISTEN)
    phone.goto(live_server.url + "/statistik/?figure=cases")
    svg = phone.locator("svg.map")
    box = svg.bounding_box()
    assert box["width"] > 300 and box["height"] > 100, box  # drawn, across the phone's width
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360, "no sideways scrolling"
    shape = phone.locator('path[data-code="19"]')
    assert shape.get_attribute("data-count") == "5" and "map-t4" in shape.get_attribute("class")
    # Shaded by the style sheet's class: the browser computes a fill, no inline style needed.
    assert phone.evaluate("() => getComputedStyle(document.querySelector('path[data-code=\"19\"]')).fill") \
        == "rgb(8, 48, 107)"
    assert phone.locator("#map-row-19").inner_text().split("\t")[1:] == ["5", "5", "50% (2/4)"]
    screenshot = Path(os.environ.get("NETRAL_SCREENSHOTS", tmp_path)) / "statistik-phone.png"
    phone.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000

    # The keyboard reaches the province's link; Enter opens its own map.
    phone.locator("a.map-link").filter(has=phone.locator('path[data-code="19"]')).focus()
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/statistik/19/?figure=cases")
    # Each regency/city its own shape: Belitung Timur's four cases, Bangka's one.
    assert phone.locator('svg.map path[data-code="19.06"]').get_attribute("data-count") == "4"
    assert phone.locator('svg.map path[data-code="19.01"]').get_attribute("data-count") == "1"
    assert phone.locator("#map-row-19\\.06").inner_text().split("\t")[1:] == ["4", "4", "67% (2/3)"]
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(screenshot.with_name("statistik-19-phone.png")), full_page=True)

    assert phone.evaluate("window.__cspViolations") == []
    assert all(url.startswith(live_server.url) for url in requests), "no request leaves the site"


def test_axe_finds_nothing_serious_on_the_maps(live_server, browser, published):  # noqa: F811
    """axe-core (e2e/test_accessibility.py's check) on the national and a province map, phone and desktop."""
    from e2e.conftest import PHONE
    from e2e.test_accessibility import DESKTOP, axe_violations
    from regions.models import Region

    Region.objects.create(code="94", name="Papua Tengah", level=Region.Level.PROVINCE,
                          parent=Region.objects.get(code="ID"))
    found = []
    for name, viewport in [("phone", PHONE), ("desktop", DESKTOP)]:
        context = browser.new_context(**viewport, locale="id-ID", bypass_csp=True)  # to inject axe only
        page = context.new_page()
        for path in ["/statistik/", "/statistik/?figure=in_time", "/statistik/19/", "/statistik/94/"]:
            assert page.goto(live_server.url + path).status == 200, path
            found += axe_violations(page, f"[{name}] {path}")
        context.close()
    assert found == [], "\n".join(found)
