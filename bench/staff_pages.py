"""Every other staff page at national scale: agreements, prevention, checklists, meetings, identity
requests, the register's pages, signatories, onboarding, the landing page and the typed searches.

    make bench-staff                                   # SQLite, in a throw-away data folder
    DATABASE_URL=postgres://postgres@127.0.0.1/netral_bench_staff make bench-staff
    .venv/bin/python bench/staff_pages.py --repeat 5 --no-record      # a quick look

Fills a fresh database with the demo reference data, then the whole country as `make country`
loads it (bench/cases.py's load_country: 38 provinces, 514 regencies and cities, Bawaslu RI and the
553 offices, the 552 regional governments), then, for every regional government and the Bawaslu office
of its region (Belitung Timur first, the rest shuffled): units and ASN, an agreement with its parties,
work plan (items, duties, targets) and an evaluation meeting; a standalone evaluation meeting of the
office; socialization events of both; a material of the office; a pledge ceremony with every ASN's
pledge; a banner and a checklist (every item, some done) per unit; a notice to the ASN of the units,
with its deliveries; reports with a pending identity request each; register exchange log entries; a
head signatory of the office and of the agency; a Pemda account invited. Everything is bulk-inserted
with the apps' own models (the write services are timed by their own tests).

The pages are measured at a tenth of the agencies, then at all of them, through Django's full stack
(middleware, sessions, the two-factor check, templates; no network) for three accounts at each level:
Bawaslu leadership at Bawaslu RI (national), at Bawaslu Kepulauan Bangka Belitung (province) and at
Bawaslu Belitung Timur (regency); the register's pages, which Bawaslu cannot open, for the administrator
(national), the province government's personnel staff and BKPSDM Belitung Timur. Exits 1 when a page's
query count or size (beyond 2,048 bytes or 5 %) grows between the two sizes or a p95 passes 200 ms.
Records a section in docs/performance.md unless --no-record.
"""

import argparse
import hashlib
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
sys.path[:0] = [str(BASE_DIR), str(BENCH_DIR)]

import run as bench_run  # noqa: E402  (bench/run.py: database, machine and report helpers)
from common import demo_database, finish_pages, fresh_django, markdown_table, percentile, timed  # noqa: E402


