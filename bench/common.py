"""What the in-process benchmarks share: a fresh data folder and database, and percentiles.

Used by bench/cases.py, bench/followup.py and bench/register_import.py (bench/run.py measures
a running server instead and has its own set-up).
"""

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import run as bench_run  # bench/run.py: the PostgreSQL database helper


@dataclass
class Fresh:
    data_dir: Path
    database: "bench_run.PostgresDatabase | None"

    def label(self) -> str:
        from django.db import connection

        return (f"PostgreSQL {self.database.version}" if self.database
                else f"SQLite {connection.Database.sqlite_version}")


@contextmanager
def fresh_django(prefix: str, **environ):
    """Django set up on a new temporary data folder and database (SQLite there, or the
    PostgreSQL database of DATABASE_URL, created now and dropped at the end, even on Ctrl-C).

    With BENCH_KEEP_DATABASE=1 the PostgreSQL database is kept (and its name printed), to study a
    slow query with EXPLAIN on the data the bench made; drop it by hand afterwards."""
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(NETRAL_DATA_DIR=str(data_dir), **environ)
    os.environ.pop("NETRAL_DEBUG", None)
    url = os.environ.get("DATABASE_URL", "").strip()
    database = bench_run.PostgresDatabase(url) if url.startswith("postgres") else None
    try:
        if database:
            database.create()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netral.settings")
        import django

        django.setup()
        yield Fresh(data_dir, database)
    finally:
        from django.db import connections

        connections.close_all()
        if database and os.environ.get("BENCH_KEEP_DATABASE") == "1":
            print(f"Kept the database {url} (BENCH_KEEP_DATABASE=1)")
        elif database:
            database.drop()
        shutil.rmtree(data_dir, ignore_errors=True)


def demo_database() -> None:
    """The schema, the cache table, the rules and the demo data, as `make run` sets them up."""
    from django.core.management import call_command

    for command in ("migrate", "createcachetable", "load_rules", "seed_demo"):
        call_command(command, verbosity=0)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def warm_up(call) -> None:
    """One call (templates, caches, the rule catalog), then the heap frozen as a warm web process
    freezes it (netral/heap.py): the collector's pauses are those of the production server."""
    from netral.heap import freeze

    call()
    freeze()


def timed(call, repeat: int):
    """(times, query count, bytes of the answer) of ``call``, after one warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm_up(call)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        size = call()
    return times, len(queries), size


def markdown_table(rows: list[list[str]], *, text_columns: int = 1) -> list[str]:
    """A Markdown table: the first row the header, the first ``text_columns`` left-aligned, numbers right."""
    return ["| " + " | ".join(rows[0]) + " |",
            "|" + "---|" * text_columns + "---:|" * (len(rows[0]) - text_columns),
            *["| " + " | ".join(row) + " |" for row in rows[1:]]]


def finish_pages(section: str, *, record: bool, slow: list[str], grown: list[str], fail_when_slow: bool) -> int:
    """Record the section in docs/performance.md (unless told not to), say what was slow or grew, and
    answer the exit status: 1 when a page grew with the data (or, if ``fail_when_slow``, was slow)."""
    import sys

    if record:
        bench_run.record(Path(__file__).resolve().parent.parent / "docs" / "performance.md", section)
        print("Recorded in docs/performance.md")
    if slow:
        print("Above the 200 ms p95 target: " + "; ".join(slow), file=sys.stderr)
    if grown:
        print("FAILED: pages grew with the data:\n  " + "\n  ".join(grown), file=sys.stderr)
    return 1 if grown or (slow and fail_when_slow) else 0
