#!/usr/bin/env python3
"""A second load generator for bench/load.py, built unlike locust: asyncio + aiohttp, open model.

Locust (bench/locustfile.py) runs a fixed number of virtual users under gevent, each with
python-requests and a kept-alive connection, at a constant pace: a closed model, in which a
slow answer delays that user's next request. This client runs in the same virtualenv
(``.venv-load``, aiohttp pinned in requirements/load.txt) but shares none of that machinery:
one asyncio event loop, aiohttp's own HTTP client, and arrivals at fixed times whatever the
server does (an open model: the i-th submission starts at ``i / rate`` s, in a task of its
own, so a slow server cannot hold the next arrival back and hide the waiting: no
coordinated omission). Each arrival is a new browser: a new connection and cookie jar,
the form (GET), then the submission (POST multipart, the same fields and photos as locust);
status checks by code and staff visits arrive the same way at their own rates.

It reads the same environment as the locustfile (``NETRAL_LOAD_PHOTOS``, ``NETRAL_LOAD_ACKS``,
``NETRAL_LOAD_STAFF_COOKIES``), writes acknowledged submissions to the same acks file (so
bench/load_verify.py checks them), and writes ``<csv>_stats.csv`` with locust's columns
(Name, Request Count, Failure Count, Requests/s, 50%, 95%, 99%, Max Response Time), so that
bench/load.py reports both clients the same way; plus ``<csv>_lag.json``: how late the client
started each arrival against its schedule (the client's own delay, not the server's).

Every request carries ``X-Request-Start: t=<unix time>`` taken just before it is sent;
ops/gunicorn_timing.py turns it into the wait from the client to a gunicorn thread.

Usage (bench/load.py starts it)::

    .venv-load/bin/python bench/loadgen_async.py --host http://127.0.0.1:8201 --csv out/sustained-async \\
        --duration 60 --rate 10 --track-rate 2 --staff-rate 1
    .venv-load/bin/python bench/loadgen_async.py --host ... --csv out/ceiling-async --duration 15 --ceiling 32
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import hashlib
import json
import os
import random
import re
import secrets
import sys
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench_run  # noqa: E402  (bench/run.py: stdlib-only form parsing and multipart)

CODE_RE = re.compile(rb'id="tracking-code"[^>]*>((?:<span class="code-group">[^<]+</span>-?)+)</strong>')
NUMBER_RE = re.compile(rb'id="report-number"[^>]*>([^<]+)<')
FORM, SUBMIT = "GET /lapor/ (form)", "POST /lapor/ (submit + JPEG)"
TRACK_FORM, TRACK_POST = "GET /lacak/", "POST /lacak/ + status page"
INBOX, CASES = "GET /staf/laporan/ (inbox)", "GET /staf/kasus/ (cases)"
HEALTH = "GET /healthz (bare view)"
TIMEOUT = aiohttp.ClientTimeout(total=60)


class Failed(Exception):
    pass


class Stats:
    """Response times (ms) and failures per request name; client lag per arrival kind."""

    def __init__(self):
        self.times: dict[str, list[float]] = {}
        self.failures: dict[str, int] = {}
        self.errors: dict[str, int] = {}
        self.lag: dict[str, list[float]] = {}

    def add(self, name: str, elapsed_ms: float, error: str | None = None):
        self.times.setdefault(name, []).append(elapsed_ms)
        self.failures.setdefault(name, 0)
        if error:
            self.failures[name] += 1
            key = f"{name}: {error}"[:200]
            self.errors[key] = self.errors.get(key, 0) + 1

    def write(self, prefix: str, duration: float):
        rows = [(name, self.times[name], self.failures[name]) for name in sorted(self.times)]
        every = [t for _name, times, _f in rows for t in times]
        rows.append(("Aggregated", every, sum(self.failures.values())))
        with open(f"{prefix}_stats.csv", "w", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(["Type", "Name", "Request Count", "Failure Count", "Requests/s", "50%", "95%", "99%",
                          "Max Response Time"])
            for name, times, failures in rows:
                p = [bench_run.percentile(times, q) for q in (50, 95, 99)]
                out.writerow(["", name, len(times), failures, f"{len(times) / duration:.2f}",
                              *[f"{v:.0f}" if v is not None else "N/A" for v in p],
                              f"{max(times):.0f}" if times else "N/A"])
        Path(f"{prefix}_lag.json").write_text(json.dumps({
            kind: {"arrivals": len(v), "p50_ms": bench_run.percentile(v, 50), "p95_ms": bench_run.percentile(v, 95),
                   "max_ms": max(v) if v else None} for kind, v in self.lag.items()} | {"errors": self.errors},
            indent=2))


class Client:
    def __init__(self, host: str, stats: Stats):
        self.host = host.rstrip("/")
        self.stats = stats
        self.photos = [p.read_bytes() for p in sorted(Path(os.environ.get("NETRAL_LOAD_PHOTOS", "/nonexistent"))
                                                      .glob("*.jpg"))]
        acks = os.environ.get("NETRAL_LOAD_ACKS")
        self.acks = open(acks, "a", buffering=1) if acks else None
        cookies = os.environ.get("NETRAL_LOAD_STAFF_COOKIES")
        self.staff = ([line.strip() for line in Path(cookies).read_text().splitlines() if line.strip()]
                      if cookies and Path(cookies).exists() else [])
        self.staff_next = 0
        self.codes: list[tuple[str, str]] = []
        self.plan: bench_run.SubmitPlan | None = None

    @staticmethod
    def session(**kwargs) -> aiohttp.ClientSession:
        """A new browser: its own connection (kept alive between its requests) and cookie jar."""
        return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1), timeout=TIMEOUT,
                                     cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies of 127.0.0.1
                                     **kwargs)

    async def request(self, session, name: str, method: str, path: str, check, **kwargs):
        """One timed request (sent to the whole body read); ``check(response, body)`` fails it or not."""
        headers = {"X-Request-Start": f"t={time.time():.6f}", **kwargs.pop("headers", {})}
        start = time.perf_counter()
        try:
            async with session.request(method, self.host + path, headers=headers, **kwargs) as response:
                body = await response.read()
                elapsed = (time.perf_counter() - start) * 1000
                problem = check(response, body)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            self.stats.add(name, (time.perf_counter() - start) * 1000, type(error).__name__)
            raise Failed(name) from error
        self.stats.add(name, elapsed, problem)
        if problem:
            raise Failed(problem)
        return response, body

    def unique_photo(self) -> bytes:
        data = random.choice(self.photos)
        pos = 2
        while data[pos] == 0xFF and 0xE0 <= data[pos + 1] <= 0xEF:
            pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
        nonce = b"netral-load " + secrets.token_hex(16).encode()
        return data[:pos] + b"\xff\xfe" + (len(nonce) + 2).to_bytes(2, "big") + nonce + data[pos:]

    async def reporter(self):
        async with self.session() as session:
            _r, page = await self.request(session, FORM, "GET", "/lapor/", lambda r, b: (
                None if r.status == 200 and bench_run.hidden_value(b, b"submission_token")
                else f"HTTP {r.status} or no submission token"))
            csrf = bench_run.hidden_value(page, b"csrfmiddlewaretoken")
            token = bench_run.hidden_value(page, b"submission_token")
            if self.plan is None:
                self.plan = bench_run.plan_submission(page, "Belitung Timur")
            photo = self.unique_photo()
            body, content_type = bench_run.multipart(
                [("csrfmiddlewaretoken", csrf), ("submission_token", token), *self.plan.fields],
                [("evidence", "foto bukti.jpg", "image/jpeg", photo)])

            def receipt(response, answer):
                if response.status != 200 or not CODE_RE.search(answer) or not NUMBER_RE.search(answer):
                    return f"HTTP {response.status}: {bench_run.form_errors(answer)[:120]}"
                return None

            _r, answer = await self.request(session, SUBMIT, "POST", "/lapor/", receipt, data=body, headers={
                "Content-Type": content_type, "Origin": self.host, "Referer": self.host + "/lapor/"})
            code = re.sub(r"<[^>]+>", "", CODE_RE.search(answer).group(1).decode()).strip()
            number = NUMBER_RE.search(answer).group(1).decode().strip()
            self.codes.append((code, number))
            if self.acks:
                self.acks.write(json.dumps({"number": number, "code": code, "token": token,
                                            "sha256": hashlib.sha256(photo).hexdigest()}) + "\n")

    async def tracker(self):
        if not self.codes:
            return
        code, number = random.choice(self.codes)
        async with self.session() as session:
            _r, page = await self.request(session, TRACK_FORM, "GET", "/lacak/", lambda r, b: (
                None if r.status == 200 and bench_run.hidden_value(b, b"csrfmiddlewaretoken") else f"HTTP {r.status}"))
            csrf = bench_run.hidden_value(page, b"csrfmiddlewaretoken")
            await self.request(session, TRACK_POST, "POST", "/lacak/", lambda r, b: (
                None if r.status == 200 and r.url.path.endswith("/lacak/status/") and number.encode() in b
                else f"HTTP {r.status} at {r.url.path}: status page without the number"),
                data={"csrfmiddlewaretoken": csrf, "code": code},
                headers={"Origin": self.host, "Referer": self.host + "/lacak/"})

    async def staff_visit(self):
        cookie = self.staff[self.staff_next % len(self.staff)]
        self.staff_next += 1
        async with self.session() as session:
            for name, path in ((INBOX, "/staf/laporan/"), (CASES, "/staf/kasus/")):
                await self.request(session, name, "GET", path, lambda r, b: (
                    None if r.status == 200 else f"HTTP {r.status} {r.headers.get('Location', '')}"),
                    allow_redirects=False, headers={"Cookie": f"sessionid={cookie}"})

    async def health_loop(self, until: float):
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1), timeout=TIMEOUT) as session:
            while time.monotonic() < until:
                try:
                    await self.request(session, HEALTH, "GET", "/healthz", lambda r, b: (
                        None if r.status == 200 and b.strip() == b"ok" else f"HTTP {r.status}"))
                except Failed:
                    await asyncio.sleep(0.01)


async def arrivals(kind: str, rate: float, duration: float, start: float, make, stats: Stats, tasks: set):
    """Start ``make()`` at start + i / rate for every i within ``duration``: never waits for answers."""
    if rate <= 0:
        return
    count = int(duration * rate)
    lags = stats.lag.setdefault(kind, [])
    for i in range(count):
        due = start + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        lags.append(max(0.0, time.monotonic() - due) * 1000)
        task = asyncio.create_task(guard(make()))
        tasks.add(task)
        task.add_done_callback(tasks.discard)


async def guard(coroutine):
    try:
        await coroutine
    except Failed:
        pass  # counted in the statistics


async def main_async(args) -> int:
    stats = Stats()
    client = Client(args.host, stats)
    start = time.monotonic() + 0.2
    if args.ceiling:
        await asyncio.gather(*(client.health_loop(start + args.duration) for _ in range(args.ceiling)))
    else:
        tasks: set = set()
        await asyncio.gather(
            arrivals("submission", args.rate, args.duration, start, client.reporter, stats, tasks),
            # status checks follow the first submissions (they need a code of this run); the offsets
            # keep the three schedules from coinciding when their rates are whole fractions
            arrivals("status check", args.track_rate, args.duration - 1.5, start + 1.37, client.tracker, stats, tasks),
            arrivals("staff visit", args.staff_rate if client.staff else 0, args.duration - 1, start + 0.61,
                     client.staff_visit, stats, tasks))
        if tasks:  # the arrivals in flight finish (bounded by the client timeout)
            await asyncio.wait(set(tasks), timeout=TIMEOUT.total + 5)
    if client.acks:
        client.acks.close()
    stats.write(args.csv, args.duration)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--csv", required=True, help="prefix of the output files")
    parser.add_argument("--duration", type=float, required=True)
    parser.add_argument("--rate", type=float, default=0.0, help="submissions per second")
    parser.add_argument("--track-rate", type=float, default=0.0)
    parser.add_argument("--staff-rate", type=float, default=0.0)
    parser.add_argument("--ceiling", type=int, default=0, help="N connections on /healthz without pause instead")
    args = parser.parse_args(argv)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
