"""The public pages of prohibited acts: plain language, every act of the circular, both languages."""

import pytest
from django.urls import reverse

from rules.models import Violation

pytestmark = pytest.mark.django_db

# The eight prohibitions of SE Gubernur Kep. Babel 800/46/BKPSDMD-II/2024, angka 1 huruf a-h.
SEED_001_ACTS = [
    "banner-support", "social-media-campaign", "party-candidate-approach", "declaration-campaign-support",
    "party-membership", "campaign-account-engagement", "partisan-photo", "partisan-activity",
]


def test_the_list_shows_the_eight_acts_of_the_governors_circular(client):
    response = client.get(reverse("portal:rules"))
    assert response.status_code == 200
    page = response.content.decode()
    for violation in Violation.objects.filter(pk__in=SEED_001_ACTS):
        assert violation.title_id in page
        assert reverse("portal:rule_detail", args=[violation.pk]) in page
    assert len(SEED_001_ACTS) == 8


def test_the_list_groups_the_acts_by_family_with_headings(client):
    page = client.get(reverse("portal:rules")).content.decode()
    positions = [page.index(f'id="family-{family}"') for family in ("ethics", "discipline", "crime")]
    assert positions == sorted(positions)


def test_the_list_shows_sanctions_and_legal_bases_with_citations(client):
    page = client.get(reverse("portal:rules")).content.decode()
    assert "Pemberhentian tidak dengan hormat sebagai PNS" in page
    assert "Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil, Pasal 5 huruf n" \
        in page


def test_the_list_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get(reverse("portal:rules"))


def test_the_detail_page_explains_one_act(client):
    response = client.get(reverse("portal:rule_detail", args=["campaign-state-facilities"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Menjadi peserta kampanye dengan menggunakan fasilitas negara" in page
    assert "mobil dinas" in page
    assert "Penurunan jabatan setingkat lebih rendah selama 12 bulan" in page
    assert "Pasal 14 huruf i" in page


def test_the_detail_page_warns_when_an_entry_is_not_verified(client):
    page = client.get(reverse("portal:rule_detail", args=["campaign-participation"])).content.decode()
    assert "belum diverifikasi" in page
    assert reverse("portal:rules_unverified") in page


def test_unverified_entries_are_listed_on_one_page_not_badged_on_every_act(client):
    listing = client.get(reverse("portal:rules")).content.decode()
    assert "Sedang dicocokkan dengan naskah resmi" not in listing
    page = client.get(reverse("portal:rules_unverified")).content.decode()
    assert "Ikut kampanye untuk mendukung calon" in page  # campaign-participation is unverified
    assert "Menjadi peserta kampanye dengan menggunakan atribut partai atau atribut PNS" not in page  # verified


def test_the_catalog_says_who_can_be_reported_village_heads_included(client):
    page = client.get(reverse("portal:rules")).content.decode()
    assert "Kepala desa" in page and "bukan ASN" in page
    detail = client.get(reverse("portal:rule_detail", args=["village-campaign-involvement"])).content.decode()
    assert "Bupati/Wali Kota" in detail and "Badan Kepegawaian Negara" not in detail


def test_an_unknown_act_is_404(client):
    assert client.get(reverse("portal:rule_detail", args=["no-such-act"])).status_code == 404


def test_an_inactive_act_is_404(client):
    Violation.objects.filter(pk="banner-support").update(active=False)
    assert client.get(reverse("portal:rule_detail", args=["banner-support"])).status_code == 404
    assert "banner-support" not in client.get(reverse("portal:rules")).content.decode()


def test_the_pages_are_indonesian_by_default(client):
    page = client.get(reverse("portal:rule_detail", args=["banner-support"])).content.decode()
    assert '<html lang="id">' in page
    assert "Memasang spanduk/baliho/alat peraga lainnya" in page


def test_the_pages_are_english_when_the_language_cookie_says_en(client):
    client.cookies["netral_language"] = "en"
    page = client.get(reverse("portal:rule_detail", args=["banner-support"])).content.decode()
    assert '<html lang="en">' in page
    assert "Putting up banners, billboards or other campaign props for a regional head candidate" in page
    assert "Moral sanction by a closed statement" in page
    listing = client.get(reverse("portal:rules")).content.decode()
    assert "Being a member or officer of a political party" in listing


@pytest.mark.parametrize("name", ["portal:home", "reports:submit"])
def test_the_home_page_and_the_form_say_who_can_be_reported_here(client, name):
    # A reporter looking for "kepala desa" finds that village heads belong here (subjects.yaml).
    html = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'id="who-can-be-reported"' in html
    for title in ("Kepala desa", "Pegawai kontrak", "Pegawai Negeri Sipil (PNS)"):
        assert title.lower() in html.lower()
