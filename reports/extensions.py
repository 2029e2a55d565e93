"""Seams through which higher apps add to report pages without reports importing them.

An app above reports (cases) appends a callable ``(user, report) -> list[(label, url)]``
in its AppConfig.ready(); the staff report page shows what they return.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

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


# What happens next on a report, for the reporter's tracking page (issue 18). Each app that
# knows a later stage registers a provider ``(report) -> NextStep | None`` with an order:
# reports (its own statuses, no dates) < cases (registration and study clocks, the decision)
# < followup (the recommendation's limit). The highest order that answers wins; a provider
# answers None when its stage has not been reached, and the next one down is asked.
NEXT_STEP_ORDER_REPORTS, NEXT_STEP_ORDER_CASES, NEXT_STEP_ORDER_FOLLOWUP = 0, 10, 20


@dataclass(frozen=True)
class NextStep:
    """What happens next, in plain words for the reporter: never staff names, internal notes or
    the reported person's identity.

    ``text`` says who does what, without a final full stop ("Bawaslu checks whether ...");
    ``due`` is the legal limit by when, with the ``citation`` the deadline rule carries (and
    ``verified`` False when the rule data says it was not checked against the legal text).
    ``finished`` means the handling is over; ``still_possible`` then says what the reporter can
    still do.
    """

    text: str
    due: date | None = None
    citation: str = ""
    verified: bool = True
    finished: bool = False
    still_possible: str = ""


NEXT_STEP_PROVIDERS: list[tuple[int, Callable]] = []


def next_step_register(provider: Callable, *, order: int) -> None:
    """Add a provider once (an AppConfig.ready() may run twice in tests)."""
    if all(registered is not provider for _order, registered in NEXT_STEP_PROVIDERS):
        NEXT_STEP_PROVIDERS.append((order, provider))
        NEXT_STEP_PROVIDERS.sort(key=lambda item: -item[0])


def next_step_for(report) -> NextStep | None:
    for _order, provider in NEXT_STEP_PROVIDERS:  # highest order first
        step = provider(report)
        if step is not None:
            return step
    return None
