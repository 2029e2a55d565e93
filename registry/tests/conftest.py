import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from registry.importing import EXPORT_HEADERS, FIELDS

HEADERS = [EXPORT_HEADERS[name] for name in FIELDS]


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Background jobs run in the test's own process when enqueued (one test runs the real worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def csv_upload(rows, *, headers=HEADERS, name="pegawai.csv", delimiter=";", encoding="utf-8-sig", title=None):
    text = io.StringIO()
    if title:
        text.write(title + "\n\n")
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, *, headers=HEADERS, name="pegawai.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@pytest.fixture
def pemda_bangka(agencies):
    from accounts.models import User
    from accounts.tests.otp import confirmed_totp_device

    user = User.objects.create_user(username="bkpsdm.bangka", password="kata-sandi-uji-123", role="pemda_staff",
                                    agency=agencies["bangka"])
    confirmed_totp_device(user)
    return user


@pytest.fixture
def dinkes_bangka(agencies):
    from organizations.models import Unit

    return Unit.objects.create(agency=agencies["bangka"], name="Dinas Kesehatan", short_name="Dinkes")
