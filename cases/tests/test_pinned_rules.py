"""An open case keeps the deadline rule its clock started under; a correction is applied by a command."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from cases.deadlines import case_next_deadline
from rules import catalog as catalog_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(report_beltim, staff_beltim):
    from cases.services import case_register_report
    from cases.tests.conftest import all_met

    return case_register_report(report=report_beltim, actor=staff_beltim, checks=all_met())


@pytest.fixture
def corrected_data(tmp_path, monkeypatch):
    """A copy of the data files in which the Pilkada study rule can be corrected in place."""
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(catalog_module.DATA_DIR, folder)
    monkeypatch.setattr(catalog_module, "DATA_DIR", folder)
    monkeypatch.setattr(catalog_module, "RECHECK_SECONDS", 0)
    catalog_module.default_catalog.cache_clear()

    def correct(days: int):
        path = folder / "deadlines.yaml"
        text = path.read_text()
        start = text.index("- id: pilkada-study\n")
        end = text.index("\n- id:", start + 1)
        block = text[start:end].replace("days: 3\n", f"days: {days}\n").replace(
            "paling lama 3 hari", f"paling lama {days} hari").replace("at most 3 days", f"at most {days} days")
        block = block.replace("3 hari", f"{days} hari").replace("3 days", f"{days} days")
        path.write_text(text[:start] + block + text[end:])
        import os
        import time
        later = time.time() + 10
        os.utime(path, (later, later))
        return catalog_module.default_catalog()

    yield correct
    catalog_module.default_catalog.cache_clear()


def test_a_correction_does_not_move_an_open_case_until_the_command_applies_it(corrected_data, case):
    assert case.election.regime == "pilkada"
    assert case.pinned_rules["study"]["days"] == 3
    before = case_next_deadline(case).due

    catalog = corrected_data(4)
    assert catalog.deadline_rule("pilkada", "study", case.registered_on).days == 4
    case.refresh_from_db()
    assert case_next_deadline(case).due == before  # still the rule its clock started under

    out = StringIO()
    call_command("apply_rule_corrections", "--dry-run", stdout=out)
    assert f"{case.number}: study: days" in out.getvalue() and "would change" in out.getvalue()
    case.refresh_from_db()
    assert case.pinned_rules["study"]["days"] == 3

    out = StringIO()
    call_command("apply_rule_corrections", stdout=out)
    case.refresh_from_db()
    assert case.pinned_rules["study"]["days"] == 4
    assert case.due_on > before
    entry = AuditEntry.objects.get(action="case.rules_corrected")
    assert entry.data["steps"]["study"]["old"]["days"] == 3 and entry.data["steps"]["study"]["new"]["days"] == 4
    assert "1 open case(s) changed." in out.getvalue()


def test_a_case_registered_under_a_rule_keeps_it_in_its_explanation(case):
    answer = case_next_deadline(case)
    assert answer.rule_id == case.pinned_rules["study"]["id"]
    assert answer.start == case.registered_on
    assert answer.due >= date(2024, 1, 1)
