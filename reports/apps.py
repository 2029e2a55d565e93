from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from reports.extensions import NEXT_STEP_ORDER_REPORTS, next_step_register
        from reports.next_step import report_next_step

        # The next step by the report's own status; cases and followup add the later stages.
        next_step_register(report_next_step, order=NEXT_STEP_ORDER_REPORTS)
