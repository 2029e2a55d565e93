"""Realistic contexts for each kind of letter, from Bawaslu Kabupaten Belitung Timur.

The office, its address and its chair come from seed 000 (the 2022 MoU); the people,
numbers and events below are made up for the tests. Each function returns a fresh dict,
so a test may change it freely.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")

OFFICE = {
    "name": "Bawaslu Kabupaten Belitung Timur",
    "address": ("Komplek Perkantoran Terpadu Jalan Raya Manggar-Gantung Dusun Manggarawan, Desa Padang, "
                "Kecamatan Manggar, Kabupaten Belitung Timur"),
    "place": "Manggar",
    "number_code": "K.BB-06",
}
SIGNATORY = {
    "position": "Ketua Badan Pengawas Pemilihan Umum Kabupaten Belitung Timur",
    "name": "Wahyu Epan Yudhistira",
}
ELECTION = "Pemilihan Bupati dan Wakil Bupati Belitung Timur Tahun 2024"
CASE_NUMBER = "001/LP/PB/K.BB-06/XI/2024"
REPORTED = {
    "name": "Rudi Hartono",
    "nip": "198503122010011004",
    "position": "Kepala Seksi Pemerintahan",
    "unit": "Kecamatan Manggar",
    "agency": "Pemerintah Kabupaten Belitung Timur",
    "employee_kind": "PNS",
}
FACTS = (
    "Pada tanggal 20 November 2024 Terlapor mengunggah foto bersama pasangan calon Bupati nomor urut 2 "
    "dengan pose jari yang menunjukkan nomor urut pasangan calon tersebut di akun Facebook pribadinya.\n\n"
    "Terlapor mengakui unggahan tersebut dalam klarifikasi tanggal 25 November 2024."
)
CONCLUSION = (
    "Perbuatan Terlapor memenuhi unsur pelanggaran netralitas Aparatur Sipil Negara "
    "sebagaimana dimaksud dalam ketentuan yang dilanggar di atas."
)


def _common(**extra) -> dict:
    return {
        "office": dict(OFFICE),
        "signatory": dict(SIGNATORY),
        "date": date(2024, 11, 27),
        "copies": ["Ketua Bawaslu Provinsi Kepulauan Bangka Belitung", "Arsip"],
        **extra,
    }


def clarification_invitation() -> dict:
    return _common(
        number="021/PP.01.02/K.BB-06/11/2024",
        date=date(2024, 11, 26),
        addressee={"honorific": "Sdr.", "name": "Ahmad Fauzi", "address": "Desa Lalang, Kecamatan Manggar"},
        role="witness",
        schedule=datetime(2024, 11, 28, 9, 0, tzinfo=WIB),
        place="Kantor Bawaslu Kabupaten Belitung Timur, Ruang Rapat Lantai 2",
        matter="dugaan pelanggaran netralitas Aparatur Sipil Negara oleh Kepala Seksi Pemerintahan Kecamatan Manggar",
        case_number=CASE_NUMBER,
        election=ELECTION,
        bring=["Kartu Tanda Penduduk (KTP) asli", "Bukti atau dokumen yang berkaitan dengan peristiwa"],
        contact="Sekretariat Bawaslu Kabupaten Belitung Timur",
    )


def completion_request() -> dict:
    return _common(
        number="018/PP.01.02/K.BB-06/11/2024",
        date=date(2024, 11, 21),
        addressee={"honorific": "Sdr.", "name": "Siti Aminah", "address": "Desa Baru, Kecamatan Manggar"},
        report_number="007/PL/PB/K.BB-06/XI/2024",
        received_on=date(2024, 11, 20),
        missing=[
            "Fotokopi Kartu Tanda Penduduk (KTP) pelapor",
            "Uraian waktu dan tempat kejadian peristiwa",
            "Bukti berupa tangkapan layar unggahan yang dilaporkan",
        ],
        deadline=date(2024, 11, 25),
        deadline_days=2,
        deadline_day_kind="hari kerja",
        election=ELECTION,
    )


def forward_authority() -> dict:
    return _common(
        number="025/PP.01.02/K.BB-06/11/2024",
        attachment="1 (satu) berkas",
        addressee={"name": "Kepala Badan Kepegawaian Negara", "address": "Jakarta"},
        case_number=CASE_NUMBER,
        registered_on=date(2024, 11, 22),
        reported=dict(REPORTED),
        violations=["partisan-photo", "campaign-account-engagement"],
        facts=FACTS,
        conclusion=CONCLUSION,
        election=ELECTION,
    )


def forward_gakkumdu() -> dict:
    return _common(
        number="026/PP.01.02/K.BB-06/11/2024",
        attachment="1 (satu) berkas",
        addressee={"name": "Koordinator Sentra Gakkumdu Kabupaten Belitung Timur", "address": "Manggar"},
        case_number="002/LP/PB/K.BB-06/XI/2024",
        registered_on=date(2024, 11, 23),
        regime="pilkada",
        reported={
            "name": "Drs. Bambang Sutrisno",
            "nip": "197001011995031002",
            "position": "Camat Gantung",
            "unit": "Kecamatan Gantung",
            "agency": "Pemerintah Kabupaten Belitung Timur",
        },
        violations=["pilkada-official-decision"],
        facts=("Terlapor menerbitkan surat edaran kepada kepala desa se-Kecamatan Gantung untuk menghadiri "
               "kegiatan salah satu pasangan calon pada tanggal 18 November 2024."),
        conclusion="Perbuatan Terlapor diduga memenuhi unsur tindak pidana pemilihan.",
        election=ELECTION,
    )


def forward_other() -> dict:
    return _common(
        number="027/PP.01.02/K.BB-06/11/2024",
        addressee={"name": "Kepala Inspektorat Kabupaten Belitung Timur", "address": "Manggar"},
        case_number="003/LP/PB/K.BB-06/XI/2024",
        registered_on=date(2024, 11, 23),
        reported={"name": "Yusuf Maulana", "position": "Staf", "unit": "Dinas Pendidikan",
                  "agency": "Pemerintah Kabupaten Belitung Timur"},
        facts="Terlapor menggunakan kendaraan dinas untuk keperluan pribadi pada hari libur.",
        conclusion="Perbuatan tersebut bukan pelanggaran pemilihan dan menjadi kewenangan Inspektorat.",
    )


def status_announcement() -> dict:
    return _common(
        number="030/PP.01.02/K.BB-06/12/2024",
        date=date(2024, 12, 2),
        copies=[],
        case_number=CASE_NUMBER,
        registered_on=date(2024, 11, 22),
        reported_position="Kepala Seksi Pemerintahan",
        reported_unit="Kecamatan Manggar, Pemerintah Kabupaten Belitung Timur",
        violation="Memposting foto bersama calon dengan simbol keberpihakan",
        outcome="forwarded_authority",
        forwarded_to="Badan Kepegawaian Negara",
        reason=("Berdasarkan hasil kajian, perbuatan Terlapor memenuhi unsur pelanggaran netralitas "
                "Aparatur Sipil Negara."),
        election=ELECTION,
    )


SAMPLES = {
    "clarification-invitation": clarification_invitation,
    "completion-request": completion_request,
    "forward-authority": forward_authority,
    "forward-gakkumdu": forward_gakkumdu,
    "forward-other": forward_other,
    "status-announcement": status_announcement,
}


BKN = {"name": "Badan Kepegawaian Negara", "address": "Jalan Mayjen Sutoyo Nomor 12, Cililitan, Jakarta Timur",
       "place": "Jakarta", "number_code": "BKN"}


def recommendation_ppk() -> dict:
    return _common(
        office=dict(BKN),
        signatory={"position": "a.n. Kepala Badan Kepegawaian Negara", "name": "Siti Rahmawati"},
        number="004/PP.01.02/BKN/12/2024",
        date=date(2024, 12, 5),
        addressee={"name": "Bupati Belitung Timur", "address": "Manggar"},
        case_number=CASE_NUMBER,
        forwarding_office="Bawaslu Kabupaten Belitung Timur",
        forwarding_number="028/PP.01.02/K.BB-06/12/2024",
        reported=dict(REPORTED),
        violations=["partisan-photo"],
        sanction="sanksi moral berupa pernyataan secara terbuka",
        due=date(2024, 12, 8),
        deadline_citation="Perpres 92/2024; SE MenPANRB 4/2024",
        considerations="Terlapor mengakui perbuatannya dalam klarifikasi.",
        election=ELECTION,
    )


def followup_reminder() -> dict:
    return _common(
        office=dict(BKN),
        signatory={"position": "a.n. Kepala Badan Kepegawaian Negara", "name": "Siti Rahmawati"},
        number="010/PP.01.02/BKN/12/2024",
        date=date(2024, 12, 11),
        addressee={"name": "Bupati Belitung Timur", "address": "Manggar"},
        recommendation_number="004/PP.01.02/BKN/12/2024",
        recommendation_date=date(2024, 12, 5),
        due=date(2024, 12, 8),
        sequence=1,
        matter="rekomendasi sanksi atas pelanggaran netralitas Kepala Seksi Pemerintahan Kecamatan Manggar",
        case_number=CASE_NUMBER,
    )


def followup_escalation() -> dict:
    return _common(
        office=dict(BKN),
        signatory={"position": "a.n. Kepala Badan Kepegawaian Negara", "name": "Siti Rahmawati"},
        number="015/PP.01.02/BKN/12/2024",
        date=date(2024, 12, 17),
        addressee={"name": "Kepala Badan Kepegawaian Negara", "address": "Jakarta"},
        recommendation_number="004/PP.01.02/BKN/12/2024",
        recommendation_date=date(2024, 12, 5),
        due=date(2024, 12, 8),
        owner="Bupati Belitung Timur",
        reminders=2,
        matter="rekomendasi sanksi atas pelanggaran netralitas Kepala Seksi Pemerintahan Kecamatan Manggar",
        explanation="Pimpinan otoritas kepegawaian diberi tahu bahwa PPK belum menindaklanjuti rekomendasi.",
        basis="UU 5/2014 Pasal 33",
        case_number=CASE_NUMBER,
    )


SAMPLES.update({
    "recommendation-ppk": recommendation_ppk,
    "followup-reminder": followup_reminder,
    "followup-escalation": followup_escalation,
})
