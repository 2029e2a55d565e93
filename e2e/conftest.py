"""Browser tests: Debian's Chromium, headless, driven by Playwright against the live server."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (set-up and checks) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed: run `make system-deps` (Debian package chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE, locale="id-ID")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def staff_login(page, base_url, username, password="kata-sandi-uji-123"):
    """Log in through the real two-step form: password, then the authenticator's code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.tests.otp import totp_code

    page.goto(base_url + "/akun/masuk/")
    page.fill("#id_auth-username", username)
    page.fill("#id_auth-password", password)
    page.click("#login-submit")
    page.fill("#id_token-otp_token", totp_code(TOTPDevice.objects.get(user__username=username)))
    page.click("#login-submit")
