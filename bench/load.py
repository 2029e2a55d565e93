#!/usr/bin/env python3
"""The load scenario end to end (``make bench-load``): the production stack, the load clients, verification.

1. A fresh PostgreSQL database (``--database-url``, default ``netral_load``: dropped and created)
   and a fresh data folder; the production stack of ops/stack.py on 127.0.0.1 (gunicorn with
   NETRAL_DEBUG off and the hashed static files, DB_CONN_MAX_AGE=60); ``seed_demo`` and
   ``demo_totp`` (the demo data and the demo staff's authenticator key).
2. Staff sessions made before the run: one through the real login (password, then the TOTP
   code of the demo key, as a person types them), the others (``--staff-users``) made with
   Django's session store for the same account and device, because a TOTP code is accepted
   once (django-otp refuses a code of a time step already used): logging in N browsers would
   take N x 30 s.
3. Locust (bench/locustfile.py, in the separate virtualenv .venv-load) headless, phase by phase:
   - ``sustained``: ``--rate`` submissions/s (default 10) for ``--duration`` s (default 600),
     with status checks by tracking code (``--track-rate``) and staff list views
     (``--staff-rate``) at the same time;
   - ``burst``: ``--burst-rate`` submissions/s (default 20) for ``--burst-duration`` s (60);
   - ``ceiling``: GET /healthz as fast as the stack answers, ``--ceiling-duration`` s (30).
   Each virtual user runs at a constant pace (locust's ``constant_throughput``, 0.5 iterations/s
   by default), so N reporters send N/2 submissions per second while the server keeps up.
   ``--client async`` drives the same phases with bench/loadgen_async.py instead (asyncio +
   aiohttp, arrivals at fixed times: an open model), ``--client both`` runs each phase with
   locust, then with the async client, so that two differently built clients measure the same
   server.
4. After each submission phase, bench/load_verify.py with the stack's environment: every
   acknowledged submission is a report in the database (count equal, none more), each with
   its evidence file whose sealed original decrypts to bytes of the SHA-256 sent, no partial
   record, no orphan file.
5. The server's view: gunicorn runs with ops/gunicorn_timing.py, which logs per request the time
   it waited in the worker's queue for a thread, the time to read it and the time to handle it,
   and the whole wait from the client's send (``X-Request-Start``) to a thread.
6. A summary (table; targets met or not) printed and written to ``<out>/summary.md`` and
   ``summary.json``; with ``--record`` also inserted into docs/performance.md.

Everything stays on 127.0.0.1 (ports 8201-8219 by default) and every phase is bounded in time.
``--profile`` records the gunicorn workers with py-spy (in .venv-load) during the sustained
phase (a flame graph SVG in ``<out>``).
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

import run as bench_run  # noqa: E402  (bench/run.py: photos, machine facts, docs/performance.md)
from django_otp.oath import totp  # noqa: E402  (RFC 6238, as the login checks it)

from ops.stack import Stack, drop_database, recreate_database  # noqa: E402

LOAD_VENV = BASE_DIR / ".venv-load"
LOCUSTFILE = BASE_DIR / "bench" / "locustfile.py"
ASYNC_CLIENT = BASE_DIR / "bench" / "loadgen_async.py"
CLIENTS = ("locust", "async")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/netral_load"
DEMO_TOTP_SECRET = "NETRALDEMOBELITUNGTIMURTOTPKEYAA"  # demo/management/commands/demo_totp.py
DEMO_STAFF = "staf.beltim"
DEMO_PASSWORD = "netral-demo-2026"
RATE_PER_USER = 0.5
P95_TARGET_MS = 500


def parse_args(argv=None):
    data_root = Path(os.environ.get("NETRAL_DATA_DIR", "/tmp/netral-load"))
    parser = argparse.ArgumentParser(prog="bench/load.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Short run while developing: bench/load.py --duration 30 "
                                            "--burst-duration 20 --ceiling-duration 10")
    parser.add_argument("--database-url", default=os.environ.get("NETRAL_LOAD_DATABASE_URL", DEFAULT_DATABASE),
                        help="a throw-away PostgreSQL database, dropped and created (default: %(default)s)")
    parser.add_argument("--data-dir", type=Path, default=data_root / "stack",
                        help="the stack's NETRAL_DATA_DIR, emptied first (default: $NETRAL_DATA_DIR/stack)")
    parser.add_argument("--out", type=Path, default=None,
                        help="results folder (default: bench/results/load-<UTC time>)")
    parser.add_argument("--port", type=int, default=8201)
    parser.add_argument("--web-workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--phases", default="sustained,burst,ceiling")
    parser.add_argument("--client", choices=(*CLIENTS, "both"), default="locust",
                        help="load generator: locust (closed model, gevent), async (bench/loadgen_async.py: "
                             "asyncio + aiohttp, open model) or both, one after the other in each phase")
    parser.add_argument("--gunicorn-arg", action="append", default=[], metavar="ARG",
                        help="an extra gunicorn command-line argument (repeatable), e.g. --gunicorn-arg=--keep-alive=5")
    parser.add_argument("--rate", type=float, default=10.0, help="submissions/s of the sustained phase")
    parser.add_argument("--duration", type=float, default=600.0, help="seconds of the sustained phase")
    parser.add_argument("--burst-rate", type=float, default=20.0)
    parser.add_argument("--burst-duration", type=float, default=60.0)
    parser.add_argument("--ceiling-duration", type=float, default=30.0)
    parser.add_argument("--ceiling-users", type=int, default=32)
    parser.add_argument("--track-rate", type=float, default=2.0, help="status checks by code per second")
    parser.add_argument("--staff-rate", type=float, default=1.0,
                        help="staff visits per second (each: the report inbox and the case list)")
    parser.add_argument("--staff-users", type=int, default=4, help="staff sessions (default: 4)")
    parser.add_argument("--profile", action="store_true", help="py-spy the gunicorn workers in the sustained phase")
    parser.add_argument("--record", action="store_true", help="insert the summary into docs/performance.md")
    parser.add_argument("--note", default="", help="a line added to the recorded summary")
    parser.add_argument("--keep", action="store_true", help="keep the database and the data folder")
    args = parser.parse_args(argv)
    args.phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    args.clients = list(CLIENTS) if args.client == "both" else [args.client]
    if set(args.phases) - {"sustained", "burst", "ceiling"}:
        parser.error("--phases: sustained, burst, ceiling")
    for name in ("duration", "burst_duration", "ceiling_duration"):
        if not 0 < getattr(args, name) <= 1800:
            parser.error(f"--{name.replace('_', '-')} must be above 0 and at most 1800 s")
    if "bench" not in args.database_url and "load" not in args.database_url:
        parser.error("--database-url is dropped and recreated: its name must contain 'load' or 'bench'")
    return args


# --- Staff sessions --------------------------------------------------------------------------

def http_login(base_url: str, username: str, password: str, secret: str) -> str:
    """Log in through /akun/masuk/ as a browser does (password, then the code); the session id."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def form(path, fields=None):
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(base_url + path, data=data, headers={
            "User-Agent": "netral-load/1", "Referer": base_url + path, "Origin": base_url})
        with opener.open(request, timeout=30) as response:
            return response.geturl(), response.read()

    _url, page = form("/akun/masuk/")
    csrf = bench_run.hidden_value(page, b"csrfmiddlewaretoken")
    step = bench_run.FormPage(page.decode()).hidden()
    step_field = next((name for name in step if name.endswith("-current_step")), "login_view-current_step")
    _url, page = form("/akun/masuk/", {"csrfmiddlewaretoken": csrf, step_field: "auth",
                                       "auth-username": username, "auth-password": password})
    if b"otp_token" not in page:
        raise RuntimeError("the login did not ask for the code: " + bench_run.form_errors(page))
    csrf = bench_run.hidden_value(page, b"csrfmiddlewaretoken") or csrf
    url, page = form("/akun/masuk/", {"csrfmiddlewaretoken": csrf, step_field: "token",
                                      "token-otp_token": f"{totp(base64.b32decode(secret)):06d}"})
    if "/akun/masuk/" in url:
        raise RuntimeError("the TOTP code was refused: " + bench_run.form_errors(page))
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if not session:
        raise RuntimeError("no session cookie after the login")
    return session


