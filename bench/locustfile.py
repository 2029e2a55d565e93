"""Locust scenario of the public report form, tracking and the staff lists (``make bench-load``).

Runs in the separate virtualenv ``.venv-load`` (requirements/load.txt): locust and the standard
library only; it reuses the form parsing of bench/run.py, which needs nothing else. Started by
bench/load.py, which sets the stack up and passes, in the environment:

- ``NETRAL_LOAD_PHOTOS``: a folder of small JPEGs (made beforehand with Pillow in .venv); each
  submission sends one of them with a random JPEG comment, so every upload is a new file.
- ``NETRAL_LOAD_ACKS``: a JSON-lines file; one line per acknowledged submission (report
  number, tracking code, SHA-256 of the file sent), read by the verification after the run.
- ``NETRAL_LOAD_STAFF_COOKIES``: a file of session cookies of staff sessions made before the
  run (password + TOTP verified), one per line; each staff user takes one.
- ``NETRAL_LOAD_RATE_PER_USER``: iterations per second of each virtual user (default 0.5).

User classes (chosen on the command line): ``Reporter`` (GET /lapor/, then POST it as a browser
does: CSRF cookie and token, the form's submission token against double submits, multipart with
the photo), ``Tracker`` (status by tracking code: GET /lacak/, POST the code, the status page),
``Staff`` (the report inbox and the case list of a logged-in staff member) and ``Ceiling``
(GET /healthz, a bare view through the whole middleware stack, as fast as possible).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import secrets
import sys
import threading
import time
from pathlib import Path

from locust import FastHttpUser, HttpUser, constant_throughput, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench_run  # noqa: E402  (bench/run.py: stdlib-only form parsing)

RATE = float(os.environ.get("NETRAL_LOAD_RATE_PER_USER", "0.5"))
# The code is shown in groups, a <span> each (a group never breaks on a phone): read them all.
CODE_RE = re.compile(rb'id="tracking-code"[^>]*>((?:<span class="code-group">[^<]+</span>-?)+)</strong>')
NUMBER_RE = re.compile(rb'id="report-number"[^>]*>([^<]+)<')

_plan: bench_run.SubmitPlan | None = None
_plan_lock = threading.Lock()
_photos: list[bytes] = []
_acks = None
_acked_codes: list[tuple[str, str]] = []  # (code, number) of this process's submissions
_staff_cookies: list[str] = []
_staff_next = 0


def stamp(headers: dict | None = None) -> dict:
    """``X-Request-Start`` (unix time, as nginx sends it): ops/gunicorn_timing.py measures the wait to a thread."""
    return {"X-Request-Start": f"t={time.time():.6f}", **(headers or {})}


@events.test_start.add_listener
def _load_inputs(environment, **kwargs):
    global _acks, _photos, _staff_cookies
    folder = os.environ.get("NETRAL_LOAD_PHOTOS")
    if folder:
        _photos = [p.read_bytes() for p in sorted(Path(folder).glob("*.jpg"))]
    path = os.environ.get("NETRAL_LOAD_ACKS")
    if path:
        _acks = open(path, "a", buffering=1)  # line-buffered: an acknowledged line is on disk at once
    cookies = os.environ.get("NETRAL_LOAD_STAFF_COOKIES")
    if cookies and Path(cookies).exists():
        _staff_cookies = [line.strip() for line in Path(cookies).read_text().splitlines() if line.strip()]


@events.test_stop.add_listener
def _close_acks(environment, **kwargs):
    if _acks:
        _acks.flush()


def unique_photo() -> bytes:
    """One of the prepared JPEGs with a COM segment holding a nonce, after the APPn segments."""
    data = random.choice(_photos)
    pos = 2
    while data[pos] == 0xFF and 0xE0 <= data[pos + 1] <= 0xEF:
        pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
    nonce = b"netral-load " + secrets.token_hex(16).encode()
    return data[:pos] + b"\xff\xfe" + (len(nonce) + 2).to_bytes(2, "big") + nonce + data[pos:]


class Reporter(HttpUser):
    """A new reporter each time (no cookies kept): open the form, send it with a photo."""

    fixed_count = int(os.environ.get("NETRAL_LOAD_COUNT_REPORTER", "0"))

    wait_time = constant_throughput(RATE)

    @task
    def submit(self):
        global _plan
        self.client.cookies.clear()
        with self.client.get("/lapor/", name="GET /lapor/ (form)", catch_response=True, headers=stamp()) as page:
            if page.status_code != 200:
                page.failure(f"HTTP {page.status_code}")
                return
            csrf = bench_run.hidden_value(page.content, b"csrfmiddlewaretoken")
            token = bench_run.hidden_value(page.content, b"submission_token")
            if not csrf or not token:
                page.failure("no CSRF or submission token in the form")
                return
        if _plan is None:
            with _plan_lock:
                if _plan is None:
                    _plan = bench_run.plan_submission(page.content, "Belitung Timur")
        photo = unique_photo()
        base = self.host.rstrip("/")
        with self.client.post(
            "/lapor/", name="POST /lapor/ (submit + JPEG)", catch_response=True,
            data=[("csrfmiddlewaretoken", csrf), ("submission_token", token), *_plan.fields],
            files=[("evidence", ("foto bukti.jpg", photo, "image/jpeg"))],
            headers=stamp({"Origin": base, "Referer": base + "/lapor/"}),
        ) as answer:
            code = CODE_RE.search(answer.content or b"")
            number = NUMBER_RE.search(answer.content or b"")
            if answer.status_code != 200 or not code or not number:
                answer.failure(f"HTTP {answer.status_code}: {bench_run.form_errors(answer.content or b'')[:200]}")
                return
            code = re.sub(r"<[^>]+>", "", code.group(1).decode()).strip()
            number = number.group(1).decode().strip()
            _acked_codes.append((code, number))
            if _acks:
                _acks.write(json.dumps({"number": number, "code": code, "token": token,
                                        "sha256": hashlib.sha256(photo).hexdigest()}) + "\n")


class Tracker(HttpUser):
    """A reporter checks the status of a report with its secret code (codes of this run)."""

    fixed_count = int(os.environ.get("NETRAL_LOAD_COUNT_TRACKER", "0"))

    wait_time = constant_throughput(RATE)

    @task
    def status(self):
        if not _acked_codes:
            return
        code, number = random.choice(_acked_codes)
        self.client.cookies.clear()
        with self.client.get("/lacak/", name="GET /lacak/", catch_response=True, headers=stamp()) as page:
            csrf = bench_run.hidden_value(page.content or b"", b"csrfmiddlewaretoken")
            if page.status_code != 200 or not csrf:
                page.failure(f"HTTP {page.status_code} or no CSRF token")
                return
        base = self.host.rstrip("/")
        with self.client.post("/lacak/", name="POST /lacak/ + status page", catch_response=True,
                              data={"csrfmiddlewaretoken": csrf, "code": code},
                              headers=stamp({"Origin": base, "Referer": base + "/lacak/"})) as answer:
            if answer.status_code != 200 or not answer.url.endswith("/lacak/status/") \
                    or number.encode() not in answer.content:
                answer.failure(f"HTTP {answer.status_code} at {answer.url}: status page without {number}")


class Staff(HttpUser):
    """A logged-in staff member (session made before the run) reads the inbox and the case list."""

    fixed_count = int(os.environ.get("NETRAL_LOAD_COUNT_STAFF", "0"))

    wait_time = constant_throughput(RATE)

    def on_start(self):
        global _staff_next
        if not _staff_cookies:
            raise RuntimeError("NETRAL_LOAD_STAFF_COOKIES names no staff session")
        self.cookie = _staff_cookies[_staff_next % len(_staff_cookies)]
        _staff_next += 1

    @task
    def lists(self):
        for path, name in (("/staf/laporan/", "GET /staf/laporan/ (inbox)"),
                           ("/staf/kasus/", "GET /staf/kasus/ (cases)")):
            self.client.cookies.clear()
            with self.client.get(path, name=name, catch_response=True, allow_redirects=False,
                                 headers=stamp({"Cookie": f"sessionid={self.cookie}"})) as page:
                if page.status_code != 200:
                    page.failure(f"HTTP {page.status_code} {page.headers.get('Location', '')}")


class Ceiling(FastHttpUser):
    """The bare view as fast as the stack answers: the ceiling of this server and machine."""

    fixed_count = int(os.environ.get("NETRAL_LOAD_COUNT_CEILING", "0"))

    @task
    def health(self):
        with self.client.get("/healthz", name="GET /healthz (bare view)", catch_response=True,
                             headers=stamp()) as answer:
            if answer.status_code != 200 or (answer.content or b"").strip() != b"ok":
                answer.failure(f"HTTP {answer.status_code}")
