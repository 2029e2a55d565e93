from base64 import b32decode
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.tests.otp import log_in, totp_code
from audit.models import AuditEntry
from demo.management.commands.demo_totp import DEMO_TOTP_SECRET
from demo.seed import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
KEY_HEX = b32decode(DEMO_TOTP_SECRET).hex()


@pytest.fixture
def demo_logins(offices):
    from django.contrib.auth.hashers import make_password

    encoded = make_password(DEFAULT_PASSWORD)  # as seed_demo does: one hash for all
    return [
        User.objects.create(username="admin", password=encoded, role="admin", is_staff=True,
                            is_superuser=True),
        User.objects.create(username="staf.beltim", password=encoded, role="bawaslu_staff",
                            bawaslu_office=offices["beltim"]),
    ]


def run(*args) -> str:
    output = StringIO()
    call_command("demo_totp", *args, stdout=output)
    return output.getvalue()


def test_demo_logins_get_the_printed_key_and_can_log_in_with_it(client, demo_logins):
    output = run()
    assert "NETR ALDE" in output and f"secret={DEMO_TOTP_SECRET}" in output
    device = TOTPDevice.objects.get(user__username="staf.beltim")
    assert (device.key, device.confirmed, device.name) == (KEY_HEX, True, "default")
    response = log_in(client, "staf.beltim", password=DEFAULT_PASSWORD, code=totp_code(device))
    assert response.status_code == 302 and client.get(response["Location"], follow=True).status_code == 200


def test_an_account_without_the_demo_password_gets_no_key_even_with_a_demo_username(demo_logins):
    admin = demo_logins[0]
    admin.set_password("sandi-produksi-rahasia-9")
    admin.save()
    run()
    assert not TOTPDevice.objects.filter(user=admin).exists()


def test_accounts_outside_the_demo_list_get_no_key(demo_logins, offices):
    from django.contrib.auth.hashers import make_password

    other = User.objects.create(username="staf.lain", password=make_password(DEFAULT_PASSWORD),
                                bawaslu_office=offices["beltim"])
    run()
    assert not TOTPDevice.objects.filter(user=other).exists()


def test_running_it_again_changes_nothing(demo_logins):
    run()
    run()
    assert TOTPDevice.objects.count() == 2
    assert AuditEntry.objects.filter(action="demo.totp_set").count() == 1


def test_an_app_set_up_by_a_demo_account_is_kept_unless_reset(demo_logins):
    own = TOTPDevice.objects.create(user=demo_logins[1], name="default", confirmed=True)
    assert "--reset replaces it): staf.beltim" in run()
    own.refresh_from_db()
    assert own.key != KEY_HEX
    run("--reset")
    own.refresh_from_db()
    assert own.key == KEY_HEX


def test_the_key_can_be_printed_as_a_qr_code(demo_logins):
    assert "█" in run("--qr")
