"""Issue 20: an event's target units and a notice's units are typed one per line and found within the
jurisdiction (netral.forms.PickLinesField), never a box for every unit of the country."""

import pytest
from django.urls import reverse

from netral.forms import MAX_PICK_LINES
from netral.tests.growth import assert_page_does_not_grow, many_units
from prevention.models import Event
from prevention.notice_models import AsnNotice

pytestmark = pytest.mark.django_db

EVENT_NEW = reverse("prevention:event_new")
NOTICES = "/staf/pencegahan/pemberitahuan/"


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


# --- All the lines in one query (issue 20 review) ----------------------------------------------------

def _lines_field(units):
    from organizations.forms import unit_pick
    from prevention.forms import unit_lines_field

    field = unit_lines_field(required=False)
    field.pick = unit_pick(units)
    return field


@pytest.mark.parametrize("count", [1, 50])
def test_the_typed_lines_are_found_in_one_query_however_many(django_assert_num_queries, agencies, count):
    from organizations.models import Unit

    many_units(agencies["beltim"], count=count)
    field = _lines_field(Unit.objects.filter(agency=agencies["beltim"]))
    typed = "\n".join(f"sekolah dasar negeri {number:03d}" for number in reversed(range(count)))
    with django_assert_num_queries(1):
        rows = field.clean(typed)
    assert [row.name for row in rows] == [f"Sekolah Dasar Negeri {number:03d}" for number in reversed(range(count))]


@pytest.mark.parametrize("count", [1, 50])
def test_unknown_and_ambiguous_lines_are_told_in_one_query_however_many(django_assert_num_queries, agencies, count):
    from django.core.exceptions import ValidationError

    from organizations.models import Unit

    Unit.objects.create(agency=agencies["bangka"], name="Dinas Kesehatan")
    field = _lines_field(Unit.objects.all())
    lines = ["Dinas Kesehatan", *(f"Dinas Tidak Ada {number}" for number in range(count - 1))]
    with django_assert_num_queries(1), pytest.raises(ValidationError) as refused:
        field.clean("\n".join(lines))
    errors = refused.value.error_list
    assert [error.code for error in errors] == ["several"] + ["none"] * (count - 1)
    assert '1, "Dinas Kesehatan"' in errors[0].message
    assert "Dinas Kesehatan · Pemerintah Kabupaten Bangka" in errors[0].message
    assert all(f' {number}, "Dinas Tidak Ada {number - 2}"' in error.message
               for number, error in enumerate(errors[1:], start=2))


def test_lines_differing_only_in_case_count_once_and_a_line_of_punctuation_costs_no_query(
        django_assert_num_queries, agencies):
    from django.core.exceptions import ValidationError

    from organizations.models import Unit

    field = _lines_field(Unit.objects.all())
    with django_assert_num_queries(1):
        rows = field.clean("Kecamatan Manggar\nDINAS KESEHATAN, belitung timur\nkecamatan manggar\ndinas kesehatan")
    assert rows == [agencies["camat_manggar"], agencies["dinkes_beltim"]]
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        field.clean("· · ·")
    assert [error.code for error in refused.value.error_list] == ["none"]


@pytest.mark.parametrize("text", ["Dinas Kesehatan", "kesehatan", "Dinas Kesehatan, Bangka",
                                  "Dinas Kesehatan · Pemerintah Kabupaten Belitung Timur", "Kecamatan Manggar",
                                  "manggar", "sekolah", "Sekolah Dasar Negeri 007", "ada", "x", "", "Nothing Here"])
def test_the_lines_together_find_what_each_line_alone_finds(agencies, text):
    from organizations.models import Unit
    from organizations.selectors import unit_resolve, unit_resolve_many

    Unit.objects.create(agency=agencies["bangka"], name="Dinas Kesehatan")
    many_units(agencies["beltim"], count=60)
    units = Unit.objects.all()
    texts = [text, "Kecamatan Manggar", text]
    assert unit_resolve_many(texts, units=units) == [unit_resolve(one, units=units) for one in texts]
