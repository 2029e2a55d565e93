"""What each role may do, declared once (GlobaLeaks-style) and asked everywhere."""

from accounts.models import User

Role = User.Role

# Reading the reporter's identity is limited to those who must contact the reporter or
# sign off a decision; every read is audited (reports.identity.report_reveal_identity).
CAN_READ_REPORTER_IDENTITY = frozenset({Role.BAWASLU_STAFF, Role.BAWASLU_LEAD})
# Where an office asks for two people (BawasluOffice.identity_reveal_needs_approval), the
# second is its leadership or a higher office's, never the one who asked (reports.identity
# checks the office and the person).
CAN_APPROVE_IDENTITY_REQUESTS = frozenset({Role.BAWASLU_LEAD})
CAN_HANDLE_REPORTS = frozenset({Role.BAWASLU_STAFF, Role.BAWASLU_LEAD})


def can_handle_reports(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in CAN_HANDLE_REPORTS and user.jurisdiction is not None


def can_read_reporter_identity(user) -> bool:
    return can_handle_reports(user) and user.role in CAN_READ_REPORTER_IDENTITY


def can_approve_identity_requests(user) -> bool:
    return can_read_reporter_identity(user) and user.role in CAN_APPROVE_IDENTITY_REQUESTS
