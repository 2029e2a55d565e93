"""Production settings pass ``manage.py check --deploy`` and send the HTTPS-only headers.

Settings are read once per process, so each check runs in a fresh ``manage.py`` process
with the environment of a real installation (docs/deploy.md).
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
HOST = "netral.bawaslu.example"


def production_env(tmp_path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("NETRAL_", "DJANGO_", "SECURE_", "SESSION_")) and name != "DEBUG"}
    env.update(NETRAL_DATA_DIR=str(tmp_path), NETRAL_HTTPS="1", NETRAL_DEBUG="0", ALLOWED_HOSTS=HOST,
               SECRET_KEY=secrets.token_urlsafe(50), DJANGO_SETTINGS_MODULE="netral.settings")
    return env


def manage(tmp_path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=production_env(tmp_path),
                          capture_output=True, text=True, timeout=300)


def test_check_deploy_finds_nothing_under_production_settings(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_the_only_silenced_check_is_covered_by_our_own_csrf_middleware():
    from django.middleware.csrf import CsrfViewMiddleware

    from netral.csrf import CsrfViewMiddleware as Ours

    assert settings.SILENCED_SYSTEM_CHECKS == ["security.W003"]
    assert "netral.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert issubclass(Ours, CsrfViewMiddleware)


PROBE = """
import json
from django.conf import settings
from django.test import Client
client = Client()
plain = client.get("/lacak/", HTTP_HOST="{host}")
page = client.get("/nothing-here/", secure=True, HTTP_HOST="{host}")
print(json.dumps({{
    "redirect": [plain.status_code, plain.get("Location", "")],
    "headers": dict(page.headers),
    "cookies": {{name: dict(morsel) for name, morsel in page.cookies.items()}},
    "settings": {{name: getattr(settings, name) for name in (
        "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_SECURE", "SESSION_EXPIRE_AT_BROWSER_CLOSE", "SESSION_COOKIE_AGE", "DEBUG")}},
}}))
"""


def test_over_https_production_sends_hsts_and_secure_cookies(tmp_path):
    result = manage(tmp_path, "shell", "-c", PROBE.format(host=HOST))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["redirect"] == [301, f"https://{HOST}/lacak/"]
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    csrf = seen["cookies"][settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    assert seen["settings"] == {
        "SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_HTTPONLY": True, "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True, "LANGUAGE_COOKIE_SECURE": True, "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "SESSION_COOKIE_AGE": 8 * 3600, "DEBUG": False,
    }
