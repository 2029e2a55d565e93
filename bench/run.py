#!/usr/bin/env python3
"""Benchmark of the public report form, with a bare view of the same stack as the ceiling.

Run with ``make bench`` (or ``.venv/bin/python bench/run.py --help``). By default it starts a
server of its own: gunicorn ``netral.wsgi`` on a free port of 127.0.0.1, a fresh temporary
``NETRAL_DATA_DIR``, a fresh database (SQLite in that folder, or the PostgreSQL database named
by ``DATABASE_URL``, created and dropped again), the rule data and the demo data. With
``--url`` it measures a server that is already running (on this machine only).

Two scenarios, each with N virtual users (threads) that loop until the duration or the count
is reached, then stop by themselves:

- ``submit``: GET /lapor/ (CSRF cookie and token, submission token), then POST the complete
  form as multipart/form-data with a ~30 KB JPEG (random noise, with EXIF and GPS) as evidence.
  A submission counts only if the answer is 200 and shows the receipt (``id="tracking-code"``).
- ``ceiling``: GET /healthz, a bare view through the whole middleware stack.

It prints a table and inserts a dated section into docs/performance.md (newest first). The
exit status is 1 if a scenario has more than 1 % errors, 2 if the server could not be set up.
Standard library only (plus Pillow, psycopg and gunicorn from requirements/base.txt).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DOC = BASE_DIR / "docs" / "performance.md"
RESULTS_MARKER = "<!-- bench/run.py inserts each new result below this line, newest first. -->"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
RECEIPT_MARKER = b'id="tracking-code"'
SUBMIT_PATH = "/lapor/"
HEALTH_PATH = "/healthz"
# Hard bounds: a load test must stop by itself and stay small.
MAX_USERS = 128
MAX_DURATION = 600.0
MAX_REQUESTS = 100_000
USER_AGENT = "netral-bench/1 (bench/run.py)"

# Variables that would point the benchmark's server at the developer's data or keys, or
# change its behaviour away from a plain production-like stack.
SERVER_ENV_DROPPED = (
    "NETRAL_DEBUG", "NETRAL_MEDIA_ROOT", "NETRAL_SEALED_ROOT", "SECRET_KEY", "NETRAL_ENCRYPTION_KEYS",
    "NETRAL_HTTPS", "NETRAL_SSL_REDIRECT", "NETRAL_STATIC_MANIFEST", "NETRAL_TRUSTED_PROXIES",
    "CSRF_TRUSTED_ORIGINS", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE",
)


class SetupError(Exception):
    """The server or the database could not be prepared: exit status 2."""


class Interrupted(Exception):
    """SIGTERM or SIGHUP: handled like Ctrl-C."""


# --- Command line ----------------------------------------------------------------------------

def parse_args(argv=None) -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Submissions per second and latency of the public report form (/lapor/, with a "
                    "small JPEG), and the same load on the bare view /healthz as the ceiling. "
                    "Traffic goes to 127.0.0.1 only; every run is bounded in count and time.",
        epilog="Examples:\n"
               "  make bench\n"
               "  DATABASE_URL=postgres://postgres@127.0.0.1/netral_bench make bench\n"
               "  .venv/bin/python bench/run.py --users 16 --duration 30\n"
               "  .venv/bin/python bench/run.py --url http://127.0.0.1:8000 --requests 200 --no-record\n\n"
               "DATABASE_URL (PostgreSQL only) names a throw-away database: it is created (or, if it\n"
               "exists and its name contains 'bench', recreated) and dropped at the end. A database\n"
               "whose name does not contain 'bench' is never touched if it already exists.\n"
               "Results go to docs/performance.md; see that file for what each figure means.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    load = parser.add_argument_group("load")
    load.add_argument("--users", type=int, default=8, help="concurrent virtual users (default: 8)")
    load.add_argument("--duration", type=float, default=None,
                      help="seconds of measurement per scenario (default: 20; with --requests: at most 300)")
    load.add_argument("--requests", type=int, default=None,
                      help="stop a scenario after this many submissions / requests (whichever of count "
                           "and duration comes first)")
    load.add_argument("--warmup", type=float, default=2.0,
                      help="seconds of unrecorded load before each scenario (default: 2)")
    load.add_argument("--timeout", type=float, default=30.0, help="seconds before a request counts as a timeout "
                                                                  "(default: 30)")
    load.add_argument("--scenarios", default="submit,ceiling",
                      help="comma-separated, from: submit, ceiling (default: both)")
    load.add_argument("--image-kb", type=int, default=30, help="size of the evidence JPEG in KB (default: 30)")
    load.add_argument("--region-label", default="Belitung Timur",
                      help="the report's region, typed by name as a reporter does (the form finds it on the "
                           "server; default: 'Belitung Timur', the demo regency)")
    load.add_argument("--max-error-rate", type=float, default=0.01,
                      help="exit with status 1 above this share of failed requests (default: 0.01)")

    server = parser.add_argument_group("server")
    server.add_argument("--url", help="measure this running server instead of starting one "
                                      "(127.0.0.1, localhost or [::1] only), e.g. http://127.0.0.1:8000")
    server.add_argument("--workers", type=int, default=2 * cores,
                        help=f"gunicorn workers (default: 2 x cores = {2 * cores})")
    server.add_argument("--threads", type=int, default=2,
                        help="gunicorn threads per worker (default: 2, as in docs/deploy.md)")
    server.add_argument("--conn-max-age", type=int, default=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
                        help="DB_CONN_MAX_AGE of the server (default: $DB_CONN_MAX_AGE, else 60 as in "
                             "docs/deploy.md)")
    server.add_argument("--keep-data", action="store_true",
                        help="keep the temporary data folder (and the server log) for inspection")

    output = parser.add_argument_group("output")
    output.add_argument("--no-record", action="store_true", help="print only; do not write docs/performance.md")
    output.add_argument("--note", default="", help="a line added to the recorded section")
    output.add_argument("--doc", type=Path, default=DOC, help=argparse.SUPPRESS)

    args = parser.parse_args(argv)
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(args.scenarios) - {"submit", "ceiling"}
    if unknown or not args.scenarios:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown)) or '(none)'}")
    if not 1 <= args.users <= MAX_USERS:
        parser.error(f"--users must be between 1 and {MAX_USERS}")
    if args.duration is None:
        args.duration = 300.0 if args.requests else 20.0
    if not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--duration must be above 0 and at most {MAX_DURATION:g} seconds")
    if args.requests is not None and not 1 <= args.requests <= MAX_REQUESTS:
        parser.error(f"--requests must be between 1 and {MAX_REQUESTS}")
    if not 0 <= args.warmup <= 60:
        parser.error("--warmup must be between 0 and 60 seconds")
    if not 1 <= args.timeout <= 120:
        parser.error("--timeout must be between 1 and 120 seconds")
    if not 1 <= args.image_kb <= 2048:
        parser.error("--image-kb must be between 1 and 2048")
    if args.workers < 1 or args.threads < 1:
        parser.error("--workers and --threads must be at least 1")
    if args.url:
        parsed = urllib.parse.urlsplit(args.url)
        if parsed.scheme != "http" or parsed.hostname not in LOCAL_HOSTS:
            parser.error("--url must be http:// on 127.0.0.1, localhost or [::1]: load goes to this machine only")
        args.url = f"{parsed.scheme}://{parsed.netloc}"
    return args


# --- HTTP ------------------------------------------------------------------------------------

@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float


class Target:
    """A server on this machine; one fresh connection per request, as a sync worker answers."""

    def __init__(self, base_url: str, timeout: float):
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.hostname not in LOCAL_HOSTS:
            raise ValueError("the benchmark only sends traffic to this machine")
        self.base_url = base_url
        self.host = parsed.hostname
        self.port = parsed.port or 80
        self.netloc = parsed.netloc
        self.timeout = timeout

    def request(self, method: str, path: str, *, headers: dict | None = None, body: bytes | None = None) -> Response:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers={
                "User-Agent": USER_AGENT, "Accept-Language": "id-ID,id;q=0.9", **(headers or {})})
            response = conn.getresponse()
            data = response.read()
            return Response(response.status, response.headers, data, time.perf_counter() - started)
        finally:
            conn.close()


def cookies_from(response: Response, jar: dict) -> dict:
    for header in response.headers.get_all("Set-Cookie") or []:
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            jar[name] = morsel.value
    return jar


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, str, bytes]]) -> tuple[bytes, str]:
    boundary = "----netral-bench-" + secrets.token_hex(12)
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + value.encode() + b"\r\n")
    for name, filename, content_type, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- The form page ---------------------------------------------------------------------------

class FormPage(HTMLParser):
    """Inputs and selects of /lapor/ (parsed fully once, before the load)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.inputs: list[dict] = []
        self.selects: dict[str, list[list[str]]] = {}  # name -> [value, label, group label]
        self._select = None
        self._group = ""
        self._option = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        if tag == "input":
            self.inputs.append(attrs)
        elif tag == "select":
            self._select = attrs.get("name", "")
            self.selects.setdefault(self._select, [])
        elif tag == "optgroup":
            self._group = attrs.get("label", "")
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value", ""), "", self._group]
            self.selects[self._select].append(self._option)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select, self._group, self._option = None, "", None
        elif tag == "optgroup":
            self._group = ""
        elif tag == "option":
            self._option = None

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data

    def input_value(self, name: str) -> str | None:
        for attrs in self.inputs:
            if attrs.get("name") == name:
                return attrs.get("value", "")
        return None

    def hidden(self) -> dict[str, str]:
        return {a["name"]: a.get("value", "") for a in self.inputs if a.get("type") == "hidden" and a.get("name")}

    def options(self, name: str) -> list[list[str]]:
        return [o for o in self.selects.get(name, []) if o[0]]

    def checkbox_values(self, name: str) -> list[str]:
        return [a.get("value", "") for a in self.inputs if a.get("type") == "checkbox" and a.get("name") == name]


