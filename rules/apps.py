from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def check_catalog(data_dir=None):
    """Refuse to start on a broken data file, naming the file and the entry.

    Pure and fast (a few small YAML files); the parsed catalog of rules/data/ stays cached
    in memory for the selectors.
    """
    from rules import catalog

    try:
        return catalog.load_catalog(data_dir) if data_dir is not None else catalog.default_catalog()
    except catalog.CatalogError as error:
        raise ImproperlyConfigured(str(error)) from error


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = _("Rules")

    def ready(self):
        check_catalog()
