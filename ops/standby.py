"""``make replica-check``: the read replica against a real PostgreSQL standby (streaming replication).

Self-contained: it never touches the system's PostgreSQL cluster. Steps (any failure stops
the run with exit status 1; both clusters are stopped and removed at the end, even then):

1. A throw-away PRIMARY: ``initdb`` in a temporary folder, on a free port of 127.0.0.1
   (``wal_level = replica``, WAL senders; initdb's pg_hba.conf trusts local connections,
   replication included), started with ``pg_ctl``.
2. A STANDBY: ``pg_basebackup -R -X stream`` of the primary into a second folder (``-R``
   writes ``primary_conninfo`` and ``standby.signal``), started on another free port; the
   run waits until the primary reports it ``streaming``.
3. A database ``netral`` on the primary, migrated with the rule catalog loaded (``manage.py
   migrate``, ``createcachetable``, ``load_rules``); it reaches the standby by replication.
4. ``pytest ops/tests/test_standby.py`` with ``DATABASE_URL`` at the primary,
   ``DATABASE_REPLICA_URL`` at the standby and ``NETRAL_STANDBY_PGDATA`` (so that a test can
   stop and start the standby). The tests use that database as it is, not a test database
   (pytest-django's would be created on the primary only and mirrored, never the standby):
   see the module's docstring. The run fails if a test fails, is skipped, or none is collected.

Root runs the PostgreSQL programs as the ``postgres`` user (``runuser``), as initdb refuses
root; another user runs them as itself. Binaries: ``PG_BINDIR`` or the newest
/usr/lib/postgresql/<version>/bin. Usage::

    python ops/standby.py [extra pytest arguments]

The clusters can also be driven from Python (``Cluster``): the tests use it to stop the standby.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TEST_MODULE = "ops/tests/test_standby.py"
DATABASE = "netral"


def pg_bindir() -> Path:
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not versions:
        found = shutil.which("initdb")
        if not found:
            raise SystemExit("replica-check: no PostgreSQL server binaries (initdb); set PG_BINDIR")
        return Path(found).parent
    return versions[-1].parent


def run_as() -> str | None:
    """The user to run PostgreSQL as: ``postgres`` when we are root, else ourselves (None)."""
    return "postgres" if os.geteuid() == 0 else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def connect(port: int, dbname: str = "postgres"):
    """A psycopg connection (autocommit) as ``postgres`` to the cluster on 127.0.0.1:``port``."""
    import psycopg

    return psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname=dbname, autocommit=True,
                           connect_timeout=5)


class Cluster:
    """One PostgreSQL cluster in ``datadir`` listening on 127.0.0.1:``port``."""

    def __init__(self, datadir: str | Path, *, port: int | None = None):
        self.datadir = Path(datadir)
        self.port = port or self._configured_port()
        self.bindir = pg_bindir()
        self.user = run_as()

    def _configured_port(self) -> int:
        for name in ("postgresql.auto.conf", "postgresql.conf"):
            for line in reversed((self.datadir / name).read_text().splitlines()):
                if line.strip().startswith("port ="):
                    return int(line.split("=", 1)[1].split("#")[0].strip())
        raise ValueError(f"no port in {self.datadir}")

    def pg(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / program), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, cwd="/")
        if check and result.returncode:
            raise RuntimeError(f"{program} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
        return result

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def connect(self, dbname: str = "postgres"):
        return connect(self.port, dbname)

    def start(self) -> None:
        self.pg("pg_ctl", "-D", str(self.datadir), "-l", str(self.datadir / "server.log"), "-w", "-t", "60",
                "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg("pg_ctl", "-D", str(self.datadir), "-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        return self.pg("pg_ctl", "-D", str(self.datadir), "status", check=False).returncode == 0

    def configure(self, **settings: str) -> None:
        """Settings for this cluster (postgresql.auto.conf is read last, so they win)."""
        with open(self.datadir / "postgresql.auto.conf", "a") as conf:
            for key, value in settings.items():
                conf.write(f"{key} = {value}\n")


def wait_streaming(primary_port: int, timeout: float = 60) -> None:
    """Until the primary (on 127.0.0.1:``primary_port``) has a WAL sender in state ``streaming``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connect(primary_port) as conn:
            if conn.execute("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'").fetchone()[0]:
                return
        time.sleep(0.2)
    raise RuntimeError("the standby did not start streaming from the primary")