def hidden_value(html: bytes, name: bytes) -> str | None:
    """The value of one hidden input, cheaply (per request, during the load)."""
    match = re.search(rb'<input[^>]*name="' + re.escape(name) + rb'"[^>]*>', html)
    if not match:
        return None
    value = re.search(rb'value="([^"]*)"', match.group(0))
    return value.group(1).decode() if value else None


def form_errors(html: bytes) -> str:
    """The form's error messages, for the error report."""
    items = re.findall(rb'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    text = " | ".join(" ".join(re.sub(rb"<[^>]+>", b" ", item).decode(errors="replace").split()) for item in items)
    return text[:300] or html[:200].decode(errors="replace")


@dataclass(frozen=True)
class SubmitPlan:
    """The fixed part of every submission, from one parse of the form before the load."""

    fields: list[tuple[str, str]]  # everything but csrfmiddlewaretoken and submission_token
    region_label: str
    election_label: str


def plan_submission(html: bytes, region_label: str) -> SubmitPlan:
    page = FormPage(html.decode("utf-8", errors="replace"))
    elections = page.options("election")
    if not elections:
        raise SetupError("the form offers no open election: are the rules loaded (manage.py load_rules)?")
    if not any(attrs.get("name") == "region_name" for attrs in page.inputs):
        raise SetupError("the form has no field for the place (region_name)")
    # A day inside the supervised stages of the demo's Pilkada 2024 (rules/data/elections.yaml): an
    # event outside every election's stages is offered "send as information" instead (issue 19).
    known_on = "2024-11-20"
    violations = page.checkbox_values("violations")
    hidden = page.hidden()
    for needed in ("csrfmiddlewaretoken", "submission_token", "persons-TOTAL_FORMS"):
        if needed not in hidden:
            raise SetupError(f"the form has no hidden input {needed!r}")
    fields = [(name, value) for name, value in hidden.items()
              if name not in ("csrfmiddlewaretoken", "submission_token", "persons-0-employee")]
    fields += [
        ("identity", "identified"),
        ("reporter_name", "Siti Aminah"),
        ("reporter_address", "Jl. Merdeka 1, Manggar"),
        ("reporter_nik", "1906014107850001"),
        ("reporter_phone", "0812 3456 7890"),
        ("reporter_email", "siti@example.org"),
        ("persons-0-employee", ""),
        ("persons-0-name", "Budi Santoso"),
        ("persons-0-position", "Kepala Dinas"),
        ("persons-0-unit", "Dinas Kesehatan"),
        ("election", elections[0][0]),
        ("region_name", region_label),  # typed, as a reporter does (issue 20: no select of the country)
        ("place", "Balai Desa Lalang"),
        ("occurred_on", known_on),
        ("known_on", known_on),
        ("description", "Seorang kepala dinas memasang baliho calon bupati di depan kantornya "
                        "dan meminta staf ikut memasang stiker. (beban uji)"),
        ("links", "https://facebook.com/post/123"),
        ("truthful", "on"),
    ]
    fields += [("violations", violations[0])] if violations else []
    return SubmitPlan(fields=fields, region_label=region_label,
                      election_label=" ".join(elections[0][1].split()))


# --- The evidence photo ----------------------------------------------------------------------

class Photos:
    """~N KB JPEGs of smooth random noise with EXIF (camera and GPS); each sent copy is unique.

    A few images are drawn once; each submission gets one of them with a random JPEG comment
    segment, so that every upload is a new file for the server (no de-duplicated blob).
    """

    def __init__(self, target_kb: int, count: int = 8):
        from PIL import Image

        self.images = []
        for _ in range(count):
            small = Image.frombytes("RGB", (32, 24), os.urandom(32 * 24 * 3))
            image = small.resize((640, 480), Image.Resampling.BICUBIC)
            exif = Image.Exif()
            exif[0x010F] = "PhoneMaker"
            exif[0x0110] = "Phone of the reporter"
            exif[0x8825] = {1: "S", 2: (2.0, 50.0, 0.0), 3: "E", 4: (108.0, 17.0, 0.0)}
            best = None
            for quality in range(95, 4, -5):
                out = io.BytesIO()
                image.save(out, "JPEG", quality=quality, exif=exif)
                data = out.getvalue()
                if best is None or abs(len(data) - target_kb * 1024) < abs(len(best) - target_kb * 1024):
                    best = data
                if len(data) <= target_kb * 1024:
                    break
            self.images.append(best)
        self.size = sum(len(i) for i in self.images) // len(self.images)

    def unique(self) -> bytes:
        data = random.choice(self.images)
        # After SOI and the APPn segments (EXIF), insert a COM segment with a nonce.
        pos = 2
        while data[pos] == 0xFF and 0xE0 <= data[pos + 1] <= 0xEF:
            pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
        nonce = b"netral-bench " + secrets.token_hex(16).encode()
        return data[:pos] + b"\xff\xfe" + (len(nonce) + 2).to_bytes(2, "big") + nonce + data[pos:]


# --- Load ------------------------------------------------------------------------------------

@dataclass
class Errors:
    counts: dict = field(default_factory=dict)
    examples: dict = field(default_factory=dict)

    def add(self, kind: str, example: str = "") -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.examples.setdefault(kind, example)

    def merge(self, other: "Errors") -> None:
        for kind, count in other.counts.items():
            self.counts[kind] = self.counts.get(kind, 0) + count
            self.examples.setdefault(kind, other.examples.get(kind, ""))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class UserResult:
    attempts: int = 0
    ok: int = 0
    errors: Errors = field(default_factory=Errors)
    latencies: dict = field(default_factory=dict)  # metric -> [seconds]
    requests: dict = field(default_factory=dict)   # metric -> attempted requests
    failures: dict = field(default_factory=dict)   # metric -> failed requests

    def sample(self, metric: str, seconds: float | None) -> None:
        self.requests[metric] = self.requests.get(metric, 0) + 1
        if seconds is None:
            self.failures[metric] = self.failures.get(metric, 0) + 1
        else:
            self.latencies.setdefault(metric, []).append(seconds)


@dataclass
class ScenarioResult:
    name: str
    users: int
    elapsed: float
    attempts: int
    ok: int
    errors: Errors
    latencies: dict
    requests: dict
    failures: dict
    stopped_by: str
    cpu: str = ""

    @property
    def error_rate(self) -> float:
        return (self.attempts - self.ok) / self.attempts if self.attempts else 1.0

    @property
    def throughput(self) -> float:
        return self.ok / self.elapsed if self.elapsed > 0 else 0.0


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def submit_once(target: Target, plan: SubmitPlan, photos: Photos, result: UserResult) -> None:
    """One reporter: GET the form, POST it with a photo. A new browser (no cookies) each time."""
    jar: dict = {}
    try:
        page = target.request("GET", SUBMIT_PATH)
    except (OSError, http.client.HTTPException) as error:
        result.sample("get", None)
        result.errors.add(f"GET {_exception_kind(error)}", str(error)[:200])
        return
    if page.status != 200:
        result.sample("get", None)
        result.errors.add(f"GET HTTP {page.status}", page.body[:200].decode(errors="replace"))
        return
    cookies_from(page, jar)
    csrf = hidden_value(page.body, b"csrfmiddlewaretoken")
    token = hidden_value(page.body, b"submission_token")
    if not csrf or not token or "csrftoken" not in jar:
        result.sample("get", None)
        result.errors.add("GET without CSRF or submission token")
        return
    result.sample("get", page.seconds)
    body, content_type = multipart(
        [("csrfmiddlewaretoken", csrf), ("submission_token", token), *plan.fields],
        [("evidence", "foto bukti.jpg", "image/jpeg", photos.unique())],
    )
    headers = {"Content-Type": content_type, "Cookie": cookie_header(jar),
               "Origin": target.base_url, "Referer": target.base_url + SUBMIT_PATH}
    try:
        answer = target.request("POST", SUBMIT_PATH, headers=headers, body=body)
    except (OSError, http.client.HTTPException) as error:
        result.sample("post", None)
        result.errors.add(f"POST {_exception_kind(error)}", str(error)[:200])
        return
    if answer.status != 200:
        result.sample("post", None)
        result.errors.add(f"POST HTTP {answer.status}", form_errors(answer.body))
        return
    if RECEIPT_MARKER not in answer.body:
        result.sample("post", None)
        result.errors.add("POST 200 without the receipt", form_errors(answer.body))
        return
    result.sample("post", answer.seconds)
    result.sample("pair", page.seconds + answer.seconds)
    result.ok += 1


def health_once(target: Target, result: UserResult) -> None:
    try:
        answer = target.request("GET", HEALTH_PATH)
    except (OSError, http.client.HTTPException) as error:
        result.sample("health", None)
        result.errors.add(f"GET {_exception_kind(error)}", str(error)[:200])
        return
    if answer.status != 200 or answer.body.strip() != b"ok":
        result.sample("health", None)
        result.errors.add(f"GET HTTP {answer.status}", answer.body[:200].decode(errors="replace"))
        return
    result.sample("health", answer.seconds)
    result.ok += 1


def _exception_kind(error: BaseException) -> str:
    return "timeout" if isinstance(error, (socket.timeout, TimeoutError)) else type(error).__name__


def run_load(name: str, once, *, users: int, duration: float, count: int | None) -> ScenarioResult:
    """N threads call ``once`` until the deadline or the count; each stops by itself."""
    stop = threading.Event()
    tickets = iter(range(count)) if count else None
    ticket_lock = threading.Lock()
    results = [UserResult() for _ in range(users)]
    started = time.perf_counter()
    deadline = started + duration
    stopped_by = {"reason": "duration"}

    def user(result: UserResult) -> None:
        while not stop.is_set() and time.perf_counter() < deadline:
            if tickets is not None:
                with ticket_lock:
                    if next(tickets, None) is None:
                        stopped_by["reason"] = "count"
                        return
            result.attempts += 1
            try:
                once(result)
            except Exception as error:  # a bug of the client must show, not hang the run
                result.errors.add(f"client {type(error).__name__}", str(error)[:200])

    threads = [threading.Thread(target=user, args=(r,), name=f"{name}-{i}", daemon=True)
               for i, r in enumerate(results)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.5)
    finally:
        stop.set()
    elapsed = time.perf_counter() - started
    merged = UserResult()
    for result in results:
        merged.attempts += result.attempts
        merged.ok += result.ok
        merged.errors.merge(result.errors)
        for metric, values in result.latencies.items():
            merged.latencies.setdefault(metric, []).extend(values)
        for metric, value in result.requests.items():
            merged.requests[metric] = merged.requests.get(metric, 0) + value
        for metric, value in result.failures.items():
            merged.failures[metric] = merged.failures.get(metric, 0) + value
    return ScenarioResult(name, users, elapsed, merged.attempts, merged.ok, merged.errors, merged.latencies,
                          merged.requests, merged.failures, stopped_by["reason"])


# --- The server of the benchmark -------------------------------------------------------------

class PostgresDatabase:
    """The database named by DATABASE_URL, created for the run and dropped after it."""

    def __init__(self, url: str):
        self.url = url
        self.name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.lstrip("/"))
        if not self.name:
            raise SetupError("DATABASE_URL names no database (postgres://user@host/netral_bench)")
        self.created = False
        self.version = ""

    def _admin(self):
        import psycopg
        from psycopg.conninfo import conninfo_to_dict, make_conninfo

        params = conninfo_to_dict(self.url.replace("postgresql+psycopg://", "postgresql://", 1))
        last = None
        for maintenance in ("postgres", "template1"):
            try:
                return psycopg.connect(make_conninfo(**{**params, "dbname": maintenance}), autocommit=True,
                                       connect_timeout=10)
            except psycopg.OperationalError as error:
                last = error
        raise SetupError(f"cannot connect to PostgreSQL: {last}")

    def create(self) -> None:
        from psycopg import sql

        with self._admin() as conn:
            self.version = conn.execute("SHOW server_version").fetchone()[0].split(" ")[0]
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]).fetchone()
            if exists:
                if "bench" not in self.name.lower():
                    raise SetupError(
                        f"the database {self.name!r} exists and its name does not contain 'bench': the benchmark "
                        "needs a throw-away database and will not touch this one. Use e.g. "
                        "DATABASE_URL=postgres://postgres@127.0.0.1/netral_bench")
                print(f"Dropping the leftover benchmark database {self.name!r}.")
                conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(self.name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
            self.created = True

    def drop(self) -> None:
        if not self.created:
            return
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))
        self.created = False


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BenchServer:
    """A fresh data folder and database, set up as in docs/deploy.md, served by gunicorn."""

    def __init__(self, args):
        self.args = args
        self.data_dir: Path | None = None
        self.database: PostgresDatabase | None = None
        self.process: subprocess.Popen | None = None
        self.log_file = None
        self.url = ""
        self.database_label = ""
        self.env: dict = {}

    def start(self) -> None:
        args = self.args
        self.data_dir = Path(tempfile.mkdtemp(prefix="netral-bench-"))
        (self.data_dir / "static").mkdir()  # STATIC_ROOT (empty: WhiteNoise serves from the finders)
        env = {k: v for k, v in os.environ.items() if k not in SERVER_ENV_DROPPED}
        env.update(NETRAL_DATA_DIR=str(self.data_dir), ALLOWED_HOSTS="127.0.0.1,localhost",
                   DB_CONN_MAX_AGE=str(args.conn_max_age), PYTHONUNBUFFERED="1")
        url = os.environ.get("DATABASE_URL", "").strip()
        scheme = urllib.parse.urlsplit(url).scheme if url else ""
        if scheme in ("postgres", "postgresql", "pgsql", "postgresql+psycopg"):
            self.database = PostgresDatabase(url)
            self.database.create()
            self.database_label = f"PostgreSQL {self.database.version}"
        elif not url or scheme.startswith("sqlite"):
            if url:
                print("DATABASE_URL is SQLite: the benchmark uses a fresh SQLite file in its own data folder.")
            env.pop("DATABASE_URL", None)
            import sqlite3
            self.database_label = f"SQLite {sqlite3.sqlite_version} (WAL, IMMEDIATE transactions)"
        else:
            raise SetupError(f"DATABASE_URL scheme {scheme!r}: the benchmark knows SQLite and PostgreSQL only")
        self.env = env
        print(f"Data folder: {self.data_dir}; database: {self.database_label}"
              + (f" {self.database.name!r}" if self.database else ""))
        # migrate skips the system checks: they import the URLconf, and a form that queries the
        # database at import time must not stop the creation of its own tables. The commands
        # after it run the checks on the migrated database.
        for command in (["migrate", "--noinput", "--skip-checks"], ["createcachetable"], ["load_rules"],
                        ["seed_demo"]):
            self._manage(command)
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log_file = open(self.data_dir / "gunicorn.log", "w+b")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "netral.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--threads", str(args.threads), "--timeout", "60",
             "--graceful-timeout", "5", "--log-level", "warning"],
            cwd=BASE_DIR, env=env, stdout=self.log_file, stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the benchmark, which stops gunicorn itself
        )
        print(f"gunicorn netral.wsgi on {self.url}: {args.workers} workers x {args.threads} threads")
        self._wait_ready()

    def _manage(self, command: list[str]) -> None:
        print(f"  manage.py {' '.join(command)}")
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=self.env,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip().splitlines()
            raise SetupError(f"manage.py {' '.join(command)} failed:\n    " + "\n    ".join(output[-15:]))

    def _wait_ready(self, limit: float = 60.0) -> None:
        target = Target(self.url, timeout=5)
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SetupError(f"gunicorn stopped (status {self.process.returncode}):\n{self.log_tail()}")
            try:
                if target.request("GET", HEALTH_PATH).status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        raise SetupError(f"{HEALTH_PATH} did not answer within {limit:g} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        if not self.log_file:
            return ""
        self.log_file.flush()
        self.log_file.seek(0)
        text = self.log_file.read().decode(errors="replace").strip().splitlines()
        return "\n".join("    " + line for line in text[-lines:])

    def stop(self) -> None:
        """Stop gunicorn, drop the database, remove the data folder; each step even if one fails."""
        try:
            if self.process and self.process.poll() is None:
                try:
                    os.killpg(self.process.pid, signal.SIGTERM)  # the group gunicorn leads: master and workers
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(timeout=5)
                except ProcessLookupError:
                    pass
        finally:
            try:
                if self.database:
                    self.database.drop()
            except Exception as error:
                print(f"Could not drop the benchmark database {self.database.name!r}: {error}", file=sys.stderr)
            finally:
                if self.log_file:
                    self.log_file.close()
                if self.data_dir and self.args.keep_data:
                    print(f"Kept the data folder {self.data_dir} (gunicorn.log inside).")
                elif self.data_dir:
                    shutil.rmtree(self.data_dir, ignore_errors=True)


# --- Facts about the run ---------------------------------------------------------------------

def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=BASE_DIR, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def commit_label() -> str:
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{commit} (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else commit


def machine_label(busy: float | None) -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = " ".join(line.split(":", 1)[1].split())
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    cores = os.cpu_count() or 1
    return (f"{model}, {cores} cores{ram}; {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; CPU busy before the run: "
            + ("unknown" if busy is None else f"{busy:.0f} %"))


def cpu_busy(seconds: float = 1.0) -> float | None:
    """Percent of all cores busy with other work during one second (other tests, builds...)."""
    def sample():
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait

    try:
        total1, idle1 = sample()
        time.sleep(seconds)
        total2, idle2 = sample()
    except (OSError, ValueError, IndexError):
        return None
    return 100 * (1 - (idle2 - idle1) / max(1, total2 - total1))


def process_ticks():
    """(command name, process group, CPU ticks used: utime + stime) of every process, from /proc."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, rest = text[text.find("(") + 1:text.rfind(")")], text[text.rfind(")") + 2:].split()
        yield name, int(rest[2]), int(rest[11]) + int(rest[12])


class CpuMeter:
    """Where the CPU went during a scenario: gunicorn (its process group), PostgreSQL (processes
    named postgres on this machine), this client, and other work (tests or builds next to it)."""

    def __init__(self, server_pgid: int | None):
        self.server_pgid = server_pgid
        self.hz = os.sysconf("SC_CLK_TCK")

    def _process_ticks(self) -> tuple[int, int]:
        server = database = 0
        for name, pgrp, ticks in process_ticks():
            if self.server_pgid and pgrp == self.server_pgid:
                server += ticks
            elif name == "postgres":
                database += ticks
        return server, database

    def snapshot(self) -> tuple | None:
        try:
            fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
            own = os.times()
            server, database = self._process_ticks()
        except (OSError, ValueError, IndexError):
            return None
        return (time.monotonic(), sum(fields), fields[3] + fields[4], (own.user + own.system) * self.hz,
                server, database)

    def summary(self, start: tuple | None, end: tuple | None) -> tuple[str, float]:
        """A sentence, and the cores taken by other work (0 when unknown)."""
        if not start or not end or end[0] <= start[0]:
            return "", 0.0
        wall = end[0] - start[0]
        cores, busy, client, server, database = (
            (end[1] - start[1]) / self.hz / wall,
            ((end[1] - start[1]) - (end[2] - start[2])) / self.hz / wall,
            (end[3] - start[3]) / self.hz / wall,
            (end[4] - start[4]) / self.hz / wall,
            (end[5] - start[5]) / self.hz / wall,
        )
        parts = [f"gunicorn {server:.1f}"] if self.server_pgid else []
        parts += [f"PostgreSQL {database:.1f}"] if database >= 0.05 else []
        parts += [f"benchmark client {client:.1f}"]
        if not self.server_pgid:
            return (f"{busy:.1f} of {cores:.0f} cores busy: " + ", ".join(parts)
                    + f", the server and other work {max(0.0, busy - client - database):.1f}"), 0.0
        other = max(0.0, busy - server - database - client)
        return f"{busy:.1f} of {cores:.0f} cores busy: " + ", ".join(parts) + f", other work {other:.1f}", other


# --- Report ----------------------------------------------------------------------------------

def ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def rows(results: list[ScenarioResult], image_kb: float) -> list[list[str]]:
    table = []
    for r in results:
        if r.name == "submit":
            rate = f"{r.throughput:.1f} submissions/s"
            for metric, label, throughput in (
                ("post", f"POST /lapor/ (form + {image_kb:.0f} KB JPEG)", rate),
                ("pair", "GET + POST /lapor/ (one reporter)", rate),
                ("get", "GET /lapor/ (the empty form)", "–"),
            ):
                values = r.latencies.get(metric, [])
                attempted = r.attempts if metric == "pair" else r.requests.get(metric, 0)
                failed = r.attempts - r.ok if metric == "pair" else r.failures.get(metric, 0)
                table.append(["submit", label, str(attempted), str(failed), throughput,
                              ms(percentile(values, 50)), ms(percentile(values, 95)), ms(percentile(values, 99))])
        else:
            values = r.latencies.get("health", [])
            table.append(["ceiling", "GET /healthz (bare view, all middleware)", str(r.attempts),
                          str(r.attempts - r.ok), f"{r.throughput:.0f} requests/s",
                          ms(percentile(values, 50)), ms(percentile(values, 95)), ms(percentile(values, 99))])
    return table


HEADER = ["Scenario", "Measured", "Requests", "Errors", "Throughput", "p50", "p95", "p99"]


def print_table(table: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [HEADER, *table]) for i in range(len(HEADER))]
    for row in [HEADER, ["-" * w for w in widths], *table]:
        print("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))


def markdown_section(*, facts: dict, table: list[list[str]], results: list[ScenarioResult]) -> str:
    lines = [f"### {facts['date']} · {facts['database_short']} · {facts['commit_short']}", ""]
    for key, label in (("commit", "Commit"), ("database", "Database"), ("machine", "Machine"),
                       ("server", "Server"), ("load", "Load"), ("note", "Note")):
        if facts.get(key):
            lines.append(f"- {label}: {facts[key]}")
    lines += ["", "| " + " | ".join(HEADER) + " |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    lines += ["| " + " | ".join(row) + " |" for row in table]
    cpu = [f"{r.name}: {r.cpu}" for r in results if r.cpu]
    if cpu:
        lines += ["", "CPU during the measurement: " + "; ".join(cpu) + "."]
    errors = [(r.name, kind, count) for r in results for kind, count in sorted(r.errors.counts.items())]
    if errors:
        lines += ["", "Errors: " + "; ".join(f"{name}: {count} × {kind}" for name, kind, count in errors) + "."]
    return "\n".join(lines) + "\n"


DOC_INTRO = f"""# Performance

Measured by the benchmark in `bench/`, never by timed assertions in the test suite. One command:

```sh
make bench                                                          # SQLite
DATABASE_URL=postgres://postgres@127.0.0.1/netral_bench make bench  # PostgreSQL
.venv/bin/python bench/run.py --help                                # users, duration, workers, --url ...
```

`bench/run.py` starts its own server: a fresh temporary `NETRAL_DATA_DIR` (your `data/` is never
touched), a fresh database (SQLite in that folder, or the PostgreSQL database of `DATABASE_URL`,
created and dropped again; its name must contain `bench` if it already exists), `migrate`,
`createcachetable`, `load_rules` and `seed_demo`, then gunicorn `netral.wsgi` on a free port of
127.0.0.1 with `NETRAL_DEBUG` unset, 2 workers per core, 2 threads each and `DB_CONN_MAX_AGE=60`
as in [deploy.md](deploy.md). With `--url http://127.0.0.1:8000` it measures a running server
instead (only on this machine). Traffic goes to 127.0.0.1 only; each scenario runs for a bounded
time (default 20 s after 2 s of warm-up) or count, then stops; the server, the data folder and
the database are removed at the end, even after Ctrl-C.

Each virtual user (default 8, threads of the benchmark process, each request on a new
connection) loops over one scenario:

- **submit**: a new reporter opens the form (`GET /lapor/`: CSRF cookie and token, submission
  token), then sends it complete (`POST /lapor/`, multipart): identity, one reported person,
  election, region, dates, description, one prohibited act, a link, and a ~30 KB JPEG (640×480,
  random noise, EXIF with GPS) as evidence, different for every submission. The server checks the
  image, strips its metadata, encrypts and stores the original, and files the report with its
  number and audit entry. A submission counts only if the answer is 200 and shows the receipt
  (`id="tracking-code"`).
- **ceiling**: the same load on `GET /healthz`, a view that does nothing, through the whole
  middleware stack: the most this server, machine and client can answer.

The figures:

- **Requests**: requests (or, for the GET + POST row, submissions) attempted in the measured time.
- **Errors**: answers other than 200 (or without the receipt), exceptions and timeouts (30 s).
  The command exits with status 1 when a scenario has more than 1 % errors (a broken stack),
  and such a run is not recorded here.
- **Throughput**: completed submissions (or answered requests) per second of wall time.
- **p50 / p95 / p99**: latency of a successful request as the client sees it, from sending it to
  the last byte of the answer (nearest rank): half, 95 % and 99 % of the requests took at most
  this long. The GET + POST row is one reporter's wait for the form plus the wait for the receipt.

The load generator runs on the same machine as the server and takes CPU from it, so the
figures are a lower bound for a dedicated server; compare runs of the same machine only (on
a shared virtual machine, repeated runs differ by up to about 20 %). "CPU busy before the run"
is the share of the cores used by other work in the second before the start, and "CPU during
the measurement" splits the cores between gunicorn, PostgreSQL, the benchmark client and other
work: when other work (tests running next to it) takes more than a tenth of the machine, the
benchmark warns that its figures are low.

## Results

{RESULTS_MARKER}
"""


def record(doc: Path, section: str) -> None:
    text = doc.read_text() if doc.exists() else DOC_INTRO
    if RESULTS_MARKER in text:
        head, tail = text.split(RESULTS_MARKER, 1)
        text = head + RESULTS_MARKER + "\n\n" + section + ("\n" + tail.lstrip("\n") if tail.strip() else "")
    else:
        text = text.rstrip("\n") + "\n\n## Results\n\n" + RESULTS_MARKER + "\n\n" + section
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text)


# --- Main ------------------------------------------------------------------------------------

def preflight(target: Target, args) -> SubmitPlan:
    """Read the form once and send one report, so that a broken form fails clearly, not 100 times."""
    page = target.request("GET", SUBMIT_PATH)
    if page.status != 200:
        raise SetupError(f"GET {SUBMIT_PATH} answered {page.status}")
    plan = plan_submission(page.body, args.region_label)
    print(f"Report: election {plan.election_label!r}, region {plan.region_label!r}")
    return plan


def measure(name: str, once, args, meter: CpuMeter) -> ScenarioResult:
    if args.warmup:
        run_load(name, once, users=args.users, duration=args.warmup, count=None)
    bound = f"{args.duration:g} s" + (f" or {args.requests} requests" if args.requests else "")
    print(f"Scenario {name}: {args.users} users, {bound} ...", flush=True)
    start = meter.snapshot()
    result = run_load(name, once, users=args.users, duration=args.duration, count=args.requests)
    result.cpu, other = meter.summary(start, meter.snapshot())
    print(f"  {result.ok} of {result.attempts} ok in {result.elapsed:.1f} s (stopped by {result.stopped_by})")
    if result.cpu:
        print(f"  CPU: {result.cpu}")
    if other > 0.1 * (os.cpu_count() or 1):
        print(f"  Warning: other work took {other:.1f} cores during the measurement; these figures are low.",
              file=sys.stderr)
    for kind, count in sorted(result.errors.counts.items()):
        example = result.errors.examples.get(kind)
        print(f"  error: {count} x {kind}" + (f" — e.g. {example}" if example else ""))
    return result


def main(argv=None) -> int:
    args = parse_args(argv)

    def interrupt(signum, frame):
        raise Interrupted(signal.Signals(signum).name)

    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGHUP, interrupt)

    server = None
    busy = cpu_busy()  # before the load: other work on the machine lowers the figures
    machine = machine_label(busy)
    if busy is not None and busy > 20:
        print(f"Warning: the CPU is {busy:.0f} % busy before the run; the figures will be lower than on a "
              "quiet machine.", file=sys.stderr)
    try:
        if args.url:
            base_url = args.url
            print(f"Measuring the running server {base_url}: every submission adds a report to its database.")
        else:
            server = BenchServer(args)
            server.start()
            base_url = server.url
        target = Target(base_url, timeout=args.timeout)
        try:
            if target.request("GET", HEALTH_PATH).status != 200:
                raise SetupError(f"{base_url}{HEALTH_PATH} does not answer 200")
        except (OSError, http.client.HTTPException) as error:
            raise SetupError(f"{base_url}{HEALTH_PATH}: {error}") from None

        results = []
        photos = None
        meter = CpuMeter(server.process.pid if server else None)
        for name in args.scenarios:
            if name == "submit":
                plan = preflight(target, args)
                photos = Photos(args.image_kb)
                check = UserResult()
                submit_once(target, plan, photos, check)
                if not check.ok:
                    kind, example = next(iter(check.errors.examples.items()), ("unknown", ""))
                    raise SetupError(f"a first submission failed: {kind}: {example}"
                                     + (f"\n{server.log_tail()}" if server else ""))
                results.append(measure(name, lambda r: submit_once(target, plan, photos, r), args, meter))
            else:
                results.append(measure(name, lambda r: health_once(target, r), args, meter))

        image_kb = photos.size / 1024 if photos else args.image_kb
        table = rows(results, image_kb)
        print()
        print_table(table)
        failed = [r for r in results if r.error_rate > args.max_error_rate]
        if failed and server:
            print("\nLast lines of the server log:\n" + server.log_tail())

        now = dt.datetime.now(dt.timezone.utc)
        if server:
            database, database_short = server.database_label, server.database_label.split(" (")[0]
            worker_class = "sync" if args.threads == 1 else "gthread"
            import gunicorn
            server_label = (f"gunicorn {gunicorn.__version__}, {args.workers} workers x {args.threads} threads "
                            f"({worker_class}), DB_CONN_MAX_AGE={args.conn_max_age}, fresh database with the "
                            "demo data, started by bench/run.py")
        else:
            database, database_short = "that of the running server (not started by bench/run.py)", "external"
            server_label = f"running server at {base_url}"
        bound = f"{args.duration:g} s" + (f" or {args.requests} requests" if args.requests else "")
        facts = {
            "date": now.strftime("%Y-%m-%d %H:%M UTC"),
            "commit": commit_label(),
            "commit_short": git("rev-parse", "--short", "HEAD") or "unknown",
            "database": database,
            "database_short": database_short,
            "machine": machine,
            "server": server_label,
            "load": (f"{args.users} virtual users, {bound} per scenario after {args.warmup:g} s of warm-up, "
                     "client on the same machine"),
            "note": args.note,
        }
        if failed:
            print(f"\nError rate above {args.max_error_rate:.0%} in: {', '.join(r.name for r in failed)}. "
                  "Not recorded.", file=sys.stderr)
            return 1
        if not args.no_record:
            record(args.doc, markdown_section(facts=facts, table=table, results=results))
            print(f"\nRecorded in {args.doc.relative_to(BASE_DIR) if args.doc.is_relative_to(BASE_DIR) else args.doc}.")
        return 0
    except SetupError as error:
        print(f"\nbench: {error}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Interrupted):
        print("\nbench: interrupted; cleaning up.", file=sys.stderr)
        return 130
    finally:
        if server:
            # No second Ctrl-C in the middle of the clean-up.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
