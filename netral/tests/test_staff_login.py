"""Staff login as a whole: TOTP for every role, the admin behind the same door, a password
reset that tells nobody whether an account exists. (Throttling: accounts/tests/test_two_factor.py.)"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.tests.otp import PASSWORD, confirmed_totp_device, log_in, totp_code
from accounts.views import HOME_BY_ROLE
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SETUP = reverse("accounts:setup")
RESET = reverse("accounts:password_reset")
RESET_DONE = reverse("accounts:password_reset_done")


def account(role, offices, agencies, **extra):
    """An account of the role, with its office or agency, and no authenticator app yet."""
    place = ({"bawaslu_office": offices["beltim"]} if role in ("bawaslu_staff", "bawaslu_lead")
             else {"agency": agencies["beltim"]} if role in ("pemda_staff", "ppk", "authority") else {})
    return User.objects.create_user("baru", password=PASSWORD, role=role, email="baru@bawaslu.example",
                                    **place, **extra)


@pytest.mark.parametrize("role", [role for role, _label in User.Role.choices])
def test_every_role_must_set_up_its_authenticator_app_before_any_staff_page(client, offices, agencies, role):
    account(role, offices, agencies)
    log_in(client, "baru")
    for path in (reverse(HOME_BY_ROLE[role]), reverse("followup:list"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(SETUP), path


def test_the_admin_s_own_login_form_logs_nobody_in(client, offices, agencies):
    user = account("admin", offices, agencies, is_staff=True, is_superuser=True)
    confirmed_totp_device(user)
    response = client.post("/admin/login/", {"username": "baru", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_admin_opens_only_after_the_password_and_the_code(client, offices, agencies):
    user = account("admin", offices, agencies, is_staff=True, is_superuser=True)
    device = confirmed_totp_device(user)
    log_in(client, "baru")
    assert client.get("/admin/").status_code == 302
    log_in(client, "baru", code=totp_code(device))
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_is_not_a_way_around_the_lockout(client, offices, agencies):
    user = account("admin", offices, agencies, is_staff=True, is_superuser=True)
    confirmed_totp_device(user)
    for _ in range(5):
        log_in(client, "baru", password="salah-sandi-123")
    client.post("/admin/login/", {"username": "baru", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert log_in(client, "baru").status_code == 429


# --- Password reset ------------------------------------------------------------------------

def test_the_reset_answers_the_same_for_a_known_and_an_unknown_address(client, offices, agencies):
    account("bawaslu_staff", offices, agencies)
    known = client.post(RESET, {"email": "baru@bawaslu.example"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["baru@bawaslu.example"]
    unknown = client.post(RESET, {"email": "tidak.ada@bawaslu.example"})
    assert len(mail.outbox) == 1  # nothing sent to an address without an account
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == RESET_DONE
    assert client.get(RESET_DONE).status_code == 200


def test_reset_mails_to_one_address_are_limited_and_the_answer_stays_the_same(client, offices, agencies, settings):
    settings.NETRAL_PASSWORD_RESETS_PER_EMAIL = "3/h"
    account("bawaslu_staff", offices, agencies)
    answers = [client.post(RESET, {"email": "baru@bawaslu.example"}) for _ in range(5)]
    assert len(mail.outbox) == 3
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {(302, RESET_DONE)}


def test_an_inactive_account_gets_no_reset_link(client, offices, agencies):
    account("bawaslu_staff", offices, agencies, is_active=False)
    response = client.post(RESET, {"email": "baru@bawaslu.example"})
    assert response["Location"] == RESET_DONE and mail.outbox == []


def test_the_link_sets_a_new_password_once_and_the_login_still_asks_for_the_code(client, offices, agencies):
    user = account("bawaslu_staff", offices, agencies)
    device = confirmed_totp_device(user)
    client.post(RESET, {"email": "baru@bawaslu.example"})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    form_url = form_page.redirect_chain[-1][0]
    new = "sandi-baru-yang-panjang-42"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_reset_complete")
    assert AuditEntry.objects.filter(action="account.password_reset").count() == 1
    # The session is not logged in by the reset; the password alone opens nothing.
    response = log_in(client, "baru", password=new)
    assert response.status_code == 200 and response.context["wizard"]["steps"].current == "token"
    assert client.get(reverse("reports:inbox")).status_code == 302
    log_in(client, "baru", password=new, code=totp_code(device))
    assert client.get(reverse("reports:inbox")).status_code == 200
    # The link worked once.
    assert client.get(link, follow=True).context["validlink"] is False