MAKE_SESSIONS = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from two_factor.utils import default_device
user = get_user_model().objects.get(username={username!r})
device = default_device(user)
for _ in range({count}):
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    print(session.session_key)
"""


def staff_sessions(stack: Stack, count: int) -> list[str]:
    """``count`` verified sessions of the demo staff account: the first through the real login."""
    sessions = [http_login(stack.url, DEMO_STAFF, DEMO_PASSWORD, DEMO_TOTP_SECRET)]
    if count > 1:
        made = stack.manage("shell", "-c", MAKE_SESSIONS.format(username=DEMO_STAFF, count=count - 1))
        # (the shell also prints what it imported: keep the session keys only)
        sessions += [line for line in made.stdout.split() if re.fullmatch(r"[a-z0-9]{32}", line)]
    return sessions


# --- CPU --------------------------------------------------------------------------------------

class Cpu:
    """Cores used by gunicorn (its process group), the task workers, PostgreSQL, locust and the rest."""

    def __init__(self, groups: dict[str, int]):
        self.groups = groups  # label -> process group id
        self.hz = os.sysconf("SC_CLK_TCK")

    def snapshot(self):
        ticks = dict.fromkeys([*self.groups, "PostgreSQL"], 0)
        by_pgid = {pgid: label for label, pgid in self.groups.items()}
        for name, pgrp, used in bench_run.process_ticks():
            label = by_pgid.get(pgrp) or ("PostgreSQL" if name == "postgres" else None)
            if label:
                ticks[label] += used
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
        return time.monotonic(), sum(fields), fields[3] + fields[4], ticks

    def summary(self, start, end) -> str:
        wall = end[0] - start[0]
        cores = (end[1] - start[1]) / self.hz / wall
        busy = ((end[1] - start[1]) - (end[2] - start[2])) / self.hz / wall
        parts = {label: (end[3][label] - start[3][label]) / self.hz / wall for label in end[3]}
        other = max(0.0, busy - sum(parts.values()))
        return (f"{busy:.1f} of {cores:.0f} cores busy: "
                + ", ".join(f"{label} {value:.1f}" for label, value in parts.items()) + f", other work {other:.1f}")


# --- Locust ----------------------------------------------------------------------------------

def locust_phase(*, name: str, stack: Stack, out: Path, duration: float, classes: dict[str, int],
                 env: dict, groups: dict, profile: bool = False) -> dict:
    """One headless locust run; its stats (from the CSV) and the CPU split."""
    users = sum(classes.values())
    command = [str(LOAD_VENV / "bin" / "locust"), "-f", str(LOCUSTFILE), "--headless", "--host", stack.url,
               "-u", str(users), "-r", str(max(1, users)), "-t", f"{int(duration)}s", "--stop-timeout", "30",
               "--csv", str(out / name), "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
               *classes]
    phase_env = {**env, **{f"NETRAL_LOAD_COUNT_{cls.upper()}": str(count) for cls, count in classes.items()}}
    print(f"Phase {name}: {duration:g} s, users {classes}", flush=True)
    cpu = Cpu({"gunicorn": stack.master_pid, **groups})
    timing_start = count_lines(out / "timing.log")
    load_before = os.getloadavg()
    log = open(out / f"{name}.locust.log", "wb")
    process = subprocess.Popen(command, cwd=BASE_DIR, env=phase_env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    cpu.groups["locust"] = process.pid
    spy = None
    if profile:
        spy = subprocess.Popen([str(LOAD_VENV / "bin" / "py-spy"), "record", "--pid", str(stack.master_pid),
                                "--subprocesses", "--rate", "50", "--duration", str(int(duration)), "--nonblocking",
                                "--format", "raw", "--output", str(out / f"{name}.profile.txt")],
                               stdout=subprocess.DEVNULL, stderr=open(out / f"{name}.py-spy.log", "wb"))
    # CPU measured after the ramp-up and before locust stops (a process that ended takes its
    # CPU time with it).
    ramp = min(5.0, duration / 4)
    time.sleep(ramp)
    start = cpu.snapshot()
    time.sleep(max(1.0, duration - ramp - 2))
    end = cpu.snapshot()
    load_after = os.getloadavg()
    try:
        process.wait(timeout=duration + 120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    log.close()
    if spy:
        try:
            spy.wait(timeout=60)
        except subprocess.TimeoutExpired:
            spy.terminate()
    stats = read_stats(out / f"{name}_stats.csv")
    if not stats:
        raise RuntimeError(f"locust wrote no statistics; see {out / (name + '.locust.log')}:\n"
                           + (out / f"{name}.locust.log").read_text()[-2000:])
    return {"stats": stats, "cpu": cpu.summary(start, end), "users": classes, "duration": duration, "client": "locust",
            "load": (load_before[0], load_after[0]), "server": server_times(out / "timing.log", timing_start)}


def async_phase(*, name: str, stack: Stack, out: Path, duration: float, rates: dict[str, float],
                env: dict, ceiling: int = 0) -> dict:
    """One run of bench/loadgen_async.py (open model); its stats in locust's CSV form and the CPU split."""
    command = [str(LOAD_VENV / "bin" / "python"), str(ASYNC_CLIENT), "--host", stack.url, "--csv", str(out / name),
               "--duration", f"{duration:g}"]
    command += ["--ceiling", str(ceiling)] if ceiling else [
        "--rate", f"{rates['rate']:g}", "--track-rate", f"{rates['track']:g}", "--staff-rate", f"{rates['staff']:g}"]
    print(f"Phase {name}: {duration:g} s, " + (f"{ceiling} connections on /healthz" if ceiling else f"arrivals/s {rates}"),
          flush=True)
    cpu = Cpu({"gunicorn": stack.master_pid})
    timing_start = count_lines(out / "timing.log")
    load_before = os.getloadavg()
    with open(out / f"{name}.log", "wb") as log:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        cpu.groups["client"] = process.pid
        ramp = min(5.0, duration / 4)
        time.sleep(ramp)
        start = cpu.snapshot()
        time.sleep(max(1.0, duration - ramp - 2))
        end = cpu.snapshot()
        load_after = os.getloadavg()
        try:
            process.wait(timeout=duration + 120)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    stats = read_stats(out / f"{name}_stats.csv")
    if not stats:
        raise RuntimeError(f"the async client wrote no statistics; see {out / (name + '.log')}:\n"
                           + (out / f"{name}.log").read_text()[-2000:])
    lag_file = out / f"{name}_lag.json"
    return {"stats": stats, "cpu": cpu.summary(start, end), "rates": rates, "duration": duration, "client": "async",
            "lag": json.loads(lag_file.read_text()) if lag_file.exists() else {},
            "load": (load_before[0], load_after[0]), "server": server_times(out / "timing.log", timing_start)}


