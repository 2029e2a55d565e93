"""The login's error for a wrong password reads as one sentence in Indonesian (issue 16, item 9)."""

import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from accounts.tests.otp import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def compiled_catalog(tmp_path, settings):
    """The current locale/id catalog compiled into a temporary folder, whatever `make` built."""
    target = tmp_path / "locale" / "id" / "LC_MESSAGES"
    target.mkdir(parents=True)
    po = Path(django_settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(po)], check=True)
    settings.LOCALE_PATHS = [tmp_path / "locale"]


def test_a_wrong_password_says_username_once(client, staff_beltim, compiled_catalog):
    response = log_in(client, staff_beltim.username, password="bukan-sandinya-123")
    errors = " ".join(response.context["form"].non_field_errors())
    assert "nama pengguna nama pengguna" not in errors
    assert errors.startswith("Masukkan nama pengguna dan kata sandi yang benar.")
