from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def check_script(path=None):
    """Refuse to start on a broken conversation file (intake/data/conversation.yaml), naming the entry."""
    from intake import script

    try:
        return script.load_script(path) if path is not None else script.default_script()
    except script.ScriptError as error:
        raise ImproperlyConfigured(str(error)) from error


def _report_news(sender, *, report, kind, body="", **kwargs):
    """reports.signals.report_news: a chat reporter hears of it on the same channel (intake/services.py)."""
    from intake.services import report_news_queue

    if report.channel in ("whatsapp", "telegram", "sms"):
        report_news_queue(report=report, kind=kind, body=body)


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Messaging channels")

    def ready(self):
        check_script()
        from intake import panels
        from reports.extensions import REPORT_PANELS
        from reports.signals import report_news

        report_news.connect(_report_news, dispatch_uid="intake.report_news")
        if panels.report_panel not in REPORT_PANELS:
            REPORT_PANELS.append(panels.report_panel)
