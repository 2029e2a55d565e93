"""Production settings with an onion address beside the clear one (netral/onion.py, docs/deploy.md).

The onion is plain HTTP inside Tor: it must not be redirected to https, must get no HSTS and
its cookies must work over HTTP, while the clear address keeps every HTTPS behaviour. Settings
are read once per process, so each check runs in a fresh ``manage.py`` (as test_deploy_check.py).
"""

import json
import subprocess
import sys

from netral.tests.test_deploy_check import BASE_DIR, HOST, production_env

ONION = "netralbawaslubeltimonionexampleexampleexampleexampleabcd.onion"


def manage(tmp_path, *args) -> subprocess.CompletedProcess:
    env = {**production_env(tmp_path), "NETRAL_ONION_HOST": ONION}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=300)


PROBE = """
import json, re
from django.conf import settings
from django.test import Client

def cookies(response):
    return {{name: bool(morsel["secure"]) for name, morsel in response.cookies.items()}}

def language_switch(client, host, **headers):
    page = client.get("/nothing-here/", HTTP_HOST=host)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    answer = client.post("/i18n/setlang/", {{"language": "en", "next": "/", "csrfmiddlewaretoken": token}},
                         HTTP_HOST=host, **headers)
    return [answer.status_code, cookies(answer)]

onion = Client(enforce_csrf_checks=True)
onion_page = onion.get("/nothing-here/", HTTP_HOST="{onion}")
clear = Client(enforce_csrf_checks=True)
clear_plain = clear.get("/lacak/", HTTP_HOST="{host}")
clear_page = clear.get("/nothing-here/", secure=True, HTTP_HOST="{host}")
print(json.dumps({{
    "onion": [onion_page.status_code, onion_page.get("Location", ""), "Strict-Transport-Security" in onion_page,
              cookies(onion_page)],
    "onion_post_with_origin": language_switch(Client(enforce_csrf_checks=True), "{onion}",
                                              HTTP_ORIGIN="http://{onion}"),
    "onion_post_with_null_origin": language_switch(Client(enforce_csrf_checks=True), "{onion}", HTTP_ORIGIN="null",
                                                   HTTP_SEC_FETCH_SITE="same-origin"),
    "onion_post_from_elsewhere": language_switch(Client(enforce_csrf_checks=True), "{onion}",
                                                 HTTP_ORIGIN="http://evil.example"),
    "clear_plain": [clear_plain.status_code, clear_plain.get("Location", "")],
    "clear": [clear_page.get("Strict-Transport-Security"), clear_page.get("Onion-Location"), cookies(clear_page)],
    "allowed_hosts": settings.ALLOWED_HOSTS, "trusted_origins": settings.CSRF_TRUSTED_ORIGINS,
}}))
"""


def test_check_deploy_finds_nothing_with_an_onion_address(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    # W003: our CSRF middleware (test_deploy_check.py); W008: the HTTPS redirect is netral.onion's for the clear host.
    assert "System check identified no issues (2 silenced)" in result.stdout


def test_the_onion_is_served_over_http_and_the_clear_address_stays_https_only(tmp_path):
    result = manage(tmp_path, "shell", "-c", PROBE.format(host=HOST, onion=ONION))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    status, location, hsts, onion_cookies = seen["onion"]
    assert (status, location, hsts) == (404, "", False)
    assert onion_cookies == {"csrftoken": False}
    assert seen["onion_post_with_origin"] == [302, {"netral_language": False}]
    assert seen["onion_post_with_null_origin"] == [302, {"netral_language": False}]
    assert seen["onion_post_from_elsewhere"][0] == 403
    assert seen["clear_plain"] == [301, f"https://{HOST}/lacak/"]
    sts, onion_location, clear_cookies = seen["clear"]
    assert sts == "max-age=31536000; includeSubDomains; preload"
    assert onion_location == f"http://{ONION}/nothing-here/"
    assert clear_cookies == {"csrftoken": True}
    assert ONION in seen["allowed_hosts"] and f"http://{ONION}" in seen["trusted_origins"]
