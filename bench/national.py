"""The ASN register at national size: 6,000,000 employees, searched, shown and counted for pledges.

    DATABASE_URL=postgres://postgres@127.0.0.1/netral_bench_national .venv/bin/python bench/national.py
    .venv/bin/python bench/national.py --rows 200000          # SQLite, a smaller register

Fills a fresh database with the demo data and the whole country's regions, Bawaslu offices and
regional governments (as `make country`), gives every regional government ``--units`` units, and
then writes the register in two steps (a tenth of ``--rows``, then the rest), with COPY on
PostgreSQL (psycopg's copy, text blocks generated in Python) and with one prepared INSERT per batch
on SQLite. The rows go round the agencies, each to one of its units; Belitung Timur's government is
in the round twice, a large regency (about 21,700 ASN at 6,000,000). A share of them (``--pledged``)
signs the neutrality pledge for Pilkada 2024 (one INSERT ... SELECT), and the pledges' stored
coverage is rebuilt as the nightly `manage.py pledge_coverage` does (its time is reported). After
each step it times, with Django's test client through the whole middleware stack:

- the reporter's register search (``/lapor/cari-asn/``, registry.selectors.employee_public_search)
  by a whole NIP (an index lookup), by a common first name (names that begin with it: a range of
  the B-tree of migration registry/0007), by a common surname (met elsewhere in the names) and by
  a rare full name;
- an employee's page (``/staf/pegawai/<id>/``) for the agency's personnel staff;
- the register's page (``/staf/register/``) for the same account;
- the pledges' page (``/staf/pencegahan/ikrar/``: coverage per agency and unit, the signed pledges)
  and the units' checklist progress (``/staf/daftar-periksa/kemajuan/``: a page of units with their
  pledges, and the totals of every unit) for Bawaslu leadership at Bawaslu RI and at the province
  (stored coverage, prevention.coverage) and at Belitung Timur (counted live over its employees).

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
from contextlib import contextmanager
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
           "position", "position_class", "agency_id", "unit_id", "active", "status", "email")
LARGE_REGENCY = "19.06"  # Belitung Timur: twice in the agencies' round
ELECTION = "pilkada-2024"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=6_000_000, help="register rows at the large size")
    parser.add_argument("--units", type=int, default=50, help="units per regional government (default 50)")
    parser.add_argument("--pledged", type=int, default=40, help="percent of the rows that signed (default 40)")
    parser.add_argument("--repeat", type=int, default=20, help="runs per measured page (default 20)")
    parser.add_argument("--target", type=int, default=200, help="p95 target in ms (default 200)")
    parser.add_argument("--no-record", action="store_true", help="print only")
    parser.add_argument("--note", default="", help="a line added to the recorded section (e.g. the machine's load)")
    return parser.parse_args(argv)


def name_of(index: int) -> str:
    """A name per row; every (first, middle, last) triple recurs only every 7,920 rows."""
    return (f"{FIRST[index % len(FIRST)]} {MIDDLE[(index // len(FIRST)) % len(MIDDLE)]} "
            f"{LAST[(index // (len(FIRST) * len(MIDDLE))) % len(LAST)]}")


def rows(start: int, stop: int, agency_ids: list[int], unit_ids: dict[int, list[int]]):
    for index in range(start, stop):
        name = name_of(index)
        agency = agency_ids[index % len(agency_ids)]
        units = unit_ids[agency]
        yield ("pns", f"{NIP_BASE + index:018d}", name, name, "", "", "Manggar", "MF"[index % 2],
               "III/a", "Pelaksana", "pelaksana", agency, units[(index // len(agency_ids)) % len(units)], True,
               "aktif", "")


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, definition) of a table's indexes that no constraint owns (PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""SELECT i.indexname, i.indexdef FROM pg_indexes i
                          WHERE i.tablename = %s AND NOT EXISTS
                            (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""", [table])
        return cursor.fetchall()


@contextmanager
def indexes_built_after(table: str):
    """On PostgreSQL, the indexes of ``table`` that no constraint owns (the name's trigram GIN and
    B-trees, the unit's...) dropped for a bulk load and built again after it, as one loads a register
    at once: maintaining the GIN row by row made 6,000,000 rows take about half an hour on the shared
    cores. The table is vacuumed and analyzed after."""
    from django.db import connection

    rebuild = secondary_indexes(table) if connection.vendor == "postgresql" else []
    with connection.cursor() as cursor:
        for name, _definition in rebuild:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        if rebuild:
            cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in rebuild:
            cursor.execute(definition)
        # As autovacuum does after a bulk load: the visibility map that index-only scans need, and statistics.
        cursor.execute(f"{'VACUUM ' if connection.vendor == 'postgresql' else ''}ANALYZE {table}")


