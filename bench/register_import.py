"""Register import at national size: a generated 1,000,000-row CSV file, previewed and committed.

    DATABASE_URL=postgres://postgres@127.0.0.1/netral_bench make bench-register   # PostgreSQL, 1,000,000 rows
    make bench-register                                                           # SQLite, 200,000 rows
    .venv/bin/python bench/register_import.py --rows 50000 --no-record             # a quick look

Works in a throw-away data folder and database (as bench/cases.py). Generates a CSV file
the way a personnel system exports it (`;`, UTF-8 with BOM, the importer's headers, valid
PNS NIPs and NI PPPK, names with titles, 40 units), then calls the same services the web
pages and the background worker call, in this process:

1. upload: ``import_job_create`` (SHA-256 of the file, header and column detection);
2. preview: ``import_preview_run`` (stream, clean, look up, classify, stage by COPY);
3. commit: ``import_commit_run`` (one transaction: insert the employees and their history,
   exchange log, audit entry);
4. the same file again (preview + commit): every row unchanged, nothing written;
5. a file in which every employee moved to another unit (preview + commit): every row
   changed, UPDATE ... FROM and one history row each;
6. export of the register to CSV.

Each phase is timed on its own (wall clock, ``time.perf_counter``); rows per second are the
file's data rows divided by that time. The peak resident memory of this process (the
kernel's high-water mark, VmHWM) is read after each phase. Records the figures in
docs/performance.md.
"""

import argparse
import csv
import os
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
sys.path[:0] = [str(BASE_DIR), str(BENCH_DIR)]

import run as bench_run  # noqa: E402  (bench/run.py: database, machine and report helpers)
from common import fresh_django  # noqa: E402

UNITS = 40
FIRST_NAMES = ["Ahmad", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gunawan", "Hendra", "Indah", "Joko", "Kartini",
               "Lestari", "Made", "Nur", "Putri", "Rahmat", "Siti", "Taufik", "Wahyu", "Yanti"]
LAST_NAMES = ["Santoso", "Wijaya", "Saputra", "Hidayat", "Nugroho", "Lestari", "Kurniawan", "Pratama", "Siregar",
              "Harahap", "Simanjuntak", "Rahayu", "Setiawan", "Susanto", "Gunadi"]
FRONT = ["", "", "", "Drs. ", "H. ", "Hj. ", "Dr. ", "Ir. "]
BACK = ["", "", ", S.E.", ", S.Pd.", ", S.Kom.", ", M.Si.", ", S.H., M.H.", ", S.Kep., Ns."]
RANKS = ["Penata Muda (III/a)", "Penata Muda Tingkat I (III/b)", "Penata (III/c)", "Penata Tingkat I (III/d)",
         "Pembina (IV/a)"]
GRADES = ["Golongan V", "Golongan VII", "Golongan IX", "Golongan X"]
POSITIONS = ["Guru Ahli Pertama", "Analis Kebijakan Ahli Muda", "Perawat Terampil", "Pranata Komputer Ahli Pertama",
             "Pengadministrasi Perkantoran", "Bidan Ahli Pertama", "Penyuluh Pertanian"]
PLACES = ["Manggar", "Tanjung Pandan", "Pangkalpinang", "Sungailiat", "Palembang", "Jakarta", "Bandung"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=None,
                        help="data rows in the file (default 1000000 on PostgreSQL, 200000 on SQLite)")
    parser.add_argument("--no-record", action="store_true", help="print only; do not write docs/performance.md")
    return parser.parse_args(argv)


