"""Pure modules: codes, scoring, signature check, banner parts, the data files."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from prevention import banner, codes, scoring
from prevention.catalog import PreventionDataError, load_catalog
from prevention.signature import clean_drawn_signature
from prevention.tests.conftest import signature_data_url

SECRET = "a-test-secret"


def test_a_signed_token_verifies_and_gives_back_its_code():
    code = codes.new_code()
    assert codes.verify_token(codes.signed_token(code, SECRET), SECRET) == code


@pytest.mark.parametrize("mangle", [
    pytest.param(lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), id="mac-changed"),
    pytest.param(lambda t: ("A" if t[0] != "A" else "B") + t[1:], id="code-changed"),
    pytest.param(lambda t: t.split(".")[0], id="mac-missing"),
    pytest.param(lambda t: "", id="empty"),
    pytest.param(lambda t: "<script>." + t.split(".")[1], id="junk"),
])
def test_a_forged_token_is_refused(mangle):
    token = codes.signed_token(codes.new_code(), SECRET)
    assert codes.verify_token(mangle(token), SECRET) is None


def test_a_token_made_with_another_secret_is_refused():
    code = codes.new_code()
    assert codes.verify_token(codes.signed_token(code, "other"), SECRET) is None


def test_a_token_survives_lower_case_and_confusable_letters():
    code = codes.new_code()
    token = codes.signed_token(code, SECRET).lower().replace("1", "l")
    assert codes.verify_token(token, SECRET) == code


def test_codes_do_not_repeat():
    assert len({codes.new_code() for _ in range(500)}) == 500


@pytest.mark.parametrize(("key", "answers", "correct", "percent"), [
    ({1: 1, 2: 2, 3: 1, 4: 3}, {1: 1, 2: 2, 3: 1, 4: 3}, 4, Decimal("100.00")),
    ({1: 1, 2: 2, 3: 1}, {1: 1, 2: 1}, 1, Decimal("33.33")),
    ({1: 1, 2: 2}, {}, 0, Decimal("0.00")),
    ({}, {}, 0, Decimal("0.00")),
])
def test_score_counts_answers_equal_to_the_key(key, answers, correct, percent):
    result = scoring.score(key, answers)
    assert (result.correct, result.score) == (correct, percent)


def test_average_gain_counts_only_those_who_took_both_tests():
    pairs = [(Decimal(40), Decimal(80)), (Decimal(50), Decimal(60)), (Decimal(70), None), (None, Decimal(90))]
    assert scoring.average_gain(pairs) == Decimal("25.00")
    assert scoring.average_gain([(Decimal(10), None)]) is None


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (1, 3, Decimal("33.3")), (2, 3, Decimal("66.7")), (0, 5, Decimal("0.0")), (0, 0, None)])
def test_share_is_a_percentage_with_one_decimal(part, whole, expected):
    assert scoring.share(part, whole) == expected


def test_choices_are_the_non_empty_lines():
    assert scoring.parse_choices(" Benar \n\nSalah\n") == ["Benar", "Salah"]


def test_a_drawn_signature_is_re_encoded_as_png():
    png = clean_drawn_signature(signature_data_url())
    with Image.open(BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (400, 150)


@pytest.mark.parametrize("value", [
    pytest.param("data:image/jpeg;base64,AAAA", id="not-png"),
    pytest.param("data:image/png;base64,%%%", id="not-base64"),
    pytest.param("data:image/png;base64,aGVsbG8=", id="not-an-image"),
    pytest.param("", id="empty"),
])
def test_a_bad_signature_is_refused(value):
    with pytest.raises(ValidationError):
        clean_drawn_signature(value)


def test_an_empty_signature_pad_is_refused():
    with pytest.raises(ValidationError) as error:
        clean_drawn_signature(signature_data_url(blank=True))
    assert error.value.code == "empty_signature"


def test_an_oversized_signature_is_refused():
    with pytest.raises(ValidationError):
        clean_drawn_signature(signature_data_url(size=(2500, 100)))


def test_leaders_are_name_semicolon_position_lines():
    assert banner.parse_leaders("Sugito; Pj. Gubernur\n\n Fery  Afriyanto ;Pj. Sekda\nTanpa Jabatan") == [
        ("Sugito", "Pj. Gubernur"), ("Fery Afriyanto", "Pj. Sekda"), ("Tanpa Jabatan", "")]


@pytest.mark.parametrize("value", ["red", "#12345", "#1234567", "#GGGGGG", "#fff", "", "#000000;x"])
def test_only_rrggbb_colours_pass(value):
    with pytest.raises(ValueError):
        banner.parse_color(value)


def test_the_banner_png_has_the_social_media_size():
    spec = banner.BannerSpec(headline="ASN NETRAL", subtitle="Dalam pemilihan", election="Pilkada 2024",
                             unit_name="Dinas Kesehatan", head_name="dr. Budi", head_position="Kepala Dinas",
                             tagline="Tidak berpihak", leaders=[("Sugito", "Pj. Gubernur"), ("Fery", "Sekda")],
                             agency_name="Pemerintah Kabupaten Belitung Timur")
    with Image.open(BytesIO(banner.render_png(spec))) as image:
        assert image.format == "PNG" and image.size == banner.PNG_SIZE == (1080, 1350)


def test_the_data_files_load_with_three_themes_and_a_template_pledge():
    catalog = load_catalog()
    assert list(catalog.themes) == ["asn-neutrality", "anti-money-politics", "anti-black-campaign"]
    assert all("019/HK.02/K.BB-06/08/2022" in theme.source for theme in catalog.themes.values())
    assert catalog.pledge.verified is False


def test_a_pledge_file_not_marked_as_template_is_refused(tmp_path):
    from prevention.catalog import DATA_DIR

    (tmp_path / "themes.yaml").write_text((DATA_DIR / "themes.yaml").read_text())
    (tmp_path / "pledge.yaml").write_text((DATA_DIR / "pledge.yaml").read_text().replace(
        "template: true", "template: false"))
    with pytest.raises(PreventionDataError, match='"default-pledge".*template'):
        load_catalog(tmp_path)


def test_a_theme_without_source_is_refused_by_name(tmp_path):
    from prevention.catalog import DATA_DIR

    (tmp_path / "themes.yaml").write_text("- id: x-theme\n  title: {id: X, en: X}\n")
    (tmp_path / "pledge.yaml").write_text((DATA_DIR / "pledge.yaml").read_text())
    with pytest.raises(PreventionDataError, match='themes.yaml: entry "x-theme": missing "source"'):
        load_catalog(tmp_path)