def country(units_per_agency: int) -> tuple[float, list[int], dict[int, list[int]]]:
    """The whole country's regions, offices and regional governments (as `make country`), ``units_per_agency``
    units for each government; (seconds, the agencies' round, {agency id: its unit ids})."""
    from staff_pages import load_country

    from organizations.models import Agency, Unit

    started = time.monotonic()
    load_country("province,regency", sys.stdout)
    agencies = list(Agency.objects.filter(kind=Agency.Kind.REGIONAL).select_related("region").order_by("region__code"))
    Unit.objects.bulk_create([Unit(agency=agency, name=f"Satuan Kerja {number:02d}", region=agency.region)
                              for agency in agencies for number in range(1, units_per_agency + 1)],
                             ignore_conflicts=True, batch_size=5_000)
    unit_ids = {}
    for agency_id, unit_id in Unit.objects.filter(agency__in=agencies).order_by("pk").values_list("agency_id", "pk"):
        unit_ids.setdefault(agency_id, []).append(unit_id)
    large = next(agency.pk for agency in agencies if agency.region.code == LARGE_REGENCY)
    return time.monotonic() - started, [large] + [agency.pk for agency in agencies], unit_ids


def fill(start: int, stop: int, agency_ids: list[int], unit_ids: dict[int, list[int]]) -> float:
    """Employees ``start`` to ``stop`` (COPY on PostgreSQL); seconds taken."""
    started = time.monotonic()
    with indexes_built_after("registry_employee"):
        _fill(start, stop, agency_ids, unit_ids)
    sys.stdout.write("\n")
    return time.monotonic() - started


def _fill(start: int, stop: int, agency_ids: list[int], unit_ids: dict[int, list[int]]) -> None:
    from django.db import connection, transaction

    batch = 200_000
    for first in range(start, stop, batch):
        chunk = rows(first, min(stop, first + batch), agency_ids, unit_ids)
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


