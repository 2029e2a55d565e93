"""The table of roles and capabilities, rendered per role, and ``can`` for the accounts of the cast."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from accounts.permissions import TABLE, Capability, Role, can, roles_with

# What each role may do, written out by hand: a change to the table must change this too.
EXPECTED = {
    Role.BAWASLU_STAFF: {"use_staff_pages", "handle_reports", "read_reporter_identity", "manage_prevention",
                         "see_agreements", "record_agreements", "see_followup", "see_unit_progress"},
    Role.BAWASLU_LEAD: {"use_staff_pages", "handle_reports", "read_reporter_identity", "approve_identity_requests",
                        "decide_cases", "manage_prevention", "see_agreements", "record_agreements",
                        "approve_agreements", "see_followup", "see_unit_progress", "manage_signatories",
                        "invite_pemda", "see_onboarding"},
    Role.PEMDA_STAFF: {"use_staff_pages", "manage_prevention", "see_agreements", "record_agreements",
                       "exchange_register", "see_followup", "act_as_ppk", "see_unit_progress", "see_onboarding"},
    Role.PPK: {"use_staff_pages", "manage_prevention", "see_agreements", "record_agreements", "approve_agreements",
               "see_followup", "act_as_ppk", "see_unit_progress", "see_onboarding"},
    Role.AUTHORITY: {"use_staff_pages", "see_followup", "act_as_authority", "see_national_figures",
                     "manage_signatories"},
    Role.ADMIN: {"use_staff_pages", "record_agreements", "exchange_register", "see_followup",
                 "see_national_figures", "see_unit_progress", "manage_signatories", "invite_pemda",
                 "see_onboarding"},
    Role.UNIT_HEAD: {"use_staff_pages", "record_unit_checklist"},
}
# What an account without an office or agency keeps (an administrator is placed nowhere anyway).
UNPLACED = {capability.value for capability, grant in TABLE.items() if not grant.placed}
USERNAME_ROLE = {"staf.beltim": Role.BAWASLU_STAFF, "ketua.beltim": Role.BAWASLU_LEAD, "staf.bangka": Role.BAWASLU_STAFF,
                 "staf.babel": Role.BAWASLU_STAFF, "bkpsdm.beltim": Role.PEMDA_STAFF, "ppk.beltim": Role.PPK,
                 "bkn": Role.AUTHORITY, "admin.nasional": Role.ADMIN}


def held(user) -> set[str]:
    return {capability.value for capability in Capability if can(user, capability)}


@pytest.mark.parametrize("role", list(Role))
def test_the_table_gives_each_role_its_capabilities(role):
    assert {capability.value for capability, grant in TABLE.items() if role in grant.roles} == EXPECTED[role]


def test_every_capability_is_in_the_table():
    assert set(TABLE) == set(Capability)


@pytest.mark.parametrize("username", list(USERNAME_ROLE))
def test_each_account_of_the_cast_holds_what_its_role_holds(cast, username):
    assert held(cast[username]) == EXPECTED[USERNAME_ROLE[username]]


def test_a_unit_head_holds_what_its_role_holds(unit_head_dinkes):
    assert held(unit_head_dinkes) == EXPECTED[Role.UNIT_HEAD]


@pytest.mark.parametrize("role", [Role.BAWASLU_STAFF, Role.BAWASLU_LEAD, Role.PEMDA_STAFF, Role.PPK, Role.AUTHORITY,
                                  Role.UNIT_HEAD])
def test_an_account_without_office_or_agency_keeps_only_what_needs_no_place(db, role):
    user = User.objects.create_user(f"tanpa.tempat.{role}", role=role)
    assert held(user) == EXPECTED[role] & UNPLACED


def test_an_administrator_needs_no_place(db):
    admin = User.objects.create_user("admin.lain", role=Role.ADMIN)
    assert admin.jurisdiction is None
    assert held(admin) == EXPECTED[Role.ADMIN]


def test_an_inactive_account_and_a_visitor_hold_nothing(lead_beltim):
    lead_beltim.is_active = False
    assert held(lead_beltim) == set()
    assert held(AnonymousUser()) == set()


def test_who_reads_an_identity_handles_reports_and_who_approves_reads():
    assert roles_with(Capability.APPROVE_IDENTITY_REQUESTS) <= roles_with(Capability.READ_REPORTER_IDENTITY)
    assert roles_with(Capability.READ_REPORTER_IDENTITY) <= roles_with(Capability.HANDLE_REPORTS)


def test_is_bawaslu_answers_for_staff_and_leadership_only():
    assert {role for role in Role if User(role=role).is_bawaslu} == {Role.BAWASLU_STAFF, Role.BAWASLU_LEAD}


def test_the_table_in_the_docs_is_the_table_in_the_code():
    """docs/roles.md shows the table in words; its grid of capabilities and roles must match."""
    lines = (Path(__file__).resolve().parents[2] / "docs" / "roles.md").read_text(encoding="utf-8").splitlines()
    start = next(number for number, line in enumerate(lines) if line.startswith("| capability |"))
    roles = [cell.strip(" `") for cell in lines[start].strip("|").split("|")[2:]]
    assert set(roles) == set(Role.values)
    shown = {}
    for line in lines[start:]:
        match = re.match(r"\| `(\w+)` \|", line)
        if match:
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            shown[match.group(1)] = ({role for role, cell in zip(roles, cells[2:], strict=True) if cell},
                                     cells[1] == "yes")
    assert shown == {capability.value: (set(grant.roles), grant.placed) for capability, grant in TABLE.items()}
