"""Every public page works at the office's onion address and links nowhere else (issue 16).

The pages are asked for with an onion Host header, as Tor hands them to the web server
(docs/deploy.md, "Onion service"). Each must answer 200 and name no other host: no link,
form, script, style or picture to the clear address or anywhere else (no mixed content),
and absolute links (the pledge's verification link, the open-data descriptor) use the
onion host over http. The only outside links are the open-data licence deeds.
"""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.followup_views import LICENSES
from portal.tests.world import world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
ONION = "netralbawaslubeltimonionexampleexampleexampleexampleabcd.onion"
CLEAR = "netral.bawaslu-beltim.example"
LICENSE_HOSTS = {urlsplit(url).hostname for _title, url in LICENSES.values()}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "srcset", "hx-get", "hx-post", "hx-put",
                  "hx-patch", "hx-delete", "content"}

# Public routes that are not walked below as pages, and why. A new public route must be walked
# or named here (test_every_public_route_is_walked).
NOT_PAGES = {
    "set_language": "POST only (the language switch on every page is walked)",
    "tracking_message": "POST only", "tracking_withdraw": "POST only", "tracking_exit": "POST only",
    "tracking_notices_stop": "POST only",
    "tracking_file": "a download", "library_file": "a download", "announcement_pdf": "a download",
    "pledge_certificate": "a download", "healthz": "plain text for the proxy",
    "webhook": "a messaging provider's signed webhook", "fake_phone": "the fake provider's page (NETRAL_DEBUG only)",
    "upload_link": "a one-time link sent by SMS",
    "web_manifest": "JSON, its icons as paths on this host (netral/tests/test_manifest.py)",
}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name not in URL_ATTRIBUTES or not value:
                continue
            if name == "content" and not (tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh"):
                continue
            for url in (value.split(",") if name == "srcset" else [value]):
                self.urls.append((tag, url.strip().split(" ")[0].removeprefix("0;url=").removeprefix("0; url="),
                                  attributes))


def foreign_links(html: str) -> list[str]:
    """Every URL in the page that leaves the onion host (or reaches it over https)."""
    parser = Links()
    parser.feed(html)
    wrong = []
    for tag, url, attributes in parser.urls:
        parts = urlsplit(url)
        if not parts.netloc and parts.scheme in ("", "mailto", "tel"):
            continue  # relative: stays on the host that served the page
        if parts.scheme == "data" and tag == "img":
            continue
        if parts.hostname == ONION and parts.scheme == "http":
            continue
        if tag == "a" and "license" in attributes.get("rel", "").split() and parts.hostname in LICENSE_HOSTS:
            continue
        wrong.append(f"<{tag}> {url}")
    return wrong


def foreign_urls_in_json(text: str) -> list[str]:
    urls = re.findall(r"[a-z][a-z0-9+.-]*://[^\s\"'<>]+", text)
    return [url for url in urls if not (urlsplit(url).hostname == ONION and url.startswith("http://"))
            and urlsplit(url).hostname not in LICENSE_HOSTS]


@pytest.fixture
def onion(settings):
    settings.NETRAL_ONION_HOST = ONION
    settings.ALLOWED_HOSTS = [CLEAR, ONION]
    settings.CSRF_TRUSTED_ORIGINS = [f"https://{CLEAR}", f"http://{ONION}"]
    return Client(HTTP_HOST=ONION)


def pages(world) -> list[tuple[str, str]]:  # noqa: F811
    """(route name, URL) of every public page that a GET shows without earlier steps."""
    return [
        ("home", "/"), ("submit", reverse("reports:submit")),
        ("employee_search", reverse("reports:employee_search") + "?q=Ani&target=persons-0"),
        ("person_row", reverse("reports:person_row") + "?index=1"),
        ("region_search", reverse("reports:region_search") + "?region_name=Manggar"),
        ("track", reverse("reports:track")), ("pledge_start", reverse("prevention:pledge_start")),
        ("verify", reverse("prevention:verify", args=[world.verify_token])),
        ("checkin", reverse("prevention:checkin", args=[world.event.checkin_token])),
        ("library", reverse("prevention:library")), ("announcements", reverse("portal:announcements")),
        ("rules", reverse("portal:rules")), ("rule_detail", reverse("portal:rule_detail", args=[world.violation.pk])),
        ("rules_unverified", reverse("portal:rules_unverified")),
        ("deadline_calculator", reverse("portal:deadline_calculator")),
        ("deadline_calculator", reverse("portal:deadline_calculator") + "?regime=pilkada&step=report&start=2024-11-22"),
        ("followup_register", reverse("portal:followup_register")), ("statistics", reverse("portal:statistics")),
        ("register_agencies", reverse("portal:register_agencies") + "?agency_name=Belitung"),
        ("statistics_province", reverse("portal:statistics_province", args=["19"])),
        ("open_data", reverse("portal:open_data")), ("datapackage", reverse("portal:datapackage")),
        ("open_data_register", reverse("portal:open_data_register", args=["json"])),
        ("open_data_statistics", reverse("portal:open_data_statistics", args=["json"])),
        ("login", reverse("accounts:login")), ("password_reset", reverse("accounts:password_reset")),
        ("openapi-view", "/api/v1/docs"), ("openapi-json", "/api/v1/openapi.json"),
    ]


def check(response, url):
    assert response.status_code == 200, (url, response.status_code)
    body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
    assert CLEAR not in body, url
    if response["Content-Type"].startswith("text/html"):
        assert foreign_links(body) == [], url
    else:
        assert foreign_urls_in_json(body) == [], url
    assert "Strict-Transport-Security" not in response
    assert all(not morsel["secure"] for morsel in response.cookies.values()), url
    return body


def test_every_public_page_answers_at_the_onion_address_and_links_nowhere_else(onion, world):
    for _name, url in pages(world):
        check(onion.get(url), url)


def test_the_steps_behind_a_code_or_a_form_work_at_the_onion_address_too(onion, world):
    """The tracking page, the receipt of a report, the pledge, the check-in: reached as a reporter would."""
    assert onion.post(reverse("reports:track"), {"code": world.code})["Location"] == reverse("reports:tracking_status")
    check(onion.get(reverse("reports:tracking_status")), "tracking_status")

    identity = {"election": world.election.pk, "identity": world.employee.nip,
                "birth_date": world.employee.birth_date.isoformat()}
    asn = Client(HTTP_HOST=ONION)
    assert asn.post(reverse("prevention:pledge_start"), identity).status_code == 302
    check(asn.get(reverse("prevention:pledge_sign"), follow=True), "pledge_sign -> pledge_done")
    done = check(asn.get(reverse("prevention:pledge_done")), "pledge_done")
    assert f'href="http://{ONION}/ikrar/cek/' in done  # the verification link names the onion, not the clear host

    token = world.event.checkin_token
    attendee = Client(HTTP_HOST=ONION)
    checked_in = attendee.post(reverse("prevention:checkin", args=[token]),
                               {"identity": world.employee.nip, "birth_date": world.employee.birth_date.isoformat()})
    assert checked_in["Location"] == reverse("prevention:checkin_done", args=[token])
    check(attendee.get(checked_in["Location"]), "checkin_done")
    check(attendee.get(reverse("prevention:quiz", args=[token, "pre"])), "quiz")


def test_a_report_can_be_filed_at_the_onion_address(onion, world, places):
    from rules.models import Election

    form = onion.get(reverse("reports:submit"))
    data = {
        "submission_token": form.context["form"]["submission_token"].value(), "identity": "anonymous",
        "election": Election.objects.get(pk="pilkada-2024").pk, "region": places["manggar"].pk,
        "place": "Balai Desa Lalang", "known_on": "2024-11-11", "truthful": "on",
        "description": "Seorang kepala dinas memasang baliho calon bupati di depan kantornya.",
        "persons-TOTAL_FORMS": "1", "persons-INITIAL_FORMS": "0", "persons-MIN_NUM_FORMS": "1",
        "persons-MAX_NUM_FORMS": "5", "persons-0-name": "Budi Santoso",
    }
    receipt = onion.post(reverse("reports:submit"), data)
    check(receipt, "receipt")
    assert receipt.context["code"]


def test_the_open_data_descriptor_gives_onion_links_at_the_onion_address(onion, world):
    descriptor = json.loads(onion.get(reverse("portal:datapackage")).content)
    paths = [resource["path"] for resource in descriptor["resources"]]
    assert paths and all(path.startswith(f"http://{ONION}/data/") for path in paths)


def test_the_clear_address_announces_the_onion(onion, settings):
    clear = Client(HTTP_HOST=CLEAR)
    answer = clear.get("/lacak/?x=1", secure=True)
    assert answer["Onion-Location"] == f"http://{ONION}/lacak/?x=1"
    assert "Onion-Location" not in onion.get("/lacak/")
    assert "Onion-Location" not in clear.get("/lacak/")  # over plain HTTP Tor Browser ignores it anyway


def test_every_public_route_is_walked(world):
    walked = {name for name, _url in pages(world)} | {"tracking_status", "pledge_sign", "pledge_done",
                                                       "checkin_done", "quiz"}

    def names(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from names(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.name

    public = {name for route, name in names(get_resolver().url_patterns)
              if not route.startswith(("admin/", "akun/", "api/", "i18n/")) and "staf/" not in route}
    assert public - walked - set(NOT_PAGES) == set()
