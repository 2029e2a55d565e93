"""The category of a prohibited act (violations.yaml "category"): taxonomy, validated at load time."""

import pytest

from rules import catalog
from rules.catalog import VIOLATION_CATEGORIES, CatalogError, load_catalog
from rules.models import Violation


def test_every_act_of_the_real_files_has_a_known_category():
    acts = load_catalog(catalog.DATA_DIR).violations.values()
    assert all(act.category in VIOLATION_CATEGORIES for act in acts)
    assert {act.category for act in acts} == set(VIOLATION_CATEGORIES)  # no category without an act


@pytest.mark.parametrize(("violation_id", "category"), [
    pytest.param("banner-support", "props", id="banners"),
    pytest.param("social-media-campaign", "online", id="social-media"),
    pytest.param("partisan-photo", "online", id="a-photo-posted"),
    pytest.param("campaign-participation", "event", id="a-campaign"),
])
def test_the_banner_and_the_social_media_acts_are_told_apart(violation_id, category):
    assert load_catalog(catalog.DATA_DIR).violations[violation_id].category == category


def _first(change):
    def apply(entries):
        change(entries[0])
    return apply


@pytest.mark.parametrize(("change", "message"), [
    pytest.param(lambda entry: entry.pop("category"), 'violations.yaml: entry "banner-support": missing "category"',
                 id="missing"),
    pytest.param(lambda entry: entry.update(category="poster"),
                 "violations.yaml: entry \"banner-support\": unknown category 'poster'", id="unknown"),
])
def test_a_missing_or_unknown_category_is_refused_naming_the_entry(edit, change, message):
    with pytest.raises(CatalogError) as error:
        load_catalog(edit("violations.yaml", _first(change)))
    assert str(error.value).startswith(message), str(error.value)


@pytest.mark.django_db
def test_the_stored_act_carries_its_category(rules):
    assert Violation.objects.get(pk="banner-support").data["category"] == "props"
