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
