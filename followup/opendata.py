"""The open datasets: their data dictionary, their rows as records, CSV/JSON lines, the data package.

One definition per dataset serves the /data/ page (the dictionary, in Indonesian and
English), the CSV header, the JSON keys and the Frictionless Data Package descriptor
(https://specs.frictionlessdata.io/data-package/), so the four cannot drift apart.
Types are Frictionless table-schema types (string, integer, date, boolean); dates are
ISO 8601, booleans ``true``/``false``, a missing value an empty cell (JSON ``null``).
Pure: no ORM, no request.
"""

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from netral.spreadsheets import csv_writer


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description_id: str  # in Indonesian
    description_en: str  # in English

    def schema(self) -> dict:
        return {"name": self.name, "type": self.type,
                "description": f"{self.description_id} / {self.description_en}"}


@dataclass(frozen=True)
class Dataset:
    name: str
    slug: str  # file name without extension: /data/<slug>.csv
    title_id: str
    title_en: str
    description_id: str
    description_en: str
    fields: tuple[Field, ...]

    @property
    def header(self) -> list[str]:
        return [field.name for field in self.fields]


REGISTER = Dataset(
    name="follow-up-register", slug="tindak-lanjut",
    title_id="Register tindak lanjut rekomendasi netralitas ASN",
    title_en="Register of the follow-up of ASN neutrality recommendations",
    description_id=("Rekomendasi kepada PPK yang sudah diputus (sanksi dijatuhkan atau ditolak) dan yang melewati "
                    "batas waktu tanpa keputusan. Nama terlapor disamarkan kecuali instalasi ini mengaturnya lain; "
                    "pelapor tidak pernah dicantumkan."),
    description_en=("Recommendations to a PPK that were decided (sanction imposed or refused) and those past their "
                    "deadline without a decision. The reported person's name is masked unless this installation "
                    "says otherwise; the reporter is never included."),
    fields=(
        Field("id", "integer", "Nomor baris tetap (nomor rekomendasi di sistem)",
              "Stable row number (the recommendation's number in the system)"),
        Field("status", "string", "Status: sanctioned (sanksi dijatuhkan), refused (ditolak PPK), overdue (belum "
              "ditindaklanjuti, lewat batas waktu)", "Status: sanctioned, refused, or overdue (not yet acted on, past "
              "the deadline)"),
        Field("status_label", "string", "Status dalam kata-kata", "Status in words"),
        Field("reported_person", "string", "Nama terlapor (disamarkan: huruf pertama tiap kata)",
              "Reported person's name (masked: first letter of each word)"),
        Field("employee_kind", "string", "Jenis pegawai: pns, pppk, contract (pegawai kontrak non-ASN)",
              "Kind of employee: pns, pppk, contract (non-ASN contract staff)"),
        Field("position_class", "string", "Kelompok jabatan: jpt, administrator, pengawas, fungsional, pelaksana, "
              "non_asn; kosong bila dirahasiakan (lihat disclosure)", "Class of position: jpt, administrator, "
              "pengawas, fungsional, pelaksana, non_asn; empty when withheld (see disclosure)"),
        Field("position_class_label", "string", "Kelompok jabatan dalam kata-kata", "Class of position in words"),
        Field("unit", "string", "Unit kerja terlapor; kosong bila dirahasiakan (lihat disclosure)",
              "Reported person's unit; empty when withheld (see disclosure)"),
        Field("disclosure", "string", "Rincian yang ditampilkan, agar terlapor tidak dapat dikenali dari jabatannya: "
              "unit (kelompok jabatan dan unit kerja: sedikitnya K pegawai unit itu dalam kelompok jabatan yang sama), "
              "agency (kelompok jabatan saja: sedikitnya K di instansi), withheld (keduanya dirahasiakan)",
              "Detail shown, so that the reported person cannot be recognised by the position: unit (class and unit: "
              "at least K employees of that unit hold that class), agency (class only: at least K in the agency), "
              "withheld (neither)"),
        Field("agency", "string", "Instansi penerima rekomendasi (instansi terlapor)",
              "Agency the recommendation is addressed to (the reported person's agency)"),
        Field("province", "string", "Provinsi tempat pelanggaran", "Province where the violation happened"),
        Field("regency", "string", "Kabupaten/kota tempat pelanggaran", "Regency/city where the violation happened"),
        Field("violations", "string", "Ketentuan yang dilanggar (judul, dipisah titik koma)",
              "Violated provisions (titles, separated by semicolons)"),
        Field("violation_ids", "string", "Kode ketentuan yang dilanggar dalam katalog (dipisah titik koma)",
              "Catalog ids of the violated provisions (separated by semicolons)"),
        Field("recommended_sanction_family", "string", "Jenis sanksi yang direkomendasikan: discipline, moral, "
              "dismissal, contract", "Recommended sanction family: discipline, moral, dismissal, contract"),
        Field("recommended_sanction_level", "string", "Tingkat sanksi yang direkomendasikan: light, medium, heavy "
              "(kosong bila tidak bertingkat)", "Recommended sanction level: light, medium, heavy (empty if not "
              "graded)"),
        Field("recommended_sanction", "string", "Sanksi yang direkomendasikan dalam kata-kata",
              "Recommended sanction in words"),
        Field("imposed_sanction_id", "string", "Kode sanksi yang dijatuhkan PPK dalam katalog",
              "Catalog id of the sanction the PPK imposed"),
        Field("imposed_sanction", "string", "Sanksi yang dijatuhkan PPK", "Sanction the PPK imposed"),
        Field("case_registered_on", "date", "Tanggal kasus diregistrasi Bawaslu",
              "Date Bawaslu registered the case"),
        Field("recommendation_issued_on", "date", "Tanggal rekomendasi kepada PPK",
              "Date of the recommendation to the PPK"),
        Field("deadline", "date", "Batas waktu tindak lanjut", "Deadline for action"),
        Field("decision_letter_date", "date", "Tanggal surat keputusan sanksi PPK",
              "Date of the PPK's sanction decision letter"),
        Field("decided_on", "date", "Tanggal keputusan PPK (surat keputusan atau penolakan)",
              "Date of the PPK's decision (decision letter or refusal)"),
        Field("acted_in_time", "boolean", "Ditindaklanjuti paling lambat pada batas waktu (kosong bila belum)",
              "Acted on by the deadline (empty if not yet acted on)"),
        Field("days_overdue", "integer", "Hari lewat batas waktu tanpa keputusan",
              "Days past the deadline without a decision"),
        Field("bawaslu_office", "string", "Kantor Bawaslu yang menangani kasus", "Bawaslu office that handled the case"),
        Field("election_id", "string", "Kode pemilihan", "Election id"),
        Field("election", "string", "Pemilihan", "Election"),
    ),
)

