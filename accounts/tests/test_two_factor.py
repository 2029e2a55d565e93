"""Staff log in with a password and a TOTP code; failed passwords are throttled per username and address."""

from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.tests.otp import PASSWORD, confirmed_totp_device, log_in, totp_code
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SETUP = reverse("accounts:setup")
INBOX = reverse("reports:inbox")
LOCKED_OUT = "Too many failed attempts. Try again in 30 minutes or ask your administrator."
OFFICE_NAT = "203.0.113.7"


@pytest.fixture
def newcomer(offices):
    """A Bawaslu staff account that has never set up an authenticator app."""
    return User.objects.create_user("staf.baru", password=PASSWORD, role="bawaslu_staff",
                                    bawaslu_office=offices["beltim"])


def english(client):
    client.cookies["netral_language"] = "en"
    return client


def page_errors(response) -> str:
    """The form's errors in the language the page was served in (lazy texts are read here)."""
    from django.utils import translation

    with translation.override(response["Content-Language"]):
        return " ".join(str(error) for error in response.context["wizard"]["form"].errors.values())


# --- No authenticator app yet -------------------------------------------------------------

def test_a_staff_member_without_an_authenticator_app_is_sent_to_set_one_up_after_the_password(
        client, newcomer):
    response = log_in(client, "staf.baru")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP + "?next=")


@pytest.mark.parametrize("path", [INBOX, "/admin/", "/admin/accounts/user/"])
def test_without_a_confirmed_app_no_staff_page_and_no_admin_page_opens(client, newcomer, path):
    newcomer.is_staff = newcomer.is_superuser = True
    newcomer.save()
    log_in(client, "staf.baru")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_an_unconfirmed_app_does_not_count(client, newcomer):
    TOTPDevice.objects.create(user=newcomer, name="default", confirmed=False)
    log_in(client, "staf.baru")
    assert client.get(INBOX)["Location"].startswith(SETUP)


def test_the_setup_shows_the_qr_code_from_our_own_server_and_the_key_as_text(client, newcomer):
    log_in(client, "staf.baru")
    page = client.post(SETUP, {"setup_view-current_step": "welcome"})
    secret = page.context["secret_key"]
    html = page.content.decode()
    assert secret in html and 'src="/akun/2fa/qr/"' in html
    qr = client.get(reverse("accounts:setup_qr"))
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in qr.content


def test_confirming_the_app_with_its_code_opens_the_inbox_and_the_admin(client, newcomer):
    newcomer.is_staff = newcomer.is_superuser = True
    newcomer.save()
    log_in(client, "staf.baru")
    secret = client.post(SETUP, {"setup_view-current_step": "welcome"}).context["secret_key"]
    code = f"{TOTP(b32decode(secret)).token():06d}"

    response = client.post(SETUP, {"setup_view-current_step": "generator", "generator-token": code})

    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=newcomer)
    assert device.confirmed and device.name == "default"
    assert client.get(INBOX).status_code == 200
    assert client.get("/admin/").status_code == 200
    assert AuditEntry.objects.filter(action="account.second_factor_set", target_id=str(newcomer.pk)).exists()


def test_a_wrong_code_during_the_setup_saves_no_app(client, newcomer):
    log_in(client, "staf.baru")
    client.post(SETUP, {"setup_view-current_step": "welcome"})
    response = english(client).post(SETUP, {"setup_view-current_step": "generator",
                                            "generator-token": "000000"})
    assert "This code is not valid" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=newcomer).exists()
    assert client.get(INBOX).status_code == 302


# --- With an authenticator app ------------------------------------------------------------

def test_with_an_app_the_password_alone_logs_nobody_in(client, staff_beltim):
    response = log_in(client, "staf.beltim")
    assert response.status_code == 200
    assert response.context["wizard"]["steps"].current == "token"
    assert "_auth_user_id" not in client.session
    assert client.get(INBOX)["Location"].startswith(LOGIN)


def test_the_password_and_the_current_code_open_the_inbox(client, staff_beltim):
    response = log_in(client, "staf.beltim", code=totp_code(confirmed_totp_device(staff_beltim)))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")
    # Every role starts on the summary of what needs it today (issue 18, item 8).
    assert client.get(response["Location"])["Location"] == reverse("portal:staff_home")
    assert client.get(INBOX).status_code == 200
    assert client.session[DEVICE_ID_SESSION_KEY] == confirmed_totp_device(staff_beltim).persistent_id


def test_a_wrong_code_is_refused_with_a_message(client, staff_beltim):
    code = totp_code(confirmed_totp_device(staff_beltim))
    wrong = f"{(int(code) + 500_000) % 1_000_000:06d}"
    response = log_in(english(client), "staf.beltim", code=wrong)
    assert response.status_code == 200
    assert "This code is not valid" in page_errors(response)
    assert "_auth_user_id" not in client.session


def test_codes_right_after_a_wrong_one_wait_for_the_throttle(client, staff_beltim):
    device = confirmed_totp_device(staff_beltim)
    log_in(english(client), "staf.beltim", code="000000" if totp_code(device) != "000000" else "111111")
    response = client.post(LOGIN, {"login_view-current_step": "token", "token-otp_token": totp_code(device)})
    assert "Too many wrong codes" in page_errors(response)
    assert "_auth_user_id" not in client.session


