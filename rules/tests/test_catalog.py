"""The data files as data: the real ones load, and every broken one is refused by name."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured

from rules import catalog
from rules.apps import check_catalog
from rules.catalog import CatalogError, load_catalog


@pytest.fixture(scope="module")
def real():
    return load_catalog(catalog.DATA_DIR)


# --- The real files --------------------------------------------------------------------


def test_the_real_data_files_load(real):
    assert len(real.violations) >= 10
    assert set(real.elections) >= {"pemilu-2024", "pilkada-2024"}


@pytest.mark.parametrize("letter", list("abcdefgh"))
def test_every_prohibition_of_the_governors_circular_is_in_the_catalog(real, letter):
    source = f"SE Gubernur Kep. Babel 800/46/BKPSDMD-II/2024, angka 1 huruf {letter}"
    assert any(entry.source.startswith(source) for entry in real.violations.values())


def test_influencing_others_of_the_circular_is_in_the_catalog(real):
    assert real.violations["influencing-others"].source.endswith("angka 2")


def test_every_act_of_pp_94_2021_art_5_letter_n_is_in_the_catalog(real):
    sources = [entry.source for entry in real.violations.values()]
    for act in range(1, 8):
        assert any(source.startswith(f"PP 94/2021 Pasal 5 huruf n angka {act}") for source in sources), act


@pytest.mark.parametrize(("violation_id", "level", "verified"), [
    pytest.param("campaign-participation", "medium", False, id="act-1-level-only-from-summaries"),
    pytest.param("campaign-with-attributes", "medium", True, id="act-2-art-13-g"),
    pytest.param("campaign-mobilising-pns", "heavy", True, id="act-3-art-14-i"),
    pytest.param("support-letter-id-card", "heavy", True, id="act-7-art-14-i"),
])
def test_pp_94_2021_levels_are_data_and_the_unstated_one_is_marked_unverified(
        real, violation_id, level, verified):
    entry = real.violations[violation_id]
    assert (entry.level, entry.verified) == (level, verified)
    if not verified:
        assert "not verified" in entry.note.en


def test_party_membership_leads_to_dismissal_not_with_honour(real):
    assert "pns-dismissal-not-with-honour" in real.violations["party-membership"].sanctions


def test_election_crimes_carry_their_criminal_sanctions(real):
    crimes = {entry.id: entry for entry in real.violations.values() if entry.family == "crime"}
    assert crimes["pilkada-official-decision"].sanctions == ("crime-pilkada-art-188",)
    assert crimes["pemilu-campaign-team"].sanctions == ("crime-pemilu-art-494",)


def test_every_entry_of_every_file_has_a_source_and_both_languages(real):
    for entries in (real.legal_bases, real.sanctions, real.violations, real.elections):
        for entry in entries.values():
            assert entry.source
            assert entry.title.id and entry.title.en


def test_the_unverified_article_547_penalty_is_marked_so(real):
    assert real.sanctions["crime-pemilu-art-547"].verified is False
    assert real.legal_bases["uu-7-2017-art-547"].verified is False


def test_voting_days_are_dates(real):
    assert real.elections["pemilu-2024"].voting_day == date(2024, 2, 14)
    assert real.elections["pilkada-2024"].voting_day == date(2024, 11, 27)


def test_the_version_is_the_sha256_of_the_files_sorted_by_name(real):
    digest = hashlib.sha256()
    for path in sorted(catalog.DATA_DIR.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    assert real.version == digest.hexdigest()


def test_one_changed_byte_changes_the_version(data_dir):
    before = load_catalog(data_dir).version
    path = data_dir / "elections.yaml"
    path.write_bytes(path.read_bytes() + b"\n")
    assert load_catalog(data_dir).version != before


def test_text_picks_english_only_for_english():
    text = catalog.Text(id="Larangan", en="Prohibition")
    assert [text.get("en"), text.get("en-gb"), text.get("id"), text.get(None)] == [
        "Prohibition", "Prohibition", "Larangan", "Larangan"]


# --- Broken files ---------------------------------------------------------------------


def _drop(key):
    def change(entries):
        del entries[0][key]
    return change


def _set(key, value):
    def change(entries):
        entries[0][key] = value
    return change


BROKEN = [
    pytest.param("violations.yaml", _drop("source"),
                 'violations.yaml: entry "banner-support": missing "source"', id="missing-source"),
    pytest.param("violations.yaml", _set("source", "  "),
                 'violations.yaml: entry "banner-support": "source" must be a non-empty text',
                 id="empty-source"),
    pytest.param("violations.yaml", _set("sanctions", {"ethics": ["moral-statement-open", "foo"], "discipline": []}),
                 'violations.yaml: entry "banner-support": sanctions of ethics: unknown sanction "foo"',
                 id="unknown-sanction"),
    pytest.param("violations.yaml", _set("sanctions", ["moral-statement-open"]),
                 'violations.yaml: entry "banner-support": with family_by_stage, "sanctions" maps each family',
                 id="staged-sanctions-not-a-mapping"),
    pytest.param("violations.yaml", _set("subjects", {"mayor": {}}),
                 'violations.yaml: entry "banner-support": unknown subject "mayor"', id="unknown-subject"),
    pytest.param("violations.yaml", _set("family", "ethics"),
                 'violations.yaml: entry "banner-support": give either "family" or "family_by_stage"',
                 id="family-and-family-by-stage"),
    pytest.param("violations.yaml", _set("legal_bases", ["uu-99-2099"]),
                 'violations.yaml: entry "banner-support": unknown legal basis "uu-99-2099"',
                 id="unknown-legal-basis"),
    pytest.param("sanctions.yaml", _set("legal_bases", ["nowhere"]),
                 'sanctions.yaml: entry "pns-oral-reprimand": unknown legal basis "nowhere"',
                 id="sanction-with-unknown-legal-basis"),
    pytest.param("violations.yaml", lambda entries: entries + [dict(entries[0])],
                 'violations.yaml: entry "banner-support": duplicate id', id="duplicate-id"),
    pytest.param("violations.yaml", lambda entries: entries[0]["title"].pop("en") and None,
                 'violations.yaml: entry "banner-support": "title" has no English text ("en")',
                 id="missing-english-title"),
    pytest.param("violations.yaml", lambda entries: entries[0]["plain"].update(id="") or None,
                 'violations.yaml: entry "banner-support": "plain" has no Indonesian text ("id")',
                 id="empty-indonesian-explanation"),
    pytest.param("elections.yaml", _set("voting_day", "2024-02-30"),
                 'elections.yaml: entry "pemilu-2024": "voting_day" \'2024-02-30\' is not a date',
                 id="bad-date"),
    pytest.param("elections.yaml", _set("voting_day", "14 Februari 2024"),
                 'elections.yaml: entry "pemilu-2024": "voting_day" \'14 Februari 2024\' is not a date',
                 id="date-in-words"),
    pytest.param("legal_bases.yaml", _drop("id"),
                 'legal_bases.yaml: entry #1: missing "id"', id="missing-id-named-by-index"),
    pytest.param("violations.yaml", _set("id", "Banner Support"),
                 "violations.yaml: entry \"Banner Support\": id 'Banner Support' is not a slug",
                 id="id-not-a-slug"),
    pytest.param("violations.yaml", _set("family_by_stage", {"stage": "candidate_determination", "before": "politics",
                                                             "after": "discipline"}),
                 "violations.yaml: entry \"banner-support\": family_by_stage: unknown before 'politics'",
                 id="unknown-family"),
    pytest.param("violations.yaml", _set("family_by_stage", {"stage": "nomination", "before": "ethics",
                                                             "after": "discipline"}),
                 "violations.yaml: entry \"banner-support\": family_by_stage: unknown stage 'nomination'",
                 id="unknown-stage"),
    pytest.param("violations.yaml", _set("level", "heavy"),
                 'violations.yaml: entry "banner-support": "level" is given only to discipline violations',
                 id="level-outside-discipline"),
    pytest.param("sanctions.yaml", _set("level", "severe"),
                 "sanctions.yaml: entry \"pns-oral-reprimand\": unknown level 'severe'", id="unknown-level"),
    pytest.param("sanctions.yaml", _set("applies_to", ["pns", "honorer"]),
                 "sanctions.yaml: entry \"pns-oral-reprimand\": unknown applies_to value 'honorer'",
                 id="unknown-employee-kind"),
    pytest.param("elections.yaml", _set("regime", "pilpres"),
                 "elections.yaml: entry \"pemilu-2024\": unknown regime 'pilpres'", id="unknown-regime"),
    pytest.param("violations.yaml", lambda entries: entries[0].update(sanction=["x"]) or None,
                 'violations.yaml: entry "banner-support": unknown key "sanction"', id="misspelt-key"),
    pytest.param("violations.yaml", _set("verified", "no way"),
                 'violations.yaml: entry "banner-support": "verified" must be true or false',
                 id="verified-not-a-flag"),
    pytest.param("violations.yaml", lambda entries: entries + ["just text"],
                 "violations.yaml: entry #", id="entry-not-a-mapping"),
    pytest.param("elections.yaml", lambda entries: {"pemilu-2024": entries[0]},
                 "elections.yaml: expected a list of entries", id="not-a-list"),
]


@pytest.mark.parametrize(("name", "change", "message"), BROKEN)
def test_a_broken_file_is_refused_naming_the_file_and_the_entry(edit, name, change, message):
    folder = edit(name, change)
    with pytest.raises(CatalogError) as error:
        load_catalog(folder)
    assert str(error.value).startswith(message), str(error.value)


def test_invalid_yaml_is_refused_naming_the_file(data_dir):
    (data_dir / "sanctions.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"^sanctions\.yaml: not valid YAML"):
        load_catalog(data_dir)


def test_a_missing_file_is_refused_naming_the_file(data_dir):
    (data_dir / "elections.yaml").unlink()
    with pytest.raises(CatalogError, match=r"^elections\.yaml: file not found"):
        load_catalog(data_dir)


def test_the_start_up_check_refuses_a_broken_file_with_the_same_message(edit):
    folder = edit("violations.yaml", _set("sanctions", {"ethics": ["foo"], "discipline": []}))
    message = '^violations.yaml: entry "banner-support": sanctions of ethics: unknown sanction "foo"$'
    with pytest.raises(ImproperlyConfigured, match=message):
        check_catalog(folder)


def test_the_start_up_check_passes_the_real_files():
    assert check_catalog() is catalog.default_catalog()
