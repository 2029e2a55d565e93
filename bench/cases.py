"""Case handling at national scale: every staff case-side page with 200,000 cases across the country.

    make bench-cases                      # SQLite, in a throw-away data folder
    DATABASE_URL=postgres://postgres@127.0.0.1/netral_bench make bench-cases
    .venv/bin/python bench/cases.py --cases 20000 --no-record      # a quick look

Fills a fresh database with the demo reference data, then the whole country as `make country`
loads it (`load_regions`: 38 provinces, 514 regencies and cities and their districts; villages
with --levels ...,village; `load_offices`: Bawaslu RI and the 553 offices, the 552 regional
governments), then N cases (default 200,000) spread as a national installation would hold them:
Bawaslu Belitung Timur, the office measured, is a large one (--share, default 30 %), the rest go
to every office with weights falling with rank (most offices small), a third still open with
deadlines around today, one reported person each (one in ten names a repeat offender: pairs of
cases of two elections at one office, the first at Belitung Timur), and a report for every fourth case, in
the inbox (those of the last 14 days still waiting for registration, older ones decided).
It requests through Django's full stack (middleware, sessions, the two-factor check,
templates; no network) the pages a staff member opens all day, logged in as staf.beltim: the
case list (first page, overdue filter, a deep page, a search by exact number and by part of a
number), the page of an OPEN and of a CLOSED case, the merge search, the report inbox, the
staff landing page and the repeat offenders. Every page is measured at a tenth of the cases,
then at all of them; the bench fails (exit status 1) when a page's query count or size grows
between the two. Records p50/p95 latency, the query count and size of each, against the
200 ms p95 target, in docs/performance.md. Traffic stays in this process; data is bulk-inserted.
"""

import argparse
import hashlib
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
sys.path[:0] = [str(BASE_DIR), str(BENCH_DIR)]

import run as bench_run  # noqa: E402  (bench/run.py: database, machine and report helpers)
from common import demo_database, finish_pages, fresh_django, markdown_table, percentile, warm_up  # noqa: E402

MEASURED = "19.06"  # Bawaslu Belitung Timur: staf.beltim's office
TARGET_P95 = 0.200  # seconds (issue 20)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=200_000, help="cases to create (default 200000)")
    parser.add_argument("--share", type=float, default=0.3,
                        help="share of the cases held by Bawaslu Belitung Timur, the office measured (default 0.3)")
    parser.add_argument("--levels", default="province,regency,district",
                        help="region levels loaded by load_regions (default province,regency,district; add "
                             "village for the whole edition, about 15 s more)")
    parser.add_argument("--repeat", type=int, default=40, help="requests per page measured (default 40)")
    parser.add_argument("--no-record", action="store_true", help="print only; do not write docs/performance.md")
    parser.add_argument("--note", default="", help="a line added to the recorded section (e.g. the machine's load)")
    return parser.parse_args(argv)


def load_country(levels: str, stdout) -> float:
    """The whole country as `make country` loads it; returns the seconds it took."""
    from django.core.management import call_command

    started = time.monotonic()
    call_command("load_regions", levels=levels, verbosity=0)
    call_command("load_offices", verbosity=0)
    seconds = time.monotonic() - started
    stdout.write(f"  regions ({levels}) and offices loaded in {seconds:.1f} s\n")
    return seconds


class Layout:
    """Where the cases go: the measured office's share, the rest over every office by falling weights."""

    def __init__(self, share: float):
        from organizations.models import BawasluOffice
        from regions.models import Region

        self.share = share
        offices = list(BawasluOffice.objects.select_related("region").order_by("region__code"))
        self.measured = next(o for o in offices if o.region.code == MEASURED)
        districts = list(Region.objects.filter(level=Region.Level.DISTRICT, retired_in="").values_list("id", "code"))
        by_prefix = {}
        for pk, code in districts:
            parts = code.split(".")
            for prefix in (parts[0], ".".join(parts[:2]), ""):
                by_prefix.setdefault(prefix, []).append(pk)
        self.districts = {o.pk: by_prefix.get(o.region.code if o.region.level else "", by_prefix[""])
                          for o in offices}
        others = [o for o in offices if o.pk != self.measured.pk]
        random.Random(7).shuffle(others)
        self.others = others
        # Zipf-like: the office of rank r gets a weight 1/r (a few large offices, most small).
        self.weights = [1 / rank for rank in range(1, len(others) + 1)]

    def offices(self, rng, count):
        measured = round(count * self.share)
        chosen = [self.measured] * measured + rng.choices(self.others, weights=self.weights, k=count - measured)
        rng.shuffle(chosen)
        return chosen


