"""Storing the law: versions, idempotence, deactivation, the command and the selectors."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from audit.models import AuditEntry
from rules import catalog
from rules.catalog import CatalogError
from rules.models import Election, RuleSet, Violation
from rules.selectors import (
    access_violation,
    election_list_open,
    localized,
    violation_choices,
    violation_explained,
    violation_list,
    violations_by_family,
)
from rules.services import rules_load

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules")]


def _snapshot():
    return (
        list(RuleSet.objects.values_list("id", "version")),
        list(Violation.objects.values()),
        list(Election.objects.values()),
        AuditEntry.objects.count(),
    )


def test_the_session_load_stored_the_real_files_as_the_current_version(rules):
    current = catalog.load_catalog()
    ruleset = RuleSet.objects.get(version=current.version)
    assert set(Violation.objects.filter(active=True).values_list("id", flat=True)) == set(current.violations)
    assert Violation.objects.filter(ruleset=ruleset).count() == len(current.violations)
    assert ruleset.content["violations"][0]["id"] == "banner-support"


def test_loading_the_same_files_twice_changes_nothing_and_records_nothing():
    rules_load()
    before = _snapshot()
    ruleset = rules_load()
    assert _snapshot() == before
    assert ruleset.load_summary.changed is False


def test_stored_rows_carry_both_titles_the_family_and_the_whole_entry():
    row = Violation.objects.get(pk="campaign-with-attributes")
    assert row.title_id.startswith("Menjadi peserta kampanye")
    assert row.title_en.startswith("Taking part in a campaign")
    assert row.family == "discipline"
    assert row.data["level"] == "medium"
    assert row.data["sanctions"][0] == "pns-allowance-cut-6-months"
    assert row.data["source"].startswith("PP 94/2021 Pasal 5 huruf n angka 2")


def test_a_new_version_creates_a_rule_set_and_an_audit_entry(edit, staff_beltim):
    folder = edit("elections.yaml",
                  lambda entries: entries[0]["title"].update(en="General Election 2024") or None)
    audits = AuditEntry.objects.filter(action="rules.loaded").count()

    ruleset = rules_load(actor=staff_beltim, data_dir=folder)

    assert ruleset.version == catalog.load_catalog(folder).version
    assert ruleset.loaded_by == staff_beltim
    assert ruleset.load_summary.ruleset_created
    assert Election.objects.get(pk="pemilu-2024").title_en == "General Election 2024"
    assert Violation.objects.filter(active=True).exclude(ruleset=ruleset).count() == 0
    entry = AuditEntry.objects.filter(action="rules.loaded").latest("id")
    assert AuditEntry.objects.filter(action="rules.loaded").count() == audits + 1
    assert (entry.actor, entry.target_id) == (staff_beltim, str(ruleset.pk))
    assert entry.data["version"] == ruleset.version
    assert entry.data["violations"] == Violation.objects.filter(active=True).count()


def test_a_removed_entry_is_deactivated_not_deleted(edit):
    folder = edit("violations.yaml", lambda entries: [e for e in entries if e["id"] != "banner-support"])

    ruleset = rules_load(data_dir=folder)

    row = Violation.objects.get(pk="banner-support")
    assert row.active is False
    assert row.ruleset != ruleset  # it keeps the version it was last part of
    assert ruleset.load_summary.deactivated == 1
    assert "banner-support" not in violation_list().values_list("id", flat=True)
    assert "banner-support" in violation_list(active_only=False).values_list("id", flat=True)


def test_an_entry_that_comes_back_is_active_again(edit):
    folder = edit("violations.yaml", lambda entries: [e for e in entries if e["id"] != "banner-support"])
    rules_load(data_dir=folder)

    rules_load()

    assert Violation.objects.get(pk="banner-support").active is True


def test_going_back_to_a_known_version_reuses_its_rule_set(edit):
    original = RuleSet.objects.get(version=catalog.load_catalog().version)
    folder = edit("violations.yaml", lambda entries: entries[:-1])
    rules_load(data_dir=folder)

    ruleset = rules_load()

    assert ruleset.pk == original.pk
    assert ruleset.load_summary.ruleset_created is False
    assert ruleset.load_summary.changed is True


def test_a_broken_file_stores_nothing(edit):
    folder = edit("violations.yaml", lambda entries: entries[0].update(sanctions=["foo"]) or None)
    before = _snapshot()
    with pytest.raises(CatalogError):
        rules_load(data_dir=folder)
    assert _snapshot() == before


# --- The command ----------------------------------------------------------------------


def test_the_command_prints_a_one_line_summary():
    out = StringIO()
    call_command("load_rules", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Rules ") and "prohibited acts" in lines[0] and "unchanged" in lines[0]


def test_the_command_is_silent_at_verbosity_zero():
    out = StringIO()
    call_command("load_rules", verbosity=0, stdout=out)
    assert out.getvalue() == ""


def test_the_command_fails_with_the_catalog_message_on_a_broken_file(edit):
    folder = edit("violations.yaml",
                  lambda entries: entries[0].update(sanctions={"ethics": ["foo"], "discipline": []}) or None)
    message = '^violations.yaml: entry "banner-support": sanctions of ethics: unknown sanction "foo"$'
    with pytest.raises(CommandError, match=message):
        call_command("load_rules", data_dir=folder, verbosity=0)


# --- Selectors --------------------------------------------------------------------------


def test_violations_are_grouped_by_family_in_a_fixed_order_and_file_order():
    groups = violations_by_family()
    assert [group.family for group in groups] == ["by_stage", "ethics", "discipline", "administrative", "crime"]
    by_stage = [row.id for row in groups[0].violations]
    assert by_stage[:2] == ["banner-support", "social-media-campaign"]


def test_grouped_choices_carry_the_title_in_the_current_language():
    with translation.override("en"):
        choices = dict(violation_choices())
    title = Violation.objects.get(pk="banner-support").title_en
    assert ("banner-support", title) in choices["Code of ethics or discipline, by election stage"]


def test_the_grouping_takes_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        violations_by_family()


@pytest.mark.parametrize(("today", "expected"), [
    pytest.param(date(2024, 1, 10), ["pemilu-2024", "pilkada-2024"], id="before-both"),
    pytest.param(date(2024, 6, 1), ["pilkada-2024", "pemilu-2024"], id="between"),
    pytest.param(date(2025, 1, 1), ["pilkada-2024", "pemilu-2024"], id="after-both"),
])
def test_open_elections_come_nearest_voting_day_first(today, expected):
    assert list(election_list_open(today=today).values_list("id", flat=True)) == expected


def test_an_inactive_election_is_not_open():
    Election.objects.filter(pk="pemilu-2024").update(active=False)
    assert list(election_list_open(today=date(2024, 1, 1)).values_list("id", flat=True)) == ["pilkada-2024"]


def test_an_inactive_act_is_not_found():
    from django.http import Http404

    Violation.objects.filter(pk="banner-support").update(active=False)
    with pytest.raises(Http404):
        access_violation("banner-support")


def test_localized_text_follows_the_active_language():
    text = {"id": "Larangan", "en": "Prohibition"}
    with translation.override("en"):
        assert localized(text) == "Prohibition"
    with translation.override("id"):
        assert localized(text) == "Larangan"


def test_an_explained_act_groups_its_sanctions_by_kind_of_employee():
    with translation.override("id"):
        view = violation_explained(Violation.objects.get(pk="banner-support"))
    assert [group.kind for group in view.sanction_groups] == ["pns", "pns", "pppk", "pppk", "contract", "contract"]
    assert [group.family for group in view.sanction_groups[:2]] == ["ethics", "discipline"]
    assert view.sanction_groups[0].sanctions[0].title == "Sanksi moral berupa pernyataan secara tertutup"
    assert view.sanction_groups[0].when_label.startswith("sebelum")
    assert view.sanction_groups[0].authority == "Badan Kepegawaian Negara"
    assert view.sanction_groups[4].authority.startswith("Pejabat Pembina Kepegawaian")
    assert view.legal_bases[0].citation.startswith("Surat Edaran Gubernur Kepulauan Bangka Belitung")
    assert view.verified is False and view.note


def test_a_changed_entry_is_audited_with_its_old_and_new_value(edit):
    from audit.models import AuditEntry

    def shorten(entries):
        rule = next(entry for entry in entries if entry["id"] == "pilkada-study")
        rule["note"] = {"id": "Koreksi catatan.", "en": "A corrected note."}

    folder = edit("deadlines.yaml", shorten)
    rules_load(data_dir=folder)
    entry = AuditEntry.objects.filter(action="rules.loaded").latest("pk")
    change = next(row for row in entry.data["changes"] if row["id"] == "pilkada-study")
    assert change["section"] == "deadlines" and change["field"] == "note"
    assert change["new"] == {"id": "Koreksi catatan.", "en": "A corrected note."}
    assert change["old"] != change["new"]


def test_a_running_process_sees_a_changed_file_without_a_restart(tmp_path, monkeypatch):
    import shutil
    import time as time_module

    from rules import catalog as catalog_module

    folder = tmp_path / "data"
    shutil.copytree(catalog_module.DATA_DIR, folder)
    monkeypatch.setattr(catalog_module, "DATA_DIR", folder)
    monkeypatch.setattr(catalog_module, "RECHECK_SECONDS", 0)
    catalog_module.default_catalog.cache_clear()
    try:
        first = catalog_module.default_catalog()
        assert catalog_module.default_catalog() is first  # unchanged files: the same catalog
        path = folder / "regimes.yaml"
        path.write_text(path.read_text().replace("Pemilihan Umum (Pemilu)", "Pemilihan Umum (Pemilu) 2029"))
        later = time_module.time() + 5
        import os
        os.utime(path, (later, later))
        assert catalog_module.default_catalog().regimes["pemilu"].title.id == "Pemilihan Umum (Pemilu) 2029"
        path.write_text("- {id: broken")  # a broken change keeps the last good catalog
        os.utime(path, (later + 5, later + 5))
        assert catalog_module.default_catalog().regimes["pemilu"].title.id == "Pemilihan Umum (Pemilu) 2029"
    finally:
        catalog_module.default_catalog.cache_clear()