def make_clusters(root: Path, started: list[Cluster]) -> tuple[Cluster, Cluster]:
    """initdb the primary, base-backup it into the standby, start both, wait for streaming.

    Each cluster is added to ``started`` as soon as it runs, for the caller to stop."""
    user = run_as()
    if user:
        pw = pwd.getpwnam(user)
        os.chown(root, pw.pw_uid, pw.pw_gid)
    primary = Cluster(root / "primary", port=free_port())
    primary.pg("initdb", "-D", str(primary.datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8",
               "--locale=C.UTF-8", "--no-sync")
    primary.configure(port=str(primary.port), listen_addresses="'127.0.0.1'", unix_socket_directories=f"'{root}'",
                      wal_level="replica", max_wal_senders="5", hot_standby="on",
                      fsync="off", full_page_writes="off")  # throw-away: no crash safety needed
    primary.start()
    started.append(primary)
    standby = Cluster(root / "standby", port=free_port())
    primary.pg("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
               "-D", str(standby.datadir), "-R", "-X", "stream", "-c", "fast", "--no-sync")
    standby.configure(port=str(standby.port), hot_standby="on", hot_standby_feedback="on")
    standby.start()
    started.append(standby)
    wait_streaming(primary.port)
    return primary, standby


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def check_report(junit: Path) -> str:
    """The tests' outcome from pytest's JUnit XML: fail unless some ran and none was skipped."""
    suites = ET.parse(junit).getroot()
    suite = suites if suites.tag == "testsuite" else suites.find("testsuite")
    tests, skipped = int(suite.get("tests", 0)), int(suite.get("skipped", 0))
    failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    summary = f"{tests} tests, {failed} failed, {skipped} skipped"
    if not tests or skipped or failed:
        raise SystemExit(f"replica-check: FAILED ({summary}): the standby tests must all run and pass")
    return summary


def main(pytest_args: list[str]) -> int:
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="netral-standby-"))
    clusters: list[Cluster] = []
    try:
        primary, standby = make_clusters(root, clusters)
        print(f"replica-check: primary on port {primary.port}, standby on port {standby.port}, streaming "
              f"({time.monotonic() - started:.1f} s)", flush=True)
        with primary.connect() as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        env = {**os.environ, "DATABASE_URL": primary.url, "DATABASE_REPLICA_URL": standby.url,
               "NETRAL_STANDBY_PGDATA": str(standby.datadir), "NETRAL_DATA_DIR": str(root / "data"),
               "DB_CONN_MAX_AGE": "0"}
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "createcachetable")
        manage(env, "load_rules", "--verbosity", "0")
        print(f"replica-check: database migrated on the primary ({time.monotonic() - started:.1f} s)", flush=True)
        junit = root / "junit.xml"
        result = subprocess.run([sys.executable, "-m", "pytest", TEST_MODULE, "-n", "0", "-p", "no:cacheprovider",
                                 "-p", "no:randomly", f"--junitxml={junit}", "-rs", *pytest_args],
                                cwd=BASE_DIR, env=env)
        if not junit.exists():
            raise SystemExit(f"replica-check: FAILED: pytest exited with {result.returncode} and no report")
        summary = check_report(junit)
        if result.returncode:
            raise SystemExit(f"replica-check: FAILED: pytest exited with {result.returncode} ({summary})")
        print(f"replica-check: OK, {summary}, {time.monotonic() - started:.1f} s in all", flush=True)
        return 0
    finally:
        for cluster in reversed(clusters):  # the standby first
            if cluster.running():
                cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
