"""Seed 000's agreement and work plan (agreements/data/mou_beltim_2022.yaml) and one evaluation meeting.

Each duty of the work plan becomes a record (not started) from the transcription; the first
duty of Bawaslu in row 1.a is shown under way, its evidence the live count of events.

Recorded through agreements.services like a party's staff would; idempotent: nothing is
added when the agreement with the first party's number already exists. The meeting is
demo material (not in seed 000): a first yearly evaluation of the work plan.
"""

from datetime import date
from pathlib import Path

import yaml

from accounts.models import User
from agreements.models import Duty, Party
from agreements.services import agreement_record, duty_evidence_add, duty_status_set, meeting_record

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
    duty = agreement.work_plan.get(number="1.a").duties.filter(party__position=1).order_by("order").first()
    duty_evidence_add(duty=duty, actor=actor, kind="figure", indicator="events_held:asn-neutrality")
    duty_status_set(duty=duty, actor=actor, status="in_progress", note="Sosialisasi berlanjut pada tahapan Pemilu "
                    "dan Pemilihan 2024.")
    return {"agreements_created": 1, "evaluation_meetings_created": 1,
            "duties_created": Duty.objects.filter(item__agreement=agreement).count()}
