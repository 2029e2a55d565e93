"""What each role may do, declared once (GlobaLeaks-style) and asked everywhere."""

from accounts.models import User

Role = User.Role

# Reading the reporter's identity is limited to those who must contact the reporter or
# sign off a decision; every read is audited (reports.services.report_reveal_identity).
CAN_READ_REPORTER_IDENTITY = frozenset({Role.BAWASLU_STAFF, Role.BAWASLU_LEAD})
CAN_HANDLE_REPORTS = frozenset({Role.BAWASLU_STAFF, Role.BAWASLU_LEAD})


def can_handle_reports(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in CAN_HANDLE_REPORTS and user.jurisdiction is not None


def can_read_reporter_identity(user) -> bool:
    return can_handle_reports(user) and user.role in CAN_READ_REPORTER_IDENTITY
