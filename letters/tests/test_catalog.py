"""letters.yaml is checked at start-up like the rules: a broken file names the entry."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from letters import catalog
from letters.apps import check_letters
from letters.catalog import LetterDataError, UnknownLetterKind

KINDS = ["clarification-invitation", "completion-request", "forward-authority", "forward-gakkumdu",
         "forward-other", "status-announcement", "recommendation-ppk", "followup-reminder", "followup-escalation"]


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A copy of the real data file, free to break."""
    folder = tmp_path / "data"
    shutil.copytree(catalog.DATA_DIR, folder)
    return folder


@pytest.fixture
def edit(data_dir):
    """edit(change): rewrite letters.yaml through a function on its parsed content."""

    def apply(change):
        path = data_dir / catalog.DATA_FILE
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(content)
        path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return data_dir

    return apply


def letter(content, kind):
    return next(entry for entry in content["letters"] if entry["id"] == kind)


def test_the_data_file_offers_every_letter_the_cases_need():
    assert list(catalog.default_catalog().kinds) == KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_every_letter_cites_its_source_and_says_whether_its_form_was_read(kind):
    spec = catalog.default_catalog().kind(kind)
    assert spec.source
    assert spec.legal_bases
    if not spec.verified:
        assert spec.note and spec.note.id and spec.note.en


def test_the_letter_number_format_is_marked_for_each_office_to_check():
    letters = catalog.default_catalog()
    assert letters.numbering_verified is False
    assert "classification" in letters.numbering_note.en


def test_an_unknown_kind_is_refused_naming_the_known_ones():
    with pytest.raises(UnknownLetterKind, match="forward-authority"):
        catalog.default_catalog().kind("forward-kasn")


@pytest.mark.parametrize(("name", "lines"), [
    ("Bawaslu Kabupaten Belitung Timur", ("BADAN PENGAWAS PEMILIHAN UMUM", "KABUPATEN BELITUNG TIMUR")),
    ("Bawaslu Provinsi Kepulauan Bangka Belitung",
     ("BADAN PENGAWAS PEMILIHAN UMUM", "PROVINSI KEPULAUAN BANGKA BELITUNG")),
    ("Bawaslu RI", ("BADAN PENGAWAS PEMILIHAN UMUM", "REPUBLIK INDONESIA")),
    ("Panwaslu Kecamatan Manggar", ("PANWASLU KECAMATAN MANGGAR",)),
])
def test_the_letterhead_writes_the_office_name_in_full_and_in_capitals(name, lines):
    assert catalog.default_catalog().letterhead_lines(name) == lines


def test_an_office_may_set_its_own_pattern_and_classification(edit):
    def change(content):
        content["numbering"]["offices"] = [{
            "office_code": "K.BB-06", "pattern": "{seq:03d}/{classification}/{office_code}/{month_roman}/{year}",
            "classifications": {"forward-authority": "HK.02"}, "source": "keputusan kantor (uji)",
        }]

    letters = catalog.load_catalog(edit(change))
    assert letters.number_format("forward-authority", "K.BB-06") == (
        "{seq:03d}/{classification}/{office_code}/{month_roman}/{year}", "HK.02")
    assert letters.number_format("completion-request", "K.BB-06")[1] == "PP.01.02"
    assert letters.number_format("forward-authority", "K.BB-01") == (letters.number_pattern, "PP.01.02")


def _set(kind, key, value):
    def change(content):
        letter(content, kind)[key] = value
    return change


def _drop(kind, key):
    def change(content):
        del letter(content, kind)[key]
    return change


