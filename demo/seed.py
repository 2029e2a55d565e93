"""The demo data set, in steps that ``manage.py seed_demo`` runs in order.

Each step is idempotent (natural keys: a region's code, an office's region, an agency's
name, a unit's agency and name, an employee's NIP, a user's username) and deterministic
(``demo.people`` draws from seeded generators). Each returns how many rows it created
or updated, for the command's summary and its audit entry.
"""

import os

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from accounts.models import User
from demo.people import flatten_units, head_position, load_data, plan_register
from organizations.models import Agency, BawasluOffice, Unit
from regions.models import Region
from regions.services import DATA_DIR as REGIONS_DATA_DIR
from regions.services import regions_load
from registry.identity import new_register_number
from registry.models import Employee

REGIONS_FILE = REGIONS_DATA_DIR / "bangka_belitung.yaml"
DEFAULT_PASSWORD = "netral-demo-2026"


def demo_password() -> str:
    return os.environ.get("NETRAL_DEMO_PASSWORD") or DEFAULT_PASSWORD


def _upsert(model, lookup: dict, values: dict) -> tuple[object, str]:
    """get_or_create, then update only what differs: 'created', 'updated' or ''."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if created:
        return obj, "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=[name.removesuffix("_id") for name in changed])
        return obj, "updated"
    return obj, ""


def _tally(counts: dict, key: str, outcome: str) -> None:
    if outcome:
        counts[f"{key}_{outcome}"] = counts.get(f"{key}_{outcome}", 0) + 1


@transaction.atomic
def seed_reference() -> dict[str, int]:
    """Regions, Bawaslu offices, agencies and their units."""
    counts: dict[str, int] = {}
    loaded = regions_load(REGIONS_FILE)
    for outcome in ("created", "updated"):
        if loaded[outcome]:
            counts[f"regions_{outcome}"] = loaded[outcome]
    regions = {region.code: region for region in Region.objects.all()}

    organizations = load_data("organizations.yaml")
    for office in organizations["bawaslu_offices"]:
        _obj, outcome = _upsert(BawasluOffice, {"region": regions[office["region"]]}, {
            "name": office["name"], "short_name": office["short_name"],
            "number_code": office["number_code"], "address": " ".join(office["address"].split()),
            "letter_place": office.get("letter_place", ""),
        })
        _tally(counts, "bawaslu_offices", outcome)
    for agency in organizations["agencies"]:
        _obj, outcome = _upsert(Agency, {"name": agency["name"]}, {
            "kind": agency["kind"], "region_id": regions[agency["region"]].pk,
            "ppk_title": agency["ppk_title"], "authority_code": agency.get("authority_code", ""),
        })
        _tally(counts, "agencies", outcome)

    for spec in load_data("register.yaml")["agencies"]:
        agency = Agency.objects.get(name=spec["agency"])
        units: dict[str, Unit] = {}
        for unit, parent in flatten_units(spec):
            units[unit["name"]], outcome = _upsert(Unit, {"agency": agency, "name": unit["name"]}, {
                "short_name": unit.get("short_name", ""),
                "parent_id": units[parent].pk if parent else None,
                "region_id": regions[unit.get("region", spec["region"])].pk,
                "head_position": head_position(unit),
            })
            _tally(counts, "units", outcome)
    return counts


@transaction.atomic
def seed_register() -> dict[str, int]:
    """About 3,300 synthetic employees, and the names of the unit heads among them.

    Employees are inserted in bulk; a PNS or PPPK already present (same NIP) is skipped
    by the database, contract staff (no NIP) by their agency, unit and name.
    """
    counts: dict[str, int] = {}
    plans = plan_register()
    agencies = {agency.name: agency for agency in Agency.objects.filter(name__in=[p.agency for p in plans])}
    before = Employee.objects.count()
    for plan in plans:
        agency = agencies[plan.agency]
        units = {unit.name: unit for unit in Unit.objects.filter(agency=agency)}
        present = Employee.objects.filter(agency=agency)
        nips_present = set(present.exclude(nip=None).values_list("nip", flat=True))
        contract_present = set(present.filter(kind=Employee.Kind.CONTRACT).values_list("unit_id", "name"))
        rows, heads = [], []
        for unit_plan in plan.units:
            unit = units[unit_plan.name]
            for person in unit_plan.people:
                if person.nip in nips_present or (
                    person.kind == Employee.Kind.CONTRACT and (unit.pk, person.name) in contract_present
                ):
                    continue
                employee = Employee(
                    kind=person.kind, nip=person.nip, name=person.name, birth_date=person.birth_date,
                    gender=person.gender, rank=person.rank, position=person.position, agency=agency,
                    unit=unit, active=person.active,
                )
                employee.clean()  # the NIP checked by its kind's layout, as any other entry
                if person.kind == Employee.Kind.CONTRACT:  # bulk_create skips save(), which gives it
                    employee.register_number = new_register_number()
                rows.append(employee)
            if unit.head_name != unit_plan.head.name:
                unit.head_name = unit_plan.head.name
                heads.append(unit)
        Employee.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        Unit.objects.bulk_update(heads, ["head_name"])
        if heads:
            counts["unit_heads_set"] = counts.get("unit_heads_set", 0) + len(heads)
    created = Employee.objects.count() - before
    if created:
        counts["employees_created"] = created
    return counts


def _account_values(account: dict, offices: dict, agencies: dict) -> dict:
    superuser = account.get("superuser", False)
    unit = Unit.objects.get(agency=agencies[account["agency"]], name=account["unit"]) if account.get("unit") else None
    return {
        "unit_id": unit.pk if unit else None,
        "role": account["role"],
        "first_name": account.get("first_name", ""),
        "last_name": account.get("last_name", ""),
        "bawaslu_office_id": offices[account["office"]].pk if account.get("office") else None,
        "agency_id": agencies[account["agency"]].pk if account.get("agency") else None,
        "is_staff": superuser,
        "is_superuser": superuser,
        "is_active": True,
    }


def demo_accounts() -> list[dict]:
    return load_data("accounts.yaml")["accounts"]


def validate_demo_password(password: str) -> None:
    """Raise ValidationError unless every demo account may have ``password``.

    The validators see each user, so that a password like a username is refused too.
    """
    for account in demo_accounts():
        user = User(username=account["username"], first_name=account.get("first_name", ""),
                    last_name=account.get("last_name", ""))
        validate_password(password, user)


@transaction.atomic
def seed_accounts(*, password: str, reset_passwords: bool = False) -> dict[str, int]:
    """The demo logins. New accounts get ``password``; existing ones keep theirs unless
    ``reset_passwords``. Raises ValidationError when the password fails the validators."""
    offices = {office.region.code: office for office in BawasluOffice.objects.select_related("region")}
    agencies = {agency.name: agency for agency in Agency.objects.all()}
    accounts = demo_accounts()
    validate_demo_password(password)
    encoded = make_password(password)  # hashed once for all: PBKDF2 is slow on purpose
    counts: dict[str, int] = {}
    for account in accounts:
        values = _account_values(account, offices, agencies)
        user = User.objects.filter(username=account["username"]).first()
        if user is None:
            user = User(username=account["username"], password=encoded, **values)
            user.clean()  # a role with its office or agency
            user.save()
            _tally(counts, "accounts", "created")
            continue
        changed = [name for name, value in values.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, values[name])
        if reset_passwords:
            user.password = encoded
            changed.append("password")
        if changed:
            user.clean()
            user.save(update_fields=[name.removesuffix("_id") for name in changed])
            _tally(counts, "accounts", "updated")
    return counts
