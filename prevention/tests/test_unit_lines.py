"""Issue 20: an event's target units and a notice's units are typed one per line and found within the
jurisdiction (netral.forms.PickLinesField), never a box for every unit of the country."""

import pytest
from django.urls import reverse

from netral.forms import MAX_PICK_LINES
from netral.tests.growth import assert_page_does_not_grow
from prevention.models import Event
from prevention.notice_models import AsnNotice

pytestmark = pytest.mark.django_db

EVENT_NEW = reverse("prevention:event_new")
NOTICES = "/staf/pencegahan/pemberitahuan/"


def many_units(agency, count=300, prefix="Sekolah Dasar Negeri"):
    from organizations.models import Unit

    Unit.objects.bulk_create([Unit(agency=agency, name=f"{prefix} {number:03d}") for number in range(count)])


def _event(units_text, **changes):
    return {"title": "Sosialisasi Netralitas", "theme": "asn-neutrality", "held_on": "2024-10-01", "place": "Manggar",
            "target_units": units_text, **changes}


def _line_errors(response, field):
    return [(error.code, error.message) for error in response.context["form"].errors.as_data()[field]]


def test_several_units_one_per_line_are_all_targeted_once(client, staff_beltim, themes, agencies):
    client.force_login(staff_beltim)
    response = client.post(EVENT_NEW, _event(
        "Dinas Kesehatan · Pemerintah Kabupaten Belitung Timur\n\n  kecamatan manggar  \nDinas Kesehatan\r\n"))
    assert response.status_code == 302
    assert set(Event.objects.get().target_units.all()) == {agencies["dinkes_beltim"], agencies["camat_manggar"]}


def test_no_line_opens_the_event_to_the_whole_jurisdiction(client, staff_beltim, themes):
    client.force_login(staff_beltim)
    assert client.post(EVENT_NEW, _event("")).status_code == 302
    assert not Event.objects.get().target_units.exists()


def test_an_ambiguous_and_an_unknown_line_are_told_by_number_and_the_text_is_kept(client, staff_babel, themes,
                                                                                  agencies):
    from organizations.models import Unit

    bangka = Unit.objects.create(agency=agencies["bangka"], name="Dinas Kesehatan")
    client.force_login(staff_babel)
    typed = "Dinas Kesehatan\nKecamatan Manggar\nDinas Kesihatan Salah Ketik"
    response = client.post(EVENT_NEW, _event(typed))
    assert response.status_code == 400 and not Event.objects.exists()
    (several, ambiguous), (none, unknown) = _line_errors(response, "target_units")
    assert (several, none) == ("several", "none")
    assert '1, "Dinas Kesehatan"' in ambiguous and "Dinas Kesehatan · Pemerintah Kabupaten Bangka" in ambiguous
    assert "Dinas Kesehatan · Pemerintah Kabupaten Belitung Timur" in ambiguous
    assert '3, "Dinas Kesihatan Salah Ketik"' in unknown
    page = response.content.decode()
    assert typed in page and 'value="Sosialisasi Netralitas"' in page
    # "Did you mean": the label given, written on the line, is taken.
    response = client.post(EVENT_NEW, _event("Dinas Kesehatan · Pemerintah Kabupaten Bangka\nKecamatan Manggar"))
    assert response.status_code == 302
    assert set(Event.objects.get().target_units.all()) == {bangka, agencies["camat_manggar"]}


def test_another_regencys_unit_is_refused_on_both_forms(client, pemda_beltim, themes, agencies):
    from organizations.models import Unit

    Unit.objects.create(agency=agencies["bangka"], name="Dinas Pendidikan Bangka")
    client.force_login(pemda_beltim)
    response = client.post(EVENT_NEW, _event("Dinas Kesehatan\nDinas Pendidikan Bangka"))
    assert response.status_code == 400 and [code for code, _ in _line_errors(response, "target_units")] == ["none"]
    response = client.post(NOTICES, {"kind": "notice", "subject": "Ikrar", "body": "Teks.",
                                     "units": "Dinas Pendidikan Bangka"})
    assert response.status_code == 400 and [code for code, _ in _line_errors(response, "units")] == ["none"]
    assert not Event.objects.exists() and not AsnNotice.objects.exists()


def test_a_notice_needs_a_unit_and_takes_the_lines(client, pemda_beltim, agencies):
    client.force_login(pemda_beltim)
    response = client.post(NOTICES, {"kind": "notice", "subject": "Ikrar", "body": "Teks.", "units": " \n "})
    assert response.status_code == 400 and [code for code, _ in _line_errors(response, "units")] == ["required"]
    response = client.post(NOTICES, {"kind": "notice", "subject": "Ikrar", "body": "Teks.",
                                     "units": "Dinas Kesehatan\nKecamatan Manggar"})
    assert response.status_code == 302, response.context["form"].errors
    assert set(AsnNotice.objects.get().units.all()) == {agencies["dinkes_beltim"], agencies["camat_manggar"]}


def test_more_lines_than_the_limit_are_refused(client, staff_beltim, themes):
    client.force_login(staff_beltim)
    response = client.post(EVENT_NEW, _event("\n".join(f"Unit {number}" for number in range(MAX_PICK_LINES + 1))))
    assert response.status_code == 400 and [code for code, _ in _line_errors(response, "target_units")] == ["too_many"]


def test_the_event_page_does_not_grow_with_the_units(client, staff_babel, agencies):
    client.force_login(staff_babel)
    assert_page_does_not_grow(client, EVENT_NEW, grow=lambda: many_units(agencies["beltim"]))


def test_the_notice_page_does_not_grow_with_the_units(client, pemda_beltim, agencies):
    client.force_login(pemda_beltim)
    assert_page_does_not_grow(client, NOTICES, grow=lambda: many_units(agencies["beltim"]))
