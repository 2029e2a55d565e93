"""The guided checklist of bringing a regional government in: a pure function over the agency's state."""

import pytest
from django.utils import translation

from onboarding.checklist import AgencyState, checklist, is_live, progress

NOTHING = AgencyState(ppk_named=False, personnel_named=False, unenrolled=0, register_imported=False,
                      agreement_recorded=False)
ALL = AgencyState(ppk_named=True, personnel_named=True, unenrolled=0, register_imported=True, agreement_recorded=True)


def done(state) -> dict[str, bool]:
    return {item.key: item.done for item in checklist(state)}


@pytest.mark.parametrize(("state", "expected"), [
    pytest.param(NOTHING, {"ppk": False, "personnel": False, "enrolled": False, "register": False,
                           "agreement": False}, id="nothing-yet"),
    pytest.param(AgencyState(True, False, 1, False, False),
                 {"ppk": True, "personnel": False, "enrolled": False, "register": False, "agreement": False},
                 id="ppk-invited-not-enrolled"),
    pytest.param(AgencyState(True, True, 0, False, False),
                 {"ppk": True, "personnel": True, "enrolled": True, "register": False, "agreement": False},
                 id="accounts-ready"),
    pytest.param(AgencyState(True, True, 2, True, True),
                 {"ppk": True, "personnel": True, "enrolled": False, "register": True, "agreement": True},
                 id="two-still-to-enrol"),
    pytest.param(AgencyState(False, False, 0, True, True),
                 {"ppk": False, "personnel": False, "enrolled": False, "register": True, "agreement": True},
                 id="data-but-no-accounts"),
    pytest.param(ALL, {"ppk": True, "personnel": True, "enrolled": True, "register": True, "agreement": True},
                 id="live"),
])
def test_each_item_is_done_by_its_own_fact(state, expected):
    assert done(state) == expected


@pytest.mark.parametrize(("state", "live"), [(NOTHING, False), (ALL, True),
                                             (AgencyState(True, True, 1, True, True), False),
                                             (AgencyState(True, True, 0, True, False), False)])
def test_an_agency_is_live_when_every_item_is_done(state, live):
    assert is_live(checklist(state)) is live


def test_progress_counts_the_items_done():
    assert progress(checklist(NOTHING)) == (0, 5)
    assert progress(checklist(AgencyState(True, True, 0, False, False))) == (3, 5)
    assert progress(checklist(ALL)) == (5, 5)


def test_an_item_not_done_says_what_is_missing_and_where():
    for item in checklist(NOTHING):
        assert item.missing and item.url_name
    assert all(item.missing == "" for item in checklist(ALL))
    where = {item.key: item.url_name for item in checklist(NOTHING)}
    assert where["register"] == "registry:upload" and where["agreement"] == "agreements:new"


def test_the_accounts_not_enrolled_are_named_up_to_five():
    names = ("Ani", "Budi", "Citra", "Dedi", "Eka", "Fajar")
    state = AgencyState(True, True, 7, False, False, unenrolled_names=names)
    with translation.override("en"):
        missing = {item.key: item.missing for item in checklist(state)}["enrolled"]
    assert "Ani, Budi, Citra, Dedi, Eka and 2 more" in missing and "Fajar" not in missing


def test_without_names_the_accounts_not_enrolled_are_counted():
    with translation.override("en"):
        missing = {item.key: item.missing for item in checklist(AgencyState(True, False, 3, False, False))}
    assert "3 accounts" in missing["enrolled"]
