from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _forwarded(sender, *, case, actor, letters, **kwargs):
    from followup.services import forwarding_open

    forwarding_open(case=case, actor=actor, letters=letters)


def _case_panel(user, case):
    from followup.views import case_panel

    return case_panel(user, case)


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up of recommendations")

    def ready(self):
        from cases.extensions import CASE_PANELS
        from cases.signals import case_decided

        # The follow-up limits and escalation levels are law data: rules.apps checks them.
        case_decided.connect(_forwarded, dispatch_uid="followup.forwarding_open")
        if _case_panel not in CASE_PANELS:
            CASE_PANELS.append(_case_panel)
