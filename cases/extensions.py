"""Seams through which higher apps add to case pages without cases importing them.

An app above cases (followup) appends a callable ``(user, case) -> str | None`` in its
AppConfig.ready(); it returns an HTML-safe rendered panel (or None when it has nothing to
show), and the staff case page shows the panels in order.
"""

CASE_PANELS: list = []


def case_panels_for(user, case) -> list[str]:
    panels = []
    for provider in CASE_PANELS:
        panel = provider(user, case)
        if panel:
            panels.append(panel)
    return panels
