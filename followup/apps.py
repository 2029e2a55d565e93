from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _forwarded(sender, *, case, actor, letters, **kwargs):
    from followup.services import forwarding_open

    forwarding_open(case=case, actor=actor, letters=letters)


def _case_change(case_ids):
    from followup.tallies import tallies_case_change

    return tallies_case_change(case_ids)


def _case_panel(user, case):
    from followup.views import case_panel

    return case_panel(user, case)


def _repeat_panel(user, case):
    from followup.repeat_views import repeat_panel

    return repeat_panel(user, case)


def _next_step(report):
    from followup.next_step import report_next_step

    return report_next_step(report)


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up of recommendations")

    def ready(self):
        from cases.extensions import CASE_PANELS
        from cases.hooks import case_change_register
        from cases.signals import case_decided
        from reports.extensions import NEXT_STEP_ORDER_FOLLOWUP, next_step_register

        # The follow-up limits and escalation levels are law data: rules.apps checks them.
        case_decided.connect(_forwarded, dispatch_uid="followup.forwarding_open")
        # The dashboard's tallies follow a change of a case made outside the follow-up services (a
        # merge moves reports), in the change's transaction (cases.hooks, followup.tallies).
        case_change_register(_case_change)
        if _case_panel not in CASE_PANELS:
            CASE_PANELS.append(_case_panel)
        if _repeat_panel not in CASE_PANELS:  # repeat offenders (issue 19, seed 003)
            CASE_PANELS.append(_repeat_panel)
        # The reporter's next step once the case is forwarded: the recommendation's limit (issue 18).
        next_step_register(_next_step, order=NEXT_STEP_ORDER_FOLLOWUP)