def generate(path: Path, rows: int, *, moved: bool = False) -> None:
    """A register file with unique, valid numbers: PNS born 1966-1992, PPPK born 1993 on (no overlap)."""
    from registry.importing import EXPORT_HEADERS, FIELDS
    from registry.nip import compose_pns_nip, compose_pppk_ni

    rng = random.Random(2024)
    units = [f"Unit Kerja {number:02d}" for number in range(1, UNITS + 1)]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([EXPORT_HEADERS[name] for name in FIELDS])
        for index in range(rows):
            pppk = index % 5 == 4  # one in five
            gender = "M" if index % 2 else "F"
            # 1,998 numbers per birth date: two genders x 999 sequence numbers.
            day, rest = divmod(index, 1998)
            sequence = rest // 2 + 1
            if pppk:
                born = date(1993, 1, 1) + timedelta(days=day % 3000)
                nip = compose_pppk_ni(birth_date=born, appointed_year=2021 + day // 3000 % 3, agreements=1,
                                      gender=gender, sequence=sequence)
                rank, kind = GRADES[index % len(GRADES)], "PPPK"
            else:
                born = date(1966, 1, 1) + timedelta(days=day % 9000)
                appointed = born.year + 23 + day // 9000 % 5
                nip = compose_pns_nip(birth_date=born, appointed_year=appointed, appointed_month=1 + index % 12,
                                      gender=gender, sequence=sequence)
                rank, kind = RANKS[index % len(RANKS)], "PNS"
            name = (f"{rng.choice(FRONT)}{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                    f"{rng.choice(BACK)}")
            position = rng.choice(POSITIONS)
            unit = units[(index + 1) % UNITS] if moved else units[index % UNITS]  # everyone moved to another unit
            writer.writerow([nip, name, rng.choice(PLACES), born.strftime("%d-%m-%Y"), "L" if gender == "M" else "P",
                             kind, rank, position, unit, "Aktif"])


def peak_rss_mib() -> float:
    """The process's resident-memory high-water mark."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def database_backend_pid(connection) -> int | None:
    """The PostgreSQL server process of this connection, if it runs on this machine (its CPU time is read)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return pid if process_cpu_seconds(pid) is not None else None


def process_cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a process of this machine (/proc), None if it cannot be read."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv=None) -> int:
    args = parse_args(argv)
    with fresh_django("netral-bench-register-") as fresh:
        rows = args.rows or (1_000_000 if fresh.database else 200_000)
        from django.core.files.uploadedfile import UploadedFile
        from django.core.management import call_command
        from django.db import connection

        from accounts.models import User
        from organizations.models import Agency, Unit
        from regions.models import Region
        from registry.models import Employee, EmployeeChange, ImportJob
        from registry.services.commit import import_commit_run
        from registry.services.export import register_export
        from registry.services.import_jobs import import_job_create
        from registry.services.preview import import_preview_run

        print("Setting up a fresh database ...")
        call_command("migrate", verbosity=0)
        country = Region.objects.create(code="ID", name="Indonesia", level=Region.Level.COUNTRY)
        agency = Agency.objects.create(name="Kementerian Contoh", kind=Agency.Kind.CENTRAL, region=country)
        Unit.objects.bulk_create([Unit(agency=agency, name=f"Unit Kerja {n:02d}") for n in range(1, UNITS + 1)])
        user = User.objects.create_user(username="bkpsdm.bench", password="kata-sandi-bench-123",
                                        role=User.Role.PEMDA_STAFF, agency=agency)
        path = fresh.data_dir / "register.csv"
        started = time.perf_counter()
        generate(path, rows)
        size_mib = path.stat().st_size / 2**20
        print(f"Generated {rows:,} rows ({size_mib:.0f} MiB) in {time.perf_counter() - started:.0f} s")
        baseline = peak_rss_mib()
        label = fresh.label()
        results = []

        backend = database_backend_pid(connection)

        def phase(title, function):
            started, cpu, db_cpu = time.perf_counter(), time.process_time(), process_cpu_seconds(backend)
            value = function()
            seconds = time.perf_counter() - started
            cpu = (time.process_time() - cpu) / rows * 1e6
            db_cpu = (process_cpu_seconds(backend) - db_cpu) / rows * 1e6 if backend else None
            results.append((title, seconds, peak_rss_mib(), cpu, db_cpu))
            print(f"  {title}: {seconds:.1f} s, {rows / seconds:,.0f} rows/s, peak RSS {results[-1][2]:.0f} MiB, "
                  f"CPU per row {cpu:.1f} µs here" + (f", {db_cpu:.1f} µs in PostgreSQL" if backend else ""))
            return value

        def import_once(name, path=path):
            with path.open("rb") as handle:
                upload = UploadedFile(handle, name=path.name, size=path.stat().st_size)
                job = phase(f"{name}: upload (SHA-256, header)",
                            lambda: import_job_create(actor=user, agency=agency, upload=upload))
            ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.PREVIEW_QUEUED)
            phase(f"{name}: preview (stream, classify, stage)", lambda: import_preview_run(job_id=job.pk))
            job.refresh_from_db()
            if job.state != ImportJob.State.PREVIEWED:
                raise SystemExit(f"preview failed: {job.error}")
            ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.COMMIT_QUEUED, committed_by=user,
                                                       full_export=True)
            phase(f"{name}: commit (one transaction)", lambda: import_commit_run(job_id=job.pk))
            job.refresh_from_db()
            if job.state != ImportJob.State.COMMITTED:
                raise SystemExit(f"commit failed: {job.error}")
            return job

        print(f"Importing into {label} ...")
        first = import_once("first import")
        assert first.rows_new == rows and first.rows_invalid == 0, (first.rows_new, first.rows_invalid)
        assert Employee.objects.filter(agency=agency).count() == rows
        assert EmployeeChange.objects.count() == rows
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        second = import_once("same file again")
        assert second.rows_unchanged == rows and EmployeeChange.objects.count() == rows
        moved = fresh.data_dir / "register-moved.csv"
        generate(moved, rows, moved=True)
        third = import_once("every row changed (unit)", moved)
        assert third.rows_changed == rows and EmployeeChange.objects.count() == 2 * rows

        def export():
            out, count, _digest = register_export(actor=user, agency=agency, file_format="csv")
            out.close()
            assert count == rows
        phase("export to CSV", export)

        table = [["Phase", "Time", "Rows/s", "Peak RSS", "CPU/row: Python", "CPU/row: database"]]
        for title, seconds, rss, cpu, db_cpu in results:
            table.append([title, f"{seconds:.1f} s", f"{rows / seconds:,.0f}", f"{rss:.0f} MiB", f"{cpu:.1f} µs",
                          "" if db_cpu is None else f"{db_cpu:.1f} µs"])
        preview_rate = rows / next(s for t, s, *_r in results if t == "first import: preview (stream, classify, stage)")
        commit_rate = rows / next(s for t, s, *_r in results if t == "first import: commit (one transaction)")
        preview_commit = sum(s for t, s, *_r in results if t.startswith("first import:"))
        section = "\n".join([
            f"### {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC · register import · {label} · "
            f"{bench_run.commit_label()}",
            "",
            f"- Figure: preview of {rows:,} new employees at **{preview_rate:,.0f} rows/s**, their commit at "
            f"**{commit_rate:,.0f} rows/s**; upload + preview + commit of the file in {preview_commit:.0f} s "
            f"({rows / preview_commit:,.0f} rows/s end to end); peak memory "
            f"{max(result[2] for result in results):.0f} MiB for a {size_mib:.0f} MiB file ({baseline:.0f} MiB "
            "before the first import)",
            f"- Database: {label}; one agency with {UNITS} units, empty register before the first import",
            f"- Machine: {bench_run.machine_label(None)}",
            f"- File: {rows:,} rows generated by bench/register_import.py (CSV, `;`, UTF-8 with BOM, valid PNS NIPs "
            "and NI PPPK, names with titles); services called in-process as the worker calls them. Commit = one "
            "transaction inserting the employees and one history row each, the exchange log and the audit entry. "
            "Preview = reading, cleaning, looking up and staging every row (COPY on PostgreSQL). CPU/row = CPU "
            "time per file row of this process (all its threads) and of the PostgreSQL server process of its "
            "connection (read from /proc): unlike the wall time, little changed by other work on a shared "
            "machine. Produced by `make bench-register`.",
            "",
            "| " + " | ".join(table[0]) + " |",
            "|---|---:|---:|---:|---:|---:|",
            *["| " + " | ".join(row) + " |" for row in table[1:]],
            "",
        ])
        print(section)
        if not args.no_record:
            bench_run.record(BASE_DIR / "docs" / "performance.md", section)
            print("Recorded in docs/performance.md")
        return 0


if __name__ == "__main__":
    sys.exit(main())