STATISTICS = Dataset(
    name="statistics", slug="statistik",
    title_id="Statistik penanganan dan tindak lanjut pelanggaran netralitas ASN",
    title_en="Statistics of the handling and follow-up of ASN neutrality violations",
    description_id=("Angka agregat dalam format panjang: satu baris per angka. Tidak memuat data pribadi."),
    description_en=("Aggregate figures in long format: one row per figure. No personal data."),
    fields=(
        Field("section", "string", "Kelompok angka: totals, channels (laporan per saluran), outcomes, followup, "
              "sanction_families, sanctions, regions, violations", "Group of figures: totals, channels (reports by "
              "channel), outcomes, followup, sanction_families, sanctions, regions, violations"),
        Field("key", "string", "Kode butir (kode wilayah, kode pelanggaran, kode sanksi, ...)",
              "Item code (region code, violation id, sanction id, ...)"),
        Field("label", "string", "Nama butir", "Item name"),
        Field("measure", "string", "Yang dihitung: count, recommendations, in_time, late, ignored, pending, "
              "sanctioned", "What is counted: count, recommendations, in_time, late, ignored, pending, sanctioned"),
        Field("value", "integer", "Jumlah; kosong bila dirahasiakan (angka 1 sampai K-1 suatu kabupaten/kota, "
              "lihat regions)", "Number; empty when withheld (a count of 1 to K-1 in a regency/city, see regions)"),
        Field("election_id", "string", "Kode pemilihan (kosong: semua pemilihan)", "Election id (empty: all elections)"),
        Field("as_of", "date", "Tanggal penghitungan", "Date of the count"),
    ),
)

