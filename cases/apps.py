from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _report_actions(user, report):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from cases.selectors import case_of_report
    from reports.states import FINAL

    case = case_of_report(report)
    if case:
        return [(_("Open case %(number)s") % {"number": case.number}, case.get_absolute_url())]
    if report.status in FINAL and report.status != "information":
        return []
    if report.anonymous:
        return [(_("Register as a finding"), reverse("cases:finding_from_report", args=[report.pk]))]
    return [(_("Check requirements and register"), reverse("cases:register_report", args=[report.pk]))]


def _next_step(report):
    from cases.next_step import report_next_step

    return report_next_step(report)


def _rekey_entries(employee_ids):
    """registry.hooks: a register import moved these entries to other units (cases.person_key)."""
    from cases.models import CasePerson
    from cases.person_key import rekey_entries

    rekey_entries(CasePerson, employee_ids)


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from cases.person_key import ENTRY_FIELDS
        from registry.hooks import entry_change_register
        from reports.extensions import NEXT_STEP_ORDER_CASES, REPORT_STAFF_ACTIONS, next_step_register

        REPORT_STAFF_ACTIONS.append(_report_actions)  # the requirements are law data: rules.apps checks them
        # The reporter's next step from registration to the decision, with its legal clock (issue 18).
        next_step_register(_next_step, order=NEXT_STEP_ORDER_CASES)
        # A register import re-resolves the keys of the typed persons of the entries it moved, in the
        # commit's transaction (cases.person_key; registry must not import cases).
        entry_change_register(_rekey_entries, fields=ENTRY_FIELDS)
