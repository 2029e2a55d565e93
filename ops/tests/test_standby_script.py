"""make replica-check (ops/standby.py) fails unless the standby tests all ran and passed."""

import pytest

from ops.standby import check_report, free_port

REPORT = ('<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="{errors}" '
          'failures="{failures}" skipped="{skipped}" tests="{tests}" time="1.0"></testsuite></testsuites>')


def junit(tmp_path, *, tests, skipped=0, failures=0, errors=0):
    path = tmp_path / "junit.xml"
    path.write_text(REPORT.format(tests=tests, skipped=skipped, failures=failures, errors=errors))
    return path


def test_all_ran_and_passed(tmp_path):
    assert check_report(junit(tmp_path, tests=5)) == "5 tests, 0 failed, 0 skipped"


@pytest.mark.parametrize("outcome", [
    {"tests": 0},                   # none collected
    {"tests": 5, "skipped": 5},     # no standby: skipped
    {"tests": 5, "skipped": 1},
    {"tests": 5, "failures": 1},
    {"tests": 5, "errors": 1},
])
def test_anything_else_fails_the_check(tmp_path, outcome):
    with pytest.raises(SystemExit, match="replica-check: FAILED"):
        check_report(junit(tmp_path, **outcome))


def test_free_ports_are_ports():
    assert 1024 <= free_port() <= 65535
