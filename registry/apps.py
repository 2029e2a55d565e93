from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("ASN register")

    def ready(self):
        from registry import signals

        # An entry moved or a unit or agency renamed outside an import calls registry.hooks too.
        signals.connect()
