"""Seed 000's agreement and work plan (agreements/data/mou_beltim_2022.yaml) and one evaluation meeting.

Recorded through agreements.services like a party's staff would; idempotent: nothing is
added when the agreement with the first party's number already exists. The meeting is
demo material (not in seed 000): a first yearly evaluation of the work plan.
"""

from datetime import date
from pathlib import Path

import yaml

from accounts.models import User
from agreements.models import Party
from agreements.services import agreement_record, meeting_record

SEED = Path(__file__).resolve().parent.parent / "agreements" / "data" / "mou_beltim_2022.yaml"
NUMBER = "019/HK.02/K.BB-06/08/2022"


def seed_agreements() -> dict[str, int]:
    if Party.objects.filter(position=1, number=NUMBER).exists():
        return {}
    actor = User.objects.filter(username="staf.beltim").first()
    if actor is None:
        return {}
    agreement = agreement_record(actor=actor, data=yaml.safe_load(SEED.read_text(encoding="utf-8")))
    meeting_record(agreement=agreement, actor=actor, held_on=date(2023, 8, 24), place="Kantor Bawaslu Kabupaten "
                   "Belitung Timur, Manggar", attendees="Bawaslu Kabupaten Belitung Timur; BKPSDM Kabupaten "
                   "Belitung Timur", minutes="Evaluasi tahun pertama rencana kerja: sosialisasi netralitas ASN "
                   "dan pertukaran data ASN dibahas bersama.",
                   decisions=["Sosialisasi Netralitas ASN dilanjutkan di setiap kecamatan.",
                              "Data ASN dipertukarkan setiap triwulan."],
                   period_start=date(2022, 8, 23), period_end=date(2023, 8, 22))
    return {"agreements_created": 1, "evaluation_meetings_created": 1}
