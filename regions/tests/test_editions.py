"""Applying editions of the region codes: a first load, a later edition with a split and a
rename, idempotent re-runs, and records that point to a retired code (tests/editions/*)."""

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AuditEntry
from organizations.models import Agency, BawasluOffice
from organizations.services import organizations_load_country
from regions.editions import (
    DEFAULT_EDITION,
    LEVEL_NAMES,
    EditionError,
    edition_path,
    parse_levels,
    read_edition,
)
from regions.models import Region, RegionChange, RegionEdition
from regions.selectors import region_list_under
from regions.services import regions_apply_edition

EDITIONS = Path(__file__).resolve().parent / "editions"
ALL = list(LEVEL_NAMES)

pytestmark = pytest.mark.django_db


def apply(name, levels=ALL):
    return regions_apply_edition(edition=read_edition(EDITIONS / name, levels), levels=levels)


def snapshot():
    return list(
        Region.objects.order_by("code").values_list(
            "pk", "code", "name", "level", "parent_id", "time_zone", "retired_in", "replaced_by_id"
        )
    )


def test_the_first_edition_builds_the_tree_under_the_country():
    counts = apply("first")
    assert {level: counts[level]["created"] for level in ALL} == {
        "province": 2,
        "regency": 4,
        "district": 4,
        "village": 3,
    }
    village = Region.objects.get(code="19.06.02.2001")
    assert (village.level, village.parent.code, village.parent.parent.code) == (
        Region.Level.VILLAGE,
        "19.06.02",
        "19.06",
    )
    assert Region.objects.get(code="19").parent.code == "ID"
    # Time zones from regions/data/time_zones.yaml, inherited down the tree.
    assert Region.objects.get(code="91.01.01.1001").time_zone == "Asia/Jayapura"
    assert Region.objects.get(code="19.06.01").time_zone == "Asia/Jakarta"
    edition = RegionEdition.objects.get()
    assert (edition.name, edition.levels) == ("test-first", "province,regency,district,village")
    assert AuditEntry.objects.filter(action="regions.edition_applied").count() == 1


def test_a_second_run_of_the_same_edition_changes_nothing():
    apply("first")
    before, edition_before = snapshot(), list(RegionEdition.objects.values_list("applied_at", "counts"))
    counts = apply("first")
    assert all(
        counts[level]["created"] == counts[level]["renamed"] == counts[level]["retired"] == 0 for level in ALL
    )
    assert counts["district"]["unchanged"] == 4
    assert snapshot() == before
    assert list(RegionEdition.objects.values_list("applied_at", "counts")) == edition_before
    assert not RegionChange.objects.exists()
    assert AuditEntry.objects.filter(action="regions.edition_applied").count() == 1


def test_a_later_edition_is_applied_as_a_difference_with_history():
    apply("first")
    ids = dict(Region.objects.values_list("code", "pk"))
    counts = apply("second")
    assert counts["province"] == {"created": 1, "renamed": 0, "retired": 0, "restored": 0, "unchanged": 2}
    assert counts["regency"]["created"] == 1 and counts["regency"]["retired"] == 1
    assert counts["district"] == {"created": 2, "renamed": 1, "retired": 1, "restored": 0, "unchanged": 2}
    assert counts["replaced"] == {"set": 2}

    # The rename keeps the region (same row, same code) and its old name in the history.
    gantung = Region.objects.get(code="19.06.02")
    assert (gantung.pk, gantung.name) == (ids["19.06.02"], "Gantung Raya")
    change = RegionChange.objects.get(region=gantung)
    assert (change.kind, change.old_name, change.new_name, change.edition) == (
        "renamed",
        "Gantung",
        "Gantung Raya",
        "test-second",
    )
    # The split: Merauke left Papua for the new Papua Selatan under a new code. The old codes stay,
    # retired with the edition and pointing to their replacements; nothing was deleted.
    old, new = Region.objects.get(code="91.01"), Region.objects.get(code="93.01")
    assert (old.pk, old.retired_in, old.replaced_by, old.is_retired) == (
        ids["91.01"],
        "test-second",
        new,
        True,
    )
    assert new.parent.code == "93" and new.parent.time_zone == "Asia/Jayapura" and not new.is_retired
    assert Region.objects.get(code="91.01.01").replaced_by.code == "93.01.01"
    assert set(RegionChange.objects.filter(region=old).values_list("kind", flat=True)) == {
        "retired",
        "replaced",
    }
    assert set(ids) <= set(Region.objects.values_list("code", flat=True))
    # A village of the old regency, not listed again and without a replacement: retired, left for an administrator.
    orphan = Region.objects.get(code="91.01.01.1001")
    assert orphan.retired_in == "test-second" and orphan.replaced_by is None

    # Applying it again changes nothing.
    before = snapshot()
    again = apply("second")
    assert again["replaced"] == {"set": 0} and all(again[level]["retired"] == 0 for level in ALL)
    assert snapshot() == before
    assert RegionChange.objects.count() == 6  # 1 rename, 3 retired, 2 replaced


