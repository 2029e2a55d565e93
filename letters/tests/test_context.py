"""The context a letter is made of: checked against letters.yaml, escaped in the HTML.

These tests stop at the HTML (render_letter_html): the PDF tests are in test_render.py.
"""

from datetime import date, datetime

import pytest

from letters.context import LetterContextError, ReporterIdentityError, office_context
from letters.render import render_letter_html
from letters.tests import samples

KINDS = list(samples.SAMPLES)


@pytest.mark.parametrize(("kind", "key"), [
    ("clarification-invitation", "schedule"),
    ("clarification-invitation", "role"),
    ("completion-request", "missing"),
    ("completion-request", "deadline"),
    ("forward-authority", "violations"),
    ("forward-authority", "conclusion"),
    ("forward-gakkumdu", "facts"),
    ("forward-other", "case_number"),
    ("status-announcement", "outcome"),
    ("status-announcement", "reason"),
    ("forward-authority", "number"),
    ("forward-authority", "date"),
])
def test_a_missing_required_key_is_named_in_the_error(kind, key):
    context = samples.SAMPLES[kind]()
    del context[key]
    with pytest.raises(LetterContextError, match=f'^{kind}: missing context key "{key}"$'):
        render_letter_html(kind, context)


@pytest.mark.parametrize(("kind", "parent", "key"), [
    ("forward-authority", "reported", "position"),
    ("forward-authority", "reported", "agency"),
    ("clarification-invitation", "addressee", "name"),
    ("completion-request", "office", "place"),
    ("status-announcement", "signatory", "position"),
])
def test_a_missing_nested_key_is_named_with_its_path(kind, parent, key):
    context = samples.SAMPLES[kind]()
    del context[parent][key]
    with pytest.raises(LetterContextError, match=f'missing context key "{parent}.{key}"'):
        render_letter_html(kind, context)


def test_an_empty_required_text_is_refused():
    context = samples.forward_authority()
    context["facts"] = "   "
    with pytest.raises(LetterContextError, match='context key "facts" is empty'):
        render_letter_html("forward-authority", context)


def test_a_misspelt_key_is_refused_rather_than_dropped():
    context = samples.forward_authority()
    context["tembusan"] = ["Arsip"]
    with pytest.raises(LetterContextError, match='unknown context key "tembusan"'):
        render_letter_html("forward-authority", context)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("date", datetime(2024, 11, 27, 9, 0), 'context key "date" must be a date'),
    ("schedule", date(2024, 11, 28), 'context key "schedule" must be a date and time'),
    ("role", "saksi", "unknown party 'saksi'"),
    ("bring", "KTP", 'context key "bring" must be a list of texts'),
    ("case_kind", "complaint", "unknown case_kind 'complaint'"),
])
def test_a_value_of_the_wrong_kind_is_refused(key, value, message):
    context = samples.clarification_invitation()
    context[key] = value
    with pytest.raises(LetterContextError, match=message):
        render_letter_html("clarification-invitation", context)


def test_an_unknown_violation_id_is_refused():
    context = samples.forward_authority()
    context["violations"] = ["partisan-photo", "dancing-at-a-rally"]
    with pytest.raises(LetterContextError, match=r'violations\[1\]": unknown violation "dancing-at-a-rally"'):
        render_letter_html("forward-authority", context)


def test_violations_carry_the_citations_of_their_legal_bases_from_the_rules_catalog():
    html = render_letter_html("forward-authority", samples.forward_authority())
    assert "Memposting foto bersama calon kepala daerah/wakil kepala daerah" in html
    assert "Peraturan Pemerintah Nomor 42 Tahun 2004" in html
    # A basis shared by both acts is cited once.
    assert html.count("Nomor 800/46/BKPSDMD-II/2024") == 1


def test_an_act_no_longer_in_the_catalog_can_be_given_with_its_own_citations():
    context = samples.forward_authority()
    context["violations"] = [{"title": "Perbuatan lama", "citations": ["Peraturan lama, Pasal 1"]}]
    html = render_letter_html("forward-authority", context)
    assert "Perbuatan lama" in html and "Peraturan lama, Pasal 1" in html


def test_several_reported_persons_are_listed_each_with_their_identity():
    context = samples.forward_authority()
    context["reported"] = [samples.REPORTED, {**samples.REPORTED, "name": "Dewi Lestari", "nip": ""}]
    html = render_letter_html("forward-authority", context)
    assert "Terlapor 1" in html and "Terlapor 2" in html
    assert "Rudi Hartono" in html and "Dewi Lestari" in html