def server_times(timing_log: Path, skip: int) -> dict[str, dict]:
    """Per method and path, after line ``skip`` of ops/gunicorn_timing.py's log: count and p50/p95 (ms) of
    ``queue`` (waiting for a thread), ``handle`` (gunicorn's own request time) and ``sent`` (from the
    client's send to a thread), and how many came on a kept-alive connection."""
    found: dict[str, dict[str, list[float]]] = {}
    per_worker: dict[str, list[float]] = {}
    lines = timing_log.read_text().splitlines()[skip:] if timing_log.exists() else []
    for line in lines:
        parts = line.split()
        if len(parts) < 8:
            continue
        per_worker.setdefault(parts[6], []).append(float(parts[2]))
        entry = found.setdefault(f"{parts[0]} {parts[1]}", {"queue": [], "read": [], "handle": [], "sent": [],
                                                            "kept": []})
        entry["queue"].append(float(parts[2]))
        entry["read"].append(float(parts[3]))
        entry["handle"].append(float(parts[4]))
        if parts[5] != "-":
            entry["sent"].append(float(parts[5]))
        entry["kept"].append(1.0 if parts[7] == "kept" else 0.0)
    result = {}
    for key, entry in sorted(found.items(), key=lambda item: -len(item[1]["handle"])):
        result[key] = {"count": len(entry["handle"]), "kept": int(sum(entry["kept"]))}
        for part in ("queue", "read", "handle", "sent"):
            values = entry[part]
            result[key][part] = (bench_run.percentile(values, 50), bench_run.percentile(values, 95))
    # how the requests spread over gunicorn's workers, and each one's queue p95
    result["(per worker)"] = {"workers": [(len(v), bench_run.percentile(v, 95))
                                          for v in sorted(per_worker.values(), key=len, reverse=True)]}
    return result


