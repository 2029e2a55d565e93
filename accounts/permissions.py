"""The roles and what each may do, declared once (GlobaLeaks-style) and asked everywhere.

``TABLE`` maps each capability to the roles that hold it, and says whether the account must
also have a place (a Bawaslu office or an agency, which fixes its jurisdiction) to use it.
``can(user, capability)`` is the one question. The doors of each app (``access_*`` in the
selectors, the checks in the services) ask it first, then narrow to the user's
jurisdiction, office or agency. ``accounts.decorators.staff_view`` asks it for a page.
docs/roles.md says the same in words; accounts/tests/test_permissions.py renders it per role.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A staff account's role (``User.role``; ``User.Role`` is this class)."""

    BAWASLU_STAFF = "bawaslu_staff", _("Bawaslu staff")
    BAWASLU_LEAD = "bawaslu_lead", _("Bawaslu leadership")
    PEMDA_STAFF = "pemda_staff", _("Pemda personnel staff")
    PPK = "ppk", _("PPK / inspectorate")
    AUTHORITY = "authority", _("Civil-service authority liaison")
    ADMIN = "admin", _("Administrator")
    # The head of a unit (kepala perangkat daerah / unit kerja), to whom the governor's circular
    # is addressed (seed 001, items 3 and 5): keeps their own unit's checklist for an election.
    UNIT_HEAD = "unit_head", _("Unit head")


# Where each role works (User.clean requires it): Bawaslu at an office; the Pemda's personnel
# staff and its PPK, and the civil-service authority, at an agency. ``User.is_bawaslu`` is the
# one answer to "is this Bawaslu staff"; the Pemda side is the party of an agreement and the
# addressee of a sanction recommendation.
BAWASLU_ROLES = frozenset({Role.BAWASLU_STAFF, Role.BAWASLU_LEAD})
PEMDA_ROLES = frozenset({Role.PEMDA_STAFF, Role.PPK})
AGENCY_ROLES = PEMDA_ROLES | {Role.AUTHORITY}
# A unit head works at one unit of an agency (User.unit, and User.agency is the unit's agency).
UNIT_ROLES = frozenset({Role.UNIT_HEAD})
EVERY_ROLE = frozenset(Role)
# Tied to no place: an administrator holds its capabilities nationwide, with no office or agency.
NATIONWIDE_ROLES = frozenset({Role.ADMIN})


class Capability(StrEnum):
    USE_STAFF_PAGES = "use_staff_pages"
    HANDLE_REPORTS = "handle_reports"
    READ_REPORTER_IDENTITY = "read_reporter_identity"
    APPROVE_IDENTITY_REQUESTS = "approve_identity_requests"
    DECIDE_CASES = "decide_cases"
    MANAGE_PREVENTION = "manage_prevention"
    SEE_AGREEMENTS = "see_agreements"
    RECORD_AGREEMENTS = "record_agreements"
    APPROVE_AGREEMENTS = "approve_agreements"
    EXCHANGE_REGISTER = "exchange_register"
    SEE_FOLLOWUP = "see_followup"
    ACT_AS_AUTHORITY = "act_as_authority"
    ACT_AS_PPK = "act_as_ppk"
    SEE_NATIONAL_FIGURES = "see_national_figures"
    RECORD_UNIT_CHECKLIST = "record_unit_checklist"
    SEE_UNIT_PROGRESS = "see_unit_progress"
    MANAGE_SIGNATORIES = "manage_signatories"
    INVITE_PEMDA = "invite_pemda"
    SEE_ONBOARDING = "see_onboarding"


@dataclass(frozen=True)
class Grant:
    roles: frozenset
    placed: bool  # the account must have an office or an agency, unless its role is nationwide


