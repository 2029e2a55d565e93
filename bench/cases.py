"""Case handling at scale: the staff case list and a case page with 200,000 cases.

    make bench-cases                      # SQLite, in a throw-away data folder
    DATABASE_URL=postgres://postgres@127.0.0.1/netral_bench make bench-cases

Fills a fresh database with the demo reference data and N cases (default 200,000, most of
them of Bawaslu Belitung Timur, a third still open with deadlines around today), then
requests through Django's full stack (middleware, sessions, the two-factor check,
templates; no network) the pages a staff member opens all day: the case list (first page,
overdue filter, a deep page, a search) and case pages. Records p50/p95 latency and the
query count of each in docs/performance.md. Traffic stays in this process.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
sys.path[:0] = [str(BASE_DIR), str(BENCH_DIR)]

import run as bench_run  # noqa: E402  (bench/run.py: database, machine and report helpers)
from common import demo_database, fresh_django, percentile  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=200_000, help="cases to create (default 200000)")
    parser.add_argument("--repeat", type=int, default=40, help="requests per page measured (default 40)")
    parser.add_argument("--no-record", action="store_true", help="print only; do not write docs/performance.md")
    return parser.parse_args(argv)


def fill(count: int, stdout, *, start_at: int = 0) -> dict:
    """Bulk-insert ``count`` cases (numbered from ``start_at`` + 1) with one reported person each, in batches."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from cases.models import Case, CasePerson
    from cases.states import Outcome, Status
    from organizations.models import BawasluOffice
    from regions.models import Region
    from rules.models import Election

    rng = random.Random(2024 + start_at)
    offices = {o.region.code: o for o in BawasluOffice.objects.select_related("region")}
    beltim, bangka = offices["19.06"], offices["19.01"]
    districts = {code: list(Region.objects.filter(code__startswith=code + ".")) for code in ("19.06", "19.01")}
    election = Election.objects.get(pk="pilkada-2024")
    staff = User.objects.get(username="staf.beltim")
    today = timezone.localdate()
    statuses = [Status.REGISTERED, Status.IN_STUDY, Status.AWAITING_APPROVAL] + [Status.DECIDED] * 6
    started = time.monotonic()
    batch = 5000
    for start in range(start_at, start_at + count, batch):
        cases = []
        for index in range(start, min(start_at + count, start + batch)):
            office = beltim if index % 10 else bangka
            status = rng.choice(statuses)
            registered = today - timedelta(days=rng.randint(0, 700))
            open_ = status != Status.DECIDED
            cases.append(Case(
                number=f"{index + 1:06d}/Reg/LP/PB/Kab/{office.region.code}/BENCH/{registered.year}",
                kind=Case.Kind.REPORT if index % 4 else Case.Kind.FINDING, office=office,
                region=rng.choice(districts[office.region.code]), election=election, status=status,
                summary=f"ASN nomor {index} diduga ikut kampanye pasangan calon.", place="Manggar",
                known_on=registered, registered_on=registered, registered_by=staff,
                due_on=today + timedelta(days=rng.randint(-5, 5)) if open_ else None,
                due_step="study" if open_ else "",
                outcome="" if open_ else Outcome.FORWARDED_AUTHORITY, is_open=open_,
            ))
        with transaction.atomic():
            created = Case.objects.bulk_create(cases, batch_size=batch)
            CasePerson.objects.bulk_create(
                [CasePerson(case=case, name=f"Terlapor {case.pk}", position="Camat", unit="Kecamatan Manggar")
                 for case in created], batch_size=batch)
        stdout.write(f"\r  {min(start_at + count, start + batch):,} cases")
        stdout.flush()
    stdout.write(f"\r  {start_at + count:,} cases in {time.monotonic() - started:.0f} s\n")
    return {"beltim": beltim}


