"""Launch Netral's production stack on this machine: gunicorn, task workers, one database.

Used by ``make prod-check`` (ops/prodcheck.py), the load and fault runs in ``bench/``, and
anyone who wants the real stack on loopback. It imports nothing from Django: every process
it starts is a ``manage.py`` command or gunicorn, with its own environment, so the caller
may run it from pytest, a script or a shell.

Python::

    from ops.stack import Stack, recreate_database, drop_database

    url = "postgres://postgres@127.0.0.1:5432/netral_load"
    recreate_database(url)                      # PostgreSQL only: DROP + CREATE DATABASE
    with Stack(database_url=url, data_dir="/tmp/netral-load/stack", port=8121,
               web_workers=2, threads=4, task_workers=1) as stack:
        stack.url                 # "http://127.0.0.1:8121" (no trailing slash)
        stack.manage("notify_deadlines")      # a manage.py command with the stack's env
        stack.web_pids()          # gunicorn worker pids (not the master)
        stack.master_pid          # the gunicorn master (it respawns killed workers)
        stack.worker_pids()       # task worker (db_worker) pids, one per slot
        stack.kill_web_worker()   # SIGKILL one gunicorn worker, returns its pid
        stack.wait_web_workers()  # until gunicorn has replaced it
        stack.kill_task_worker(0) # SIGKILL the task worker of slot 0
        stack.start_task_worker(0)  # start it again (it re-queues its interrupted task)
    drop_database(url)

``Stack(...)`` arguments (keyword only): ``database_url``, ``data_dir`` (NETRAL_DATA_DIR:
keys, static, media, sealed and the logs in ``<data_dir>/logs/``), ``port`` (8000),
``host`` ("127.0.0.1"), ``web_workers`` (2), ``threads`` (2), ``task_workers`` (1),
``env`` (extra environment variables, they win), ``setup`` (True: migrate,
createcachetable, load_rules, collectstatic before starting), ``timeout`` (seconds to
wait for start-up, 60), ``gunicorn_args`` (extra command-line arguments, after the stack's own:
they win), ``accept_when_free`` (True: see below).

``start()``/``stop()`` do what ``with`` does. ``stop()`` is graceful (SIGTERM to gunicorn,
which finishes the requests in flight; SIGTERM to the task workers, which finish the task
in hand) and kills whatever is left after ``stop_timeout`` seconds; it is safe to call twice.

Settings of the stack (production-like): ``NETRAL_DEBUG=0``, ``NETRAL_STATIC_MANIFEST=1``
(hashed, compressed static files served by WhiteNoise), ``DB_CONN_MAX_AGE=60``. Loopback
has no TLS, so ``NETRAL_HTTPS=0``: no HTTPS redirect, HSTS or Secure cookie flag, which
would make every request over ``http://127.0.0.1`` fail; a real server sets
``NETRAL_HTTPS=1`` behind its TLS proxy (docs/deploy.md). Everything else is as a real
server would have it. Gunicorn writes no access log (no reporter address in any log).

Gunicorn runs with ``--worker-connections`` equal to ``--threads`` and ``--keep-alive 0``
(``accept_when_free``, as docs/deploy.md sets it): a worker accepts a connection only while one
of its threads is free, so waiting requests stay in the kernel's one queue and the first free
worker takes the next one. gthread's default (up to 1000 connections per worker, kept alive 2 s)
lets a busy worker accept requests it cannot start and keeps a client on the worker it first
reached: requests queued behind a busy worker while another was idle (issue 20,
docs/performance.md "Where the client's extra time went").

Command line (``python -m ops.stack --help``)::

    python -m ops.stack up --database-url postgres://postgres@127.0.0.1:5432/netral_x \\
        --data-dir /tmp/netral-x --port 8101 [--web-workers 2 --threads 2 --task-workers 1]
        [--recreate-db] [--no-setup] [--detach]
    python -m ops.stack down --data-dir /tmp/netral-x      # stops a detached stack
    python -m ops.stack status --data-dir /tmp/netral-x

Without ``--detach`` ``up`` stays in the foreground until Ctrl-C. With it, ``up`` returns
once the stack answers and writes the pids to ``<data_dir>/stack.json`` for ``down``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SETUP_COMMANDS = (
    ("migrate", "--noinput", "--verbosity", "0"),
    ("createcachetable",),
    ("load_rules",),
    ("collectstatic", "--noinput", "--verbosity", "0"),
)


class StackError(RuntimeError):
    """The stack did not start (the message carries the end of the relevant log)."""


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (dead, not yet reaped) still answers kill(0).
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _children(pid: int) -> list[int]:
    """Live child pids of ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return sorted(found)


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _wait_gone(pids: list[int], timeout: float, procs: list[subprocess.Popen] | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for proc in procs or []:
            proc.poll()  # reap our own children so they do not stay zombies
        if not any(_alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def _pg_admin(database_url: str) -> tuple[object, str]:
    """A psycopg connection to the server's ``postgres`` database, and the target name."""
    import psycopg  # a runtime dependency of Netral

    parts = urllib.parse.urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ValueError(f"not a PostgreSQL URL: {parts.scheme}://...")
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(admin_url, autocommit=True), name


def recreate_database(database_url: str) -> None:
    """Drop (if there) and create the PostgreSQL database named in ``database_url``."""
    drop_database(database_url)
    from psycopg import sql

    conn, name = _pg_admin(database_url)
    with conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(database_url: str) -> None:
    """Drop the PostgreSQL database named in ``database_url``, closing its connections."""
    from psycopg import sql

    conn, name = _pg_admin(database_url)
    with conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


class Stack:
    """gunicorn + N task workers + setup commands against one database. See the module doc."""

    def __init__(
        self,
        *,
        database_url: str,
        data_dir: str | os.PathLike,
        port: int = 8000,
        host: str = "127.0.0.1",
        web_workers: int = 2,
        threads: int = 2,
        task_workers: int = 1,
        env: dict[str, str] | None = None,
        setup: bool = True,
        timeout: float = 60,
        stop_timeout: float = 20,
        gunicorn_args: tuple[str, ...] | list[str] = (),
        python: str | None = None,
        accept_when_free: bool = True,
    ):
        self.database_url = database_url
        self.data_dir = Path(data_dir).resolve()
        self.port = port
        self.host = host
        self.web_workers = web_workers
        self.threads = threads
        self.task_workers = task_workers
        self.run_setup = setup
        self.timeout = timeout
        self.stop_timeout = stop_timeout
        self.gunicorn_args = list(gunicorn_args)
        self.accept_when_free = accept_when_free
        self.python = python or sys.executable
        self.log_dir = self.data_dir / "logs"
        self.url = f"http://{host}:{port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "netral.settings",
            "DATABASE_URL": database_url,
            "NETRAL_DATA_DIR": str(self.data_dir),
            "NETRAL_DEBUG": "0",
            "NETRAL_HTTPS": "0",  # loopback, no TLS: see the module doc
            "NETRAL_STATIC_MANIFEST": "1",
            "DB_CONN_MAX_AGE": "60",
            "ALLOWED_HOSTS": f"{host},localhost,127.0.0.1",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.master: subprocess.Popen | None = None
        self.workers: dict[int, subprocess.Popen] = {}

    # -- life cycle ----------------------------------------------------------------------

    def __enter__(self) -> "Stack":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> "Stack":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(exist_ok=True)
        with socket.socket() as probe:
            if probe.connect_ex((self.host, self.port)) == 0:
                raise StackError(f"{self.host}:{self.port} is already in use")
        try:
            if self.run_setup:
                for command in SETUP_COMMANDS:
                    self.manage(*command)
            self._start_web()
            for slot in range(self.task_workers):
                self.start_task_worker(slot)
            self._wait_http()
            self.wait_web_workers()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        procs = [p for p in [self.master, *self.workers.values()] if p is not None]
        pids = [p.pid for p in procs]
        everyone = pids + self.web_pids()
        # Web first: no new job is enqueued while the workers finish theirs.
        if self.master is not None:
            _signal_group(self.master.pid, signal.SIGTERM)
        for proc in self.workers.values():
            _signal_group(proc.pid, signal.SIGTERM)
        if not _wait_gone(everyone, self.stop_timeout, procs):
            for pid in pids:
                _signal_group(pid, signal.SIGKILL)
            _wait_gone(everyone, 5, procs)
        for proc in procs:
            try:
                proc.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
        self.master = None
        self.workers = {}

    # -- commands ------------------------------------------------------------------------

    def manage(self, *args: str, check: bool = True, timeout: float | None = 600) -> subprocess.CompletedProcess:
        """Run ``manage.py <args>`` with the stack's environment; raise on failure if ``check``."""
        result = subprocess.run(
            [self.python, str(BASE_DIR / "manage.py"), *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise StackError(
                f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result

    # -- web -----------------------------------------------------------------------------

    def _start_web(self) -> None:
        log = self.log_dir / "gunicorn.log"
        command = [
            self.python, "-m", "gunicorn", "netral.wsgi",
            "--bind", f"{self.host}:{self.port}",
            "--workers", str(self.web_workers),
            "--threads", str(self.threads),
            "--timeout", "60",
            "--graceful-timeout", str(max(1, int(self.stop_timeout) - 5)),
            "--error-logfile", "-",
            "--no-control-socket",  # gunicorn 27 shares ~/.gunicorn/gunicorn.ctl between instances
            # one queue for all workers: accept only with a free thread (see the module doc)
            *(["--worker-connections", str(self.threads), "--keep-alive", "0"] if self.accept_when_free else []),
            *self.gunicorn_args,
        ]  # fmt: skip
        with open(log, "ab") as out:
            self.master = subprocess.Popen(
                command, cwd=BASE_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip

    @property
    def master_pid(self) -> int | None:
        return self.master.pid if self.master else None

    def web_pids(self) -> list[int]:
        """The gunicorn worker processes (children of the master)."""
        return _children(self.master.pid) if self.master else []

    def kill_web_worker(self, sig: int = signal.SIGKILL) -> int:
        """Send ``sig`` (SIGKILL) to one gunicorn worker; gunicorn starts a new one. Its pid."""
        pids = self.web_pids()
        if not pids:
            raise StackError("no gunicorn worker to kill")
        os.kill(pids[0], sig)
        return pids[0]

    def wait_web_workers(self, timeout: float | None = None) -> list[int]:
        """Wait until gunicorn runs ``web_workers`` live workers; return their pids."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while time.monotonic() < deadline:
            self._check_master()
            pids = self.web_pids()
            if len(pids) == self.web_workers:
                return pids
            time.sleep(0.1)
        raise StackError(f"gunicorn runs {len(self.web_pids())} of {self.web_workers} workers")

    def _check_master(self) -> None:
        if self.master is None or self.master.poll() is not None:
            raise StackError("gunicorn exited:\n" + _tail(self.log_dir / "gunicorn.log"))

    def _wait_http(self) -> None:
        deadline = time.monotonic() + self.timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            self._check_master()
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5) as response:
                    response.read()
                    return
            except urllib.error.HTTPError:
                return  # it answers; whether the page is right is the caller's test
            except (urllib.error.URLError, OSError) as error:
                last_error = error
                time.sleep(0.2)
        raise StackError(f"{self.url} did not answer in {self.timeout} s ({last_error}):\n"
                         + _tail(self.log_dir / "gunicorn.log"))  # fmt: skip

    # -- task workers --------------------------------------------------------------------

    def worker_id(self, slot: int) -> str:
        """The stable worker id of a slot: interrupted tasks are re-queued by the same id."""
        return f"{socket.gethostname()[:40]}-{self.port}-{slot}"

    def start_task_worker(self, slot: int) -> int:
        """Start (or restart) the task worker of ``slot``; return its pid."""
        old = self.workers.get(slot)
        if old is not None and old.poll() is None:
            raise StackError(f"task worker {slot} is running (pid {old.pid})")
        log = self.log_dir / f"worker-{slot}.log"
        command = [
            self.python, str(BASE_DIR / "manage.py"), "netral_worker",
            "--worker-id", self.worker_id(slot), "--interval", "0.5", "--no-startup-delay",
        ]  # fmt: skip
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                command, cwd=BASE_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        self.workers[slot] = proc
        return proc.pid

    def worker_pids(self) -> list[int]:
        """Pids of the running task workers, by slot order."""
        return [p.pid for _, p in sorted(self.workers.items()) if p.poll() is None]

    def kill_task_worker(self, slot: int = 0, sig: int = signal.SIGKILL) -> int:
        """Send ``sig`` (SIGKILL) to the task worker of ``slot`` and reap it; return its pid."""
        proc = self.workers[slot]
        proc.send_signal(sig)
        if sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
            proc.wait(timeout=self.stop_timeout)
        return proc.pid

    # -- detached use (command line) -------------------------------------------------------

    def state(self) -> dict:
        return {
            "url": self.url,
            "master": self.master_pid,
            "workers": {str(slot): p.pid for slot, p in self.workers.items()},
            "logs": str(self.log_dir),
        }


def stop_detached(data_dir: Path, timeout: float = 20) -> bool:
    """Stop a stack started with ``up --detach`` (pids from ``<data_dir>/stack.json``)."""
    state_file = data_dir / "stack.json"
    if not state_file.exists():
        return False
    state = json.loads(state_file.read_text())
    pids = [pid for pid in [state["master"], *state["workers"].values()] if pid]
    children = _children(state["master"]) if state["master"] else []
    for pid in pids:
        _signal_group(pid, signal.SIGTERM)
    if not _wait_gone(pids + children, timeout):
        for pid in pids:
            _signal_group(pid, signal.SIGKILL)
        _wait_gone(pids + children, 5)
    state_file.unlink()
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.stack", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start the stack")
    up.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required="DATABASE_URL" not in os.environ)
    up.add_argument("--data-dir", type=Path, required=True)
    up.add_argument("--host", default="127.0.0.1")
    up.add_argument("--port", type=int, default=8000)
    up.add_argument("--web-workers", type=int, default=2)
    up.add_argument("--threads", type=int, default=2)
    up.add_argument("--task-workers", type=int, default=1)
    up.add_argument("--recreate-db", action="store_true", help="drop and create the PostgreSQL database first")
    up.add_argument("--no-setup", action="store_true", help="skip migrate/createcachetable/load_rules/collectstatic")
    up.add_argument("--detach", action="store_true", help="return once it answers; stop it with 'down'")
    for name in ("down", "status"):
        other = sub.add_parser(name)
        other.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args(argv)

    if args.command == "down":
        print("stopped" if stop_detached(args.data_dir.resolve()) else "no detached stack there")
        return 0
    if args.command == "status":
        state_file = args.data_dir.resolve() / "stack.json"
        if not state_file.exists():
            print("no detached stack there")
            return 1
        state = json.loads(state_file.read_text())
        state["alive"] = bool(state["master"]) and _alive(state["master"])
        print(json.dumps(state, indent=2))
        return 0 if state["alive"] else 1

    if args.recreate_db:
        recreate_database(args.database_url)
    stack = Stack(
        database_url=args.database_url, data_dir=args.data_dir, host=args.host, port=args.port,
        web_workers=args.web_workers, threads=args.threads, task_workers=args.task_workers,
        setup=not args.no_setup,
    )  # fmt: skip
    stack.start()
    if args.detach:
        (stack.data_dir / "stack.json").write_text(json.dumps(stack.state(), indent=2))
        print(f"{stack.url} up (pids in {stack.data_dir / 'stack.json'}, logs in {stack.log_dir})")
        return 0
    print(f"{stack.url} up, logs in {stack.log_dir}; Ctrl-C stops it", flush=True)
    try:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        while stack.master and stack.master.poll() is None:
            time.sleep(1)
        print("gunicorn exited", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