def sign(start: int, stop: int, percent: int) -> float:
    """Pledges for Pilkada 2024 of ``percent`` % of the generated employees ``start`` to ``stop`` (by id), with
    the snapshot of their name, unit and agency, signed over a day; then the stored coverage rebuilt, as the
    nightly job does. Seconds the rebuild took."""
    from django.db import connection, transaction

    from prevention.coverage import pledge_coverage_rebuild

    signed_at = ("TIMESTAMP WITH TIME ZONE '2024-10-01 01:00:00+00' + (e.id %% 86400) * INTERVAL '1 second'"
                 if connection.vendor == "postgresql" else "datetime('2024-10-01 01:00:00', '+' || (e.id %% 86400) "
                                                            "|| ' seconds')")
    with indexes_built_after("prevention_pledge"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO prevention_pledge (code, employee_id, election_id, name, position, unit_name, agency_name,
                text_title, text_body, text_is_template, agency_id, unit_id, signature_kind, signature_file,
                typed_name, signed_at, revoked_reason)
            SELECT 'BENCH' || e.id, e.id, %s, e.name, e.position, u.name, a.name, 'Ikrar Netralitas ASN',
                'Kami ASN ...', FALSE, e.agency_id, e.unit_id, 'typed', '', e.name, {signed_at}, ''
            FROM registry_employee e JOIN organizations_agency a ON a.id = e.agency_id
                JOIN organizations_unit u ON u.id = e.unit_id
            WHERE e.nip >= %s AND e.nip < %s AND e.id %% 100 < %s""",
                       [ELECTION, f"{NIP_BASE + start:018d}", f"{NIP_BASE + stop:018d}", percent])
    started = time.monotonic()
    pledge_coverage_rebuild()
    return time.monotonic() - started


def measure(client_staff, leads: dict, employee_id: int, size: int, repeat: int) -> list:
    from django.test import Client

    public = Client()
    pledges = "/staf/pencegahan/ikrar/"
    progress = f"/staf/daftar-periksa/kemajuan/?election={ELECTION}"
    nip = f"{NIP_BASE + size // 2:018d}"
    rare = name_of(size // 3)
    items = [
        ("Register search by whole NIP (index lookup)", public, f"/lapor/cari-asn/?q={nip}"),
        ("Register search by a common name (\"Dewi\")", public, "/lapor/cari-asn/?q=Dewi"),
        ("Register search by a common surname (\"Saputra\")", public, "/lapor/cari-asn/?q=Saputra"),
        (f"Register search by a full name (\"{rare}\")", public, f"/lapor/cari-asn/?q={rare}"),
        ("Employee page /staf/pegawai/", client_staff, f"/staf/pegawai/{employee_id}/"),
        ("Register page /staf/register/", client_staff, "/staf/register/"),
        ("Pledges page, Bawaslu RI (stored coverage)", leads["national"], pledges),
        ("Pledges page, a province (stored coverage)", leads["province"], pledges),
        ("Pledges page, Belitung Timur (live coverage)", leads["regency"], pledges),
        ("Checklist progress, Bawaslu RI (stored pledges)", leads["national"], progress),
        ("Checklist progress, a province (stored pledges)", leads["province"], progress),
        ("Checklist progress, Belitung Timur (live pledges)", leads["regency"], progress),
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


def main(argv=None) -> int:  # noqa: C901 (one step after the other)
    args = parse_args(argv)
    # The stored coverage is rebuilt after each fill and never stale while measured: the one request that
    # queues a refresh has two more statements (the guard, the task).
    with fresh_django("netral-bench-national-", ALLOWED_HOSTS="testserver,127.0.0.1",
                      NETRAL_COVERAGE_MAX_AGE="86400") as fresh:
        from django.test import Client
        from staff_pages import accounts

        from accounts.models import User
        from accounts.tests.otp import verify_otp_session
        from organizations.models import Unit
        from prevention.models import Pledge
        from registry.models import Employee

        def logged_in(user):
            client = Client()
            client.force_login(user)
            verify_otp_session(client, user)
            return client

        print("Setting up a fresh database ...")
        demo_database()
        load = bench_run.cpu_busy()
        country_seconds, agency_ids, unit_ids = country(args.units)
        print(f"  the country loaded in {country_seconds:.1f} s: {len(agency_ids) - 1} regional governments, "
              f"{Unit.objects.count():,} units")
        staff = User.objects.get(username="bkpsdm.beltim")
        client = logged_in(staff)
        leads = {level: logged_in(bawaslu) for level, bawaslu, _pemda in accounts()}
        employee_id = Employee.objects.filter(agency_id=staff.agency_id).order_by("pk").values_list("pk", flat=True)[0]
        global NIP_BASE
        highest = max((int(nip) for nip in Employee.objects.exclude(nip=None).values_list("nip", flat=True)
                       if nip.isdigit()), default=0)
        if any(NIP_BASE <= int(nip) < NIP_BASE + args.rows
               for nip in Employee.objects.exclude(nip=None).values_list("nip", flat=True) if nip.isdigit()):
            NIP_BASE = highest + 1
        sizes = [args.rows // 10, args.rows]
        tables, fills, rebuilds, made, loads, regency = [], [], [], 0, [], []
        for size in sizes:
            fills.append(fill(made, size, agency_ids, unit_ids))
            rebuilds.append(sign(made, size, args.pledged))
            made = size
            loads.append(os.getloadavg()[0])
            regency.append(Employee.objects.filter(agency_id=staff.agency_id).count())
            print(f"Measuring at {Employee.objects.count():,} employees, {Pledge.objects.count():,} pledges "
                  f"(coverage rebuilt in {rebuilds[-1]:.1f} s; load average {loads[-1]:.1f}) ...")
            tables.append(measure(client, leads, employee_id, size, args.repeat))
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
            f"- Database: {label}, {total:,} employees (the demo's and generated PNS rows, round the "
            f"{len(agency_ids) - 1} regional governments of the country, Belitung Timur's twice: {regency[0]:,} "
            f"and {regency[1]:,} there; {Unit.objects.count():,} units), written in {fills[0]:.0f} s + "
            f"{fills[1]:.0f} s ({'COPY' if fresh.database else 'prepared INSERT'}); measured at {sizes[0]:,} and "
            f"at {total:,}; {Pledge.objects.count():,} pledges for Pilkada 2024 ({args.pledged} % of the rows), "
            f"the stored coverage rebuilt in {rebuilds[0]:.1f} s and {rebuilds[1]:.1f} s",
            f"- Machine: {bench_run.machine_label(load)}; load average over 1 min: {loads[0]:.1f} before the "
            f"small size's measures, {loads[1]:.1f} before the large's, {loads[2]:.1f} at the end"
            + (f"; {args.note}" if args.note else ""),
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
