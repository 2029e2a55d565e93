from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


def check_letters(data_dir=None):
    """Refuse to start on a broken letters.yaml, naming the section and the entry.

    Pure and fast (one small YAML file, template files checked by name); the parsed catalog
    of letters/data/ stays cached in memory for the renderer. The legal bases the letters
    cite are checked against the rules catalog, so this runs after rules' own check.
    """
    from letters import catalog

    try:
        return catalog.load_catalog(data_dir) if data_dir is not None else catalog.default_catalog()
    except catalog.LetterDataError as error:
        raise ImproperlyConfigured(str(error)) from error


class LettersConfig(AppConfig):
    name = "letters"
    # Not through gettext: the project's catalog (locale/) belongs to the other apps' msgids.
    verbose_name = "Letters"

    def ready(self):
        check_letters()
