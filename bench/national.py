"""The ASN register at national size: 6,000,000 employees, searched and shown.

    DATABASE_URL=postgres://postgres@127.0.0.1/netral_bench_national .venv/bin/python bench/national.py
    .venv/bin/python bench/national.py --rows 200000          # SQLite, a smaller register

Fills a fresh database with the demo data and then the register in two steps (a tenth of
``--rows``, then the rest), written with COPY on PostgreSQL (psycopg's copy, text blocks
generated in Python) and with one prepared INSERT per batch on SQLite. After each step it
times, with Django's test client through the whole middleware stack:

- the reporter's register search (``/lapor/cari-asn/``, registry.selectors.employee_public_search)
  by a whole NIP (an index lookup), by a common first name (names that begin with it: a range of
  the B-tree of migration registry/0007), by a common surname (met elsewhere in the names) and by
  a rare full name;
- an employee's page (``/staf/pegawai/<id>/``) for the agency's personnel staff;
- the register's page (``/staf/register/``) for the same account.

Exits non-zero when a query count or a page size differs between the two sizes (past the
digits: 5 % and 1 KB) or a p95 passes ``--target`` ms. Records p50/p95 in docs/performance.md.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
sys.path[:0] = [str(BASE_DIR), str(BENCH_DIR)]

import run as bench_run  # noqa: E402
from common import demo_database, fresh_django, percentile, timed  # noqa: E402

FIRST = ["Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gunawan", "Hendra", "Indah", "Joko", "Kartika",
         "Lestari", "Maria", "Nur", "Oktaviani", "Putri", "Rahmat", "Sari", "Teguh", "Wahyu", "Yulia", "Zainal"]
MIDDLE = ["Adi", "Bayu", "Cahya", "Dwi", "Eka", "Fajar", "Galih", "Hadi", "Ika", "Jaya", "Kurnia", "Laksana",
          "Mulya", "Nanda", "Permana", "Rizki", "Surya", "Tri", "Utama", "Wijaya"]
LAST = ["Saputra", "Setiawan", "Susanto", "Hidayat", "Kusuma", "Pratama", "Santoso", "Wibowo", "Nugroho",
        "Siregar", "Simanjuntak", "Nasution", "Lubis", "Harahap", "Tanjung", "Rahman", "Hakim", "Syahputra"]
# The generated NIPs: NIP_BASE + the row's index, above every NIP of the demo (main() moves it up if
# needed: a demo NIP inside the range stopped the first run at 6,000,000 after 5,020,322 rows).
NIP_BASE = 199001012015011000
COLUMNS = ("kind", "nip", "name", "name_plain", "title_prefix", "title_suffix", "birth_place", "gender", "rank",
           "position", "position_class", "agency_id", "active", "status", "email")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=6_000_000, help="register rows at the large size")
    parser.add_argument("--repeat", type=int, default=20, help="runs per measured page (default 20)")
    parser.add_argument("--target", type=int, default=200, help="p95 target in ms (default 200)")
    parser.add_argument("--no-record", action="store_true", help="print only")
    parser.add_argument("--note", default="", help="a line added to the recorded section (e.g. the machine's load)")
    return parser.parse_args(argv)


def name_of(index: int) -> str:
    """A name per row; every (first, middle, last) triple recurs only every 7,920 rows."""
    return (f"{FIRST[index % len(FIRST)]} {MIDDLE[(index // len(FIRST)) % len(MIDDLE)]} "
            f"{LAST[(index // (len(FIRST) * len(MIDDLE))) % len(LAST)]}")


def rows(start: int, stop: int, agency_ids: list[int]):
    for index in range(start, stop):
        name = name_of(index)
        yield ("pns", f"{NIP_BASE + index:018d}", name, name, "", "", "Manggar", "MF"[index % 2],
               "III/a", "Pelaksana", "pelaksana", agency_ids[index % len(agency_ids)], True, "aktif", "")


def secondary_indexes() -> list[tuple[str, str]]:
    """(name, definition) of the register's indexes that no constraint owns (PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""SELECT i.indexname, i.indexdef FROM pg_indexes i
                          WHERE i.tablename = 'registry_employee' AND NOT EXISTS
                            (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""")
        return cursor.fetchall()


def fill(start: int, stop: int, agency_ids: list[int]) -> float:
    """Employees ``start`` to ``stop`` (COPY on PostgreSQL); seconds taken.

    On PostgreSQL the indexes that no constraint owns (the name's trigram GIN and B-trees, the
    unit's...) are dropped for the COPY and built again after it, as one loads a register at once:
    maintaining the GIN row by row made 6,000,000 rows take about half an hour on the shared cores.
    """
    from django.db import connection, transaction

    started = time.monotonic()
    rebuild = secondary_indexes() if connection.vendor == "postgresql" else []
    with connection.cursor() as cursor:
        for name, _definition in rebuild:
            cursor.execute(f'DROP INDEX "{name}"')
    batch = 200_000
    for first in range(start, stop, batch):
        chunk = rows(first, min(stop, first + batch), agency_ids)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                text = io.StringIO()
                for row in chunk:
                    text.write("\t".join("t" if value is True else str(value) for value in row))
                    text.write("\n")
                with connection.cursor() as cursor:
                    with cursor.cursor.copy(f"COPY registry_employee ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                        copy.write(text.getvalue())
            else:
                with connection.cursor() as cursor:
                    cursor.executemany(f"INSERT INTO registry_employee ({', '.join(COLUMNS)}) VALUES "
                                       f"({', '.join(['%s'] * len(COLUMNS))})", list(chunk))
        sys.stdout.write(f"\r  {min(stop, first + batch):,} employees")
        sys.stdout.flush()
    with connection.cursor() as cursor:
        if rebuild:
            cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in rebuild:
            cursor.execute(definition)
        cursor.execute("ANALYZE registry_employee")
    sys.stdout.write("\n")
    return time.monotonic() - started


def measure(client_staff, employee_id: int, size: int, repeat: int) -> list:
    from django.test import Client

    public = Client()
    nip = f"{NIP_BASE + size // 2:018d}"
    rare = name_of(size // 3)
    items = [
        ("Register search by whole NIP (index lookup)", public, f"/lapor/cari-asn/?q={nip}"),
        ("Register search by a common name (\"Dewi\")", public, "/lapor/cari-asn/?q=Dewi"),
        ("Register search by a common surname (\"Saputra\")", public, "/lapor/cari-asn/?q=Saputra"),
        (f"Register search by a full name (\"{rare}\")", public, f"/lapor/cari-asn/?q={rare}"),
        ("Employee page /staf/pegawai/", client_staff, f"/staf/pegawai/{employee_id}/"),
        ("Register page /staf/register/", client_staff, "/staf/register/"),
    ]
    table = []
    for title, client, path in items:
        def call(client=client, path=path):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            return len(response.content)
        times, queries, size_bytes = timed(call, repeat)
        table.append([title, str(repeat), bench_run.ms(statistics.median(times)), bench_run.ms(percentile(times, 95)),
                      str(queries), f"{size_bytes:,}", percentile(times, 95)])
        print("  " + " | ".join(table[-1][:-1]))
    return table


def main(argv=None) -> int:
    args = parse_args(argv)
    with fresh_django("netral-bench-national-", ALLOWED_HOSTS="testserver,127.0.0.1") as fresh:
        from django.test import Client

        from accounts.models import User
        from accounts.tests.otp import verify_otp_session
        from organizations.models import Agency
        from registry.models import Employee

        print("Setting up a fresh database ...")
        demo_database()
        load = bench_run.cpu_busy()
        staff = User.objects.get(username="bkpsdm.beltim")
        client = Client()
        client.force_login(staff)
        verify_otp_session(client, staff)
        agency_ids = [staff.agency_id] + list(Agency.objects.exclude(pk=staff.agency_id).values_list("pk", flat=True))
        employee_id = Employee.objects.filter(agency_id=staff.agency_id).order_by("pk").values_list("pk", flat=True)[0]
        global NIP_BASE
        highest = max((int(nip) for nip in Employee.objects.exclude(nip=None).values_list("nip", flat=True)
                       if nip.isdigit()), default=0)
        if any(NIP_BASE <= int(nip) < NIP_BASE + args.rows
               for nip in Employee.objects.exclude(nip=None).values_list("nip", flat=True) if nip.isdigit()):
            NIP_BASE = highest + 1
        sizes = [args.rows // 10, args.rows]
        tables, fills, made, loads = [], [], 0, []
        for size in sizes:
            fills.append(fill(made, size, agency_ids))
            made = size
            loads.append(os.getloadavg()[0])
            print(f"Measuring at {Employee.objects.count():,} employees (load average {loads[-1]:.1f}) ...")
            tables.append(measure(client, employee_id, size, args.repeat))
        loads.append(os.getloadavg()[0])
        failures = []
        for before, after in zip(*tables):
            if before[4] != after[4]:
                failures.append(f"{after[0]}: {before[4]} queries at the small size, {after[4]} at the large")
            small, big = int(before[5].replace(",", "")), int(after[5].replace(",", ""))
            if big > small * 1.05 + 1024:
                failures.append(f"{after[0]}: {before[5]} bytes at the small size, {after[5]} at the large")
            if after[6] > args.target / 1000:
                failures.append(f"{after[0]}: p95 {after[3]} over the {args.target} ms target")
        label = fresh.label()
        total = Employee.objects.count()
        section = "\n".join([
            f"### {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC · register at national size · {label} · "
            f"{bench_run.commit_label()}",
            "",
            f"- Database: {label}, {total:,} employees (the demo's and generated PNS rows, spread over "
            f"{len(agency_ids)} agencies), written in {fills[0]:.0f} s + {fills[1]:.0f} s "
            f"({'COPY' if fresh.database else 'prepared INSERT'}); measured at {sizes[0]:,} and at {total:,}",
            f"- Machine: {bench_run.machine_label(load)}; other helpers ran their tests on the same 2 cores "
            f"(load average over 1 min: {loads[0]:.1f} before the small size's measures, {loads[1]:.1f} before "
            f"the large's, {loads[2]:.1f} at the end)" + (f"; {args.note}" if args.note else ""),
            "- In-process, Django's test client through the whole middleware stack. Produced by bench/national.py.",
            "- " + ("Query counts and page sizes the same at both sizes; every p95 under the target."
                    if not failures else "Failed: " + "; ".join(failures)),
            "",
            f"| Measured | Runs | p50 | p95 | Queries | Bytes | Queries / bytes at {sizes[0]:,} |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *[f"| {' | '.join(after[:6])} | {before[4]} / {before[5]} |" for before, after in zip(*tables)],
            "",
        ])
        if not args.no_record:
            bench_run.record(BASE_DIR / "docs" / "performance.md", section)
            print("Recorded in docs/performance.md")
        for failure in failures:
            print("FAILED: " + failure)
        return 1 if failures else 0


if __name__ == "__main__":
    random.seed(6)
    sys.exit(main())
