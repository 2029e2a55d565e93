"""Invitations' cast and helpers, shared by the tests of accounts (the service) and onboarding (its pages).

Fixtures here are imported where they are used (a conftest sees only its own folder):
``from accounts.tests.factories import lead_babel, riau  # noqa: F401 (fixtures)``.
"""

import pytest

from accounts.invitations import invitation_send

PASSWORD = "Pantai-Manggar-2024!"
REFUSING_BACKEND = "accounts.tests.factories.RefusingBackend"  # settings.EMAIL_BACKEND of a mail server down


@pytest.fixture
def riau(places):
    """Another province, with a city government and its Bawaslu office."""
    from organizations.models import Agency, BawasluOffice
    from regions.models import Region

    province = Region.objects.create(code="21", name="Kepulauan Riau", level=1, parent=places["country"])
    batam = Region.objects.create(code="21.71", name="Kota Batam", level=2, parent=province)
    BawasluOffice.objects.create(region=province, name="Bawaslu Provinsi Kepulauan Riau", short_name="Kepri",
                                 number_code="K.KR")
    return Agency.objects.create(name="Pemerintah Kota Batam", region=batam, ppk_title="Wali Kota Batam")


@pytest.fixture
def lead_babel(offices):
    """The leadership of the province office: it invites the governments of its province."""
    from conftest import _user

    return _user("ketua.babel", "bawaslu_lead", bawaslu_office=offices["babel"])


def invite(actor, agency, email="siti@beltim.go.id", role="pemda_staff", **kwargs):
    """An invitation sent through the service, as the pages send it."""
    return invitation_send(actor=actor, agency=agency, role=role, name="Siti Aminah", email=email, **kwargs)


class RefusingBackend:
    """The mail server of the outside world, down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
