"""The public deadline calculator (/batas-waktu/): the cases' deadline engine in a small form."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def page(client, **params):
    response = client.get(reverse("portal:deadline_calculator"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_calculator_lives_at_batas_waktu():
    assert reverse("portal:deadline_calculator") == "/batas-waktu/"


def test_the_empty_form_shows_no_error_and_no_result(client):
    html = page(client)
    assert 'name="regime"' in html and 'name="step"' in html and 'type="date"' in html
    assert "errorlist" not in html
    assert 'id="deadline-due"' not in html


@pytest.mark.parametrize(("regime", "step", "start", "due", "kind", "skipped"), [
    ("pemilu", "report", "2024-11-22", "Rabu, 4 Desember 2024", "Hari kerja",
     ["27 November 2024 (Pemungutan suara Pilkada serentak)", "1 Desember 2024 (Minggu)"]),
    ("pemilu", "report", "2024-04-05", "Rabu, 24 April 2024", "Hari kerja",
     ["8 April 2024 (Cuti bersama Idulfitri)", "15 April 2024 (Cuti bersama Idulfitri)"]),
    ("pilkada", "study", "2024-11-12", "Jumat, 15 November 2024", "Hari kalender", []),
    ("pilkada", "study_extended", "2024-11-12", "Minggu, 17 November 2024", "Hari kalender", []),
])
def test_the_result_shows_the_due_date_the_indonesian_way_with_the_skipped_days(client, regime, step, start, due,
                                                                                kind, skipped):
    html = page(client, regime=regime, step=step, start=start)
    assert f">{due}</time>" in html
    assert kind in html
    for day in skipped:
        assert f"<li>{day}</li>" in html
    if not skipped:
        assert "Tidak ada hari yang dilewati." in html


def test_the_result_shows_the_number_of_days_and_the_citation(client):
    html = page(client, regime="pemilu", step="report", start="2024-11-22")
    assert "<dd>7</dd>" in html
    assert "<cite>UU 7/2017 Pasal 454 ayat (6)</cite>" in html
    assert "Belum diverifikasi" not in html


def test_an_unverified_rule_shows_a_badge(client):
    html = page(client, regime="pemilu", step="completion", start="2024-11-22")
    assert '<span class="badge unread">Belum diverifikasi</span>' in html


@pytest.mark.parametrize(("params", "message", "typed"), [
    ({"regime": "pemilu", "step": "report", "start": "2024-02-30"},
     "Tanggal tidak valid: berikan tanggal yang ada di kalender, misalnya 2024-11-22.", 'value="2024-02-30"'),
    ({"regime": "pemilu", "step": "report", "start": ""}, "Berikan tanggal mulai.", 'value="report" selected'),
    ({"regime": "presiden", "step": "report", "start": "2024-11-22"}, "Pilih jenis pemilihan dari daftar.",
     'value="2024-11-22"'),
    ({"regime": "pemilu", "step": "appeal", "start": "2024-11-22"}, "Pilih dari daftar apa yang harus dilakukan.",
     'value="2024-11-22"'),
])
def test_invalid_input_shows_a_clear_message_in_indonesian_and_keeps_what_was_typed(client, params, message, typed):
    html = page(client, **params)
    assert message in html
    assert typed in html
    assert 'id="deadline-due"' not in html
