"""The study's warning rule (cases.provisions): pure, no database."""

import pytest

from cases.provisions import CATEGORY_LABELS, MEDIA, Facts, Provision, fact_media, mismatches
from rules.catalog import VIOLATION_CATEGORIES

BANNER = Provision("banner-support", "Memasang spanduk", "props")
SOCIAL = Provision("social-media-campaign", "Kampanye media sosial", "online")
PHOTO = Provision("partisan-photo", "Foto dengan calon", "online")
CAMPAIGN = Provision("campaign-participation", "Ikut kampanye", "event")
OLD = Provision("old-act", "Larangan lama", "")  # stored before the categories


def test_every_category_of_the_catalog_has_its_words_and_every_medium_is_a_category():
    assert set(CATEGORY_LABELS) == set(VIOLATION_CATEGORIES)
    assert set(MEDIA) <= set(VIOLATION_CATEGORIES)


@pytest.mark.parametrize(("facts", "media"), [
    pytest.param(Facts(texts=("Camat mengunggah foto calon di Facebook.",)), {"online": ("mengunggah", "facebook")},
                 id="words-of-a-post"),
    pytest.param(Facts(links=("https://www.facebook.com/camat/posts/1",)), {"online": ("facebook.com",)},
                 id="site-of-a-link"),
    pytest.param(Facts(links=("https://m.tiktok.com/@a/video/1", "https://example.org/post/1")),
                 {"online": ("tiktok.com",)}, id="only-social-media-sites-count"),
    pytest.param(Facts(texts=("Baliho calon bupati dipasang di depan rumah kepala dinas.",)),
                 {"props": ("baliho",)}, id="a-billboard"),
    pytest.param(Facts(texts=("Foto spanduk calon beredar di grup WA.",)), {"online": ("grup wa",),
                                                                           "props": ("spanduk",)}, id="both"),
    pytest.param(Facts(texts=("ASN ikut kampanye terbuka di lapangan.",), links=("https://example.org/post/1",)),
                 {}, id="no-clue"),
    pytest.param(Facts(texts=("Kepala dinas membagikan sembako atas nama calon.",)), {}, id="handing-out-is-not-posting"),
    pytest.param(Facts(links=("http://[broken",)), {}, id="a-broken-link-is-no-clue"),
])
def test_the_media_the_facts_point_to(facts, media):
    assert fact_media(facts) == media


def test_a_banner_provision_for_a_facebook_post_is_warned_about():
    """Issue 18: the test letter to BKN that cited banners for a Facebook post."""
    facts = Facts(texts=("Terlapor mengunggah poster calon di akun Facebook pribadinya.",),
                  links=("https://facebook.com/terlapor/posts/1",))
    [warning] = mismatches([BANNER], reporter=[SOCIAL], facts=facts)[1:]
    assert (warning.against, warning.categories, warning.key) == ("facts", ("online",), "facts:banner-support")
    assert "facebook.com" in warning.evidence
    assert [w.against for w in mismatches([BANNER], reporter=[SOCIAL], facts=facts)] == ["reporter", "facts"]


@pytest.mark.parametrize(("chosen", "reporter", "facts", "expected"), [
    pytest.param([SOCIAL], [SOCIAL], Facts(), [], id="the-reporters-choice"),
    pytest.param([PHOTO], [SOCIAL], Facts(), [], id="another-act-of-the-same-category"),
    pytest.param([CAMPAIGN], [SOCIAL], Facts(), ["reporter:campaign-participation"], id="another-category"),
    pytest.param([CAMPAIGN, SOCIAL], [SOCIAL, CAMPAIGN], Facts(), [], id="the-reporter-chose-both"),
    pytest.param([CAMPAIGN], [], Facts(texts=("status WA",)), [], id="a-provision-naming-no-medium-is-not-held-to-one"),
    pytest.param([SOCIAL], [], Facts(texts=("Spanduk di pagar kantor.",)), ["facts:social-media-campaign"],
                 id="an-online-provision-for-a-banner"),
    pytest.param([BANNER], [], Facts(texts=("Foto baliho beredar di Instagram.",)), [], id="facts-show-both-media"),
    pytest.param([BANNER], [], Facts(), [], id="facts-show-no-medium"),
    pytest.param([OLD], [SOCIAL], Facts(texts=("Facebook",)), [], id="an-act-without-category-is-not-compared"),
    pytest.param([], [SOCIAL], Facts(texts=("spanduk",)), [], id="nothing-chosen"),
])
def test_the_warning_rule(chosen, reporter, facts, expected):
    assert [w.key for w in mismatches(chosen, reporter=reporter, facts=facts)] == expected


def test_the_message_names_the_provision_the_categories_and_the_evidence():
    [warning] = mismatches([CAMPAIGN], reporter=[SOCIAL, PHOTO], facts=Facts())
    message = warning.message()
    assert "Ikut kampanye" in message and str(CATEGORY_LABELS["event"]) in message
    assert str(CATEGORY_LABELS["online"]) in message and "Kampanye media sosial; Foto dengan calon" in message