@pytest.mark.parametrize(("change", "message"), [
    pytest.param(_set("forward-authority", "required", {"facts": "txt"}),
                 'letter "forward-authority": "required": unknown type \'txt\' for "facts"', id="unknown-type"),
    pytest.param(_set("forward-other", "template", {"id": "missing.html", "en": "forward_other.en.html"}),
                 'letter "forward-other": template "missing.html" not found', id="missing-template"),
    pytest.param(_set("forward-other", "template", {"id": "../render.py", "en": "forward_other.en.html"}),
                 'letter "forward-other": template "../render.py" is not a plain file name', id="template-path"),
    pytest.param(_set("completion-request", "legal_bases", ["perbawaslu-99-2030"]),
                 'letter "completion-request": unknown legal basis "perbawaslu-99-2030"', id="unknown-basis"),
    pytest.param(_drop("status-announcement", "note"),
                 'letter "status-announcement": an unverified entry', id="unverified-without-note"),
    pytest.param(_drop("forward-gakkumdu", "source"), 'letter "forward-gakkumdu": missing "source"',
                 id="no-source"),
    pytest.param(_set("forward-gakkumdu", "title", {"id": "Penerusan"}),
                 'letter "forward-gakkumdu": "title" has no English text', id="one-language"),
    pytest.param(_set("forward-other", "required", {"case_number": "text", "registered_on_text": "text"}),
                 'letter "forward-other": context key "registered_on_text" hides the value derived from '
                 '"registered_on"', id="hides-derived"),
    pytest.param(_set("forward-other", "optional", {"office.name": "text"}),
                 'letter "forward-other": context key "office.name" is declared twice', id="declared-twice"),
    pytest.param(_set("forward-other", "optional", {"addressee.fax": "text"}),
                 'letter "forward-other": "addressee" keys are common', id="own-addressee"),
    pytest.param(lambda content: content["letters"].append(dict(content["letters"][0])),
                 'letter "clarification-invitation": duplicate id', id="duplicate-id"),
    pytest.param(lambda content: content["numbering"].update(pattern="{seq}/{kode}"),
                 "numbering: pattern '{seq}/{kode}': unknown placeholder {kode}", id="bad-pattern"),
    pytest.param(lambda content: content["numbering"].update(offices=[{"office_code": "K.BB-06", "source": "x",
                                                                        "classifications": {"nope": "HK"}}]),
                 'numbering office "K.BB-06": unknown letter kind "nope"', id="office-unknown-kind"),
    pytest.param(lambda content: content["labels"].pop("copies"), 'labels: missing "copies"', id="missing-label"),
    pytest.param(lambda content: content.pop("outcomes"), 'missing section "outcomes"', id="missing-section"),
    pytest.param(_set("forward-other", "copies", [{"id": "Ketua {provinsi}", "en": "Chair of {provinsi}"}]),
                 'letter "forward-other": copy 1: unknown placeholder "{provinsi}"', id="copy-unknown-placeholder"),
    pytest.param(_set("forward-other", "copies", [{"id": "Ketua {issuer_above}", "en": "Chair"}]),
                 "copy 1: the Indonesian and English texts must use the same placeholders",
                 id="copy-placeholders-differ"),
    pytest.param(_set("forward-other", "copies", [{"id": "Inspektorat"}]),
                 'copy 1: "copy" has no English text', id="copy-one-language"),
    pytest.param(_set("forward-other", "copies", "Inspektorat"),
                 'letter "forward-other": "copies" must be a list', id="copies-not-a-list"),
])
def test_a_broken_data_file_is_refused_naming_the_entry(edit, change, message):
    with pytest.raises(LetterDataError) as error:
        catalog.load_catalog(edit(change))
    assert str(error.value).startswith("letters.yaml: ")
    assert message in str(error.value)


def test_the_copies_are_declared_per_kind_and_marked_as_practice():
    letters = catalog.default_catalog()
    recommendation = [text.id for text in letters.kind("recommendation-ppk").copies]
    assert recommendation == ["{authority}", "Ketua {forwarding_office}", "Ketua {forwarding_office_above}"]
    assert [text.id for text in letters.kind("forward-authority").copies] == ["Ketua {issuer_above}"]
    assert letters.kind("status-announcement").copies == ()  # a public notice is copied to no one
    header = (catalog.DATA_DIR / catalog.DATA_FILE).read_text(encoding="utf-8")
    assert "PRACTICE, NOT LAW" in header


def test_start_up_refuses_a_broken_data_file_with_the_same_words(edit):
    folder = edit(_set("forward-authority", "required", {"facts": "txt"}))
    with pytest.raises(ImproperlyConfigured, match='letter "forward-authority"'):
        check_letters(folder)


def test_yaml_that_does_not_parse_is_refused(data_dir):
    (data_dir / catalog.DATA_FILE).write_text("letters: [\n", encoding="utf-8")
    with pytest.raises(LetterDataError, match="not valid YAML"):
        catalog.load_catalog(data_dir)


def test_the_version_changes_when_the_data_changes(edit, data_dir):
    before = catalog.data_version(data_dir)
    edit(_set("forward-other", "classification", "HK.02"))
    assert catalog.data_version(data_dir) != before
