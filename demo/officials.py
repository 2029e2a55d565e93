"""The demo's letter signatories: one head per Bawaslu office and one for the authority (data/officials.yaml).

Through the one service (letters.services.official_add, audited), as an administrator would
record them; a period already there (same issuer, role and first day) is left alone.
"""

from datetime import date

from django.db import transaction

from accounts.models import User
from demo.people import load_data
from letters.models import Official
from letters.services import official_add
from organizations.models import Agency, BawasluOffice


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


@transaction.atomic
def seed_officials() -> dict[str, int]:
    actor = User.objects.filter(role=User.Role.ADMIN).order_by("pk").first()
    offices = {office.region.code: office for office in BawasluOffice.objects.select_related("region")}
    agencies = {agency.name: agency for agency in Agency.objects.all()}
    created = 0
    for entry in load_data("officials.yaml")["officials"]:
        issuer = ({"office": offices[entry["office"]]} if "office" in entry
                  else {"agency": agencies[entry["agency"]]})
        valid_from = _day(entry["valid_from"])
        if Official.objects.filter(**issuer, role=entry["role"], valid_from=valid_from).exists():
            continue
        official_add(actor=actor, **issuer, role=entry["role"], name=entry["name"], nip=entry.get("nip", ""),
                     position=entry["position"], valid_from=valid_from,
                     valid_until=_day(entry["valid_until"]) if entry.get("valid_until") else None)
        created += 1
    return {"officials_created": created} if created else {}
