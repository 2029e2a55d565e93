"""The unit checklist of the governor's circular (seed 001, items 3 and 5): reads and writes.

A unit head keeps their own unit's checklist for an election (``checklist_item_record``):
socialisation held, the neutrality video broadcast (3a: where and when), the "ASN Netral"
banner put up with a photo (3b). The pledges signed are never typed: they are counted live
from the pledges of the unit's active employees in the register (``unit_pledge_count``).

The Pemda side sees the units of its agency, Bawaslu those of the agencies in its
jurisdiction, administrators every unit, all read-only (``progress_units``,
``progress_rows``, ``progress_totals``: a constant number of queries per page).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import NATIONWIDE_ROLES, Capability, can
from audit.services import audit_record
from organizations.models import Agency, Unit
from prevention import coverage
from prevention.coverage import SIGNED, employees_with_pledge
from prevention.models import Banner, ChecklistItem, ChecklistPhoto, Event, PledgeCoverage, UnitChecklist
from prevention.scoring import share
from prevention.services import MAX_PHOTO_BYTES, _prepare_image
from registry.models import Employee
from rules.models import Election
from storage import files as stored_files

if TYPE_CHECKING:
    from accounts.models import User

Item = ChecklistItem.Item
ITEMS = (Item.SOCIALISATION, Item.VIDEO, Item.BANNER)  # the order of the page and the table


def checklist_elections():
    """The elections a checklist can be kept for: the active ones, the latest first."""
    return Election.objects.filter(active=True).order_by("-voting_day", "id")


# --- Doors ---------------------------------------------------------------------------------

def progress_units(user, *, agency: Agency | None = None):
    """The units whose checklists ``user`` may read, by agency then name; PermissionDenied for others."""
    if not can(user, Capability.SEE_UNIT_PROGRESS):
        raise PermissionDenied
    if user.role in NATIONWIDE_ROLES:
        units = Unit.objects.all()
    elif user.is_bawaslu:
        units = Unit.objects.filter(user.jurisdiction.subtree_q("agency__region"))
    else:
        units = Unit.objects.filter(agency_id=user.agency_id)
    if agency is not None:
        units = units.filter(agency=agency)
    return units.select_related("agency").order_by("agency__name", "name", "pk")


def progress_agencies(user):
    """The agencies of the units ``user`` may read (the filter's choices)."""
    return Agency.objects.filter(pk__in=progress_units(user).values("agency_id")).order_by("name")


def may_record(user, unit: Unit) -> bool:
    """Only the unit's own head records its checklist."""
    return can(user, Capability.RECORD_UNIT_CHECKLIST) and user.unit_id == unit.pk


def access_checklist_unit(user, pk) -> tuple[Unit, bool]:
    """(the unit, whether ``user`` may record its checklist): a unit head's own unit, or a unit
    whose progress ``user`` reads. 404 for a missing and a foreign unit alike."""
    if can(user, Capability.RECORD_UNIT_CHECKLIST):
        unit = Unit.objects.select_related("agency").filter(pk=user.unit_id).first()
        if unit is None or str(pk) != str(unit.pk):
            raise Http404
        return unit, True
    try:
        return progress_units(user).get(pk=pk), False
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- One unit ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PledgeCount:
    signed: int
    active: int

    @property
    def share(self) -> Decimal | None:
        return share(self.signed, self.active)


def unit_pledge_count(*, unit: Unit, election: Election) -> PledgeCount:
    """Active employees of the unit in the register now, and how many hold a valid pledge (1 query)."""
    counts = employees_with_pledge(_staff_of([unit]), election=election).aggregate(
        active=Count("pk"), signed=Count("pk", filter=SIGNED))
    return PledgeCount(signed=counts["signed"], active=counts["active"])


def unit_events(*, unit: Unit, election: Election):
    """The socialisation events aimed at the unit, for this election or none named."""
    return (Event.objects.filter(target_units=unit).filter(Q(election=election) | Q(election__isnull=True))
            .order_by("-held_on", "-id"))


def unit_banners(*, unit: Unit, election: Election):
    """The banners made with Netral for the unit and this election."""
    return Banner.objects.filter(unit=unit, election=election).order_by("-created_at", "-id")


@dataclass
class ItemState:
    item: str
    label: str
    record: ChecklistItem | None
    photos: list = field(default_factory=list)

    @property
    def done(self) -> bool:
        return bool(self.record and self.record.done)


def unit_checklist(*, unit: Unit, election: Election) -> list[ItemState]:
    """The three items of the unit's checklist as last recorded (2 queries)."""
    records = {record.item: record for record in ChecklistItem.objects.filter(
        checklist__unit=unit, checklist__election=election).select_related(
        "recorded_by", "event", "banner").prefetch_related("photos")}
    return [ItemState(item, str(item.label), records.get(item),
                      list(records[item].photos.all()) if item in records else []) for item in ITEMS]


def access_checklist_photo(*, unit: Unit, pk) -> ChecklistPhoto:
    try:
        return ChecklistPhoto.objects.get(pk=pk, item__checklist__unit=unit)
    except (ChecklistPhoto.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Recording -----------------------------------------------------------------------------

def item_errors(*, item: str, done: bool, done_on: date | None, today: date, event=None, channel: str = "",
                place: str = "", note: str = "", evidence_url: str = "", has_photo: bool = False) -> dict:
    """What keeps an item from being recorded, by field (pure: the service and its tests share it)."""
    errors = {}
    if done_on is not None and done_on > today:
        errors["done_on"] = _("The date cannot be in the future.")
    if not done:
        return errors
    if done_on is None and not (item == Item.SOCIALISATION and event is not None):
        errors["done_on"] = _("Give the date it was done.")
    if item == Item.SOCIALISATION and event is None and not (note.strip() or evidence_url or has_photo):
        errors["note"] = _("Choose the socialisation event, or describe it with a note, a link or a photo.")
    if item == Item.VIDEO:
        if not channel:
            errors["channel"] = _("Choose where the video was shown.")
        if not place.strip():
            errors["place"] = _("Say where: the account, the screen or the programme.")
    if item == Item.BANNER and not has_photo:
        errors["photo"] = _("Add a photo of the banner put up.")
    return errors


@transaction.atomic
def checklist_item_record(*, actor: User, unit: Unit, election: Election, item: str, done: bool,
                          done_on: date | None = None, event: Event | None = None, channel: str = "",
                          place: str = "", banner: Banner | None = None, evidence_url: str = "", note: str = "",
                          photo=None) -> ChecklistItem:
    """Record one item of the unit's checklist (the unit's head only); a photo is added to its photos."""
    if not may_record(actor, unit):
        raise PermissionDenied
    if item not in ITEMS:
        raise ValidationError(_("Unknown checklist item."))
    if election not in checklist_elections():
        raise ValidationError({"election": _("Choose an active election.")})
    # Only what belongs to the item is kept.
    if item != Item.SOCIALISATION:
        event = None
    if item != Item.VIDEO:
        channel = ""
    if item != Item.BANNER:
        banner = None
    if event is not None and not unit_events(unit=unit, election=election).filter(pk=event.pk).exists():
        raise ValidationError({"event": _("This event is not aimed at your unit.")})
    if banner is not None and not unit_banners(unit=unit, election=election).filter(pk=banner.pk).exists():
        raise ValidationError({"banner": _("This banner is not your unit's for this election.")})
    if channel and channel not in ChecklistItem.Channel.values:
        raise ValidationError({"channel": _("Choose where the video was shown.")})
    prepared = _prepare_image(photo, MAX_PHOTO_BYTES) if photo is not None else None  # EXIF/GPS stripped

    # The unit's row serialises two recordings of its checklist (the first creates it).
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    checklist, _created = UnitChecklist.objects.get_or_create(unit=unit, election=election)
    record = (ChecklistItem.objects.filter(checklist=checklist, item=item).first()
              or ChecklistItem(checklist=checklist, item=item))
    if done and done_on is None and event is not None:
        done_on = event.held_on
    had_photo = record.pk is not None and record.photos.exists()
    errors = item_errors(item=item, done=done, done_on=done_on, today=timezone.localdate(), event=event,
                         channel=channel, place=place, note=note, evidence_url=evidence_url,
                         has_photo=had_photo or prepared is not None)
    if errors:
        raise ValidationError(errors)
    record.done, record.done_on = done, done_on if done else None
    record.event, record.channel, record.place, record.banner = event, channel, place.strip(), banner
    record.evidence_url, record.note, record.recorded_by = evidence_url, note.strip(), actor
    record.save()
    digest = None
    if prepared is not None:
        digest = hashlib.sha256(prepared.public).hexdigest()
        if not record.photos.filter(sha256=digest).exists():
            stored = ChecklistPhoto(item=record, sha256=digest, uploaded_by=actor)
            # Written inside the transaction (storage.files): a rollback deletes the file too.
            stored_files.save_field(stored.file, f"photo.{prepared.extension}", prepared.public)
            stored.save()
            audit_record(actor=actor, action="checklist.photo_added", target=record,
                         data={"unit": unit.pk, "election": election.pk, "item": item, "sha256": digest})
    audit_record(actor=actor, action="checklist.item_recorded", target=record, data={
        "unit": unit.pk, "election": election.pk, "item": item, "done": done,
        "done_on": done_on.isoformat() if done and done_on else None, "event": event.pk if event else None,
        "channel": channel, "place": record.place, "banner": banner.pk if banner else None,
        "evidence_url": evidence_url, "note": record.note, "photo": digest,
    })
    return record


# --- The province's view: units × items ----------------------------------------------------

@dataclass
class ProgressRow:
    unit: Unit
    items: dict  # item -> {"done", "done_on", "channel", "photos"} or absent
    pledges: PledgeCount

    def cells(self) -> list:
        return [self.items.get(item) for item in ITEMS]

    @property
    def done_count(self) -> int:
        return sum(1 for cell in self.items.values() if cell["done"])


def _unit_filter(units, prefix: str) -> Q:
    """``units`` as a filter: a list of Unit (one page) or a queryset of them (the export)."""
    if isinstance(units, list):
        return Q(**{f"{prefix}_id__in": [unit.pk for unit in units]})
    return Q(**{f"{prefix}__in": units.values("pk")})


def _staff_of(units):
    """The active employees of ``units`` (a list or a queryset of Unit), by their agencies and units: an
    employee's unit is one of its agency's (the import and the admin keep it so), and naming the agencies
    lets PostgreSQL read them from registry's index employee_active_coverage (agency, unit) alone, instead
    of a large regency's rows scattered over a register of millions (issue 20)."""
    if isinstance(units, list):
        agencies = Q(agency_id__in=sorted({unit.agency_id for unit in units}))
    else:
        agencies = Q(agency_id__in=units.values("agency_id"))
    return Employee.objects.filter(agencies, _unit_filter(units, "unit"), active=True)


def progress_rows(units, *, election: Election) -> list[ProgressRow]:
    """One row per unit with its items and live pledge count: 2 queries, whatever the units.

    ``units``: a page (a list) or a queryset (the export: filtered by a sub-select, never a list of every
    unit of the country's ids as parameters)."""
    chosen = units
    units = units if isinstance(units, list) else list(units)
    items: dict[int, dict] = {unit.pk: {} for unit in units}
    for entry in (ChecklistItem.objects.filter(_unit_filter(chosen, "checklist__unit"), checklist__election=election)
                  .values("checklist__unit_id", "item", "done", "done_on", "channel")
                  .annotate(photos=Count("photos"))):
        items[entry["checklist__unit_id"]][entry["item"]] = entry
    pledges = {entry["unit_id"]: PledgeCount(signed=entry["signed"], active=entry["active"]) for entry in
               employees_with_pledge(_staff_of(chosen), election=election)
               .values("unit_id").annotate(active=Count("pk"), signed=Count("pk", filter=SIGNED))
               .order_by()}
    return [ProgressRow(unit=unit, items=items[unit.pk], pledges=pledges.get(unit.pk, PledgeCount(0, 0)))
            for unit in units]


@dataclass(frozen=True)
class ProgressTotals:
    units: int
    done: dict  # item -> units where it is done
    pledges: PledgeCount
    pledges_as_of: datetime | None = None  # the stored coverage's time, when the pledges were summed from it

    def cells(self) -> list[int]:
        return [self.done.get(item, 0) for item in ITEMS]


def progress_pledges_stored(user) -> bool:
    """Whether the progress page sums ``user``'s pledges from the stored coverage (prevention.coverage): the
    units of a province or of the country hold up to millions of employees, too many to count per request;
    a regency office and an agency count theirs live."""
    return user.role in NATIONWIDE_ROLES or coverage.is_stored_scope(user)


def progress_totals(units, *, election: Election, stored: bool = False) -> ProgressTotals:
    """Over every unit of ``units`` (a queryset): how many did each item, and the pledges (3 queries).

    The pledges are counted live over the units' active employees, or with ``stored`` summed from the
    stored coverage of these units (``progress_pledges_stored``; one more query for its time, and its
    refresh when stale): the same figures as of that time."""
    done = dict(ChecklistItem.objects.filter(checklist__unit__in=units.values("pk"), checklist__election=election,
                                             done=True).values("item").annotate(n=Count("pk")).values_list("item", "n")
                .order_by())
    as_of = None
    if stored:
        as_of = coverage.pledge_coverage_as_of()
        counts = PledgeCoverage.objects.filter(election=election, unit__in=units.values("pk")).aggregate(
            active=Coalesce(Sum("active_count"), 0), signed=Coalesce(Sum("signed_count"), 0))
    else:
        counts = employees_with_pledge(_staff_of(units), election=election).aggregate(
            active=Count("pk"), signed=Count("pk", filter=SIGNED))
    return ProgressTotals(units=units.count(), done=done,
                          pledges=PledgeCount(signed=counts["signed"], active=counts["active"]), pledges_as_of=as_of)
