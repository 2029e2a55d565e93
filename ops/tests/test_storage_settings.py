"""Object storage from the environment (netral/settings.py): no S3 server here, so the settings only."""

import json
import os
import subprocess
import sys

from django.conf import settings

PRINT_STORAGES = """
import django, json; django.setup()
from django.core.files.storage import storages
out = {}
for alias in ("default", "sealed"):
    s = storages[alias]
    out[alias] = [type(s).__module__ + "." + type(s).__name__, s.bucket_name, s.location, s.endpoint_url,
                  s.default_acl, s.file_overwrite]
print(json.dumps(out))
"""


def test_the_s3_variables_put_media_and_sealed_evidence_in_private_object_storage(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "netral.settings", "NETRAL_DATA_DIR": str(tmp_path),
           "NETRAL_S3_BUCKET": "netral-files", "NETRAL_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
           "NETRAL_S3_ACCESS_KEY_ID": "key", "NETRAL_S3_SECRET_ACCESS_KEY": "secret"}
    out = subprocess.run([sys.executable, "-c", PRINT_STORAGES], cwd=settings.BASE_DIR, env=env,
                         capture_output=True, text=True, check=True).stdout
    storages = json.loads(out.strip().splitlines()[-1])
    assert storages == {
        "default": ["storages.backends.s3.S3Storage", "netral-files", "media", "http://127.0.0.1:9000", "private", False],
        "sealed": ["storages.backends.s3.S3Storage", "netral-files", "sealed", "http://127.0.0.1:9000", "private", False],
    }


def test_without_them_files_stay_on_the_file_system():
    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
