"""The compliance dashboard at scale: 200,000 cases and 50,000 recommendations to the PPKs.

    make bench-followup                   # SQLite, in a throw-away data folder
    DATABASE_URL=postgres://postgres@127.0.0.1/netral_bench_followup make bench-followup

Fills a fresh database with the demo reference data, a country of 38 provinces and 520
regencies/cities (each with its Bawaslu office and its Pemda), N cases spread over the
offices (default 200,000; a fifth forwarded to BKN, the reports of those cases with
their reception dates) and M recommendations of BKN to the PPKs (default 50,000, one
per reported person, plus BKN's forwardings), in every state: sanctioned in time or
late, refused, ignored, not yet due. Then it times, over several runs, the dashboard's
selectors (followup.dashboard.dashboard_for) for a national, a province and an agency
account, the page through Django's full stack (middleware, sessions, the two-factor
check, templates; no network) and the Excel and CSV exports, with each one's query
count. Records p50/p95 and the counts in docs/performance.md. Traffic stays in this
process.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
sys.path[:0] = [str(BASE_DIR), str(BENCH_DIR)]

import run as bench_run  # noqa: E402  (bench/run.py: database, machine and report helpers)
from common import demo_database, fresh_django, percentile, timed  # noqa: E402

PROVINCES = 37          # synthetic, beside the demo's Kepulauan Bangka Belitung
REGENCIES_PER_PROVINCE = 14
SANCTIONS = [  # (sanction id, family, level, weight): moral statements most, heavy discipline rare
    ("moral-statement-closed", "moral", "", 30), ("moral-statement-open", "moral", "", 25),
    ("pns-written-reprimand", "discipline", "light", 10),
    ("pns-allowance-cut-6-months", "discipline", "medium", 8),
    ("pns-allowance-cut-12-months", "discipline", "medium", 4),
    ("pns-demotion-12-months", "discipline", "heavy", 2),
    ("pns-dismissal-not-with-honour", "dismissal", "", 1),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=200_000, help="cases to create (default 200000)")
    parser.add_argument("--recommendations", type=int, default=50_000,
                        help="recommendations to the PPKs to create (default 50000)")
    parser.add_argument("--repeat", type=int, default=20, help="runs per measured item (default 20)")
    parser.add_argument("--target", type=int, default=200, help="p95 target in ms (default 200)")
    parser.add_argument("--no-record", action="store_true",
                        help="print only; do not write docs/performance.md")
    return parser.parse_args(argv)


def _progress(stdout, text):
    stdout.write(f"\r  {text}")
    stdout.flush()


def country(stdout) -> dict:
    """38 provinces and 520 regencies/cities, each with a Bawaslu office and a Pemda (bulk)."""
    from organizations.models import Agency, BawasluOffice
    from regions.models import Region

    root = Region.objects.get(level=Region.Level.COUNTRY)
    provinces = Region.objects.bulk_create([
        Region(code=f"{50 + p}", name=f"Provinsi Uji {p + 1}", level=Region.Level.PROVINCE, parent=root)
        for p in range(PROVINCES)])
    regencies = Region.objects.bulk_create([
        Region(code=f"{province.code}.{r + 1:02d}", name=f"Kabupaten Uji {province.code}.{r + 1:02d}",
               level=Region.Level.REGENCY, parent=province)
        for province in provinces for r in range(REGENCIES_PER_PROVINCE)])
    new_regions = provinces + regencies
    BawasluOffice.objects.bulk_create([
        BawasluOffice(region=region, name=f"Bawaslu {region.name}", short_name=f"Bawaslu {region.code}",
                      number_code=f"K.{region.code}") for region in new_regions])
    Agency.objects.bulk_create([
        Agency(name=f"Pemerintah {region.name}", region=region, ppk_title=f"Kepala Daerah {region.code}")
        for region in new_regions])
    offices = list(BawasluOffice.objects.select_related("region").filter(region__level=Region.Level.REGENCY))
    agencies = {agency.region_id: agency for agency in Agency.objects.filter(kind=Agency.Kind.REGIONAL)}
    province_agency = {region.pk: agencies[region.pk] for region in Region.objects.filter(level=1)
                       if region.pk in agencies}
    stdout.write(f"  {len(provinces) + 1} provinces, {len(offices)} regencies/cities with an office "
                 "and a Pemda\n")
    return {"offices": offices, "agencies": agencies, "province_agency": province_agency}


def fill(case_count: int, rec_count: int, stdout, *, places: dict | None = None, offset: int = 0) -> dict:
    """Bulk-insert cases, the reports of forwarded ones, forwardings, recommendations and decisions.

    ``places``: the country made by a first call (country()); ``offset``: the cases made before,
    so that a second call adds to the first (the bench's second size)."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from cases.models import Case, CasePerson, CaseReport
    from cases.states import Outcome, Status
    from followup.models import Decision, PositionClass, Recommendation
    from organizations.models import Agency
    from reports.models import Report
    from rules.models import Election

    rng = random.Random(2024 + offset)
    places = places or country(stdout)
    offices, agencies, province_agency = places["offices"], places["agencies"], places["province_agency"]
    beltim = next(o for o in offices if o.region.code == "19.06")
    weights = [40 if office is beltim else 1 for office in offices]  # Belitung Timur: a busy regency
    election = Election.objects.get(pk="pilkada-2024")
    staff = User.objects.get(username="staf.beltim")
    bkn_user = User.objects.get(username="bkn")
    bkn = Agency.objects.get(authority_code="bkn")
    today = timezone.localdate()
    statuses = [Status.REGISTERED, Status.IN_STUDY, Status.AWAITING_APPROVAL] + [Status.DECIDED] * 6
    # The forwarded cases: enough for rec_count recommendations with one or two persons each.
    forwarded_count = min(case_count, max(1, int(rec_count / 1.25)))
    doubles = min(forwarded_count, rec_count - forwarded_count)  # cases with a second reported person
    started = time.monotonic()
    batch = 5000
    forwarded_cases = []
    for start in range(0, case_count, batch):
        cases = []
        for index in range(start, min(case_count, start + batch)):
            office = rng.choices(offices, weights)[0]
            forwarded = index < forwarded_count
            status = Status.DECIDED if forwarded else rng.choice(statuses)
            registered = today - timedelta(days=rng.randint(20, 700))
            open_ = status != Status.DECIDED
            kind = Case.Kind.FINDING if index % 4 == 0 else Case.Kind.REPORT
            cases.append(Case(
                number=f"{offset + index + 1:06d}/Reg/BENCH/{office.region.code}/{registered.year}",
                kind=kind, office=office, region=office.region, election=election, status=status,
                summary=f"ASN nomor {index} diduga ikut kampanye pasangan calon.", place="Kantor camat",
                known_on=registered - timedelta(days=rng.randint(0, 6)), registered_on=registered,
                registered_by=staff, due_on=today + timedelta(days=rng.randint(-5, 5)) if open_ else None,
                due_step="study" if open_ else "", is_open=open_,
                outcome=(Outcome.FORWARDED_AUTHORITY if forwarded
                         else "" if open_ else Outcome.NOT_VIOLATION),
            ))
        with transaction.atomic():
            created = Case.objects.bulk_create(cases, batch_size=batch)
            persons = [CasePerson(case=case, name=f"Terlapor {case.pk}", position="Kepala Seksi",
                                  unit="Kecamatan") for case in created]
            # The first ``doubles`` cases (all forwarded) have a second reported person.
            persons += [CasePerson(case=case, name=f"Terlapor kedua {case.pk}", position="Staf", unit="Dinas")
                        for offset, case in enumerate(created) if start + offset < doubles]
            CasePerson.objects.bulk_create(persons, batch_size=batch)
            forwarded_cases += [case for case in created if case.outcome == Outcome.FORWARDED_AUTHORITY]
        _progress(stdout, f"{min(case_count, start + batch):,} cases")
    stdout.write(f"\r  {case_count:,} cases in {time.monotonic() - started:.0f} s\n")

    # The reports of the forwarded cases (a report's reception date starts the first median).
    started = time.monotonic()
    for start in range(0, len(forwarded_cases), batch):
        chunk = [case for case in forwarded_cases[start:start + batch] if case.kind == Case.Kind.REPORT]
        reports = []
        for case in chunk:
            received = timezone.make_aware(datetime.combine(
                case.registered_on - timedelta(days=rng.choice([0, 1, 1, 2, 3, 5])), dt_time(9, 0)))
            reports.append(Report(
                number=f"BENCH/{case.pk}", office=case.office, region=case.region, election=election,
                status="registered", status_changed_at=received, anonymous=True, reporter=None,
                description="ASN ikut kampanye.", place="Kantor camat", known_on=case.known_on,
                tracking_hash=f"{case.pk:064x}", submission_hash=f"{case.pk:063x}s", created_at=received,
                unread_by_staff=False))
        with transaction.atomic():
            Report.objects.bulk_create(reports, batch_size=batch)
            CaseReport.objects.bulk_create([CaseReport(case=case, report=report) for case, report in
                                            zip(chunk, reports)], batch_size=batch)
    reports = Report.objects.filter(number__startswith="BENCH/").count()
    stdout.write(f"  {reports:,} reports of forwarded cases in {time.monotonic() - started:.0f} s\n")

    # BKN's forwardings and its recommendations to the PPKs, in every state.
    started = time.monotonic()
    persons_by_case: dict[int, list] = {}
    for person in CasePerson.objects.filter(case__outcome=Outcome.FORWARDED_AUTHORITY).only("id", "case_id"):
        persons_by_case.setdefault(person.case_id, []).append(person.pk)
    sanction_ids = [s[:3] for s in SANCTIONS]
    sanction_weights = [s[3] for s in SANCTIONS]
    made = 0
    for start in range(0, len(forwarded_cases), batch):
        chunk = forwarded_cases[start:start + batch]
        forwardings = []
        for case in chunk:
            issued = case.registered_on + timedelta(days=rng.randint(1, 5))
            forwardings.append(Recommendation(
                case=case, stage="authority", issuer_office=case.office, addressee=bkn, authority="bkn",
                number=f"FWD/{case.pk}", issued_on=issued, due_on=issued + timedelta(days=20),
                limit_id="authority-bkn", limit_citation="bench", limit_verified=False,
                status="answered", is_open=False, closed_on=issued + timedelta(days=rng.randint(2, 30)),
                created_by=staff))
        recs, decisions = [], []
        for case, forwarding in zip(chunk, forwardings):
            for person_id in persons_by_case.get(case.pk, []):
                issued = forwarding.closed_on
                due = issued + timedelta(days=3)
                # A tenth goes to the province's government (a provincial employee).
                addressee = agencies[case.office.region_id]
                if rng.random() < 0.1:
                    addressee = province_agency.get(case.office.region.parent_id, addressee)
                roll = rng.random()
                if issued + timedelta(days=3) >= today:
                    state = "pending"
                elif roll < 0.55:
                    state = "sanctioned"
                elif roll < 0.65:
                    state = "refused"
                else:
                    state = "ignored"
                closed_on = None
                if state in {"sanctioned", "refused"}:
                    closed_on = min(today, issued + timedelta(days=rng.choice([0, 1, 2, 3, 3, 5, 8, 14, 30])))
                recs.append(Recommendation(
                    case=case, stage="ppk", parent=forwarding, person_id=person_id, employee_kind="pns",
                    person_name=f"Terlapor {person_id}", position="Kepala Seksi",
                    position_class=rng.choice(PositionClass.values), unit_name="Kecamatan", issuer_agency=bkn,
                    addressee=addressee, authority="bkn", number=f"REC/{person_id}", issued_on=issued,
                    due_on=due,
                    sanction_family="moral", sanction_level="", limit_id="ppk-bkn", limit_citation="bench",
                    limit_verified=False,
                    status={"pending": "issued", "ignored": "acknowledged"}.get(state, state),
                    is_open=closed_on is None, closed_on=closed_on, created_by=bkn_user,
                    reminders_sent=2 if state == "ignored" else 0))
                decisions.append((state, closed_on))
        with transaction.atomic():
            Recommendation.objects.bulk_create(forwardings, batch_size=batch)
            for rec in recs:
                rec.parent_id = rec.parent.pk
            Recommendation.objects.bulk_create(recs, batch_size=batch)
            rows = []
            for rec, (state, closed_on) in zip(recs, decisions):
                if state == "sanctioned":
                    sanction, family, level = rng.choices(sanction_ids, sanction_weights)[0]
                    rows.append(Decision(recommendation=rec, outcome="imposed", sanction=sanction,
                                         sanction_family=family, sanction_level=level,
                                         letter_number=f"800/{rec.pk}/BKPSDM", letter_date=closed_on,
                                         recorded_by=bkn_user))
                elif state == "refused":
                    rows.append(Decision(recommendation=rec, outcome="refused", recorded_by=bkn_user,
                                         reason="Terlapor mengundurkan diri sebelum rekomendasi diterima."))
            Decision.objects.bulk_create(rows, batch_size=batch)
        made += len(recs)
        _progress(stdout, f"{made:,} recommendations")
    stdout.write(f"\r  {made:,} recommendations to the PPKs (and {len(forwarded_cases):,} forwardings) "
                 f"in {time.monotonic() - started:.0f} s\n")
    return {"forwarded": len(forwarded_cases), "recommendations": made, "places": places}


def grows(small: int, big: int) -> bool:
    """A page "grows" past the digits of its figures: more than 5 % and 1 KB larger."""
    return big > small * 1.05 + 1024


def measure(users, clients, repeat: int) -> list[list[str]]:
    """Every follow-up page, list, dashboard and export start, and the public pages: one row each."""
    from django.test import Client

    from cases.models import Case
    from followup.dashboard import dashboard_for
    from followup.models import Recommendation
    from registry.models import Employee

    def page(name, path):
        client = clients[name] if name else Client()

        def call():
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code} for {name or 'the public'}")
            if response.streaming or "/unduh." in path:
                # An export is a file of every agency (bounded by the agencies, not the data): its
                # start is timed, its size not compared.
                if response.streaming:
                    next(iter(response.streaming_content))
                return 0
            return len(response.content)
        return call

    def selectors(user):
        def call():
            dashboard_for(user)
            return 0
        return call

    beltim = users["bkpsdm.beltim"].agency
    open_rec = Recommendation.objects.filter(stage="ppk", is_open=True, addressee=beltim).order_by("-id").first()
    closed_rec = Recommendation.objects.filter(stage="ppk", is_open=False, addressee=beltim).order_by("-id").first()
    number = Recommendation.objects.filter(stage="ppk").order_by("-id").values_list("number", flat=True)[50]
    employee = Employee.objects.filter(agency=beltim).order_by("id").first()
    counted = {name: dashboard_for(user).total.received for name, user in users.items()}
    election = Case.objects.values_list("election_id", flat=True).first()
    items = [
        (f"Selectors, national (admin: {counted['admin']:,} recommendations)", selectors(users["admin"])),
        (f"Selectors, province (staf.babel: {counted['staf.babel']:,})", selectors(users["staf.babel"])),
        (f"Selectors, one agency (bkpsdm.beltim: {counted['bkpsdm.beltim']:,})", selectors(users["bkpsdm.beltim"])),
        ("Page /staf/kepatuhan/, national", page("admin", "/staf/kepatuhan/")),
        ("Page, national, one province", page("admin", "/staf/kepatuhan/?region=51")),
        ("Page, national, one agency (typed choice)", page("admin", f"/staf/kepatuhan/?agency={beltim.pk}")),
        ("Page, national, stage authority", page("admin", "/staf/kepatuhan/?stage=authority")),
        ("Page, national, one election (with the comparison)", page("admin", f"/staf/kepatuhan/?election={election}")),
        ("Page, national, issued in 2025 (live: a period)",
         page("admin", "/staf/kepatuhan/?issued_from=2025-01-01&issued_until=2025-12-31")),
        ("Page, province", page("staf.babel", "/staf/kepatuhan/")),
        ("Page, one agency, issued in 2024",
         page("bkpsdm.beltim", "/staf/kepatuhan/?issued_from=2024-01-01&issued_until=2024-12-31")),
        ("Excel export, national", page("admin", "/staf/kepatuhan/unduh.xlsx")),
        ("CSV export, national", page("admin", "/staf/kepatuhan/unduh.csv")),
        ("List /staf/tindak-lanjut/, national", page("admin", "/staf/tindak-lanjut/")),
        ("List, national, overdue", page("admin", "/staf/tindak-lanjut/?state=overdue")),
        ("List, national, search by letter number", page("admin", f"/staf/tindak-lanjut/?q={number}")),
        ("List, one agency", page("bkpsdm.beltim", "/staf/tindak-lanjut/")),
        ("List, province", page("staf.babel", "/staf/tindak-lanjut/")),
        ("List, national, page 45 (past the count's bound)", page("admin", "/staf/tindak-lanjut/?page=45")),
        ("Recommendation page, open", page("bkpsdm.beltim", f"/staf/tindak-lanjut/{open_rec.pk}/")),
        ("Recommendation page, closed", page("bkpsdm.beltim", f"/staf/tindak-lanjut/{closed_rec.pk}/")),
        ("Employee page /staf/pegawai/", page("bkpsdm.beltim", f"/staf/pegawai/{employee.pk}/")),
        ("Public statistics /statistik/", page(None, "/statistik/")),
        ("Public statistics, one province", page(None, "/statistik/19/")),
        ("Public follow-up register /tindak-lanjut/", page(None, "/tindak-lanjut/")),
        ("Public follow-up register, page 50", page(None, "/tindak-lanjut/?page=50")),
        ("Public statistics, a province of 14 regencies", page(None, "/statistik/51/")),
        ("Public follow-up register, overdue, page 10", page(None, "/tindak-lanjut/?status=overdue&page=10")),
    ]
    table = []
    for title, call in items:
        times, queries, size = timed(call, repeat)
        table.append([title, str(len(times)), bench_run.ms(statistics.median(times)),
                      bench_run.ms(percentile(times, 95)), str(queries), f"{size:,}" if size else "-",
                      percentile(times, 95)])
        print("  " + " | ".join(table[-1][:-1]))
    return table


