"""The conversation on the staff report page (reports.extensions.REPORT_PANELS) and its full transcript.

Staff who may handle the report (reports.selectors.access_report, the one door) read what the
reporter wrote and what Netral asked, decrypted. The answers that are the reporter's identity,
and the sender's number, are shown only on the page that the identity door
(reports.identity.report_reveal_identity: role, jurisdiction, approval where the office asks
for it) has just opened for this staff member, and never for an anonymous report, whose
reporter was told that the number is not part of it. Seeing the number is audited.
"""

from django.template.loader import render_to_string

from audit.services import audit_record
from intake import selectors

SHOWN_ON_REPORT = 12  # the latest lines on the report page; the rest on the transcript page


def sender_address_for(user, report, conversation, *, identity_opened: bool) -> str:
    """The number (or chat id) the report came from, for a user the identity door just let in; audited."""
    if not identity_opened or report.anonymous or report.reporter is None:
        return ""
    address = (conversation.sender or {}).get("address", "")
    if address:
        audit_record(actor=user, action="intake.sender_viewed", target=report,
                     data={"conversation": conversation.pk, "channel": conversation.channel})
    return address


def report_panel(user, report, *, identity_opened: bool = False) -> str | None:
    """The conversation that made a chat report (the view has passed access_report); None for others."""
    conversation = selectors.conversation_of_report(report)
    if conversation is None:
        return None
    lines = selectors.transcript(conversation, anonymous=report.anonymous, identity_opened=identity_opened)
    return render_to_string("intake/_report_panel.html", {
        "report": report, "conversation": conversation, "lines": lines[-SHOWN_ON_REPORT:],
        "earlier": max(len(lines) - SHOWN_ON_REPORT, 0), "total": len(lines),
        "sender": sender_address_for(user, report, conversation, identity_opened=identity_opened),
    })
