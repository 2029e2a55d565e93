"""`make run PORT=8123` prints the address it really serves on (issue 16, item 9)."""

import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_hands_its_host_and_port_to_the_setup_that_prints_the_address():
    def planned(target):  # make -n: the commands, printed and not run
        return subprocess.run(["make", "-n", target, "HOST=127.0.0.2", "PORT=8123"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout

    assert "seed_demo --url http://127.0.0.2:8123/" in planned("setup")
    assert "runserver 127.0.0.2:8123" in planned("serve")


@pytest.mark.django_db
def test_seed_demo_prints_the_address_it_is_given(rules):
    output = StringIO()
    with transaction.atomic():
        call_command("seed_demo", "--url", "http://127.0.0.1:8123/", stdout=output)
        transaction.set_rollback(True)
    assert output.getvalue().rstrip().endswith("Open http://127.0.0.1:8123/")