def test_a_retired_code_listed_again_is_restored():
    apply("first")
    apply("second")
    counts = apply("first", levels=["province", "regency"])
    assert counts["regency"]["restored"] == 1 and counts["regency"]["retired"] == 1
    restored = Region.objects.get(code="91.01")
    assert (restored.retired_in, restored.replaced_by) == ("", None)
    assert RegionChange.objects.filter(region=restored, kind="restored", edition="test-first").exists()
    assert Region.objects.get(code="93.01").retired_in == "test-first"
    # Levels not loaded are not compared: the second edition's districts are all still current.
    assert Region.objects.get(code="19.06.03").retired_in == ""


def test_records_pointing_to_a_retired_code_keep_working():
    apply("first", levels=["province", "regency"])
    organizations_load_country()
    merauke_office = BawasluOffice.objects.get(region__code="91.01")
    merauke_government = Agency.objects.get(region__code="91.01")
    apply("second", levels=["province", "regency"])

    office = BawasluOffice.objects.select_related("region").get(pk=merauke_office.pk)
    assert (office.region.code, office.region.retired_in) == ("91.01", "test-second")
    assert Agency.objects.get(pk=merauke_government.pk).region.replaced_by.code == "93.01"
    # A retired region still counts in its old jurisdiction, so old records stay visible.
    papua = Region.objects.get(code="91")
    assert BawasluOffice.objects.filter(papua.subtree_q("region"), pk=office.pk).exists()
    # The offices and governments of the new codes come on the next load; the retired ones get nothing new.
    counts = organizations_load_country()
    assert (counts["offices_created"], counts["agencies_created"]) == (2, 2)  # Papua Selatan and 93.01
    assert BawasluOffice.objects.get(region__code="93.01").number_code == "K.93-01"
    assert BawasluOffice.objects.filter(region__code="91.01").count() == 1


def test_the_demo_regions_are_kept_and_updated_in_place(places):
    apply("first")
    beltim = Region.objects.get(code="19.06")
    assert beltim.pk == places["beltim"].pk
    # The demo's Sungailiat is not in the tiny edition: it is retired, not deleted.
    assert Region.objects.get(code="19.01.01").retired_in == "test-first"


def test_a_changed_file_is_refused_before_anything_is_written(tmp_path):
    copy = tmp_path / "edition"
    shutil.copytree(EDITIONS / "first", copy)
    (copy / "regencies.csv").write_text(
        (copy / "regencies.csv").read_text() + "19.71,19,Kota Pangkal Pinang\n"
    )
    with pytest.raises(EditionError, match="SHA-256"):
        read_edition(copy, ALL)
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("load_regions", path=str(copy), levels="province,regency")
    assert not Region.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("province,district", "skip none"),
        ("regency", "skip none"),
        ("province,town", "unknown"),
    ],
)
def test_levels_start_at_the_province_and_skip_none(text, message):
    with pytest.raises(EditionError, match=message):
        parse_levels(text)


