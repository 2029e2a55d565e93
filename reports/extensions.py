"""Seams through which higher apps add to report pages without reports importing them.

An app above reports (cases) appends a callable ``(user, report) -> list[(label, url)]``
in its AppConfig.ready(); the staff report page shows what they return.
"""

REPORT_STAFF_ACTIONS: list = []


def staff_actions_for(user, report) -> list[tuple[str, str]]:
    actions = []
    for provider in REPORT_STAFF_ACTIONS:
        actions.extend(provider(user, report))
    return actions


# Panels on the staff report page (intake: the conversation that made a chat report). A callable
# ``(user, report, *, identity_opened) -> str | None`` returns an HTML-safe rendered panel;
# ``identity_opened`` is True only on the page that report_reveal_identity (reports/identity.py)
# just opened for this user, so a panel may show what belongs to the identity then, and only then.
REPORT_PANELS: list = []


def report_panels_for(user, report, *, identity_opened: bool = False) -> list[str]:
    panels = []
    for provider in REPORT_PANELS:
        panel = provider(user, report, identity_opened=identity_opened)
        if panel:
            panels.append(panel)
    return panels
