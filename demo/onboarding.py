"""The demo's half-onboarded local government: Kabupaten Bangka, its PPK invited and not yet enrolled.

So that ``make run`` shows the onboarding pages (/staf/pemda/) with an agency in progress beside
Belitung Timur, whose accounts, register and agreement the other seed steps make. Idempotent:
once Bangka has a PPK or personnel account, invited or not, nothing more is done.
"""

from accounts.invitations import invitation_send
from accounts.models import User
from accounts.permissions import PEMDA_ROLES
from organizations.models import Agency

AGENCY = "Pemerintah Kabupaten Bangka"
INVITEE = {"role": "ppk", "name": "PPK Kabupaten Bangka", "email": "ppk@bangka.netral.invalid"}


def seed_onboarding() -> dict[str, int]:
    agency = Agency.objects.filter(name=AGENCY).first()
    admin = User.objects.filter(username="admin", role=User.Role.ADMIN).first()
    if agency is None or admin is None or User.objects.filter(agency=agency, role__in=PEMDA_ROLES).exists():
        return {}
    invitation_send(actor=admin, agency=agency, **INVITEE)  # the e-mail goes to EMAIL_BACKEND (the console)
    return {"onboarding_invitations": 1}
