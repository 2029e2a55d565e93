"""Issue 20: every typed choice (netral.forms.TypedChoiceMixin) behaves alike, whatever row it chooses.

One table of pickers, one test per behaviour: the page does not grow with the rows; a name typed within
the user's jurisdiction is taken; another jurisdiction's row is neither offered by the search nor taken,
by name or by id, and the form comes back as typed; the search offers at most ten rows in the same
number of queries however many there are. What only one picker does stays in its app's tests
(agreements/tests/test_agency_pick.py, prevention/tests/test_unit_pick.py, onboarding/tests/test_views.py).
The table spans apps of every layer, so it lives here, at the project's level.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import resolve, reverse

from accounts.tests.factories import lead_babel, riau  # noqa: F401 (fixtures)
from netral.tests.growth import assert_page_does_not_grow, many_agencies, many_units, search_queries
from prevention.tests.conftest import election, themes  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Picker:
    """One typed choice. ``fx`` is ``request.getfixturevalue``; ``rows(fx)`` makes and names the rows the
    table speaks of ("own": the chooser's, "foreign": the outsider's other jurisdiction's)."""

    page: str  # the page with the form
    search: str  # its htmx search
    text: str  # the typed field
    hidden: str  # the chosen row's id
    send: Callable  # (client, fx, data) -> the response to the form sent with ``data``
    chosen: Callable  # (fx, response) -> the row the form was taken with, or None when nothing happened
    rows: Callable  # fx -> {"own": row, "foreign": row}
    chooser: str  # fixture of the user who types ``typed``, naming the "own" row
    typed: str
    outsider: str  # fixture of the user to whom the "foreign" row is out of reach
    foreign_search: str  # typed into the search by the outsider
    foreign_name: str  # the foreign row's name, typed into the form
    kept: str  # in the page sent back: what was typed elsewhere in the form
    grower: str  # fixture of the user whose search (``few``) and page are measured before and after ``grow``
    few: str
    grow: Callable  # fx -> None: many rows more, named like ``few``
    form: str = "form"  # the form's name in the template's context
    offered: tuple = ()  # of "own"/"foreign": what the outsider's search offers
    few_offers: tuple = ()  # of "own"/"foreign": what the grower's search offers before ``grow``
    page_is_paged: bool = False  # a paged list on the page itself grows by a page, not by the rows


# --- agreements: the government of a new agreement ------------------------------------------------------

def _agreement(client, fx, data):
    offices = fx("offices")
    return client.post(reverse("agreements:new"), {
        "kind": "mou", "title": "Nota Kesepakatan 2029", "place": "Manggar", "signed_on": "2024-11-01",
        "term_years": 3, "notice_days": 30, "scope": "Pencegahan", "office": offices["beltim"].pk,
        "first_number": "021/HK.02/K.BB-06/11/2024", "first_signatory": "Ketua", "first_position": "Ketua Bawaslu",
        "second_number": "010/NK/XI/BT/2024", "second_signatory": "Bupati", "second_position": "Bupati", **data})


def _agreement_party(fx, response):
    from agreements.models import Agreement

    agreement = Agreement.objects.first()
    return agreement.parties.get(position=2).agency if agreement else None


AGREEMENT_AGENCY = Picker(
    page=reverse("agreements:new"), search=reverse("agreements:agency_search"), text="agency_name", hidden="agency",
    send=_agreement, chosen=_agreement_party,
    rows=lambda fx: {"own": fx("agencies")["beltim"], "foreign": fx("agencies")["bangka"]},
    chooser="staff_beltim", typed="belitung timur",
    outsider="staff_beltim", foreign_search="bangka", foreign_name="Kabupaten Bangka",
    kept="021/HK.02/K.BB-06/11/2024",
    grower="staff_babel", few="ka", few_offers=("own", "foreign"),
    grow=lambda fx: many_agencies(fx("places")["bangka"]))


# --- agreements: the pledge ceremony of an evaluation meeting -------------------------------------------

def _ceremonies(fx, count, *, office="beltim", title="Ikrar Netralitas"):
    from prevention.models import Ceremony

    offices, places, election = fx("offices"), fx("places"), fx("election")
    return Ceremony.objects.bulk_create([
        Ceremony(title=f"{title} {number:03d}", election=election, held_on=date(2024, 11, 20), place="Manggar",
                 office=offices[office], region=places[office]) for number in range(count)])


def _ceremony_rows(fx):
    (own,) = _ceremonies(fx, 1, title="Ikrar Camat")
    (foreign,) = _ceremonies(fx, 1, office="bangka", title="Ikrar Sungailiat")
    return {"own": own, "foreign": foreign}


def _meeting(client, fx, data):
    return client.post(reverse("agreements:standalone_meeting_new"), {
        "election": fx("election").pk, "title": "Evaluasi Pilkada", "held_on": "2024-11-20", "place": "Manggar",
        "participants": "BKPSDM; 3", "minutes": "Notulen", **data})


def _meeting_ceremony(fx, response):
    from agreements.models import EvaluationMeeting

    meeting = EvaluationMeeting.objects.first()
    return meeting.ceremony if meeting else None


MEETING_CEREMONY = Picker(
    page=reverse("agreements:standalone_meeting_new"), search=reverse("agreements:standalone_meeting_ceremonies"),
    text="ceremony_name", hidden="ceremony", send=_meeting, chosen=_meeting_ceremony, rows=_ceremony_rows,
    chooser="staff_beltim", typed="ikrar camat",
    outsider="staff_beltim", foreign_search="ikrar", offered=("own",), foreign_name="Ikrar Sungailiat",
    kept='value="Evaluasi Pilkada"',
    grower="staff_beltim", few="ikrar kecamatan",
    grow=lambda fx: _ceremonies(fx, 300, title="Ikrar Kecamatan"))


# --- prevention: a banner's unit --------------------------------------------------------------------------

def _banner(client, fx, data):
    return client.post(reverse("prevention:banners"), {
        "election": fx("election").pk, "head_name": "dr. Budi", "head_position": "Kepala Dinas", **data})


def _banner_unit(fx, response):
    from prevention.models import Banner

    banner = Banner.objects.first()
    return banner.unit if banner else None


BANNER_UNIT = Picker(
    page=reverse("prevention:banners"), search=reverse("prevention:unit_search"), text="unit_typed", hidden="unit",
    send=_banner, chosen=_banner_unit,
    rows=lambda fx: {"own": fx("agencies")["dinkes_beltim"], "foreign": fx("agencies")["dinkes_beltim"]},
    chooser="pemda_beltim", typed="dinas kesehatan",
    outsider="staff_bangka", foreign_search="kesehatan", foreign_name="Dinas Kesehatan", kept='value="dr. Budi"',
    grower="staff_babel", few="sekolah", grow=lambda fx: many_units(fx("agencies")["beltim"]))


# --- onboarding: the regional government whose page to open -----------------------------------------------

def _onboarding(client, fx, data):
    return client.get(reverse("onboarding:list"), data)


def _onboarding_agency(fx, response):
    from organizations.models import Agency

    if response.status_code != 302:
        return None
    return Agency.objects.get(pk=resolve(response["Location"].partition("#")[0]).kwargs["pk"])


ONBOARDING_AGENCY = Picker(
    page=reverse("onboarding:list"), search=reverse("onboarding:agency_search"), text="agency_name",
    hidden="agency", send=_onboarding, chosen=_onboarding_agency, form="open_form",
    rows=lambda fx: {"own": fx("agencies")["beltim"], "foreign": fx("riau")},
    chooser="lead_babel", typed="belitung timur",
    outsider="lead_babel", foreign_search="batam", foreign_name="Kota Batam", kept="data-agency=",
    grower="lead_babel", few="contoh", grow=lambda fx: many_agencies(fx("places")["bangka"]), page_is_paged=True)


PICKERS = [pytest.param(AGREEMENT_AGENCY, id="agreement-agency"), pytest.param(MEETING_CEREMONY, id="meeting-ceremony"),
           pytest.param(BANNER_UNIT, id="banner-unit"), pytest.param(ONBOARDING_AGENCY, id="onboarding-agency")]


@pytest.mark.parametrize("picker", [param for param in PICKERS if not param.values[0].page_is_paged])
def test_the_page_does_not_grow_with_the_rows(request, client, picker):
    fx = request.getfixturevalue
    picker.rows(fx)
    client.force_login(fx(picker.grower))
    assert_page_does_not_grow(client, picker.page, grow=lambda: picker.grow(fx))


@pytest.mark.parametrize("picker", PICKERS)
def test_a_name_typed_within_the_jurisdiction_is_taken(request, client, picker):
    fx = request.getfixturevalue
    rows = picker.rows(fx)
    client.force_login(fx(picker.chooser))
    response = picker.send(client, fx, {picker.text: picker.typed})
    assert response.status_code == 302, response.context and response.context[picker.form].errors
    assert picker.chosen(fx, response) == rows["own"]


def _searched(request, client, picker, who: str, text: str) -> tuple[dict, list, int]:
    """The picker's rows made, ``who`` logged in, ``text`` searched: (the rows, the ids offered, queries)."""
    rows = picker.rows(request.getfixturevalue)
    client.force_login(request.getfixturevalue(who))
    response, queries = search_queries(client, picker.search, {picker.text: text})
    assert response.status_code == 200
    return rows, [pk for pk, _label in response.context["rows"]], queries


@pytest.mark.parametrize("picker", PICKERS)
def test_another_jurisdictions_row_is_neither_offered_nor_taken(request, client, picker):
    rows, offered, _queries = _searched(request, client, picker, picker.outsider, picker.foreign_search)
    assert offered == [rows[name].pk for name in picker.offered]
    for data in ({picker.text: picker.foreign_name}, {picker.hidden: rows["foreign"].pk}):
        response = picker.send(client, request.getfixturevalue, data)
        assert response.status_code == 400
        assert response.context[picker.form].errors[picker.text]
        assert picker.kept in response.content.decode()
        assert picker.chosen(request.getfixturevalue, response) is None


@pytest.mark.parametrize("picker", PICKERS)
def test_the_search_offers_a_few_rows_in_constant_queries(request, client, picker):
    rows, offered, few = _searched(request, client, picker, picker.grower, picker.few)
    assert set(offered) == {rows[name].pk for name in picker.few_offers}
    picker.grow(request.getfixturevalue)
    response, many = search_queries(client, picker.search, {picker.text: picker.few})
    assert len(response.context["rows"]) == 10 and many == few