TABLE: dict[Capability, Grant] = {
    # Any staff account: its own API tokens, a register entry's history (access_employee decides).
    Capability.USE_STAFF_PAGES: Grant(EVERY_ROLE, placed=False),
    # The reports inbox and the cases of the jurisdiction.
    Capability.HANDLE_REPORTS: Grant(BAWASLU_ROLES, placed=True),
    # Every read is audited (reports.identity.report_reveal_identity).
    Capability.READ_REPORTER_IDENTITY: Grant(BAWASLU_ROLES, placed=True),
    # Where an office asks for two people (BawasluOffice.identity_reveal_needs_approval), the
    # second is its leadership or a higher office's, never the one who asked (reports.identity).
    Capability.APPROVE_IDENTITY_REQUESTS: Grant(frozenset({Role.BAWASLU_LEAD}), placed=True),
    # Approve a case's outcome or send it back to study (cases.services).
    Capability.DECIDE_CASES: Grant(frozenset({Role.BAWASLU_LEAD}), placed=True),
    # Socialization events, attendance, pledges, banners, materials of the jurisdiction.
    Capability.MANAGE_PREVENTION: Grant(BAWASLU_ROLES | PEMDA_ROLES, placed=True),
    # The agreements one's own office or agency is a party to (agreements.selectors).
    Capability.SEE_AGREEMENTS: Grant(BAWASLU_ROLES | PEMDA_ROLES, placed=False),
    # Record an agreement from a transcription (agreements.services.agreement_record).
    Capability.RECORD_AGREEMENTS: Grant(BAWASLU_ROLES | PEMDA_ROLES | NATIONWIDE_ROLES, placed=False),
    # A party's approval of an addendum, an early end (for one's own party only).
    Capability.APPROVE_AGREEMENTS: Grant(frozenset({Role.BAWASLU_LEAD, Role.PPK}), placed=False),
    # Import and export the ASN register (of one's own agency; an administrator, any agency's).
    Capability.EXCHANGE_REGISTER: Grant(frozenset({Role.PEMDA_STAFF}) | NATIONWIDE_ROLES, placed=True),
    # The recommendations of the jurisdiction or addressed to one's agency (followup.selectors).
    Capability.SEE_FOLLOWUP: Grant(EVERY_ROLE - UNIT_ROLES, placed=True),
    # Act on a forwarding addressed to one's authority (followup.services.is_owner).
    Capability.ACT_AS_AUTHORITY: Grant(frozenset({Role.AUTHORITY}), placed=False),
    # Act on a sanction recommendation addressed to one's agency (followup.services.is_owner).
    Capability.ACT_AS_PPK: Grant(PEMDA_ROLES, placed=False),
    # The compliance dashboard over the whole country (followup.dashboard).
    Capability.SEE_NATIONAL_FIGURES: Grant(frozenset({Role.AUTHORITY}) | NATIONWIDE_ROLES, placed=False),
    # Keep one's own unit's checklist for an election (prevention.checklist; seed 001 items 3, 5).
    Capability.RECORD_UNIT_CHECKLIST: Grant(UNIT_ROLES, placed=True),
    # Read each unit's checklist progress: the Pemda side its agency's units, Bawaslu those of
    # its jurisdiction (read-only for all of them), administrators every unit.
    Capability.SEE_UNIT_PROGRESS: Grant(BAWASLU_ROLES | PEMDA_ROLES | NATIONWIDE_ROLES, placed=True),
    # Who signs one's own office's or authority's letters, for which period, and the office's
    # letterhead logo (letters.views.access_issuer); an administrator, any issuer's.
    Capability.MANAGE_SIGNATORIES: Grant(frozenset({Role.BAWASLU_LEAD, Role.AUTHORITY}) | NATIONWIDE_ROLES,
                                         placed=True),
    # Invite a regional government's PPK and personnel staff, resend or withdraw the link, and
    # list the agencies' onboarding (accounts.invitations.inviting_region: an administrator the
    # whole country, the leadership of a province office its province; a regency office none).
    Capability.INVITE_PEMDA: Grant(frozenset({Role.BAWASLU_LEAD}) | NATIONWIDE_ROLES, placed=True),
    # An agency's onboarding checklist (onboarding.selectors.access_onboarding_agency): the
    # Pemda side its own agency's, and whoever may invite it.
    Capability.SEE_ONBOARDING: Grant(frozenset({Role.BAWASLU_LEAD}) | PEMDA_ROLES | NATIONWIDE_ROLES, placed=True),
}


def roles_with(capability: Capability) -> frozenset:
    """The roles holding ``capability`` (for a query: ``role__in=roles_with(...)``)."""
    return TABLE[capability].roles


def can(user, capability: Capability) -> bool:
    """Whether ``user`` (logged in, active) holds ``capability`` by its role, and has the place it needs."""
    grant = TABLE[capability]
    if not (user.is_authenticated and user.is_active and user.role in grant.roles):
        return False
    return not grant.placed or user.role in NATIONWIDE_ROLES or user.jurisdiction is not None


# The questions the reports app asks most, by their old names.

def can_handle_reports(user) -> bool:
    return can(user, Capability.HANDLE_REPORTS)


def can_read_reporter_identity(user) -> bool:
    return can(user, Capability.READ_REPORTER_IDENTITY)


def can_approve_identity_requests(user) -> bool:
    return can(user, Capability.APPROVE_IDENTITY_REQUESTS)