def measure(client, url: str, repeat: int) -> tuple[list[float], int, int]:
    """Latencies of ``repeat`` requests, then the query count and the size in bytes of one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: templates, caches
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


def pages_to_measure(first_count: int) -> list[tuple[str, str]]:
    """The pages, each with the same cases at both sizes: an open and a closed case of Belitung Timur
    chosen by number (the first of each among the first cases), a search for the open one's exact
    number, and a deep page that exists at the smaller size too."""
    from cases.models import Case

    beltim = Case.objects.filter(office__region__code="19.06").order_by("number")
    open_case = beltim.filter(is_open=True).first()
    closed_case = beltim.filter(is_open=False).first()
    deep = max(1, min(200, first_count * 9 // 10 // 25 // 2))
    return [
        ("Case list, open, by next deadline (default)", "/staf/kasus/"),
        ("Case list, overdue only", "/staf/kasus/?status=open&due=overdue"),
        (f"Case list, all statuses, page {deep}", f"/staf/kasus/?status=&order=new&page={deep}"),
        ("Case list, search by exact number", f"/staf/kasus/?status=&q={open_case.number}"),
        ("Case list, search by part of a number", "/staf/kasus/?status=&q=000123"),
        (f"Case page, open ({open_case.get_status_display()})", f"/staf/kasus/{open_case.pk}/"),
        ("Case page, closed (decided)", f"/staf/kasus/{closed_case.pk}/"),
        ("Merge search on the open case's page", f"/staf/kasus/{open_case.pk}/gabung/cari/?merge-number=0001"),
        ("Report inbox (demo reports)", "/staf/laporan/"),
    ]


def main(argv=None) -> int:
    args = parse_args(argv)
    with fresh_django("netral-bench-cases-", ALLOWED_HOSTS="testserver,127.0.0.1") as fresh:
        from django.db import connection
        from django.test import Client

        from accounts.models import User
        from accounts.tests.otp import verify_otp_session
        from cases.models import Case

        print("Setting up a fresh database ...")
        demo_database()
        # Two sizes: a tenth of the cases first, then all of them. A page whose query count or size
        # grows between the two fails the bench (issue 20), whatever its latency.
        first = max(1, args.cases // 10)
        fill(first, sys.stdout)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as after any bulk load
        label = fresh.label()

        client = Client()
        staff = User.objects.get(username="staf.beltim")
        client.force_login(staff)
        verify_otp_session(client, staff)
        pages = pages_to_measure(first)
        at_first = {}
        for title, path in pages:
            _times, queries, size = measure(client, path, 1)
            at_first[title] = (queries, size)
        fill(args.cases - first, sys.stdout, start_at=first)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        table = [["Page", "Requests", "p50", "p95", "Queries", "Bytes", f"Queries at {first:,}",
                  f"Bytes at {first:,}"]]
        grown = []
        for title, path in pages:
            times, queries, size = measure(client, path, args.repeat)
            table.append([title, str(len(times)), bench_run.ms(statistics.median(times)),
                          bench_run.ms(percentile(times, 95)), str(queries), f"{size:,}", str(at_first[title][0]),
                          f"{at_first[title][1]:,}"])
            problem = growth(title, at_first[title], (queries, size))
            if problem:
                grown.append(problem)
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        for row in table:
            print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
        total = Case.objects.count()
        verdict = (f"- Grew with the data (from {first:,} to {args.cases:,} cases): " + "; ".join(grown) if grown else
                   f"- Query count and page size the same from {first:,} to {args.cases:,} cases on every page "
                   f"(within {SIZE_TOLERANCE_BYTES:,} bytes or {SIZE_TOLERANCE_SHARE:.0%})")
        section = "\n".join([
            f"### {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC · cases at scale · {label} · "
            f"{bench_run.commit_label()}",
            "",
            f"- Database: {label}, {total:,} cases ({Case.objects.filter(office__region__code='19.06').count():,} "
            "of Bawaslu Belitung Timur, about a third open), one reported person each",
            f"- Machine: {bench_run.machine_label(None)}",
            "- Measured in-process with Django's test client through the whole middleware stack, logged in as "
            "staf.beltim (two-factor session); no network. Produced by `make bench-cases` (bench/cases.py). "
            "The case pages are the first open and the first closed case of Belitung Timur by number.",
            verdict,
            "",
            "| " + " | ".join(table[0]) + " |",
            "|---|" + "---:|" * (len(table[0]) - 1),
            *["| " + " | ".join(row) + " |" for row in table[1:]],
            "",
        ])
        if not args.no_record:
            bench_run.record(BASE_DIR / "docs" / "performance.md", section)
            print("Recorded in docs/performance.md")
        if grown:
            print("FAILED: pages grew with the data:\n  " + "\n  ".join(grown), file=sys.stderr)
            return 1
        return 0


if __name__ == "__main__":
    sys.exit(main())