def fill(count: int, stdout, *, layout: Layout, start_at: int = 0) -> None:
    """Bulk-insert ``count`` cases (numbered from ``start_at`` + 1) with one reported person each, and a
    report for every fourth case, in batches."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from cases.models import Case, CasePerson
    from cases.states import Outcome, Status
    from reports.models import Report, ReportedPerson
    from reports.selectors import report_next_due
    from rules.models import Election
    from rules.selectors import holiday_calendar

    rng = random.Random(2024 + start_at)
    pilkada, pemilu = Election.objects.get(pk="pilkada-2024"), Election.objects.get(pk="pemilu-2024")
    staff = User.objects.get(username="staf.beltim")
    today = timezone.localdate()
    statuses = [Status.REGISTERED, Status.IN_STUDY, Status.AWAITING_APPROVAL] + [Status.DECIDED] * 6
    report_statuses = [Report.Status.RECEIVED, Report.Status.IN_REVIEW, Report.Status.REGISTERED,
                       Report.Status.NOT_REGISTERED]
    calendar = holiday_calendar()
    started = time.monotonic()
    batch = 5000
    for start in range(start_at, start_at + count, batch):
        size = min(start_at + count, start + batch) - start
        cases, persons, reports, reported = [], [], [], []
        for index, office in zip(range(start, start + size), layout.offices(rng, size)):
            # One case in ten names a repeat offender, in pairs: the first at Belitung Timur (so that its list
            # has more than a page at both sizes), the second in another election at the same office.
            repeat = index % 10 == 0
            if index % 20 == 0:
                office = layout.measured
            elif index % 20 == 10 and len(cases) >= 10:
                office = cases[-10].office
            status = rng.choice(statuses)
            registered = today - timedelta(days=rng.randint(0, 700))
            open_ = status != Status.DECIDED
            election = pemilu if (repeat and index // 10 % 2) or index % 10 == 3 else pilkada
            cases.append(Case(
                number=f"{index + 1:06d}/Reg/LP/PB/Kab/{office.region.code}/BENCH/{registered.year}",
                kind=Case.Kind.REPORT if index % 4 else Case.Kind.FINDING, office=office,
                region_id=rng.choice(layout.districts[office.pk]), election=election, status=status,
                summary=f"ASN nomor {index} diduga ikut kampanye pasangan calon.", place="Manggar",
                known_on=registered, registered_on=registered, registered_by=staff,
                due_on=today + timedelta(days=rng.randint(-5, 5)) if open_ else None,
                due_step="study" if open_ else "",
                outcome="" if open_ else Outcome.FORWARDED_AUTHORITY, is_open=open_,
            ))
            persons.append((f"Pegawai Ulang {index // 20}", "Dinas Pendidikan") if repeat else
                           (None, "Kecamatan Manggar"))
            if index % 4 == 0:
                created = datetime.combine(registered, datetime.min.time(), tzinfo=dt_timezone.utc)
                # Only recent reports still wait for registration (its clock is days, not years).
                report_status = rng.choice(report_statuses if (today - registered).days < 14 else report_statuses[2:])
                reports.append(Report(
                    number=f"BENCH-{index + 1:07d}", office=office, region_id=cases[-1].region_id,
                    election=election, status=report_status, status_changed_at=created,
                    # Its stored next deadline, as reports.services keeps it (issue 20); no clock pauses here.
                    next_due_on=report_next_due(status=report_status, created_at=created, regime=election.regime,
                                                pauses=(), today=today, calendar=calendar),
                    anonymous=True, description=f"Laporan uji nomor {index}: ASN diduga ikut kampanye.",
                    place="Manggar", known_on=registered, created_at=created,
                    tracking_hash=hashlib.sha256(f"t{index}".encode()).hexdigest(),
                    submission_hash=hashlib.sha256(f"s{index}".encode()).hexdigest(),
                ))
        with transaction.atomic():
            created_cases = Case.objects.bulk_create(cases, batch_size=batch)
            CasePerson.objects.bulk_create(
                [CasePerson(case=case, name=name or f"Terlapor {case.pk}", position="Camat", unit=unit)
                 for case, (name, unit) in zip(created_cases, persons)], batch_size=batch)
            created_reports = Report.objects.bulk_create(reports, batch_size=batch)
            reported = [ReportedPerson(report=report, name=f"Terlapor laporan {report.pk}", unit="Kecamatan Manggar")
                        for report in created_reports]
            ReportedPerson.objects.bulk_create(reported, batch_size=batch)
        stdout.write(f"\r  {start + size:,} cases")
        stdout.flush()
    stdout.write(f"\r  {start_at + count:,} cases in {time.monotonic() - started:.0f} s\n")


def measure(client, url: str, repeat: int) -> tuple[list[float], int, int]:
    """Latencies of ``repeat`` requests, then the query count and the size in bytes of one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm_up(lambda: client.get(url))
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return times, len(queries), len(response.content)


