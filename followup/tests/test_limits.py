"""followup.limits asks the law catalog: no file of its own, and a changed file is seen live."""

import os
import shutil
import time
from datetime import date

import pytest

from followup import limits
from rules import catalog as catalog_module


def test_the_limit_of_a_recommendation_follows_the_authority_of_its_day():
    assert limits.limit_for(limits.PPK, "kasn", date(2024, 8, 23)).id == "ppk-kasn"
    assert limits.limit_for(limits.PPK, "bkn", date(2024, 8, 24)).id == "ppk-bkn"


def test_a_day_without_a_limit_is_an_error_naming_stage_authority_and_day():
    with pytest.raises(limits.LimitError, match="stage ppk, authority bkn on 2024-08-23"):
        limits.limit_for(limits.PPK, "bkn", date(2024, 8, 23))


def test_an_ignored_recommendation_escalates_one_level_then_no_further():
    first = limits.escalation_level(limits.PPK, 1, date(2025, 1, 6))
    assert first.to == limits.AUTHORITY_HEAD
    assert limits.escalation_level(limits.PPK, 2, date(2025, 1, 6)) is None
    assert limits.max_level(limits.AUTHORITY, date(2025, 1, 6)) == 1


def test_a_changed_limit_file_reaches_a_running_process_without_a_restart(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(catalog_module.DATA_DIR, folder)
    monkeypatch.setattr(catalog_module, "DATA_DIR", folder)
    monkeypatch.setattr(catalog_module, "RECHECK_SECONDS", 0)
    catalog_module.default_catalog.cache_clear()
    try:
        assert limits.limit_for(limits.PPK, "bkn", date(2025, 1, 6)).days == 3
        path = folder / "followup_limits.yaml"
        text = path.read_text(encoding="utf-8")
        start = text.index("- id: ppk-bkn")
        path.write_text(text[:start] + text[start:].replace("days: 3", "days: 5").replace("3 hari", "5 hari")
                        .replace("3 days", "5 days").replace("3-day", "5-day"), encoding="utf-8")
        later = time.time() + 5
        os.utime(path, (later, later))
        assert limits.limit_for(limits.PPK, "bkn", date(2025, 1, 6)).days == 5
    finally:
        catalog_module.default_catalog.cache_clear()