def main(argv=None) -> int:
    args = parse_args(argv)
    with fresh_django("netral-bench-followup-", ALLOWED_HOSTS="testserver,127.0.0.1") as fresh:
        from django.db import connection
        from django.test import Client

        from accounts.models import User
        from accounts.tests.otp import verify_otp_session
        from cases.models import Case
        from followup.models import Recommendation
        from followup.public_figures import public_figures_rebuild
        from followup.tallies import tallies_rebuild

        print("Setting up a fresh database ...")
        demo_database()
        load = bench_run.cpu_busy()
        small_cases = max(1, args.cases // 4)  # enough for every agency to have recommendations
        small_recs = max(1, args.recommendations // 4)
        sizes = [(small_cases, small_recs), (args.cases - small_cases, args.recommendations - small_recs)]
        places, made, tables, facts = None, 0, [], []
        for cases_now, recs_now in sizes:
            result = fill(cases_now, recs_now, sys.stdout, places=places, offset=made)
            places, made = result["places"], made + cases_now
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics, as after any bulk load
            started = time.monotonic()
            built = tallies_rebuild()  # a bulk load past the services: `manage.py followup_tallies`
            print(f"  tallies rebuilt in {time.monotonic() - started:.1f} s: {built}")
            figures_started = time.monotonic()
            _state, figure_rows = public_figures_rebuild()  # the public statistics' figures: `manage.py public_figures`
            print(f"  public figures rebuilt in {time.monotonic() - figures_started:.1f} s: {len(figure_rows)} rows")
            if connection.vendor == "postgresql":
                # What autovacuum does within a minute of a bulk load: the first rebuild rewrote every
                # recommendation (their stored day counts), and until a vacuum sets the visibility map
                # again the period's index-only scans visit the table for every row.
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            users = {name: User.objects.get(username=name) for name in ("admin", "staf.babel", "bkpsdm.beltim")}
            clients = {}
            for name, user in users.items():
                client = Client()
                client.force_login(user)
                verify_otp_session(client, user)
                clients[name] = client
            facts.append((Case.objects.count(), Recommendation.objects.filter(stage="ppk").count(),
                          Recommendation.objects.filter(stage="authority").count(), time.monotonic() - started))
            print(f"Measuring at {facts[-1][0]:,} cases and {facts[-1][1]:,} recommendations ...")
            tables.append(measure(users, clients, args.repeat))
        label = fresh.label()
        small, big = tables
        failures = []
        for before, after in zip(small, big):
            if before[4] != after[4]:
                failures.append(f"{after[0]}: {before[4]} queries at the small size, {after[4]} at the large")
            if before[5] != "-" and grows(int(before[5].replace(",", "")), int(after[5].replace(",", ""))):
                failures.append(f"{after[0]}: {before[5]} bytes at the small size, {after[5]} at the large")
            if after[6] > args.target / 1000:
                failures.append(f"{after[0]}: p95 {after[3]} over the {args.target} ms target")
        (cases, ppk, forwardings, _rebuild) = facts[1]
        header = ["Measured", "Runs", "p50", "p95", "Queries", "Bytes", f"Queries / bytes at {facts[0][0]:,} cases"]
        rows = [after[:6] + [f"{before[4]} / {before[5]}"] for before, after in zip(small, big)]
        section = "\n".join([
            f"### {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC · follow-up at national scale · "
            f"{label} · {bench_run.commit_label()}",
            "",
            f"- Database: {label}, {cases:,} cases over {PROVINCES + 1} provinces and their "
            "regencies/cities (synthetic, one office and one Pemda each), "
            f"{ppk:,} recommendations to the PPKs (about 55 % sanctioned, 10 % refused, the rest ignored or "
            f"not yet due; a tenth addressed to a province) and {forwardings:,} forwardings to BKN; "
            f"measured first at {facts[0][0]:,} cases and {facts[0][1]:,} recommendations, then at this size. "
            "The dashboard's tallies and the public statistics' figures rebuilt after each bulk load "
            f"(`manage.py followup_tallies` and `public_figures`, {facts[0][3]:.1f} s and {facts[1][3]:.1f} s)",
            f"- Machine: {bench_run.machine_label(load)}; load average {os.getloadavg()[0]:.1f} at the end",
            "- Measured in-process: the selectors called directly, the pages and the exports (the first "
            "chunk of the stream) with Django's test client through the whole middleware stack (two-factor "
            "session); no network. Produced by `make bench-followup` (bench/followup.py).",
            "- " + ("Query counts and page sizes the same at both sizes; every p95 under the target."
                    if not failures else "Failed: " + "; ".join(failures)),
            "",
            "| " + " | ".join(header) + " |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *["| " + " | ".join(row) + " |" for row in rows],
            "",
        ])
        if not args.no_record:
            bench_run.record(BASE_DIR / "docs" / "performance.md", section)
            print("Recorded in docs/performance.md")
        for failure in failures:
            print("FAILED: " + failure)
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
