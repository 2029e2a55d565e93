import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netral.settings")
application = get_wsgi_application()

from netral.heap import freeze_when_warm  # noqa: E402 (needs the settings above)

freeze_when_warm()  # shorter collector pauses once the process is warm (netral/heap.py)
