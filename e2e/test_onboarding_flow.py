"""Bringing a Pemda in, in the browser: the administrator invites, the invitee follows the e-mailed
link, chooses a password, enrols their own authenticator app and lands on their agency's page."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from accounts.models import Invitation, User
from e2e.conftest import staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pantai-Manggar-2024!"


def test_an_invited_personnel_officer_enrols_and_lands_on_the_onboarding_page(
        live_server, browser, admin_national, agencies, mailoutbox, settings):
    settings.NETRAL_PUBLIC_URL = live_server.url
    beltim = agencies["beltim"]

    admin = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    staff_login(admin, live_server.url, "admin.nasional")
    # The agency is found by a search, not picked from a list of every agency.
    admin.goto(live_server.url + "/staf/pemda/?q=belitung")
    admin.click(f'tr[data-agency="{beltim.pk}"] a')
    admin.check("#id_role_1")  # personnel staff
    admin.fill("#id_name", "Siti Aminah")
    admin.fill("#id_email", "siti@beltim.go.id")
    admin.click("#invite-submit")
    admin.wait_for_selector('td[data-status="pending"]')
    assert "Undangan telah dikirim ke siti@beltim.go.id." in admin.locator("main").inner_text()

    (message,) = mailoutbox
    link = re.search(r"https?://\S+/akun/undangan/\S+/", message.body).group(0)

    invitee = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  locale="id-ID").new_page()
    invitee.set_default_timeout(15_000)
    invitee.goto(link)
    assert "Selamat datang di Netral" in invitee.locator("main").inner_text()
    invitee.fill("#id_new_password1", PASSWORD)
    invitee.fill("#id_new_password2", PASSWORD)
    invitee.click("#invitation-submit")

    # The existing second-factor setup: the welcome step, then the key shown as text.
    invitee.wait_for_selector("#setup-submit")
    invitee.click("#setup-submit")
    secret = invitee.locator("#totp-secret").inner_text().strip().replace(" ", "")
    invitee.fill("#id_generator-token", f"{TOTP(b32decode(secret)).token():06d}")
    # On a 360 px phone the key wraps: the page is no wider than the screen (it was, and the
    # widened page put the QR code over the button).
    assert invitee.evaluate("() => document.documentElement.scrollWidth") <= 360
    invitee.click("#setup-submit")

    invitee.wait_for_url(f"**/staf/pemda/{beltim.pk}/")
    assert invitee.locator('li[data-item="enrolled"]').get_attribute("data-done") == "1"
    assert invitee.locator('li[data-item="personnel"]').get_attribute("data-done") == "1"
    assert "Pemerintah Kabupaten Belitung Timur" in invitee.locator("h1").inner_text()

    user = User.objects.get(email="siti@beltim.go.id")
    assert user.is_active and user.check_password(PASSWORD)
    assert Invitation.objects.get(user=user).status == Invitation.Status.ACCEPTED
    # The link is spent.
    invitee.goto(link)
    assert "Tautan undangan ini sudah dipakai." in invitee.locator("main").inner_text()
    admin.context.close()
    invitee.context.close()
