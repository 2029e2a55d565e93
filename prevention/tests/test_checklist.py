"""The unit checklist of the governor's circular (seed 001): its rules, its service, its doors, its counts."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from audit.models import AuditEntry
from organizations.models import Unit
from prevention import checklist, services
from prevention.models import ChecklistItem, ChecklistPhoto
from reports.tests.conftest import jpeg_bytes
from storage import kinds

pytestmark = pytest.mark.django_db
TODAY = date(2024, 11, 20)


def photo(name="spanduk.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def _gps(data: bytes):
    with Image.open(io.BytesIO(data)) as image:
        return image.getexif().get_ifd(0x8825)


# --- The rules (pure) -----------------------------------------------------------------------

@pytest.mark.parametrize(("item", "kwargs", "fields"), [
    pytest.param("banner", {"done": True, "done_on": date(2024, 11, 1)}, {"photo"}, id="banner-without-photo"),
    pytest.param("banner", {"done": True, "done_on": date(2024, 11, 1), "has_photo": True}, set(), id="banner-ok"),
    pytest.param("banner", {"done": True, "done_on": None, "has_photo": True}, {"done_on"}, id="banner-no-date"),
    pytest.param("video", {"done": True, "done_on": date(2024, 11, 1)}, {"channel", "place"}, id="video-where"),
    pytest.param("video", {"done": True, "done_on": date(2024, 11, 1), "channel": "videotron", "place": "Lobi"},
                 set(), id="video-ok"),
    pytest.param("socialisation", {"done": True, "done_on": date(2024, 11, 1)}, {"note"}, id="no-evidence"),
    pytest.param("socialisation", {"done": True, "done_on": None, "event": object()}, set(), id="event-dates-it"),
    pytest.param("socialisation", {"done": True, "done_on": date(2024, 11, 1), "evidence_url": "https://x.id"},
                 set(), id="link-is-evidence"),
    pytest.param("video", {"done": False, "done_on": date(2024, 12, 1)}, {"done_on"}, id="future-date"),
    pytest.param("banner", {"done": False, "done_on": None}, set(), id="not-done-needs-nothing"),
])
def test_what_an_item_needs_to_be_recorded(item, kwargs, fields):
    assert set(checklist.item_errors(item=item, today=TODAY, **kwargs)) == fields


# --- Recording ------------------------------------------------------------------------------


def test_a_unit_head_marks_the_banner_put_up_with_a_photo_stripped_of_its_location(unit_head_dinkes, election,
                                                                                     agencies):
    original = jpeg_bytes()
    assert _gps(original)
    unit = agencies["dinkes_beltim"]
    record = checklist.checklist_item_record(
        actor=unit_head_dinkes, unit=unit, election=election, item="banner", done=True,
        done_on=date(2024, 11, 14), place="Depan kantor", photo=SimpleUploadedFile("s.jpg", original))
    assert record.done and record.recorded_by == unit_head_dinkes and record.checklist.unit == unit
    stored = record.photos.get()
    assert not _gps(stored.file.read())
    assert stored.file.name.startswith(kinds.by_key("checklist-photos").prefix + "/")
    actions = list(AuditEntry.objects.filter(action__startswith="checklist.", target_id=str(record.pk))
                   .values_list("action", flat=True))
    assert sorted(actions) == ["checklist.item_recorded", "checklist.photo_added"]


def test_a_banner_without_any_photo_is_refused_and_nothing_is_written(unit_head_dinkes, election, agencies):
    with pytest.raises(ValidationError) as error:
        checklist.checklist_item_record(actor=unit_head_dinkes, unit=agencies["dinkes_beltim"], election=election,
                                        item="banner", done=True, done_on=date(2024, 11, 14))
    assert "photo" in error.value.message_dict
    assert not ChecklistItem.objects.exists()


def test_a_stored_photo_lets_the_banner_be_marked_again_and_photos_are_added_never_replaced(
        unit_head_dinkes, election, agencies):
    unit = agencies["dinkes_beltim"]
    kwargs = {"actor": unit_head_dinkes, "unit": unit, "election": election, "item": "banner"}
    checklist.checklist_item_record(**kwargs, done=False, photo=photo(color="red"))
    checklist.checklist_item_record(**kwargs, done=True, done_on=date(2024, 11, 14))
    checklist.checklist_item_record(**kwargs, done=True, done_on=date(2024, 11, 14), photo=photo(color="blue"))
    checklist.checklist_item_record(**kwargs, done=True, done_on=date(2024, 11, 14), photo=photo(color="blue"))
    record = ChecklistItem.objects.get()
    assert record.done and record.photos.count() == 2
    assert AuditEntry.objects.filter(action="checklist.item_recorded").count() == 4


def test_the_video_is_recorded_with_where_and_when(unit_head_dinkes, election, agencies):
    record = checklist.checklist_item_record(
        actor=unit_head_dinkes, unit=agencies["dinkes_beltim"], election=election, item="video", done=True,
        done_on=date(2024, 11, 15), channel="social_media", place="Instagram @dinkesbeltim",
        evidence_url="https://instagram.com/p/abc")
    assert (record.channel, record.place, record.done_on) == ("social_media", "Instagram @dinkesbeltim",
                                                             date(2024, 11, 15))
    entry = AuditEntry.objects.get(action="checklist.item_recorded")
    assert entry.data["channel"] == "social_media" and entry.data["done_on"] == "2024-11-15"


def test_the_socialisation_links_an_event_aimed_at_the_unit_and_takes_its_date(unit_head_dinkes, election,
                                                                              agencies, event_pemda, event_bangka):
    unit = agencies["dinkes_beltim"]
    record = checklist.checklist_item_record(actor=unit_head_dinkes, unit=unit, election=election,
                                             item="socialisation", done=True, event=event_pemda)
    assert record.event == event_pemda and record.done_on == event_pemda.held_on
    with pytest.raises(ValidationError):  # Bangka's event is not aimed at this unit
        checklist.checklist_item_record(actor=unit_head_dinkes, unit=unit, election=election,
                                        item="socialisation", done=True, event=event_bangka)


@pytest.mark.parametrize("who", ["pemda_beltim", "staff_beltim", "other_head"])
def test_nobody_but_the_unit_s_own_head_records_its_checklist(request, who, election, agencies, unit_head_dinkes):
    if who == "other_head":
        from accounts.models import User

        actor = User.objects.create_user("kacamat", role="unit_head", agency=agencies["beltim"],
                                         unit=agencies["camat_manggar"])
    else:
        actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        checklist.checklist_item_record(actor=actor, unit=agencies["dinkes_beltim"], election=election,
                                        item="video", done=False)


def test_the_pledges_are_counted_live_over_the_unit_s_active_employees(register, election, agencies):
    for key in ("ani", "budi", "fajar"):
        services.pledge_sign(employee=register[key], election=election, typed_name=register[key].name)
    revoked, _ = services.pledge_sign(employee=register["cici"], election=election, typed_name=register["cici"].name)
    revoked.revoked_at = revoked.signed_at
    revoked.save()
    count = checklist.unit_pledge_count(unit=agencies["dinkes_beltim"], election=election)
    assert (count.signed, count.active) == (2, 4)  # ani, budi of 4 active; cici's was revoked; eko is inactive
    assert count.share == 50


# --- Who sees which unit ----------------------------------------------------------------------

def _names(units):
    return {unit.name for unit in units}


def test_the_pemda_sees_its_own_agency_s_units_and_bawaslu_those_of_its_jurisdiction(
        register, pemda_beltim, staff_beltim, staff_bangka, staff_babel, admin_national, agencies):
    beltim = {"Dinas Kesehatan", "Kecamatan Manggar"}
    assert _names(checklist.progress_units(pemda_beltim)) == beltim
    assert _names(checklist.progress_units(staff_beltim)) == beltim
    assert _names(checklist.progress_units(staff_bangka)) == {"Dinas Pendidikan Bangka"}
    assert _names(checklist.progress_units(staff_babel)) == beltim | {"Dinas Pendidikan Bangka"}
    assert _names(checklist.progress_units(staff_babel, agency=agencies["bangka"])) == {"Dinas Pendidikan Bangka"}
    assert _names(checklist.progress_units(admin_national)) == set(Unit.objects.values_list("name", flat=True))


def test_a_unit_head_opens_only_its_own_unit(unit_head_dinkes, agencies):
    assert checklist.access_checklist_unit(unit_head_dinkes, agencies["dinkes_beltim"].pk) == (
        agencies["dinkes_beltim"], True)
    with pytest.raises(Http404):
        checklist.access_checklist_unit(unit_head_dinkes, agencies["camat_manggar"].pk)
    with pytest.raises(PermissionDenied):
        checklist.progress_units(unit_head_dinkes)


def test_another_regency_s_staff_cannot_open_the_unit(staff_bangka, pemda_beltim, agencies):
    assert checklist.access_checklist_unit(pemda_beltim, agencies["dinkes_beltim"].pk)[1] is False
    with pytest.raises(Http404):
        checklist.access_checklist_unit(staff_bangka, agencies["dinkes_beltim"].pk)


# --- The province's table ---------------------------------------------------------------------

def test_the_progress_rows_and_totals_match_what_was_recorded(register, unit_head_dinkes, election, agencies,
                                                               staff_babel):
    checklist.checklist_item_record(actor=unit_head_dinkes, unit=agencies["dinkes_beltim"], election=election,
                                    item="banner", done=True, done_on=date(2024, 11, 14), photo=photo())
    services.pledge_sign(employee=register["fajar"], election=election, typed_name=register["fajar"].name)
    units = checklist.progress_units(staff_babel)
    rows = {row.unit.name: row for row in checklist.progress_rows(list(units), election=election)}
    dinkes = rows["Dinas Kesehatan"]
    assert dinkes.done_count == 1 and dinkes.items["banner"]["photos"] == 1
    assert [bool(cell and cell["done"]) for cell in dinkes.cells()] == [False, False, True]
    assert (rows["Kecamatan Manggar"].pledges.signed, rows["Kecamatan Manggar"].pledges.active) == (1, 3)
    totals = checklist.progress_totals(units, election=election)
    assert totals.units == 3 and totals.cells() == [0, 0, 1]
    assert (totals.pledges.signed, totals.pledges.active) == (1, 9)


def test_the_checklist_photos_are_a_declared_file_kind():
    kind = kinds.by_key("checklist-photos")
    assert kind.model_class() is ChecklistPhoto and kind.purge == kinds.KEPT