def test_a_missing_key_of_the_second_reported_person_names_its_place():
    context = samples.forward_authority()
    second = dict(samples.REPORTED)
    del second["unit"]
    context["reported"] = [samples.REPORTED, second]
    with pytest.raises(LetterContextError, match=r'missing context key "reported\[1\]\.unit"'):
        render_letter_html("forward-authority", context)


def test_the_time_of_a_clarification_is_written_in_the_offices_zone():
    context = samples.clarification_invitation()
    context["office"]["timezone"] = "Asia/Makassar"
    html = render_letter_html("clarification-invitation", context)
    assert "Kamis, 28 November 2024" in html
    assert "10.00 WITA s.d. selesai" in html


def test_the_completion_window_is_written_in_figures_and_words():
    html = render_letter_html("completion-request", samples.completion_request())
    assert "dalam waktu 2 (dua) hari kerja" in html
    assert "paling lambat hari Senin, 25 November 2024" in html


def test_the_gakkumdu_letter_names_the_crime_by_the_election_regime():
    context = samples.forward_gakkumdu()
    context["regime"] = "pemilu"
    html = render_letter_html("forward-gakkumdu", context)
    assert "Penerusan Dugaan Tindak Pidana Pemilu" in html
    assert "dugaan tindak pidana Pemilu" in html


SCRIPT = '<script>alert("x")</script>'


@pytest.mark.parametrize(("kind", "key"), [
    ("forward-authority", "facts"),
    ("clarification-invitation", "matter"),
    ("status-announcement", "reason"),
])
def test_user_text_is_escaped_not_markup(kind, key):
    context = samples.SAMPLES[kind]()
    context[key] = SCRIPT
    html = render_letter_html(kind, context)
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_nested_user_text_is_escaped_too():
    context = samples.forward_authority()
    context["addressee"]["name"] = '<img src="http://example.org/x.png">'
    html = render_letter_html("forward-authority", context)
    assert "<img" not in html


@pytest.mark.parametrize("context_change", [
    pytest.param(lambda context: context.update(reporter_name="Siti Aminah"), id="reporter-name"),
    pytest.param(lambda context: context.update(pelapor="Siti Aminah"), id="pelapor"),
    pytest.param(lambda context: context.update(reporter={"name": "Siti Aminah"}), id="reporter-mapping"),
    pytest.param(lambda context: context["office"].update(reporter_phone="0812"), id="nested"),
    pytest.param(lambda context: context.update(nik="1906010101010001"), id="nik"),
])
def test_the_public_announcement_refuses_the_reporters_identity(context_change):
    context = samples.status_announcement()
    context_change(context)
    with pytest.raises(ReporterIdentityError, match="^status-announcement: a public letter must not carry"):
        render_letter_html("status-announcement", context)


def test_the_public_announcement_has_no_addressee():
    context = samples.status_announcement()
    context["addressee"] = {"name": "Siti Aminah"}
    with pytest.raises(LetterContextError, match='unknown context key "addressee"'):
        render_letter_html("status-announcement", context)


def test_an_office_row_becomes_the_office_of_a_letter():
    class Office:
        name = "Bawaslu Kabupaten Belitung Timur"
        address = samples.OFFICE["address"]
        number_code = "K.BB-06"

    office = office_context(Office(), place="Manggar", timezone="Asia/Jakarta", phone="")
    assert office == {"name": Office.name, "address": Office.address, "place": "Manggar",
                      "number_code": "K.BB-06", "timezone": "Asia/Jakarta"}
    context = samples.forward_other()
    context["office"] = office
    assert "Manggar, 27 November 2024" in render_letter_html("forward-other", context)


def test_a_logo_must_be_a_relative_static_path():
    context = samples.forward_other()
    context["office"]["logo"] = "/etc/passwd"
    with pytest.raises(LetterContextError, match="static file's relative path"):
        render_letter_html("forward-other", context)


def test_the_english_courtesy_copy_uses_english_words_and_dates():
    html = render_letter_html("clarification-invitation", samples.clarification_invitation(), language="en")
    assert "Thursday, 28 November 2024" in html
    assert "09:00 WIB" in html
    assert "Manggar, 26 November 2024" in html
    assert "as witness" in html