def read_stats(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open() as handle:
        return [row for row in csv.DictReader(handle)]


def count_lines(path: Path) -> int:
    return sum(1 for line in path.read_text().splitlines() if line.strip()) if path.exists() else 0


def verify(stack: Stack, acks: Path, out: Path, name: str) -> dict:
    result_file = out / f"{name}.verify.json"
    done = subprocess.run([sys.executable, str(BASE_DIR / "bench" / "load_verify.py"), str(acks),
                           "--json", str(result_file)], cwd=BASE_DIR, env=stack.env, capture_output=True,
                          text=True, timeout=900)
    print("  " + done.stdout.strip().replace("\n", "\n  "))
    if not result_file.exists():
        raise RuntimeError(f"verification crashed:\n{done.stderr[-3000:]}")
    return json.loads(result_file.read_text())


# --- Summary ---------------------------------------------------------------------------------

def ms(value) -> str:
    try:
        return f"{float(value):.0f} ms"
    except (TypeError, ValueError):
        return "–"


def phase_rows(name: str, phase: dict) -> list[list[str]]:
    rows = []
    for row in phase["stats"]:
        label = "all requests" if row["Name"] == "Aggregated" else row["Name"]
        rows.append([name, label, row["Request Count"], row["Failure Count"], f"{float(row['Requests/s']):.1f}/s",
                     ms(row["50%"]), ms(row["95%"]), ms(row["99%"]), ms(row["Max Response Time"])])
    return rows


def main(argv=None) -> int:
    args = parse_args(argv)
    if not (LOAD_VENV / "bin" / "locust").exists() or not list(
            (LOAD_VENV / "lib").glob("python*/site-packages/aiohttp/__init__.py")):
        print("bench/load.py: .venv-load lacks locust or aiohttp; run `make bench-load` (it installs "
              "requirements/load.txt).", file=sys.stderr)
        return 2
    now = dt.datetime.now(dt.timezone.utc)
    out = (args.out or BASE_DIR / "bench" / "results" / f"load-{now:%Y%m%dT%H%M%S}").resolve()
    out.mkdir(parents=True, exist_ok=True)
    busy = bench_run.cpu_busy()
    machine = bench_run.machine_label(busy)
    shutil.rmtree(args.data_dir, ignore_errors=True)
    print(f"Database {args.database_url} (recreated); data folder {args.data_dir}; results in {out}")
    recreate_database(args.database_url)
    # The server's view of each request (queued, read, handled; ops/gunicorn_timing.py), next to
    # what the clients measure; no client address in it (docs/threat-model.md).
    stack = Stack(database_url=args.database_url, data_dir=args.data_dir, port=args.port,
                  web_workers=args.web_workers, threads=args.threads, task_workers=0,
                  env={"NETRAL_GUNICORN_TIMING_LOG": str(out / "timing.log")},
                  gunicorn_args=["--config", "python:ops.gunicorn_timing", *args.gunicorn_arg])
    summary: dict = {"date": now.strftime("%Y-%m-%d %H:%M UTC"), "machine": machine, "phases": {}, "verify": {}}
    status = 0
    try:
        stack.start()
        for command in (("seed_demo",), ("demo_totp", "--verbosity", "0")):
            stack.manage(*command)
        pg_version = stack.manage("shell", "-c", "from django.db import connection; connection.ensure_connection();"
                                  "print(connection.pg_version)").stdout.split()[-1:]  # after the shell's banner
        pg_version = pg_version[0] if pg_version else ""
        summary["database"] = (f"PostgreSQL {int(pg_version) // 10000}.{int(pg_version) % 10000}"
                               if pg_version.isdigit() else "PostgreSQL")
        print(f"Stack up at {stack.url}: {args.web_workers} gunicorn workers x {args.threads} threads")
        photos = bench_run.Photos(30)
        (out / "photos").mkdir(exist_ok=True)
        for index, data in enumerate(photos.images):
            (out / "photos" / f"{index}.jpg").write_bytes(data)
        sessions = staff_sessions(stack, args.staff_users)
        (out / "staff-sessions.txt").write_text("\n".join(sessions) + "\n")
        acks = out / "acks.jsonl"
        acks.write_text("")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE_URL", "NETRAL_"))}
        env.update(NETRAL_LOAD_PHOTOS=str(out / "photos"), NETRAL_LOAD_ACKS=str(acks),
                   NETRAL_LOAD_STAFF_COOKIES=str(out / "staff-sessions.txt"),
                   NETRAL_LOAD_RATE_PER_USER=str(RATE_PER_USER), PYTHONUNBUFFERED="1")
        mixed = {"Tracker": max(1, round(args.track_rate / RATE_PER_USER)),
                 "Staff": max(1, round(args.staff_rate / RATE_PER_USER))}
        for base_name in args.phases:
            for client in args.clients:
                # one client: the phase's own name (as before); both: "sustained·locust", "sustained·async"
                name = base_name if len(args.clients) == 1 else f"{base_name}·{client}"
                if base_name == "ceiling":
                    if client == "locust":
                        phase = locust_phase(name=name, stack=stack, out=out, duration=args.ceiling_duration,
                                             classes={"Ceiling": args.ceiling_users}, env=env, groups={},
                                             profile=False)
                    else:
                        phase = async_phase(name=name, stack=stack, out=out, duration=args.ceiling_duration,
                                            rates={}, env=env, ceiling=args.ceiling_users)
                    summary["phases"][name] = phase
                    continue
                rate = args.rate if base_name == "sustained" else args.burst_rate
                duration = args.duration if base_name == "sustained" else args.burst_duration
                before = count_lines(acks)
                if client == "locust":
                    phase = locust_phase(name=name, stack=stack, out=out, duration=duration,
                                         classes={"Reporter": max(1, round(rate / RATE_PER_USER)), **mixed}, env=env,
                                         groups={}, profile=args.profile and base_name == "sustained")
                else:
                    phase = async_phase(name=name, stack=stack, out=out, duration=duration, env=env,
                                        rates={"rate": rate, "track": args.track_rate, "staff": args.staff_rate})
                phase["acknowledged"] = count_lines(acks) - before
                phase["target_rate"] = rate
                phase["submissions_per_s"] = phase["acknowledged"] / duration
                phase["kind"] = base_name
                summary["phases"][name] = phase
                summary["verify"][name] = verify(stack, acks, out, name)
        status = report(summary, args, out)
    except KeyboardInterrupt:
        print("interrupted; stopping the stack", file=sys.stderr)
        status = 130
    finally:
        stack.stop()
        if not args.keep:
            drop_database(args.database_url)
            shutil.rmtree(args.data_dir, ignore_errors=True)
    return status


def report(summary: dict, args, out: Path) -> int:
    header = ["Phase", "Request", "Requests", "Failures", "Rate", "p50", "p95", "p99", "Max"]
    rows = [row for name, phase in summary["phases"].items() for row in phase_rows(name, phase)]
    checks = []
    for name, phase in summary["phases"].items():
        aggregated = next((r for r in phase["stats"] if r["Name"] == "Aggregated"), None)
        failures = int(aggregated["Failure Count"]) if aggregated else -1
        if name.startswith("ceiling"):
            continue
        submit = next((r for r in phase["stats"] if r["Name"].startswith("POST /lapor/")), {})
        verified = summary["verify"].get(name, {})
        rate_ok = phase["submissions_per_s"] >= 0.97 * phase["target_rate"]
        if name.startswith("sustained"):
            p95s = {r["Name"]: float(r["95%"]) for r in phase["stats"] if r["95%"] not in ("", "N/A")}
            worst = max(p95s.items(), key=lambda item: item[1]) if p95s else ("–", 0)
            ok = rate_ok and failures == 0 and all(v < P95_TARGET_MS for v in p95s.values()) and verified.get("ok")
            checks.append((name, ok, f"{phase['submissions_per_s']:.2f} submissions/s for {phase['duration']:g} s "
                                     f"(target {phase['target_rate']:g}), {failures} failed requests, p95 of the "
                                     f"submission {ms(submit.get('95%'))}, worst p95 {ms(worst[1])} ({worst[0]}; "
                                     f"target < {P95_TARGET_MS} ms), verification "
                                     + ("OK" if verified.get("ok") else "FAILED")))
        else:
            ok = bool(verified.get("ok")) and rate_ok
            checks.append((name, ok, f"{phase['submissions_per_s']:.2f} submissions/s for {phase['duration']:g} s "
                                     f"(target {phase['target_rate']:g}: {'reached' if rate_ok else 'NOT reached'}), "
                                     f"{phase['acknowledged']} acknowledged in this phase, {failures} failed "
                                     f"requests; after it {verified.get('acknowledged', '?')} acknowledged "
                                     f"submissions of the run = {verified.get('reports_of_run', '?')} reports in the "
                                     f"database, {verified.get('hashes_checked', '?')} evidence hashes checked: "
                                     + ("no lost report" if verified.get("ok") else
                                        "PROBLEMS: " + "; ".join(verified.get("problems", [])[:3]))))
    lines = [f"### {summary['date']} · load ({' + '.join(args.clients)}) · {summary.get('database', 'PostgreSQL')} · "
             f"{bench_run.git('rev-parse', '--short', 'HEAD') or 'unknown'}", "",
             f"- Commit: {bench_run.commit_label()}",
             f"- Database: {summary.get('database', 'PostgreSQL')}, fresh, with the demo data (seed_demo)",
             f"- Machine: {summary['machine']}",
             f"- Server: ops/stack.py: gunicorn, {args.web_workers} workers x {args.threads} threads (gthread, "
             f"--worker-connections {args.threads} --keep-alive 0"
             + (", then " + " ".join(args.gunicorn_arg) if args.gunicorn_arg else "") + "), "
             "NETRAL_DEBUG off, hashed static files, DB_CONN_MAX_AGE=60; clients on the same machine: "
             + "; ".join({"locust": "locust 2.47 (one process, gevent, a kept-alive connection per virtual user, "
                                    "closed model)",
                          "async": "bench/loadgen_async.py (asyncio + aiohttp 3.14, arrivals at fixed times, "
                                   "a new connection per arrival, open model)"}[c] for c in args.clients),
             f"- Load: per submission phase {round(args.rate / RATE_PER_USER)} (sustained) or "
             f"{round(args.burst_rate / RATE_PER_USER)} (burst) reporters at {RATE_PER_USER:g} submissions/s each "
             f"(GET /lapor/, POST multipart with a ~30 KB JPEG), {args.track_rate:g} status checks by code/s, "
             f"{args.staff_rate:g} staff visits/s (inbox + case list, {args.staff_users} sessions, password + TOTP); "
             f"ceiling: {args.ceiling_users} users on GET /healthz without pause"]
    if args.note:
        lines.append(f"- Note: {args.note}")
    lines.append("")
    for name, ok, text in checks:
        lines.append(f"- **{name}: {'target met' if ok else 'target NOT met'}**: {text}")
    lines += ["", "| " + " | ".join(header) + " |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines += ["", "The same requests as the server saw them (ops/gunicorn_timing.py): *queue* from the moment "
              "gunicorn's worker saw the request (accepted, or its kept-alive connection readable) to a thread taking "
              "it; *handle* from the parsed headers to the end of the response (gunicorn's own request time, "
              "`%(M)s`); *sent→thread* from the client's send (`X-Request-Start`) to a thread, including the "
              "kernel's queue; *kept*: requests on a kept-alive connection:", "",
              "| Phase | Request | Requests | kept | queue p50 | queue p95 | handle p50 | handle p95 | "
              "sent→thread p50 | sent→thread p95 |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {name} | {request} | {t['count']} | {t['kept']} | {ms(t['queue'][0])} | {ms(t['queue'][1])} | "
              f"{ms(t['handle'][0])} | {ms(t['handle'][1])} | {ms(t['sent'][0])} | {ms(t['sent'][1])} |"
              for name, phase in summary["phases"].items()
              for request, t in list(phase.get("server", {}).items())[:8] if "count" in t]
    lines += ["", "Requests per gunicorn worker (its queue p95): " + "; ".join(
        f"{name}: " + ", ".join(f"{count} ({ms(p95)})" for count, p95 in phase["server"]["(per worker)"]["workers"])
        for name, phase in summary["phases"].items() if "(per worker)" in phase.get("server", {})) + "."]
    lags = [f"{name}: " + ", ".join(f"{kind} p95 {ms(v['p95_ms'])} (max {ms(v['max_ms'])})"
                                    for kind, v in phase["lag"].items() if kind != "errors")
            for name, phase in summary["phases"].items() if set(phase.get("lag", {})) - {"errors"}]
    if lags:
        lines += ["", "How late the async client started its arrivals against their schedule: " + "; ".join(lags) + "."]
    lines += ["", "CPU during the phases: " + "; ".join(f"{name}: {phase['cpu']}"
                                                         for name, phase in summary["phases"].items()) + ".",
              "", "Load average (1 min) at the start and the end of each phase: "
              + "; ".join(f"{name}: {phase['load'][0]:.2f} → {phase['load'][1]:.2f}"
                          for name, phase in summary["phases"].items()) + "."]
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    (out / "summary.md").write_text(text)
    (out / "summary.json").write_text(json.dumps({**summary, "checks": checks}, indent=2, default=str))
    if args.record:
        bench_run.record(bench_run.DOC, text)
        print("Recorded in docs/performance.md.")
    return 0 if all(ok for _name, ok, _text in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
