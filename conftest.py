"""The cast shared by every app's tests: places, offices and staff of two regencies and a province.

Set-up goes through real actions (the rules loader, the services); nothing of ours is mocked.
"""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_rules", verbosity=0)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (the browser tests) empties every table when it ends: put the
    session's rule catalog back once its teardown (the flush) is done, so that the next test
    on this worker finds the catalog loaded, as the session started it."""
    yield
    marker = item.get_closest_marker("django_db")
    if nextitem is None:  # the last test: the test database is gone with the session
        return
    if "transactional_db" in getattr(item, "fixturenames", ()) or (marker and marker.kwargs.get("transaction")):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            call_command("load_rules", verbosity=0)


@pytest.fixture
def rules(db):
    """The rule data, loaded again if a transactional test flushed the tables."""
    from rules.models import Election

    if not Election.objects.exists():
        call_command("load_rules", verbosity=0)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many accounts; production keeps Django's slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Real files, in a temporary folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEALED_ROOT = tmp_path / "sealed"
    settings.STORAGES = {
        **settings.STORAGES,
        "sealed": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "sealed", "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for a finished staff login, TOTP code included.

    Every account needs a verified second factor (accounts.middleware), so the session is
    also marked as verified by the user's authenticator app, which is created confirmed if
    the user has none. Tests of the login itself go through the real pages
    (accounts/tests/test_two_factor.py).
    """
    from django.test import Client

    from accounts.tests.otp import verify_otp_session

    force_login = Client.force_login

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        verify_otp_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_verified)


@pytest.fixture
def places(db):
    from regions.models import Region

    country = Region.objects.create(code="ID", name="Indonesia", level=Region.Level.COUNTRY)
    babel = Region.objects.create(code="19", name="Kepulauan Bangka Belitung", level=1, parent=country)
    beltim = Region.objects.create(code="19.06", name="Kabupaten Belitung Timur", level=2, parent=babel)
    bangka = Region.objects.create(code="19.01", name="Kabupaten Bangka", level=2, parent=babel)
    manggar = Region.objects.create(code="19.06.01", name="Manggar", level=3, parent=beltim)
    sungailiat = Region.objects.create(code="19.01.01", name="Sungailiat", level=3, parent=bangka)
    return {"country": country, "babel": babel, "beltim": beltim, "bangka": bangka,
            "manggar": manggar, "sungailiat": sungailiat}


@pytest.fixture
def offices(places):
    from organizations.models import BawasluOffice

    def office(region, name, code):
        return BawasluOffice.objects.create(region=region, name=name, short_name=name, number_code=code)

    return {
        "babel": office(places["babel"], "Bawaslu Provinsi Kepulauan Bangka Belitung", "PM.01/K.BB"),
        "beltim": office(places["beltim"], "Bawaslu Kabupaten Belitung Timur", "K.BB-06"),
        "bangka": office(places["bangka"], "Bawaslu Kabupaten Bangka", "K.BB-01"),
    }


@pytest.fixture
def agencies(places):
    from organizations.models import Agency, Unit

    beltim = Agency.objects.create(name="Pemerintah Kabupaten Belitung Timur", region=places["beltim"],
                                   ppk_title="Bupati Belitung Timur")
    bangka = Agency.objects.create(name="Pemerintah Kabupaten Bangka", region=places["bangka"],
                                   ppk_title="Bupati Bangka")
    return {
        "beltim": beltim,
        "bangka": bangka,
        "dinkes_beltim": Unit.objects.create(agency=beltim, name="Dinas Kesehatan", short_name="Dinkes"),
        "camat_manggar": Unit.objects.create(agency=beltim, name="Kecamatan Manggar", region=places["manggar"]),
    }


def _user(username, role, **kwargs):
    """A staff account with its confirmed authenticator app, as every real account has."""
    from accounts.models import User
    from accounts.tests.otp import confirmed_totp_device

    user = User.objects.create_user(username=username, password="kata-sandi-uji-123", role=role, **kwargs)
    confirmed_totp_device(user)
    return user


@pytest.fixture
def staff_beltim(offices):
    return _user("staf.beltim", "bawaslu_staff", bawaslu_office=offices["beltim"])


@pytest.fixture
def lead_beltim(offices):
    return _user("ketua.beltim", "bawaslu_lead", bawaslu_office=offices["beltim"])


@pytest.fixture
def staff_bangka(offices):
    return _user("staf.bangka", "bawaslu_staff", bawaslu_office=offices["bangka"])


@pytest.fixture
def staff_babel(offices):
    return _user("staf.babel", "bawaslu_staff", bawaslu_office=offices["babel"])


@pytest.fixture
def pemda_beltim(agencies):
    return _user("bkpsdm.beltim", "pemda_staff", agency=agencies["beltim"])


@pytest.fixture
def ppk_beltim(agencies):
    return _user("ppk.beltim", "ppk", agency=agencies["beltim"])


@pytest.fixture
def unit_head_dinkes(agencies):
    """The head of Belitung Timur's Dinas Kesehatan (seed 001's addressee), with that unit only."""
    return _user("kadinkes.beltim", "unit_head", agency=agencies["beltim"], unit=agencies["dinkes_beltim"])


@pytest.fixture
def authority_bkn(places):
    from organizations.models import Agency

    bkn = Agency.objects.create(name="Badan Kepegawaian Negara", kind="authority", authority_code="bkn",
                                region=places["country"])
    return _user("bkn", "authority", agency=bkn)


@pytest.fixture
def admin_national(places):
    return _user("admin.nasional", "admin")


@pytest.fixture
def cast(staff_beltim, lead_beltim, staff_bangka, staff_babel, pemda_beltim, ppk_beltim, authority_bkn, admin_national):
    """Every role, by name, for tables of who may do what."""
    return {user.username: user for user in (staff_beltim, lead_beltim, staff_bangka, staff_babel, pemda_beltim,
                                             ppk_beltim, authority_bkn, admin_national)}