def _bench_cases():
    """bench/cases.py (its name is also the cases app's, first on the path): the country loader, the
    measurement and the growth check, shared."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_cases", BENCH_DIR / "cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_cases = _bench_cases()
SIZE_TOLERANCE_BYTES, SIZE_TOLERANCE_SHARE = _cases.SIZE_TOLERANCE_BYTES, _cases.SIZE_TOLERANCE_SHARE
growth, load_country, measure = _cases.growth, _cases.load_country, _cases.measure

TARGET_P95 = 0.200  # seconds (issue 20)
REGENCY = "19.06"  # Belitung Timur
PROVINCE = "19"  # Kepulauan Bangka Belitung
UNITS = ["Dinas Pendidikan", "Dinas Kesehatan", "Inspektorat", "Kecamatan Kota", "Badan Kepegawaian Daerah"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="province,regency,district",
                        help="region levels loaded by load_regions (default province,regency,district)")
    parser.add_argument("--employees", type=int, default=4, help="ASN per unit (default 4, 5 units per agency)")
    parser.add_argument("--reports", type=int, default=3, help="reports with an identity request per office "
                                                                "(default 3)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page measured (default 20)")
    parser.add_argument("--no-record", action="store_true", help="print only; do not write docs/performance.md")
    parser.add_argument("--note", default="", help="a line added to the recorded section")
    return parser.parse_args(argv)


def pairs_in_order():
    """(agency, its region's Bawaslu office) of every regional government: Belitung Timur first, the rest of
    its province (Kepulauan Bangka Belitung) next, then the others shuffled. The province's and the regency's
    accounts thus see the same rows at both sizes: what they show must not change when the rest of the
    country fills; the national account sees ten times more rows at the large size."""
    from organizations.models import Agency, BawasluOffice

    offices = {office.region_id: office for office in BawasluOffice.objects.select_related("region")}
    agencies = [agency for agency in Agency.objects.filter(kind=Agency.Kind.REGIONAL).select_related("region")
                .order_by("region__code") if agency.region_id in offices]
    first = sorted((a for a in agencies if a.region.code.split(".")[0] == PROVINCE),
                   key=lambda agency: agency.region.code != REGENCY)
    rest = [a for a in agencies if a.region.code.split(".")[0] != PROVINCE]
    random.Random(20).shuffle(rest)
    return [(agency, offices[agency.region_id]) for agency in first + rest]


class Filler:
    """Bulk-inserts the staff pages' data for a list of (agency, office) pairs; numbered across calls."""

    def __init__(self, *, employees_per_unit: int, reports_per_office: int):
        from accounts.models import User
        from prevention.models import Theme
        from prevention.services import banner_template_default
        from rules.models import Election

        self.per_unit = employees_per_unit
        self.per_office = reports_per_office
        self.election = Election.objects.get(pk="pilkada-2024")
        self.themes = list(Theme.objects.order_by("pk"))
        self.template = banner_template_default()
        self.actor = User.objects.get(username="staf.beltim")
        self.counter = 0

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def fill(self, pairs) -> None:
        from django.db import transaction

        started = time.monotonic()
        for start in range(0, len(pairs), 50):
            with transaction.atomic():
                self._fill_batch(pairs[start:start + 50])
            sys.stdout.write(f"\r  {min(len(pairs), start + 50)} of {len(pairs)} agencies")
            sys.stdout.flush()
        sys.stdout.write(f" in {time.monotonic() - started:.0f} s\n")

    def _fill_batch(self, pairs) -> None:  # noqa: C901 (one table after the other)
        from django.utils import timezone

        from accounts.models import Invitation, User
        from agreements.models import Agreement, Duty, EvaluationMeeting, Party, Target, WorkPlanItem
        from letters.models import Official
        from organizations.models import Unit
        from prevention.models import (
            AsnNotice,
            Banner,
            Ceremony,
            ChecklistItem,
            Event,
            Material,
            NoticeDelivery,
            Pledge,
            UnitChecklist,
        )
        from registry.models import Employee, ExchangeLog
        from reports.models import IdentityRequest, Report

        now = timezone.now()
        today = timezone.localdate()
        # Units (the demo's agency keeps its own) and their ASN.
        have_units = set(Unit.objects.filter(agency__in=[a for a, _o in pairs]).values_list("agency_id", flat=True))
        Unit.objects.bulk_create([Unit(agency=agency, name=name, region=agency.region, head_name=f"Kepala {name}",
                                       head_position=f"Kepala {name}")
                                  for agency, _office in pairs if agency.pk not in have_units for name in UNITS])
        units = {}
        for unit in Unit.objects.filter(agency__in=[a for a, _o in pairs]).order_by("pk"):
            units.setdefault(unit.agency_id, []).append(unit)
        employees = []
        for agency, _office in pairs:
            for unit in units[agency.pk][:len(UNITS)]:
                for _ in range(self.per_unit):
                    n = self._next()
                    employees.append(Employee(
                        kind="pns", nip=f"{197001012000011000 + n:018d}", name=f"Pegawai Uji {n}",
                        name_plain=f"Pegawai Uji {n}", gender="MF"[n % 2], rank="III/a", position="Pelaksana",
                        agency=agency, unit=unit, active=True, status="aktif",
                        email=f"pegawai{n}@example.go.id" if n % 3 else ""))
        employees = Employee.objects.bulk_create(employees)
        by_agency = {}
        for employee in employees:
            by_agency.setdefault(employee.agency_id, []).append(employee)

        # Agreements: the office and the agency, a work plan of six rows (two duties, two targets each).
        agreements = Agreement.objects.bulk_create([Agreement(
            title=f"Nota Kesepakatan Pengawasan Netralitas ASN {agency.name}", place=agency.region.name[:100],
            signed_on=date(2022, 8, 23) + timedelta(days=i % 300), term_years=3,
            ends_on=date(2025, 8, 22) + timedelta(days=i % 300), purpose="Pengawasan netralitas ASN.",
            scope=["Pencegahan dan Pengawasan", "Tindak Lanjut", "Data dan informasi"], legal_bases=["UU 5/2014"],
            created_by=self.actor) for i, (agency, _office) in enumerate(pairs)])
        parties = Party.objects.bulk_create([
            party for agreement, (agency, office) in zip(agreements, pairs) for party in (
                Party(agreement=agreement, position=1, office=office, name=office.name,
                      number=f"{agreement.pk:03d}/HK.02/{office.number_code}/2022", signatory_name="Ketua",
                      signatory_position=f"Ketua {office.name}"),
                Party(agreement=agreement, position=2, agency=agency, name=agency.name,
                      number=f"{agreement.pk:03d}/PEM/2022", signatory_name="Bupati",
                      signatory_position=agency.ppk_title or "Kepala Daerah"))])
        items = WorkPlanItem.objects.bulk_create([
            WorkPlanItem(agreement=agreement, order=order, number=f"{order}.a", programme="Pencegahan",
                         activity=f"Kegiatan {order}", location=agreement.place, funding="APBD",
                         schedule="2023-2024", starts_on=date(2023, 1, 1), ends_on=date(2024, 12, 31))
            for agreement in agreements for order in range(1, 7)])
        party_of = {(p.agreement_id, p.position): p for p in parties}
        Duty.objects.bulk_create([Duty(item=item, party=party_of[(item.agreement_id, position)], order=1,
                                       text=f"Tugas pihak {position}", period_start=item.starts_on,
                                       period_end=item.ends_on)
                                  for item in items for position in (1, 2)])
        Target.objects.bulk_create([Target(item=item, kind=kind, text=f"{kind} {item.number}", order=1)
                                    for item in items for kind in (Target.Kind.OUTPUT, Target.Kind.OUTCOME)])
        # Evaluation meetings: one of each agreement, one standalone of each office.
        EvaluationMeeting.objects.bulk_create([
            meeting for agreement, (agency, office) in zip(agreements, pairs) for meeting in (
                EvaluationMeeting(agreement=agreement, held_on=date(2023, 8, 24), place=agreement.place,
                                  minutes="Evaluasi tahun pertama.", decisions=["Dilanjutkan."],
                                  recorded_by=self.actor),
                EvaluationMeeting(office=office, region=office.region, election=self.election,
                                  title=f"Rapat evaluasi {office.name}", held_on=date(2024, 12, 10),
                                  place=office.name, minutes="Evaluasi penanganan netralitas ASN.",
                                  decisions=["Ditindaklanjuti."], recorded_by=self.actor))])

        # Prevention: events of both organizers, a material of the office, a ceremony and pledges, a banner,
        # a checklist per unit, a notice to the units' ASN.
        Event.objects.bulk_create([
            Event(office=organizer if is_office else None, agency=None if is_office else organizer,
                  region=organizer.region, title=f"Sosialisasi Netralitas ASN {organizer.name}"[:200],
                  theme=self.themes[i % len(self.themes)], election=self.election,
                  held_on=date(2024, 9, 1) + timedelta(days=i % 80), place=organizer.name[:200],
                  checkin_token=hashlib.sha256(f"checkin{self._next()}".encode()).hexdigest()[:43],
                  created_by=self.actor)
            for i, (agency, office) in enumerate(pairs) for is_office, organizer in ((True, office), (False, agency))])
        Material.objects.bulk_create([
            Material(office=office, region=office.region, title=f"Materi Netralitas ASN {office.name}"[:200],
                     kind=Material.Kind.VIDEO, theme=self.themes[0], url="https://example.org/video",
                     created_by=self.actor) for _agency, office in pairs])
        ceremonies = Ceremony.objects.bulk_create([
            Ceremony(agency=agency, region=agency.region, title=f"Ikrar Netralitas ASN {agency.name}"[:200],
                     election=self.election, held_on=date(2024, 10, 7), place=agency.region.name[:200],
                     created_by=self.actor) for agency, _office in pairs])
        signed = datetime(2024, 10, 7, 9, tzinfo=dt_timezone.utc)
        Pledge.objects.bulk_create([
            Pledge(code=f"B{self._next():019d}"[:20], employee=employee, election=self.election, ceremony=ceremony,
                   name=employee.name, position=employee.position, unit_name=employee.unit.name,
                   agency_name=agency.name, text_title="Ikrar Netralitas ASN", text_body="Kami ASN ...",
                   agency=agency, unit=employee.unit, signature_kind=Pledge.Signature.CEREMONY, signed_at=signed,
                   recorded_by=self.actor)
            for ceremony, (agency, _office) in zip(ceremonies, pairs) for employee in by_agency.get(agency.pk, [])])
        all_units = [unit for agency, _office in pairs for unit in units[agency.pk][:len(UNITS)]]
        banners = Banner.objects.bulk_create([
            Banner(unit=unit, election=self.election, template=self.template, unit_name=unit.name,
                   head_name=unit.head_name or "Kepala", head_position=unit.head_position or "Kepala",
                   tagline=self.template.default_tagline, created_by=self.actor) for unit in all_units])
        have_checklist = set(UnitChecklist.objects.filter(unit__in=all_units, election=self.election)
                             .values_list("unit_id", flat=True))
        checklists = UnitChecklist.objects.bulk_create([UnitChecklist(unit=unit, election=self.election)
                                                        for unit in all_units if unit.pk not in have_checklist])
        banner_of = {banner.unit_id: banner for banner in banners}
        ChecklistItem.objects.bulk_create([
            ChecklistItem(checklist=checklist, item=item, done=bool((checklist.pk + k) % 2),
                          done_on=today - timedelta(days=k) if (checklist.pk + k) % 2 else None,
                          banner=banner_of.get(checklist.unit_id) if item == ChecklistItem.Item.BANNER else None,
                          place="Kantor", recorded_by=self.actor)
            for checklist in checklists for k, item in enumerate(ChecklistItem.Item.values)])
        notices = AsnNotice.objects.bulk_create([
            AsnNotice(agency=agency, subject=f"Netralitas ASN pada Pemilihan 2024 ({agency.name})"[:200],
                      body="Seluruh ASN wajib menjaga netralitas.", state=AsnNotice.State.DONE,
                      created_by=self.actor, finished_at=now) for agency, _office in pairs])
        through = AsnNotice.units.through
        through.objects.bulk_create([through(asnnotice_id=notice.pk, unit_id=unit.pk)
                                     for notice, (agency, _office) in zip(notices, pairs)
                                     for unit in units[agency.pk][:len(UNITS)]])
        NoticeDelivery.objects.bulk_create([
            NoticeDelivery(notice=notice, employee=employee, email=employee.email,
                           status=NoticeDelivery.Status.SENT if employee.email else NoticeDelivery.Status.NO_EMAIL,
                           sent_at=now if employee.email else None)
            for notice, (agency, _office) in zip(notices, pairs) for employee in by_agency.get(agency.pk, [])])

        # Reports of each office, each with a pending request to open the reporter's identity.
        reports = []
        for _agency, office in pairs:
            for _ in range(self.per_office):
                n = self._next()
                created = now - timedelta(days=n % 20)
                reports.append(Report(
                    number=f"BENCH-STAFF-{n:07d}", office=office, region=office.region, election=self.election,
                    status=Report.Status.IN_REVIEW, status_changed_at=created, anonymous=False,
                    reporter={"name": f"Pelapor {n}", "phone": "081200000000"},
                    description=f"Laporan uji {n}: ASN diduga ikut kampanye.", place="Kantor kecamatan",
                    known_on=created.date(), created_at=created,
                    tracking_hash=hashlib.sha256(f"staff-t{n}".encode()).hexdigest(),
                    submission_hash=hashlib.sha256(f"staff-s{n}".encode()).hexdigest()))
        reports = Report.objects.bulk_create(reports)
        IdentityRequest.objects.bulk_create([
            IdentityRequest(report=report, requested_by=self.actor, reason="Klarifikasi pelapor.",
                            requested_at=report.created_at + timedelta(hours=1)) for report in reports])

        # The register's exchange log, the signatories, and a Pemda account invited to each agency.
        ExchangeLog.objects.bulk_create([
            ExchangeLog(created_at=now - timedelta(days=k * 30), direction=("import", "export")[k % 2],
                        channel="file", dataset="employees", format="xlsx", partner=agency.name, agency=agency,
                        actor=self.actor, rows=100 + k, checksum=hashlib.sha256(f"{agency.pk}{k}".encode())
                        .hexdigest()) for agency, _office in pairs for k in range(4)])
        Official.objects.bulk_create([
            official for agency, office in pairs for official in (
                Official(office=office, name=f"Ketua {office.short_name}"[:150], position=f"Ketua {office.name}",
                         valid_from=date(2023, 1, 1), created_by=self.actor),
                Official(agency=agency, name=f"Kepala {agency.name}"[:150], position=agency.ppk_title or "Kepala",
                         valid_from=date(2023, 1, 1), created_by=self.actor))])
        invited = User.objects.bulk_create([
            User(username=f"bkpsdm.bench.{agency.pk}", email=f"bkpsdm{agency.pk}@example.go.id",
                 password="!", role=User.Role.PEMDA_STAFF, agency=agency, is_active=False)
            for agency, _office in pairs])
        Invitation.objects.bulk_create([
            Invitation(user=user, invited_by=self.actor, token_hash=hashlib.sha256(f"inv{user.pk}".encode())
                       .hexdigest(), created_at=now, expires_at=now + timedelta(days=7)) for user in invited])


def accounts():
    """The accounts measured: (level, Bawaslu leadership there, the Pemda's personnel staff there: the register's
    and the notices' pages, which Bawaslu cannot open; the administrator nationally)."""
    from accounts.models import User
    from organizations.models import Agency, BawasluOffice

    def lead(code, username):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(username=username, role=User.Role.BAWASLU_LEAD,
                                       bawaslu_office=BawasluOffice.objects.get(region__code=code))
        return user

    national = BawasluOffice.objects.filter(region__parent__isnull=True).get()
    province_agency = Agency.objects.filter(kind=Agency.Kind.REGIONAL, region__code=PROVINCE).get()
    province_staff = User.objects.filter(username="bkpsdm.babel.bench").first() or User.objects.create(
        username="bkpsdm.babel.bench", role=User.Role.PEMDA_STAFF, agency=province_agency)
    return [
        ("national", lead(national.region.code, "ketua.ri.bench"), User.objects.get(username="admin")),
        ("province", lead(PROVINCE, "ketua.babel.bench"), province_staff),
        ("regency", User.objects.get(username="ketua.beltim"), User.objects.get(username="bkpsdm.beltim")),
    ]


# The pages: (title, path, which account: "bawaslu", the level's Bawaslu leadership, or "pemda", the level's
# Pemda personnel staff: the administrator nationally).
PAGES = [
    ("Staff landing /staf/", "/staf/", "bawaslu"),
    ("Agreements /staf/kesepakatan/", "/staf/kesepakatan/", "bawaslu"),
    ("Agency search (agreements) ?q=Bangka", "/staf/kesepakatan/baru/instansi/?q=Bangka", "bawaslu"),
    ("Prevention /staf/pencegahan/", "/staf/pencegahan/", "bawaslu"),
    ("Pledges /staf/pencegahan/ikrar/", "/staf/pencegahan/ikrar/", "bawaslu"),
    ("Reach /staf/pencegahan/jangkauan/", "/staf/pencegahan/jangkauan/", "bawaslu"),
    ("Notices /staf/pencegahan/pemberitahuan/", "/staf/pencegahan/pemberitahuan/", "pemda"),
    ("Banners /staf/pencegahan/spanduk/", "/staf/pencegahan/spanduk/", "bawaslu"),
    ("Unit search (banners) ?q=Dinas", "/staf/pencegahan/spanduk/unit/?q=Dinas", "bawaslu"),
    ("Materials /staf/pencegahan/materi/", "/staf/pencegahan/materi/", "bawaslu"),
    ("Checklists /staf/daftar-periksa/", "/staf/daftar-periksa/", "bawaslu"),
    ("Checklist progress /staf/daftar-periksa/kemajuan/", "/staf/daftar-periksa/kemajuan/", "bawaslu"),
    ("Evaluation meetings /staf/rapat-evaluasi/", "/staf/rapat-evaluasi/", "bawaslu"),
    ("Identity requests /staf/laporan/identitas/", "/staf/laporan/identitas/", "bawaslu"),
    ("Signatories /staf/surat/penanda-tangan/", "/staf/surat/penanda-tangan/", "bawaslu"),
    ("Signatories /staf/surat/penanda-tangan/ (pemda account)", "/staf/surat/penanda-tangan/", "pemda"),
    ("Pemda onboarding /staf/pemda/", "/staf/pemda/", "bawaslu"),
    ("Agency search (onboarding) ?q=Bangka", "/staf/pemda/instansi/?q=Bangka", "bawaslu"),
    ("Register /staf/register/", "/staf/register/", "pemda"),
    ("Register exchange log /staf/register/log/", "/staf/register/log/", "pemda"),
    ("Agency search (register) ?q=Bangka", "/staf/register/instansi/?q=Bangka", "pemda"),
]


# Files built in the background (the exports app) for the account: the builder's time as the worker
# spends it (the page's button only queues the job). (title, the export's kind, which account).
BACKGROUND_EXPORTS = [("Checklist progress .xlsx (built in the background)", "prevention.checklist_progress", "bawaslu")]
# Downloads of every row of the jurisdiction: their size grows with the rows by design, their query count not.
EXPORTS = {title for title, _kind, _account in BACKGROUND_EXPORTS}


def measure_build(client, kind_key: str, repeat: int) -> tuple[list[float], int, int]:
    """Latencies of ``repeat`` builds of an export (as the worker runs them), then the query count and the
    size in bytes of one more."""
    import io

    from accounts.models import User
    from exports.kinds import export_kind
    from prevention import checklist

    user = User.objects.get(pk=client.session["_auth_user_id"])
    kind = export_kind(kind_key)
    params = {"election": checklist.checklist_elections().first().pk, "agency": None}

    def build() -> int:
        out = io.BytesIO()
        kind.build(user=user, params=params, out=out, progress=lambda percent: None)
        return len(out.getvalue())

    return timed(build, repeat)


def measure_all(clients, repeat: int) -> dict:
    """{(level, title): (times, queries, bytes)}; a page an account may not open is left out (its status said)."""
    results = {}
    for level, by_kind in clients.items():
        for title, path, kind in PAGES:
            client = by_kind[kind]
            response = client.get(path)
            if response.status_code == 302:  # e.g. the signatories: one's own office's page
                path = response["Location"]
                title = f"{title} -> {path}"
                response = client.get(path)
            status = response.status_code
            if status != 200:
                print(f"  {level:8} {title}: answered {status}, not measured")
                continue
            results[(level, title)] = measure(client, path, repeat)
            times, queries, size = results[(level, title)]
            print(f"  {level:8} {title}: p95 {bench_run.ms(percentile(times, 95))}, {queries} queries, "
                  f"{size:,} bytes")
        for title, kind_key, kind in BACKGROUND_EXPORTS:  # seconds each nationally: fewer runs
            results[(level, title)] = measure_build(by_kind[kind], kind_key, max(2, repeat // 5))
            times, queries, size = results[(level, title)]
            print(f"  {level:8} {title}: p95 {bench_run.ms(percentile(times, 95))}, {queries} queries, "
                  f"{size:,} bytes")
    return results


def main(argv=None) -> int:  # noqa: C901
    args = parse_args(argv)
    load_before = os.getloadavg()
    # The pledges' stored coverage (prevention.coverage) rebuilt after each fill and never stale during a
    # measure: the one request that queues a refresh has two more statements (the guard, the task).
    with fresh_django("netral-bench-staff-", ALLOWED_HOSTS="testserver,127.0.0.1",
                      NETRAL_COVERAGE_MAX_AGE="86400") as fresh:
        from django.db import connection
        from django.test import Client

        from accounts.tests.otp import verify_otp_session
        from agreements.models import Agreement
        from organizations.models import BawasluOffice, Unit
        from prevention.coverage import pledge_coverage_rebuild
        from prevention.models import Pledge

        print("Setting up a fresh database ...")
        demo_database()
        country_seconds = load_country(args.levels, sys.stdout)
        pairs = pairs_in_order()
        filler = Filler(employees_per_unit=args.employees, reports_per_office=args.reports)
        first = max(1, len(pairs) // 10)
        print(f"Filling a tenth: {first} agencies and their offices ...")
        filler.fill(pairs[:first])
        pledge_coverage_rebuild()  # after a bulk load, as `manage.py pledge_coverage` (prevention.coverage)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        clients = {}
        for level, bawaslu, pemda in accounts():
            clients[level] = {}
            for kind, user in (("bawaslu", bawaslu), ("pemda", pemda)):
                client = Client()
                client.force_login(user)
                verify_otp_session(client, user)
                clients[level][kind] = client
        print(f"Measuring at {first} agencies ...")
        small = measure_all(clients, max(5, args.repeat // 4))
        print(f"Filling the rest: {len(pairs) - first} agencies ...")
        filler.fill(pairs[first:])
        pledge_coverage_rebuild()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"Measuring at {len(pairs)} agencies ...")
        large = measure_all(clients, args.repeat)
        load_after = os.getloadavg()
        table = [["Account", "Page", "Requests", "p50", "p95", "Queries", "Bytes", f"p95 at {first}",
                  f"Queries at {first}", f"Bytes at {first}"]]
        grown, slow = [], []
        for (level, title), (times, queries, size) in large.items():
            if (level, title) not in small:
                grown.append(f"{level} {title}: not measured at the small size")
                continue
            small_times, small_queries, small_size = small[(level, title)]
            p95 = percentile(times, 95)
            table.append([level, title, str(len(times)), bench_run.ms(statistics.median(times)), bench_run.ms(p95),
                          str(queries), f"{size:,}", bench_run.ms(percentile(small_times, 95)), str(small_queries),
                          f"{small_size:,}"])
            # An export holds every row of the jurisdiction by design: only its query count must not grow.
            problem = growth(f"{level} {title}", (small_queries, small_size),
                             (queries, small_size if title in EXPORTS else size))
            if problem:
                grown.append(problem)
            if p95 > TARGET_P95 and title not in EXPORTS:  # a background build is no page: no one waits on it
                slow.append(f"{level} {title} ({bench_run.ms(p95)})")
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        for row in table:
            print("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
        label = fresh.label()
        verdict = (f"- Grew with the data (from {first} to {len(pairs)} agencies): " + "; ".join(grown) if grown else
                   f"- Query count and page size the same from {first} to {len(pairs)} agencies on every page "
                   f"(within {SIZE_TOLERANCE_BYTES:,} bytes or {SIZE_TOLERANCE_SHARE:.0%})")
        target = ("- Above the 200 ms p95 target: " + "; ".join(slow) if slow else
                  "- Every page under the 200 ms p95 target")
        section = "\n".join([
            f"### {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC · other staff pages at national scale · "
            f"{label} · {bench_run.commit_label()}",
            "",
            f"- Database: {label}; the whole country ({args.levels}; {BawasluOffice.objects.count():,} Bawaslu "
            f"offices, loaded in {country_seconds:.1f} s); {Agreement.objects.count():,} agreements, "
            f"{Unit.objects.count():,} units, {Pledge.objects.count():,} pledges, banners and checklists per "
            f"unit, events, materials, meetings, identity requests ({args.reports} per office), exchange log "
            f"entries, signatories and invitations for each of the {len(pairs)} regional governments",
            f"- Machine: {bench_run.machine_label(None)}; load average {load_before[0]:.1f} before, "
            f"{load_after[0]:.1f} after the measurement" + (f"; {args.note}" if args.note else ""),
            "- Measured in-process with Django's test client through the whole middleware stack (two-factor "
            "session); Bawaslu leadership at Bawaslu RI, Kepulauan Bangka Belitung and Belitung Timur; the "
            "register's pages for the administrator, the province's and Belitung Timur's personnel staff. "
            "Produced by `make bench-staff` (bench/staff_pages.py).",
            verdict,
            target,
            "",
            *markdown_table(table, text_columns=2),
            "",
        ])
        return finish_pages(section, record=not args.no_record, slow=slow, grown=grown, fail_when_slow=True)


if __name__ == "__main__":
    sys.exit(main())
