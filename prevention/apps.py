from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def check_prevention_data(data_dir=None):
    """Refuse to start on a broken prevention/data file, naming the file and the entry."""
    from prevention import catalog

    try:
        return catalog.load_catalog(data_dir) if data_dir is not None else catalog.default_catalog()
    except catalog.PreventionDataError as error:
        raise ImproperlyConfigured(str(error)) from error


def _sync_themes(sender, **kwargs):
    from prevention.services import theme_sync_from_data

    theme_sync_from_data()


class PreventionConfig(AppConfig):
    name = "prevention"
    verbose_name = _("Prevention")

    def ready(self):
        check_prevention_data()
        # The themes of the data file exist in every database, tests' flushed ones included.
        post_migrate.connect(_sync_themes, sender=self, dispatch_uid="prevention.sync_themes")
        # The national checklist workbook takes seconds: it is built in the background (exports).
        from exports.kinds import export_kind_register
        from prevention.checklist_export import PROGRESS_EXPORT

        export_kind_register(PROGRESS_EXPORT)
