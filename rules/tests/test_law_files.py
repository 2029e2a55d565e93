"""Every law file behind the catalog (issue 15): the follow-up limits, the escalation levels,
the requirements of a report and the words of the families and levels are entries of the
catalog, refused by file and entry like the others; one version covers the whole folder."""

from datetime import date

import pytest

from rules import catalog
from rules.catalog import CatalogError, load_catalog


@pytest.fixture(scope="module")
def real():
    return load_catalog(catalog.DATA_DIR)


# --- The real files --------------------------------------------------------------------


def test_every_yaml_file_of_the_folder_is_read_by_the_catalog():
    assert {path.name for path in catalog.DATA_DIR.glob("*.yaml")} == set(catalog.FILES)


def test_a_file_the_catalog_does_not_read_is_refused_by_the_version_check(data_dir):
    (data_dir / "limits_draft.yaml").write_text("- {id: x}\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"^limits_draft\.yaml: not a file of the law catalog"):
        load_catalog(data_dir)


@pytest.mark.parametrize(("stage", "authority", "on", "limit_id"), [
    pytest.param("authority", "kasn", date(2024, 8, 23), "authority-kasn", id="kasn-last-day"),
    pytest.param("authority", "bkn", date(2024, 8, 24), "authority-bkn", id="bkn-first-day"),
    pytest.param("ppk", "kasn", date(2020, 12, 1), "ppk-kasn", id="ppk-under-kasn"),
    pytest.param("ppk", "bkn", date(2025, 1, 6), "ppk-bkn", id="ppk-under-bkn"),
])
def test_the_follow_up_limit_is_the_one_of_the_stage_authority_and_day(real, stage, authority, on, limit_id):
    assert real.followup_limit(stage, authority, on).id == limit_id


def test_no_follow_up_limit_outside_an_authority_s_period(real):
    assert real.followup_limit("ppk", "bkn", date(2024, 8, 23)) is None
    assert real.followup_limit("ppk", "gakkumdu", date(2025, 1, 6)) is None


def test_a_follow_up_limit_counts_like_a_deadline_rule(real):
    limit = real.followup_limits["ppk-bkn"]
    assert (limit.days, limit.day_kind, limit.start_is_day_zero) == (3, "calendar", True)
    assert not limit.verified and limit.note is not None


def test_the_escalation_levels_of_a_stage_run_from_one(real):
    levels = real.escalation_levels("ppk", date(2025, 1, 6))
    assert [(level.level, level.to) for level in levels] == [(1, "authority_head")]
    assert [level.to for level in real.escalation_levels("authority", date(2025, 1, 6))] == ["bawaslu_above"]


def test_the_code_s_families_and_levels_each_have_their_words(real):
    assert list(real.families) == ["by_stage", "ethics", "discipline", "administrative", "crime"]  # display order
    assert set(real.sanction_families) == set(catalog.SANCTION_FAMILIES)
    assert set(real.levels) == set(catalog.LEVELS)
    for terms in (real.families, real.sanction_families, real.levels):
        for term in terms.values():
            assert term.title.id and term.title.en and term.phrase.id and term.phrase.en and term.legal_bases


@pytest.mark.parametrize(("family", "indonesian", "english"), [
    pytest.param("ethics", "pelanggaran kode etik", "a breach of the code of ethics", id="ethics"),
    pytest.param("discipline", "pelanggaran disiplin", "a breach of discipline", id="discipline"),
    pytest.param("crime", "dugaan tindak pidana pemilihan", "a suspected election crime", id="crime"),
    pytest.param("administrative", "pelanggaran administratif (UU Desa)", "an administrative breach (Village Law)",
                 id="administrative"),
])
def test_a_family_reads_in_a_sentence_as_it_did_when_it_was_code(real, family, indonesian, english):
    assert (real.families[family].phrase.id, real.families[family].phrase.en) == (indonesian, english)


def test_the_requirements_of_a_report_are_catalog_entries(real):
    card = real.requirements["reporter-id-card"]
    assert card.regimes == ("pilkada",) and card.auto == "reporter_nik" and card.kind == "formal"


# --- Broken files ---------------------------------------------------------------------


def _first(key, value):
    def change(entries):
        entries[0][key] = value
    return change


def _drop_first(key):
    def change(entries):
        del entries[0][key]
    return change


def _overlap(entries):
    entries[1]["valid_from"] = "2024-08-01"  # authority-bkn now starts while authority-kasn is in force
    entries[1]["authority"] = "kasn"


def _level_two_outlives_level_one(entries):
    entries[0]["valid_until"] = "2029-12-31"
    return entries + [dict(entries[0], id="later", level=2, valid_until="2030-06-30")]


BROKEN = [
    pytest.param("followup_limits.yaml", _first("authority", "bpk"),
                 "followup_limits.yaml: entry \"authority-kasn\": unknown authority 'bpk' (allowed: kasn, bkn)",
                 id="limit-unknown-authority"),
    pytest.param("followup_limits.yaml", _first("authority", "gakkumdu"),
                 "followup_limits.yaml: entry \"authority-kasn\": unknown authority 'gakkumdu'",
                 id="limit-authority-not-civil-service"),
    pytest.param("followup_limits.yaml", _first("stage", "court"),
                 "followup_limits.yaml: entry \"authority-kasn\": unknown stage 'court'", id="limit-unknown-stage"),
    pytest.param("followup_limits.yaml", _first("days", 0),
                 'followup_limits.yaml: entry "authority-kasn": "days" must be a whole number of at least 1',
                 id="limit-zero-days"),
    pytest.param("followup_limits.yaml", _first("days", 10),
                 'followup_limits.yaml: entry "authority-kasn": the text (id) names 14 days but "days" is 10',
                 id="limit-words-name-another-number"),
    pytest.param("followup_limits.yaml", _drop_first("valid_from"),
                 'followup_limits.yaml: entry "authority-kasn": missing "valid_from"', id="limit-without-start"),
    pytest.param("followup_limits.yaml", _drop_first("note"),
                 'followup_limits.yaml: entry "authority-kasn": an unverified entry ("verified: false") needs a '
                 '"note"', id="limit-unverified-without-note"),
    pytest.param("followup_limits.yaml", _overlap,
                 'followup_limits.yaml: entry "authority-bkn": overlaps "authority-kasn" (same stage and authority)',
                 id="limit-overlap"),
    pytest.param("followup_limits.yaml", _first("legal_bases", ["uu-99-2099"]),
                 'followup_limits.yaml: entry "authority-kasn": unknown legal basis "uu-99-2099"',
                 id="limit-unknown-legal-basis"),
    pytest.param("escalation.yaml", _first("level", 2),
                 'escalation.yaml: the levels of stage "ppk" must run 1, 2, ... without gaps or repeats, not [2]',
                 id="escalation-gap"),
    pytest.param("escalation.yaml", lambda entries: entries + [dict(entries[0], id="again")],
                 'escalation.yaml: the levels of stage "ppk" must run 1, 2, ... without gaps or repeats, not [1, 1]',
                 id="escalation-repeat"),
    pytest.param("escalation.yaml", _level_two_outlives_level_one,
                 'escalation.yaml: the levels of stage "ppk" on 2030-01-01 must run 1, 2, ... without gaps',
                 id="escalation-gap-the-day-after-a-level-ends"),
    pytest.param("escalation.yaml", _first("to", "minister"),
                 "escalation.yaml: entry \"ppk-to-authority-head\": unknown to 'minister'", id="escalation-unknown-to"),
    pytest.param("escalation.yaml", _first("level", "one"),
                 'escalation.yaml: entry "ppk-to-authority-head": "level" must be a whole number of at least 1',
                 id="escalation-level-not-a-number"),
    pytest.param("requirements.yaml", _first("kind", "odd"),
                 "requirements.yaml: entry \"reporter-identity\": unknown kind 'odd'", id="requirement-unknown-kind"),
    pytest.param("requirements.yaml", _first("regimes", ["pilpres"]),
                 "requirements.yaml: entry \"reporter-identity\": unknown regimes value 'pilpres'",
                 id="requirement-unknown-regime"),
    pytest.param("requirements.yaml", _first("auto", "guess"),
                 "requirements.yaml: entry \"reporter-identity\": unknown auto 'guess'",
                 id="requirement-unknown-check"),
    pytest.param("requirements.yaml", lambda entries: entries[0]["title"].pop("en") and None,
                 'requirements.yaml: entry "reporter-identity": "title" has no English text ("en")',
                 id="requirement-missing-english"),
    pytest.param("requirements.yaml", _drop_first("source"),
                 'requirements.yaml: entry "reporter-identity": missing "source"', id="requirement-without-source"),
    pytest.param("families.yaml", lambda entries: entries[:-1],
                 'families.yaml: no entry "crime": the code uses it', id="family-missing"),
    pytest.param("families.yaml", _first("id", "politics"),
                 "families.yaml: entry \"politics\": unknown id 'politics'", id="family-unknown"),
    pytest.param("families.yaml", _drop_first("explanation"),
                 'families.yaml: entry "by_stage": missing "explanation"', id="family-without-explanation"),
    pytest.param("families.yaml", lambda entries: entries + [dict(entries[1])],
                 'families.yaml: entry "ethics": duplicate id', id="family-twice"),
    pytest.param("sanction_families.yaml", lambda entries: entries[0]["phrase"].pop("en") and None,
                 'sanction_families.yaml: entry "discipline": "phrase" has no English text ("en")',
                 id="sanction-family-phrase-without-english"),
    pytest.param("sanction_families.yaml", _first("explanation", {"id": "x", "en": "x"}),
                 'sanction_families.yaml: entry "discipline": unknown key "explanation"',
                 id="sanction-family-explanation-not-expected"),
    pytest.param("levels.yaml", lambda entries: entries[:1],
                 'levels.yaml: no entry "medium"', id="level-missing"),
    pytest.param("levels.yaml", _first("verified", False),
                 'levels.yaml: entry "light": an unverified entry ("verified: false") needs a "note"',
                 id="level-unverified-without-note"),
    pytest.param("steps.yaml", lambda entries: [entry for entry in entries if entry["id"] != "study_extended"],
                 'steps.yaml: no step "study_extended": the code starts its clock by this id',
                 id="step-the-code-counts-removed"),
]


@pytest.mark.parametrize(("name", "change", "message"), BROKEN)
def test_a_broken_law_file_is_refused_naming_the_file_and_the_entry(edit, name, change, message):
    folder = edit(name, change)
    with pytest.raises(CatalogError) as error:
        load_catalog(folder)
    assert str(error.value).startswith(message), str(error.value)


def test_a_changed_follow_up_limit_is_a_new_version_of_the_law(edit, data_dir):
    before = load_catalog(data_dir)

    def longer(entries):
        entries[2]["days"] = 5
        entries[2]["explanation"] = {language: text.replace("3 hari", "5 hari").replace("3 days", "5 days")
                                     for language, text in entries[2]["explanation"].items()}

    after = load_catalog(edit("followup_limits.yaml", longer))
    assert after.version != before.version
    changes = catalog.content_changes(before.content(), after.content())
    assert {(row["section"], row["id"], row["field"]) for row in changes} >= {
        ("followup_limits", "ppk-kasn", "days"), ("followup_limits", "ppk-kasn", "explanation")}
