"""The Content-Security-Policy in the real browser: no page of ours breaks it, and with
Referrer-Policy: no-referrer our forms still post (Origin: null, netral/csrf.py)."""

import pytest
from django.core.management import call_command

from e2e.conftest import staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC = ["/", "/lapor/", "/lacak/", "/ikrar/", "/larangan/", "/pengumuman/", "/tindak-lanjut/", "/statistik/",
          "/data/", "/materi/", "/akun/masuk/", "/akun/sandi/lupa/"]
STAFF = ["/staf/", "/staf/laporan/", "/admin/", "/admin/accounts/user/", "/api/v1/docs"]
# Records every violation the page reports, before any of its own scripts runs.
LISTEN = ("window.__cspViolations = [];"
          "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
          "e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));")


def test_no_page_breaks_the_policy_and_forms_post_without_a_referer(live_server, desktop, offices, staff_beltim):
    call_command("load_rules", verbosity=0)
    staff_beltim.is_staff = staff_beltim.is_superuser = True
    staff_beltim.save()
    base = live_server.url
    page = desktop
    page.add_init_script(LISTEN)
    problems, posts = [], []
    page.on("console", lambda message: "Content Security Policy" in message.text
            and problems.append(f"{page.url}: {message.text}"))
    page.on("request", lambda request: request.method == "POST" and posts.append(request))

    def visit(path):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        problems.extend(f"{path}: {violation}" for violation in page.evaluate("window.__cspViolations"))

    for path in PUBLIC:
        visit(path)
    # A public form: the language switch posts and the next page is in English.
    visit("/")
    page.locator("form.lang button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    # The staff login (two posts), then staff pages, the admin and the API docs.
    staff_login(page, base, "staf.beltim")
    page.wait_for_url("**/staf/")  # the landing page of issue 18, item 8
    for path in STAFF:
        visit(path)
    page.locator(".opblock-summary").first.click()  # Swagger UI draws its icons
    page.wait_for_timeout(300)
    problems.extend(page.evaluate("window.__cspViolations"))

    assert problems == []
    assert len(posts) >= 3
    for request in posts:  # no Referer went out, and the CSRF check still let them in
        headers = request.all_headers()
        assert "referer" not in headers and headers.get("origin") == "null", request.url
        assert request.response().status < 400
