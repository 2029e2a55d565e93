"""The headers every answer carries: CSP without 'unsafe-inline', no Referer, no sniffing,
no powerful features, no opener; cookies the page's scripts cannot read; sessions that end."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
PUBLIC = ["/", "/lapor/", "/lacak/", "/ikrar/", "/larangan/", "/statistik/", "/akun/masuk/", "/akun/sandi/lupa/"]


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    parsed = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def three(client, rules, staff_beltim):
    """A public page, a staff page and an API answer."""
    public = client.get("/")
    api = client.get("/api/v1/violations")
    client.force_login(staff_beltim)
    staff = client.get(reverse("reports:inbox"))
    assert (public.status_code, staff.status_code, api.status_code) == (200, 200, 200)
    return {"public": public, "staff": staff, "api": api}


@pytest.mark.parametrize("kind", ["public", "staff", "api"])
def test_the_content_security_policy_allows_only_our_own_files_and_nothing_inline(three, kind):
    csp = policy(three[kind])
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert all(source == "'self'" or source.startswith("'nonce-") for source in csp["script-src"])
    assert "unsafe-inline" not in three[kind]["Content-Security-Policy"]
    assert "unsafe-eval" not in three[kind]["Content-Security-Policy"]


@pytest.mark.parametrize("kind", ["public", "staff", "api"])
@pytest.mark.parametrize(("header", "value"), [
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cache-Control", "no-store"),
])
def test_every_answer_carries_the_protective_headers(three, kind, header, value):
    assert three[kind][header] == value


@pytest.mark.parametrize("kind", ["public", "staff", "api"])
def test_no_page_may_use_camera_microphone_or_location(three, kind):
    features = three[kind]["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in features


def test_the_page_asks_browsers_for_no_referer_too(client, rules):
    assert b'<meta name="referrer" content="no-referrer">' in client.get("/").content


def test_only_the_api_docs_page_relaxes_the_policy_and_only_for_data_images(client, rules):
    docs = policy(client.get("/api/v1/docs"))
    home = policy(client.get("/"))
    assert docs["img-src"] == ["'self'", "data:"]
    assert {name: sources for name, sources in docs.items() if name != "img-src"} == {
        name: sources for name, sources in home.items() if name != "img-src"}


class InlineCode(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block in a page."""

    def __init__(self):
        super().__init__()
        self.blocked = []
        self.nonces = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            if attrs.get("nonce"):
                self.nonces.append(attrs["nonce"])
            else:
                self.blocked.append("<script> without src or nonce")
        if tag == "style":
            self.blocked.append("<style>")
        for name, value in attrs.items():
            if name == "style" or name.startswith("on") or name.startswith("hx-on"):
                self.blocked.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.blocked.append(f"<{tag} {name}=javascript:>")


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_have_no_inline_script_style_or_handler(client, rules, path):
    response = client.get(path)
    assert response.status_code == 200
    parser = InlineCode()
    parser.feed(response.content.decode())
    assert parser.blocked == []
    for nonce in parser.nonces:
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_staff_pages_have_no_inline_script_style_or_handler(client, rules, staff_beltim, lead_beltim):
    for user, path in [(staff_beltim, reverse("reports:inbox")), (lead_beltim, reverse("cases:list")),
                       (staff_beltim, reverse("followup:dashboard")), (staff_beltim, reverse("accounts:backup_tokens"))]:
        client.force_login(user)
        parser = InlineCode()
        parser.feed(client.get(path).content.decode())
        assert parser.blocked == [], path


# What a browser page's CSP would block, in the templates themselves (PDF templates are
# read by WeasyPrint, never by a browser, and may keep their <style>).
INLINE_PATTERNS = re.compile(r"""<style|\sstyle=|\son[a-z]+=|javascript:|hx-on|<script(?![^>]*\ssrc=)[^>]*>""")


def test_no_browser_template_has_inline_code():
    offending = []
    templates = [*BASE_DIR.glob("*/templates/**/*.html"), *(BASE_DIR / "templates").glob("**/*.html")]
    for path in templates:
        if "/pdf/" in path.as_posix():
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if INLINE_PATTERNS.search(line) and 'type="application/json"' not in line:
                offending.append(f"{path.relative_to(BASE_DIR)}:{number}: {line.strip()[:80]}")
    assert offending == []


def test_htmx_injects_no_style_and_evaluates_no_code(client, rules):
    page = client.get("/").content.decode()
    config = re.search(r"""<meta name="htmx-config" content='([^']*)'>""", page)
    assert config and '"includeIndicatorStyles": false' in config.group(1)
    assert '"allowEval": false' in config.group(1)


# --- Cookies and sessions ------------------------------------------------------------------

def test_the_csrf_cookie_is_httponly_and_same_site(client, rules):
    client.get("/lapor/")
    cookie = client.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_the_session_cookie_is_httponly_and_ends_with_the_browser(client, staff_beltim):
    from accounts.tests.otp import confirmed_totp_device, log_in, totp_code

    log_in(client, "staf.beltim", code=totp_code(confirmed_totp_device(staff_beltim)))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie


def test_a_staff_session_expires_after_eight_hours(client, staff_beltim):
    inbox = reverse("reports:inbox")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(staff_beltim)
        assert client.get(inbox).status_code == 200
        traveller.shift(timedelta(hours=8, minutes=1))
        response = client.get(inbox)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