# A page may differ a little between two data sizes (other rows on a list, a longer date), never
# by more than this: the open case's page listed every open case of the office in a select
# (issue 20), 420 KB at 20,000 cases, 10 s at 200,000 on PostgreSQL.
SIZE_TOLERANCE_BYTES = 2048
SIZE_TOLERANCE_SHARE = 0.05


def growth(title: str, small: tuple[int, int], large: tuple[int, int]) -> str:
    """Why ``title`` grew with the data from ``small`` to ``large`` (queries, bytes), or ""."""
    (queries_small, bytes_small), (queries_large, bytes_large) = small, large
    problems = []
    if queries_large > queries_small:
        problems.append(f"{queries_small} -> {queries_large} queries")
    if bytes_large - bytes_small > max(SIZE_TOLERANCE_BYTES, SIZE_TOLERANCE_SHARE * bytes_small):
        problems.append(f"{bytes_small:,} -> {bytes_large:,} bytes")
    return f"{title}: " + ", ".join(problems) if problems else ""


def pages_to_measure(first_count: int, share: float) -> list[tuple[str, str]]:
    """The pages, each with the same cases at both sizes: an open and a closed case of Belitung Timur
    chosen by number (the first of each among the first cases), a search for the open one's exact
    number, and a deep page that exists at the smaller size too."""
    from cases.models import Case

    beltim = Case.objects.filter(office__region__code=MEASURED).order_by("number")
    open_case = beltim.filter(is_open=True).first()
    closed_case = beltim.filter(is_open=False).first()
    deep = max(1, min(200, int(first_count * share) // 25 // 2))
    return [
        ("Case list, open, by next deadline (default)", "/staf/kasus/"),
        ("Case list, overdue only", "/staf/kasus/?status=open&due=overdue"),
        (f"Case list, all statuses, page {deep}", f"/staf/kasus/?status=&order=new&page={deep}"),
        ("Case list, search by exact number", f"/staf/kasus/?status=&q={open_case.number}"),
        ("Case list, search by part of a number", "/staf/kasus/?status=&q=000123"),
        (f"Case page, open ({open_case.get_status_display()})", f"/staf/kasus/{open_case.pk}/"),
        ("Case page, closed (decided)", f"/staf/kasus/{closed_case.pk}/"),
        ("Merge search on the open case's page", f"/staf/kasus/{open_case.pk}/gabung/cari/?merge-number=0001"),
        ("Report inbox, newest first", "/staf/laporan/"),
        ("Report inbox, by next deadline", "/staf/laporan/?order=due"),
        ("Staff landing page /staf/", "/staf/"),
        ("Repeat offenders /staf/pelanggar-berulang/", "/staf/pelanggar-berulang/"),
    ]


def main(argv=None) -> int:
    args = parse_args(argv)
    load_before = os.getloadavg()
    with fresh_django("netral-bench-cases-", ALLOWED_HOSTS="testserver,127.0.0.1") as fresh:
        from django.db import connection
        from django.test import Client

        from accounts.models import User
        from accounts.tests.otp import verify_otp_session
        from cases.models import Case
        from organizations.models import BawasluOffice
        from reports.models import Report

        print("Setting up a fresh database ...")
        demo_database()
        country_seconds = load_country(args.levels, sys.stdout)
        layout = Layout(args.share)
        # Two sizes: a tenth of the cases first, then all of them. A page whose query count or size
        # grows between the two fails the bench (issue 20), whatever its latency.
        first = max(1, args.cases // 10)
        fill(first, sys.stdout, layout=layout)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as after any bulk load
        label = fresh.label()

        client = Client()
        staff = User.objects.get(username="staf.beltim")
        client.force_login(staff)
        verify_otp_session(client, staff)
        pages = pages_to_measure(first, args.share)
        at_first = {}
        for title, path in pages:
            times, queries, size = measure(client, path, max(5, args.repeat // 4))
            at_first[title] = (queries, size, times)
        fill(args.cases - first, sys.stdout, layout=layout, start_at=first)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        table = [["Page", "Requests", "p50", "p95", "Queries", "Bytes", f"p50 at {first:,}", f"p95 at {first:,}",
                  f"Queries at {first:,}", f"Bytes at {first:,}"]]
        grown, slow = [], []
        for title, path in pages:
            times, queries, size = measure(client, path, args.repeat)
            small_queries, small_size, small_times = at_first[title]
            p95 = percentile(times, 95)
            table.append([title, str(len(times)), bench_run.ms(statistics.median(times)), bench_run.ms(p95),
                          str(queries), f"{size:,}", bench_run.ms(statistics.median(small_times)),
                          bench_run.ms(percentile(small_times, 95)), str(small_queries), f"{small_size:,}"])
            problem = growth(title, (small_queries, small_size), (queries, size))
            if problem:
                grown.append(problem)
            if p95 > TARGET_P95:
                slow.append(f"{title} ({bench_run.ms(p95)})")
        load_after = os.getloadavg()
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        for row in table:
            print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
        total = Case.objects.count()
        measured = Case.objects.filter(office__region__code=MEASURED)
        verdict = (f"- Grew with the data (from {first:,} to {args.cases:,} cases): " + "; ".join(grown) if grown else
                   f"- Query count and page size the same from {first:,} to {args.cases:,} cases on every page "
                   f"(within {SIZE_TOLERANCE_BYTES:,} bytes or {SIZE_TOLERANCE_SHARE:.0%})")
        target = (f"- Above the 200 ms p95 target at {args.cases:,} cases: " + "; ".join(slow) if slow else
                  f"- Every page under the 200 ms p95 target at {args.cases:,} cases")
        section = "\n".join([
            f"### {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC · cases at national scale · {label} · "
            f"{bench_run.commit_label()}",
            "",
            f"- Database: {label}; the whole country ({args.levels}; {BawasluOffice.objects.count():,} Bawaslu "
            f"offices, loaded in {country_seconds:.1f} s); {total:,} cases over the offices "
            f"({measured.count():,} of Bawaslu Belitung Timur, {measured.filter(is_open=True).count():,} of them "
            f"open), one reported person each; {Report.objects.count():,} reports "
            f"({Report.objects.filter(office__region__code=MEASURED).count():,} of Belitung Timur)",
            f"- Machine: {bench_run.machine_label(None)}; load average {load_before[0]:.1f} before, "
            f"{load_after[0]:.1f} after the measurement"
            + (f"; {args.note}" if args.note else ""),
            "- Measured in-process with Django's test client through the whole middleware stack, logged in as "
            "staf.beltim (two-factor session); no network. Produced by `make bench-cases` (bench/cases.py). "
            "The case pages are the first open and the first closed case of Belitung Timur by number. "
            f"At {first:,} cases each page was requested {max(5, args.repeat // 4)} times.",
            verdict,
            target,
            "",
            *markdown_table(table),
            "",
        ])
        return finish_pages(section, record=not args.no_record, slow=slow, grown=grown, fail_when_slow=False)


if __name__ == "__main__":
    sys.exit(main())