def test_the_command_prints_the_counts_and_is_idempotent(capsys):
    call_command("load_regions", path=str(EDITIONS / "first"), levels="province,regency")
    first = capsys.readouterr().out
    assert "province: created 2" in first and "regency: created 4" in first
    call_command("load_regions", path=str(EDITIONS / "first"), levels="province,regency")
    assert "regency: created 0, renamed 0, retired 0, restored 0, unchanged 4" in capsys.readouterr().out


def test_the_shipped_edition_records_its_source_and_license():
    edition = read_edition(edition_path(DEFAULT_EDITION), ["province"])
    assert edition.name == "idn-area-data@4.0.1"
    assert "300.2.2-2138 Tahun 2025" in edition.regulation
    assert "ODbL" in edition.license
    assert (edition_path(DEFAULT_EDITION) / "LICENSE.md").read_text().startswith("# Open Database License")
    # Every shipped file is the one the manifest names (the villages are hashed here, not loaded).
    manifest = yaml.safe_load((edition_path(DEFAULT_EDITION) / "edition.yaml").read_text())
    assert set(manifest["files"]) == {"provinces.csv", "regencies.csv", "districts.csv", "villages.csv"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((edition_path(DEFAULT_EDITION) / name).read_bytes()).hexdigest() == digest, name
    assert manifest["npm_integrity"].startswith("sha512-")


def test_the_real_provinces_and_regencies_give_552_governments_and_553_offices():
    """The shipped edition's provinces and regencies (not the villages: the suite stays fast). Runs in CI."""
    call_command("load_regions", levels="province,regency")
    assert Region.objects.filter(level=Region.Level.PROVINCE).count() == 38
    assert Region.objects.filter(level=Region.Level.REGENCY).count() == 514
    call_command("load_offices")
    assert Agency.objects.filter(kind=Agency.Kind.REGIONAL).count() == 552
    assert BawasluOffice.objects.count() == 553
    assert Agency.objects.exclude(ppk_title__regex=r"^(Gubernur|Bupati|Wali Kota) ").count() == 0
    assert Agency.objects.get(region__code="19.06").ppk_title == "Bupati Belitung Timur"
    assert Agency.objects.get(region__code="19.71").ppk_title == "Wali Kota Pangkal Pinang"
    assert BawasluOffice.objects.get(region__code="19.06").number_code == "K.BB-06"
    assert Region.objects.get(code="73").time_zone == "Asia/Makassar"
    assert Region.objects.get(code="94.01").time_zone == "Asia/Jayapura"
    call_command("load_offices")
    assert (Agency.objects.count(), BawasluOffice.objects.count()) == (552, 553)


def test_the_admin_lists_retired_regions_with_their_history(client, django_user_model):
    apply("first")
    apply("second")
    admin = django_user_model.objects.create_superuser("root", password="kata-sandi-uji-123", role="admin")
    client.force_login(admin)
    response = client.get(reverse("admin:regions_region_changelist"), {"retired_in": "test-second"})
    assert response.status_code == 200
    assert [region.code for region in response.context["cl"].result_list] == [
        "91.01",
        "91.01.01",
        "91.01.01.1001",
    ]
    gantung = Region.objects.get(code="19.06.02")
    page = client.get(reverse("admin:regions_region_change", args=[gantung.pk]))
    assert page.status_code == 200 and "Gantung Raya" in page.content.decode()
    assert client.get(reverse("admin:regions_regionedition_changelist")).status_code == 200


def test_lists_under_a_region_stop_at_the_districts_unless_asked():
    apply("first")
    babel = Region.objects.get(code="19")
    assert [r.code for r in region_list_under(babel)] == ["19", "19.01", "19.06", "19.06.01", "19.06.02"]
    assert region_list_under(babel, down_to=Region.Level.VILLAGE).count() == 7
    assert [
        r.code for r in region_list_under(babel, level=Region.Level.VILLAGE, down_to=Region.Level.VILLAGE)
    ] == ["19.06.01.2001", "19.06.02.2001"]