def test_a_session_not_verified_by_the_app_is_sent_back_to_the_login(client, staff_beltim):
    log_in(client, "staf.beltim", code=totp_code(confirmed_totp_device(staff_beltim)))
    session = client.session
    del session[DEVICE_ID_SESSION_KEY]
    session.save()
    response = client.get(INBOX)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN + "?next=")


def test_a_backup_code_logs_in_once_when_the_phone_is_lost(client, staff_beltim):
    device = staff_beltim.staticdevice_set.create(name="backup")
    device.token_set.create(token="kode1234")
    log_in(client, "staf.beltim")
    client.post(LOGIN, {"wizard_goto_step": "backup"})
    response = client.post(LOGIN, {"login_view-current_step": "backup", "backup-otp_token": "kode1234"})
    assert response.status_code == 302 and client.get(INBOX).status_code == 200
    assert not device.token_set.exists()


def test_backup_codes_are_made_on_their_page(client, staff_beltim):
    client.force_login(staff_beltim)
    client.post(reverse("accounts:backup_tokens"))
    page = client.get(reverse("accounts:backup_tokens"))
    assert len(page.context["device"].token_set.all()) == 10
    assert AuditEntry.objects.filter(action="account.backup_codes_made").exists()


def test_removing_the_app_asks_for_a_new_one_at_once(client, staff_beltim):
    client.force_login(staff_beltim)
    response = client.post(reverse("accounts:disable"), {"understand": "on"}, follow=True)
    assert not TOTPDevice.objects.filter(user=staff_beltim).exists()
    assert response.redirect_chain[-1][0].startswith(SETUP)
    assert AuditEntry.objects.filter(action="account.second_factor_removed").exists()


def test_an_anonymous_visitor_of_the_admin_is_sent_to_our_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)


# --- Throttling of passwords ---------------------------------------------------------------

def fail(client, username, times, address=OFFICE_NAT):
    for _ in range(times):
        response = log_in(client, username, password="salah-sandi-123", REMOTE_ADDR=address)
    return response


def test_the_sixth_attempt_after_five_wrong_passwords_is_locked_even_with_the_right_password(
        client, staff_beltim):
    fail(english(client), "staf.beltim", 5)
    response = log_in(client, "staf.beltim", REMOTE_ADDR=OFFICE_NAT)
    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert response.context["wizard"]["steps"].current == "auth"


def test_four_wrong_passwords_do_not_lock(client, staff_beltim):
    fail(client, "staf.beltim", 4)
    response = log_in(client, "staf.beltim", REMOTE_ADDR=OFFICE_NAT)
    assert response.status_code == 200 and response.context["wizard"]["steps"].current == "token"


def test_another_username_from_the_same_address_is_not_locked(client, staff_beltim, lead_beltim):
    fail(client, "staf.beltim", 6)
    response = log_in(client, "ketua.beltim", REMOTE_ADDR=OFFICE_NAT)
    assert response.status_code == 200 and response.context["wizard"]["steps"].current == "token"


def test_the_same_username_from_another_address_is_not_locked(client, staff_beltim):
    fail(client, "staf.beltim", 6)
    response = log_in(client, "staf.beltim", REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 200 and response.context["wizard"]["steps"].current == "token"


def test_the_lockout_ends_after_30_minutes(client, staff_beltim):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail(client, "staf.beltim", 5)
        clock.shift(timedelta(minutes=29))
        assert log_in(client, "staf.beltim", REMOTE_ADDR=OFFICE_NAT).status_code == 429
        clock.shift(timedelta(minutes=31))
        response = log_in(client, "staf.beltim", REMOTE_ADDR=OFFICE_NAT)
    assert response.status_code == 200 and response.context["wizard"]["steps"].current == "token"


def test_axes_stores_the_count_but_never_the_password(client, staff_beltim):
    fail(client, "staf.beltim", 2)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("staf.beltim", OFFICE_NAT)
    assert attempt.failures_since_start == 2
    assert "salah-sandi" not in attempt.post_data + attempt.get_data


# --- Public pages ---------------------------------------------------------------------------

PUBLIC = ["/", "/lapor/", "/lacak/", "/larangan/", "/pengumuman/", "/healthz"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_open_without_login(client, rules, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_open_to_a_staff_member_who_has_not_finished_the_login(client, rules, newcomer, path):
    log_in(client, "staf.baru")
    assert client.get(path).status_code == 200


def test_the_language_switch_works_without_login(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize("username, start", [
    ("staf.beltim", "portal:staff_home"), ("ketua.beltim", "portal:staff_home"),
    ("bkpsdm.beltim", "portal:staff_home"), ("ppk.beltim", "portal:staff_home"), ("bkn", "portal:staff_home"),
    ("admin.nasional", "portal:staff_home"),
])
def test_each_role_starts_where_its_work_is(client, cast, username, start):
    client.force_login(cast[username])
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302 and response["Location"] == reverse(start)
    assert client.get(response["Location"]).status_code == 200
