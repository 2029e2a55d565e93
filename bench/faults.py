#!/usr/bin/env python3
"""Fault runs against the production stack on PostgreSQL, each verified (``make bench-faults``).

Every run is bounded in time and sends traffic to 127.0.0.1 only. The stack is ops/stack.py
(gunicorn, one task worker with a stable id, the demo data) on a PRIVATE PostgreSQL instance
that this script creates with initdb in its data folder (port 8219 by default) and removes at
the end, so that restarting PostgreSQL never disturbs anyone else's database on the machine's
shared server. The media and sealed folders sit on a small tmpfs mounted for the run (root only;
without it the disk-full run is skipped and says so).

Faults (``--faults a,b,c,d``, default all):

a. ``kill-web``: reporters submit continuously (GET the form, POST it with a ~30 KB JPEG) while
   a gunicorn worker is killed with SIGKILL three times.
b. ``restart-db``: reporters submit while PostgreSQL restarts (``pg_ctl restart -m fast``, as
   ``pg_ctlcluster ... restart`` does); the run waits until it answers again.
c. ``disk-full``: the upload file system is filled to the last byte; forms sent then must fail
   with a clear Indonesian message and leave nothing behind; space is freed and the same forms
   are sent again.
d. ``kill-task``: a register import of ``--import-rows`` rows (300,000) is committed by the
   task worker, which is killed with SIGKILL in the middle of the commit and started again.

A reporter who is cut off (connection reset, timeout, an error page) does what a person does:
reads the page, waits a moment, sends the same form again (same submission token, same file)
until a receipt comes. After each fault, bench/load_verify.py checks every acknowledged report
(exists once, its evidence file's SHA-256 and the sealed original), that no report exists that
nobody acknowledged, that no partial record and (except after a kill, see docs/operations.md)
no orphan file exists; the script checks that every error page a reporter saw carried an
Indonesian message, and for (d) that the import was applied exactly once.

Results: printed, and written to ``<out>/faults.json`` and ``<out>/faults.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

import run as bench_run  # noqa: E402  (bench/run.py: HTTP client, form plan, photos)

from ops.stack import Stack, StackError  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
# The code is shown in groups, a <span> each (a group never breaks on a phone): read them all.
CODE_RE = re.compile(rb'id="tracking-code"[^>]*>((?:<span class="code-group">[^<]+</span>-?)+)</strong>')
NUMBER_RE = re.compile(rb'id="report-number"[^>]*>([^<]+)<')
# Indonesian texts a cut-off reporter may read (the error page, the form's messages).
CLEAR_MESSAGES = [  # (the English msgid too until the catalog has its translation)
    "Terjadi kesalahan di sistem kami",  # 500.html
    "Penyimpanan berkas server sedang penuh",  # disk full (reports.views / reports.services)
    "file storage is full at the moment",  # the same, before the catalog has its translation
]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- A private PostgreSQL --------------------------------------------------------------------

class PrivatePostgres:
    """initdb + pg_ctl in a folder of ours: restarting it disturbs no one else."""

    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port
        self.data = root / "data"
        self.socket_dir = root / "socket"
        self.logfile = root / "postgres.log"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *command, check=True, timeout=120):
        return subprocess.run([*self.as_postgres, *map(str, command)], capture_output=True, text=True,
                              check=check, timeout=timeout)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self.socket_dir.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self._run(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale", "C.UTF-8", "--no-instructions")
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.logfile, "-w", "-o",
                  f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c max_connections=100",
                  "start")

    def restart(self, mode: str = "fast") -> float:
        """Restart and wait until it accepts connections; the seconds it was away."""
        started = time.monotonic()
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.logfile, "-w", "-m", mode, "restart")
        self.wait_ready()
        return time.monotonic() - started

    def wait_ready(self, limit: float = 60) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self._run(PG_BIN / "pg_isready", "-h", "127.0.0.1", "-p", self.port, check=False).returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError("PostgreSQL did not come back")

    def create_database(self, name: str) -> None:
        self._run(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", name)

    def query(self, database: str, sql: str) -> str:
        return self._run(PG_BIN / "psql", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "-d", database,
                         "-At", "-c", sql).stdout.strip()

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)


# --- A small file system for the uploads ---------------------------------------------------

class SmallFs:
    def __init__(self, path: Path, size_mb: int):
        self.path, self.size_mb, self.mounted = path, size_mb, False

    def mount(self) -> bool:
        self.path.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0:
            return False
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.size_mb}m,mode=0755", "tmpfs",
                               str(self.path)], capture_output=True, text=True)
        self.mounted = done.returncode == 0
        return self.mounted

    def fill(self) -> int:
        """Write a filler file until the file system is full; its size."""
        filler = self.path / "filler.bin"
        written = 0
        block = b"\0" * 65536
        with open(filler, "wb", buffering=0) as handle:
            for size in (65536, 4096, 512, 1):
                chunk = block[:size]
                try:
                    while True:
                        handle.write(chunk)
                        written += size
                except OSError:
                    continue
        return written

    def free(self) -> None:
        (self.path / "filler.bin").unlink(missing_ok=True)

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], capture_output=True)
            self.mounted = False


# --- Reporters ---------------------------------------------------------------------------------

@dataclass
class Outcome:
    acks: list = field(default_factory=list)       # acknowledged submissions
    cutoffs: list = field(default_factory=list)    # what a reporter saw when cut off
    resent_ok: int = 0                             # cut off, sent again, got the receipt
    repeated_receipts: int = 0                     # ... of which the report had been filed already
    gave_up: list = field(default_factory=list)    # never acknowledged before the deadline
    lock: threading.Lock = field(default_factory=threading.Lock)


def _message_in(body: bytes) -> str | None:
    text = body.decode("utf-8", errors="replace")
    return next((m for m in CLEAR_MESSAGES if m in text), None)


class Reporter:
    """One person at a time: open the form, send it; if cut off, read, wait, send the same again."""

    def __init__(self, target: bench_run.Target, plan, photos: bench_run.Photos, outcome: Outcome,
                 acks_file: Path, retry_for: float = 120.0):
        self.target, self.plan, self.photos, self.outcome = target, plan, photos, outcome
        self.acks_file, self.retry_for = acks_file, retry_for

    def _get_form(self, deadline: float):
        while time.monotonic() < deadline:
            try:
                page = self.target.request("GET", "/lapor/")
            except (OSError, http.client.HTTPException) as error:
                self._cutoff("GET", type(error).__name__, b"")
                time.sleep(0.5)
                continue
            if page.status == 200:
                jar = bench_run.cookies_from(page, {})
                csrf = bench_run.hidden_value(page.body, b"csrfmiddlewaretoken")
                token = bench_run.hidden_value(page.body, b"submission_token")
                if csrf and token:
                    return jar, csrf, token
            self._cutoff("GET", f"HTTP {page.status}", page.body)
            time.sleep(0.5)
        return None

    def _cutoff(self, step: str, kind: str, body: bytes) -> None:
        with self.outcome.lock:
            self.outcome.cutoffs.append({"step": step, "kind": kind, "message": _message_in(body),
                                         "html": bool(body)})

    def submit(self) -> None:
        deadline = time.monotonic() + self.retry_for
        form = self._get_form(deadline)
        if form is None:
            return
        jar, csrf, token = form
        photo = self.photos.unique()
        body, content_type = bench_run.multipart(
            [("csrfmiddlewaretoken", csrf), ("submission_token", token), *self.plan.fields],
            [("evidence", "foto bukti.jpg", "image/jpeg", photo)])
        headers = {"Content-Type": content_type, "Cookie": bench_run.cookie_header(jar),
                   "Origin": self.target.base_url, "Referer": self.target.base_url + "/lapor/"}
        attempts = 0
        while time.monotonic() < deadline:
            attempts += 1
            try:
                answer = self.target.request("POST", "/lapor/", headers=headers, body=body)
            except (OSError, http.client.HTTPException) as error:
                self._cutoff("POST", type(error).__name__, b"")
                time.sleep(0.5 + random.random())
                continue
            code, number = CODE_RE.search(answer.body), NUMBER_RE.search(answer.body)
            if answer.status == 200 and number:
                # receipt.html shows a notice before the receipt when the form had been filed already
                repeated = b'<div class="notice">' in answer.body.split(b'class="receipt"')[0]
                ack = {"number": number.group(1).decode().strip(), "token": token,
                       "code": re.sub(r"<[^>]+>", "", code.group(1).decode()).strip() if code else "",
                       "sha256": hashlib.sha256(photo).hexdigest(), "attempts": attempts}
                with self.outcome.lock:
                    if code:
                        self.outcome.acks.append(ack)
                        with self.acks_file.open("a") as handle:
                            handle.write(json.dumps(ack) + "\n")
                    if attempts > 1:
                        self.outcome.resent_ok += 1
                        self.outcome.repeated_receipts += bool(repeated and code)
                return
            self._cutoff("POST", f"HTTP {answer.status}", answer.body)
            time.sleep(0.5 + random.random())
        with self.outcome.lock:
            self.outcome.gave_up.append(token)


def run_reporters(target, plan, photos, outcome, acks_file, *, users: int, seconds: float,
                  during=None, retry_for: float = 120.0) -> None:
    """``users`` reporters submit for ``seconds`` (each finishes the form in hand); ``during``
    (a function) runs in the main thread meanwhile."""
    stop_at = time.monotonic() + seconds

    def loop():
        reporter = Reporter(target, plan, photos, outcome, acks_file, retry_for)
        while time.monotonic() < stop_at:
            reporter.submit()

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(users)]
    for thread in threads:
        thread.start()
    if during:
        during()
    for thread in threads:
        thread.join(timeout=seconds + retry_for + 60)


# --- Verification ------------------------------------------------------------------------------

def verify_reports(stack: Stack, acks_file: Path, out: Path, name: str, *, orphans_allowed: bool) -> dict:
    result_file = out / f"{name}.verify.json"
    command = [sys.executable, str(BASE_DIR / "bench" / "load_verify.py"), str(acks_file), "--json", str(result_file)]
    if orphans_allowed:
        command.append("--orphans-allowed")
    done = subprocess.run(command, cwd=BASE_DIR, env=stack.env, capture_output=True, text=True, timeout=600)
    log("  " + done.stdout.strip().replace("\n", "\n  "))
    if not result_file.exists():
        raise RuntimeError(f"verification crashed:\n{done.stderr[-3000:]}")
    return json.loads(result_file.read_text())


def sweep_orphans(stack: Stack, acks_file: Path, out: Path, name: str) -> dict:
    """Files a killed request left (written, never committed): the daily purge_staged_files
    removes them once a day old; here at once (--hours 0: no request is in flight now)."""
    stack.manage("purge_staged_files", "--hours", "0")
    return verify_reports(stack, acks_file, out, f"{name}-after-purge", orphans_allowed=False)


def summarize(name: str, outcome: Outcome, verified: dict, extra: dict | None = None) -> dict:
    unclear = [c for c in outcome.cutoffs if c["html"] and not c["message"]]
    kinds: dict = {}
    for cutoff in outcome.cutoffs:
        key = f"{cutoff['step']} {cutoff['kind']}" + (f" ({cutoff['message']})" if cutoff["message"] else "")
        kinds[key] = kinds.get(key, 0) + 1
    ok = verified.get("ok", False) and not unclear and not outcome.gave_up and all(
        v for k, v in (extra or {}).items() if k.startswith("ok_"))
    return {"fault": name, "ok": ok, "acknowledged": len(outcome.acks), "cutoffs": kinds,
            "unclear_error_pages": len(unclear), "resent_after_cutoff": outcome.resent_ok,
            "resent_found_filed": outcome.repeated_receipts, "gave_up": len(outcome.gave_up),
            "verify": {k: verified.get(k) for k in ("acknowledged", "reports_of_run", "hashes_checked",
                                                    "orphan_files", "problems")}, **(extra or {})}


# --- The faults --------------------------------------------------------------------------------

def fault_kill_web(stack, ctx) -> dict:
    outcome = Outcome()
    killed = []

    def during():
        for delay in (4, 5, 5):
            time.sleep(delay)
            killed.append(stack.kill_web_worker())
            log(f"  SIGKILL gunicorn worker {killed[-1]}")
            stack.wait_web_workers(timeout=60)

    run_reporters(ctx["target"], ctx["plan"], ctx["photos"], outcome, ctx["acks"], users=ctx["users"],
                  seconds=ctx["seconds"], during=during)
    verified = verify_reports(stack, ctx["acks"], ctx["out"], "a-kill-web", orphans_allowed=True)
    swept = sweep_orphans(stack, ctx["acks"], ctx["out"], "a-kill-web")
    return summarize("a. kill -9 a gunicorn worker (x3) during submissions", outcome, verified,
                     {"killed_pids": killed, "ok_no_orphan_after_daily_purge": swept["ok"]})


def fault_restart_db(stack, ctx) -> dict:
    outcome = Outcome()
    away = []

    def during():
        time.sleep(6)
        log("  restarting PostgreSQL (pg_ctl restart -m fast)")
        away.append(ctx["pg"].restart("fast"))
        log(f"  PostgreSQL back after {away[-1]:.1f} s")

    run_reporters(ctx["target"], ctx["plan"], ctx["photos"], outcome, ctx["acks"], users=ctx["users"],
                  seconds=ctx["seconds"], during=during)
    # The task worker: did it live through the restart? If not, start it again as systemd's
    # Restart=always does (docs/deploy.md), and say so.
    worker_survived = bool(stack.worker_pids())
    if not worker_survived:
        log("  the task worker exited during the restart; starting it again (as systemd would)")
        stack.start_task_worker(0)
    verified = verify_reports(stack, ctx["acks"], ctx["out"], "b-restart-db", orphans_allowed=True)
    swept = sweep_orphans(stack, ctx["acks"], ctx["out"], "b-restart-db")
    return summarize("b. PostgreSQL restarted during submissions", outcome, verified,
                     {"postgres_away_s": round(away[0], 1) if away else None,
                      "ok_no_orphan_after_daily_purge": swept["ok"],
                      "task_worker_survived_restart": worker_survived})


def fault_disk_full(stack, ctx) -> dict:
    fs: SmallFs = ctx["fs"]
    if not fs.mounted:
        return {"fault": "c. upload disk full", "ok": None, "skipped": "no tmpfs (needs root to mount)"}
    outcome = Outcome()
    before = sorted(str(p.relative_to(fs.path)) for p in fs.path.rglob("*") if p.is_file())
    filled = fs.fill()
    log(f"  upload file system full ({filled / 2**20:.1f} MiB filler)")
    # Reporters send forms now; each is refused; space is freed after 15 s; they send again.
    timer = threading.Timer(15, fs.free)
    timer.start()
    run_reporters(ctx["target"], ctx["plan"], ctx["photos"], outcome, ctx["acks"], users=2, seconds=5,
                  retry_for=90)
    timer.join()
    after = sorted(str(p.relative_to(fs.path)) for p in fs.path.rglob("*") if p.is_file())
    partial = [p for p in after if p not in before and not any(a.get("sha256", "")[:16] in p for a in outcome.acks)]
    verified = verify_reports(stack, ctx["acks"], ctx["out"], "c-disk-full", orphans_allowed=False)
    refused = [c for c in outcome.cutoffs if c["step"] == "POST"]
    return summarize("c. upload disk full", outcome, verified, {
        "refused_while_full": len(refused),
        "ok_refused_with_clear_message": bool(refused) and all(c["message"] for c in refused),
        "ok_sent_again_after_freeing": outcome.resent_ok > 0 and not outcome.gave_up,
        "files_left_by_refused_forms": partial[:5],
    })


IMPORT_SETUP = """
import sys
sys.path.insert(0, "bench")
from pathlib import Path
from django.core.files.uploadedfile import UploadedFile
from accounts.models import User
from organizations.models import Agency, Unit
from regions.models import Region
from registry.services.import_jobs import import_job_create, import_job_preview
from register_import import UNITS, generate
country = Region.objects.get_or_create(code="ID", defaults={{"name": "Indonesia", "level": Region.Level.COUNTRY}})[0]
agency = Agency.objects.create(name="Kementerian Uji Gangguan", kind=Agency.Kind.CENTRAL, region=country)
Unit.objects.bulk_create([Unit(agency=agency, name=f"Unit Kerja {{n:02d}}") for n in range(1, UNITS + 1)])
user = User.objects.filter(is_superuser=True).first()
path = Path({path!r})
generate(path, {rows})
with path.open("rb") as handle:
    job = import_job_create(actor=user, agency=agency, upload=UploadedFile(handle, name=path.name,
                                                                           size=path.stat().st_size))