DATASETS = (REGISTER, STATISTICS)


# --- records ---------------------------------------------------------------------------------

def register_record(row) -> dict:
    """A followup.public.PublicRow as a record of the register dataset (typed values)."""
    return {
        "id": row.id, "status": row.status, "status_label": row.status_label, "reported_person": row.name,
        "employee_kind": row.employee_kind, "position_class": row.position_class,
        "position_class_label": row.position_class_label, "unit": row.unit, "disclosure": row.disclosure,
        "agency": row.agency,
        "province": row.province, "regency": row.regency, "violations": "; ".join(row.violations),
        "violation_ids": ";".join(row.violation_ids), "recommended_sanction_family": row.recommended_family,
        "recommended_sanction_level": row.recommended_level, "recommended_sanction": row.recommended_sanction,
        "imposed_sanction_id": row.imposed_sanction_id, "imposed_sanction": row.imposed_sanction,
        "case_registered_on": row.case_registered_on, "recommendation_issued_on": row.recommendation_issued_on,
        "deadline": row.deadline, "decision_letter_date": row.decision_letter_date, "decided_on": row.decided_on,
        "acted_in_time": row.acted_in_time, "days_overdue": row.days_overdue, "bawaslu_office": row.bawaslu_office,
        "election_id": row.election_id, "election": row.election,
    }


def statistics_records(stats) -> Iterator[dict]:
    """A followup.public.Statistics as records of the statistics dataset, one per figure."""
    common = {"election_id": stats.election, "as_of": stats.today}
    for section in ("totals", "channels", "outcomes", "followup", "sanction_families", "sanctions"):
        for figure in getattr(stats, section):
            yield {"section": section, "key": figure.key, "label": figure.label, "measure": "count",
                   "value": figure.count, **common}
    for region in stats.regions:
        for measure in ("recommendations", "in_time", "late", "ignored", "pending"):
            yield {"section": "regions", "key": region.key, "label": region.label, "measure": measure,
                   "value": getattr(region, measure), **common}
    for violation in stats.violations:
        for measure in ("recommendations", "sanctioned"):
            yield {"section": "violations", "key": violation.key, "label": violation.label, "measure": measure,
                   "value": getattr(violation, measure), **common}


# --- serialisation -----------------------------------------------------------------------------

def csv_cell(value):
    """A typed value as its CSV cell; numbers stay numbers, text is neutralised by the writer."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return value
    return str(value)


def json_value(value):
    return value.isoformat() if isinstance(value, date) else value


def csv_lines(dataset: Dataset, records: Iterable[dict]) -> Iterator[str]:
    """The CSV file line by line (header first), for a streamed response.

    A text cell that a spreadsheet would run as a formula (a reporter's ``=cmd|...``) is
    written as text with a leading apostrophe (netral.spreadsheets); JSON keeps it as sent.
    """
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(dataset.header)
    for record in records:
        yield line([csv_cell(record[name]) for name in dataset.header])


def json_chunks(dataset: Dataset, records: Iterable[dict]) -> Iterator[str]:
    """A JSON array of objects (keys as in the CSV header), record by record."""
    yield "["
    first = True
    for record in records:
        item = {name: json_value(record[name]) for name in dataset.header}
        yield ("" if first else ",") + "\n" + json.dumps(item, ensure_ascii=False)
        first = False
    yield "\n]\n"


def datapackage(*, urls: dict[str, str], license_id: str, license_title: str, license_url: str,
                title: str, created: str) -> dict:
    """The Frictionless Data Package descriptor; ``urls`` maps dataset slug to the CSV's absolute URL."""
    return {
        "profile": "tabular-data-package",
        "name": "netral-open-data",
        "title": title,
        "created": created,
        "licenses": [{key: value for key, value in
                      (("name", license_id), ("title", license_title), ("path", license_url)) if value}],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": dataset.name,
                "title": f"{dataset.title_id} / {dataset.title_en}",
                "description": f"{dataset.description_id} / {dataset.description_en}",
                "path": urls[dataset.slug],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "doubleQuote": True, "header": True},
                "schema": {"fields": [field.schema() for field in dataset.fields], "missingValues": [""]},
            }
            for dataset in DATASETS
        ],
    }