import_job_preview(job=job, actor=user, mapping=job.mapping)
print("JOB", job.pk, agency.pk)
"""

IMPORT_COMMIT = """
from accounts.models import User
from registry.models import ImportJob
from registry.services.import_jobs import import_job_commit
job = ImportJob.objects.get(pk={job})
import_job_commit(job=job, actor=User.objects.filter(is_superuser=True).first(), full_export=False)
"""


def fault_kill_task(stack, ctx) -> dict:
    pg, db = ctx["pg"], ctx["database"]
    rows = ctx["import_rows"]
    log(f"  register file of {rows:,} rows, upload and preview (background job) ...")
    made = stack.manage("shell", "-c", IMPORT_SETUP.format(path=str(ctx["out"] / "register.csv"), rows=rows))
    job, agency = next(line.split()[1:] for line in made.stdout.splitlines() if line.startswith("JOB"))

    def state():
        return pg.query(db, f"SELECT state FROM registry_importjob WHERE id = {int(job)}")

    def wait_for(states, limit):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            current = state()
            if current in states:
                return current
            if not stack.worker_pids():
                return f"{current} (the task worker is not running)"
            time.sleep(0.05)
        return state()

    if not stack.worker_pids():
        stack.start_task_worker(0)

    current = wait_for({"previewed", "failed"}, 900)
    if current != "previewed":
        return {"fault": "d. kill -9 the task worker mid-commit", "ok": False, "error": f"preview ended {current}"}
    stack.manage("shell", "-c", IMPORT_COMMIT.format(job=job))
    current = wait_for({"committing", "committed", "failed"}, 120)
    time.sleep(1.0)  # well inside the commit's one transaction
    mid = state()
    pid = stack.kill_task_worker(0)
    log(f"  SIGKILL task worker {pid} while the job was {mid!r}")
    after_kill = state()
    employees_after_kill = int(pg.query(db, f"SELECT count(*) FROM registry_employee WHERE agency_id = {int(agency)}"))
    time.sleep(1)
    stack.start_task_worker(0)
    final = wait_for({"committed", "failed"}, 900)
    count = lambda sql: int(pg.query(db, sql))  # noqa: E731
    employees = count(f"SELECT count(*) FROM registry_employee WHERE agency_id = {int(agency)}")
    history = count("SELECT count(*) FROM registry_employeechange c JOIN registry_employee e ON e.id = c.employee_id "
                    f"WHERE e.agency_id = {int(agency)}")
    logs = count(f"SELECT count(*) FROM registry_exchangelog WHERE job_id = {int(job)}")
    audits = count("SELECT count(*) FROM audit_auditentry WHERE action = 'registry.import_committed' "
                   f"AND target_id = '{int(job)}'")
    chain = stack.manage("verify_audit", check=False)
    return {
        "fault": "d. kill -9 the task worker in the middle of a register import commit",
        "ok": (final == "committed" and employees == rows and history == rows and logs == 1 and audits == 1
               and chain.returncode == 0 and mid == "committing" and employees_after_kill == 0),
        "rows": rows, "state_when_killed": mid, "state_after_kill": after_kill,
        "employees_after_kill": employees_after_kill, "final_state": final, "employees": employees,
        "history_rows": history, "exchange_log_entries": logs, "commit_audit_entries": audits,
        "audit_chain": (chain.stdout + chain.stderr).strip().splitlines()[-1:] if chain.stdout or chain.stderr else [],
    }


FAULTS = {"a": fault_kill_web, "b": fault_restart_db, "c": fault_disk_full, "d": fault_kill_task}


def parse_args(argv=None):
    data_root = Path(os.environ.get("NETRAL_DATA_DIR", "/tmp/netral-load"))
    parser = argparse.ArgumentParser(prog="bench/faults.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--faults", default="a,b,c,d")
    parser.add_argument("--root", type=Path, default=data_root / "faults",
                        help="folder of the private PostgreSQL, the stack's data and the tmpfs (emptied first)")
    parser.add_argument("--out", type=Path, default=None, help="results (default bench/results/faults-<time>)")
    parser.add_argument("--port", type=int, default=8211, help="gunicorn's port (default 8211)")
    parser.add_argument("--pg-port", type=int, default=8219, help="the private PostgreSQL's port (default 8219)")
    parser.add_argument("--users", type=int, default=6, help="concurrent reporters (default 6)")
    parser.add_argument("--seconds", type=float, default=20, help="seconds of submissions per fault (default 20)")
    parser.add_argument("--import-rows", type=int, default=300_000)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    args.faults = [f.strip() for f in args.faults.split(",") if f.strip()]
    if set(args.faults) - set(FAULTS):
        parser.error("--faults: a, b, c, d")
    if not 1 <= args.users <= 32 or not 1 <= args.seconds <= 300:
        parser.error("--users 1..32, --seconds 1..300")
    return args


def markdown(results: list[dict], started: str, machine: str) -> str:
    lines = [f"Fault runs of {started} ({machine}); `make bench-faults`:", ""]
    for r in results:
        status = "skipped" if r.get("ok") is None else ("passed" if r["ok"] else "FAILED")
        details = {k: v for k, v in r.items() if k not in ("fault", "ok")}
        lines.append(f"- **{r['fault']}: {status}**: " + "; ".join(f"{k} {v}" for k, v in details.items()))
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    args = parse_args(argv)
    now = dt.datetime.now(dt.timezone.utc)
    out = (args.out or BASE_DIR / "bench" / "results" / f"faults-{now:%Y%m%dT%H%M%S}").resolve()
    out.mkdir(parents=True, exist_ok=True)
    machine = bench_run.machine_label(bench_run.cpu_busy())
    root = args.root.resolve()
    pg = PrivatePostgres(root / "postgres", args.pg_port)
    fs = SmallFs(root / "uploads", 256)
    database = "netral_load_faults"
    results: list[dict] = []
    stack = None
    try:
        log(f"private PostgreSQL on 127.0.0.1:{args.pg_port} in {pg.root}")
        pg.start()
        pg.create_database(database)
        if fs.mount():
            log(f"uploads (media, sealed) on a 256 MiB tmpfs at {fs.path}")
        else:
            log("could not mount a tmpfs (not root?): uploads on the normal disk, disk-full run skipped")
        (fs.path / "media").mkdir(exist_ok=True)
        (fs.path / "sealed").mkdir(exist_ok=True)
        stack = Stack(database_url=pg.url(database), data_dir=root / "stack", port=args.port,
                      web_workers=args.web_workers, threads=args.threads, task_workers=1,
                      env={"NETRAL_MEDIA_ROOT": str(fs.path / "media"), "NETRAL_SEALED_ROOT": str(fs.path / "sealed"),
                           "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                           "EMAIL_FILE_PATH": str(root / "mail")})
        stack.start()
        stack.manage("seed_demo")
        log(f"stack up at {stack.url} ({args.web_workers} workers x {args.threads} threads, 1 task worker)")
        target = bench_run.Target(stack.url, timeout=30)
        plan = bench_run.plan_submission(target.request("GET", "/lapor/").body, "Belitung Timur")
        ctx = {"target": target, "plan": plan, "photos": bench_run.Photos(30), "acks": out / "acks.jsonl",
               "out": out, "users": args.users, "seconds": args.seconds, "pg": pg, "fs": fs, "database": database,
               "import_rows": args.import_rows}
        ctx["acks"].write_text("")
        for key in args.faults:
            log(f"fault {key}: {FAULTS[key].__name__}")
            try:
                result = FAULTS[key](stack, ctx)
            except (StackError, RuntimeError, subprocess.SubprocessError) as error:
                result = {"fault": key, "ok": False, "error": str(error)[-1500:]}
            results.append(result)
            log(f"  -> {'skipped' if result.get('ok') is None else 'passed' if result['ok'] else 'FAILED'}: "
                + json.dumps({k: v for k, v in result.items() if k not in ('fault', 'ok')}, default=str))
    except KeyboardInterrupt:
        log("interrupted")
    finally:
        if stack:
            stack.stop()
        fs.unmount()
        pg.stop()
    text = markdown(results, now.strftime("%Y-%m-%d %H:%M UTC"), machine)
    (out / "faults.md").write_text(text)
    (out / "faults.json").write_text(json.dumps(results, indent=2, default=str))
    print("\n" + text)
    return 0 if results and all(r.get("ok") is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
