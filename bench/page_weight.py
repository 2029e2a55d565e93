#!/usr/bin/env python3
"""Page weight and paint times of the public pages on a slow phone (``make bench-pages``, issue 18).

Starts the production stack (ops/stack.py: gunicorn, hashed and pre-compressed static files,
NETRAL_DEBUG off) on a fresh database (PostgreSQL if ``--database-url``/``DATABASE_URL`` names one,
else SQLite in a temporary folder) with the demo data, then opens each page in Debian's Chromium
(headless, driven through the DevTools protocol by the Playwright library of the browser tests,
with the system's Chromium: no browser download) on a phone viewport, cold: a new browser profile
(empty cache, no cookies) for every visit, with

- network throttling as Chrome DevTools' "Slow 3G" (Network.emulateNetworkConditions): 400 ms
  round trip, 400 kbit/s down and up;
- CPU throttling 4x (Emulation.setCPUThrottlingRate).

For each page: the bytes transferred (encoded sizes of every response, headers included),
first contentful paint, DOMContentLoaded and load, the median of ``--runs`` visits (3). Pages:
home, the report form, the tracking page and the statistics page.

Exit status 1 when the report form misses its budget: first contentful paint above 2.5 s, or
30 KB (30,000 bytes) or more transferred before any photo is chosen. ``--record`` inserts the
figures into docs/performance.md.

    .venv/bin/python bench/page_weight.py [--runs 3] [--database-url postgres://...] [--record]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

sys.path.insert(0, str(BASE_DIR / "bench"))

import run as bench_run  # noqa: E402  (bench/run.py: machine, load and commit labels)

from ops.stack import Stack, drop_database, recreate_database  # noqa: E402

DOC = BASE_DIR / "docs" / "performance.md"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PAGES = [("home", "/"), ("report form", "/lapor/"), ("tracking", "/lacak/"), ("statistics", "/statistik/")]
BUDGET_PAGE = "report form"
BUDGET_FCP_MS = 2500
BUDGET_BYTES = 30_000
# Chrome DevTools' "Slow 3G" as the issue states it: 400 ms round trip, 400 kbit/s each way
# (DevTools' throughput is in bytes per second).
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}
CPU_SLOWDOWN = 4
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
TIMINGS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  return {fcp: fcp ? fcp.startTime : null, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd};
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def visit(browser, base_url: str, path: str) -> dict:
    """One cold visit: a new profile, throttled; the bytes and times of the page and its files."""
    context = browser.new_context(**PHONE, locale="id-ID")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        sizes: dict[str, float] = {}
        urls: dict[str, str] = {}
        cdp.on(
            "Network.requestWillBeSent",
            lambda event: urls.__setitem__(event["requestId"], event["request"]["url"]),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
        )
        # data: URLs (the date input's own calendar icon) cross no network
        url = base_url + path
        response = page.goto(url, wait_until="load", timeout=120_000)
        if response is None or response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status if response else 'no answer'}")
        page.wait_for_function(
            "performance.getEntriesByType('navigation')[0].loadEventEnd > 0", timeout=60_000
        )
        time.sleep(0.5)  # a late request (the manifest) finishes and is counted
        timings = page.evaluate(TIMINGS)
        files = {
            urls.get(request_id, request_id).removeprefix(base_url): size
            for request_id, size in sizes.items()
            if not urls.get(request_id, "").startswith("data:")
        }
        return {**timings, "bytes": sum(files.values()), "files": files}
    finally:
        context.close()


def measure(base_url: str, runs: int) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise SystemExit("Chromium is not installed: run `make system-deps` (Debian package chromium).")
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-sync",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        try:
            for name, path in PAGES:
                # The server's first answer (templates compiled, caches filled) is not measured.
                warm_up = browser.new_page()
                warm_up.goto(base_url + path)
                warm_up.close()
                samples = [visit(browser, base_url, path) for _ in range(runs)]
                results[name] = {
                    "path": path,
                    **{
                        key: statistics.median(sample[key] for sample in samples)
                        for key in ("bytes", "fcp", "dcl", "load")
                    },
                    "files": samples[-1]["files"],
                }
                row = results[name]
                print(
                    f"{name:12} {path:12} {row['bytes'] / 1000:6.1f} kB  FCP {row['fcp']:6.0f} ms  "
                    f"DCL {row['dcl']:6.0f} ms  load {row['load']:6.0f} ms",
                    flush=True,
                )
                for file, size in sorted(row["files"].items(), key=lambda item: -item[1]):
                    print(f"{'':14}{size / 1000:6.1f} kB  {file}")
        finally:
            browser.close()
    return results


def budget_failures(results: dict[str, dict]) -> list[str]:
    form = results[BUDGET_PAGE]
    failures = []
    if form["fcp"] > BUDGET_FCP_MS:
        failures.append(
            f"the report form's first contentful paint is {form['fcp']:.0f} ms (budget {BUDGET_FCP_MS} ms)"
        )
    if form["bytes"] >= BUDGET_BYTES:
        failures.append(f"the report form transfers {form['bytes']:.0f} bytes (budget under {BUDGET_BYTES})")
    return failures


def database_label(url: str) -> str:
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as connection:
            version = connection.info.server_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    import sqlite3  # the library Django's SQLite backend uses in this interpreter

    return f"SQLite {sqlite3.sqlite_version}"


def chromium_version() -> str:
    import subprocess

    try:
        return subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "Chromium"


def record(
    results: dict[str, dict], *, database: str, runs: int, busy: float | None, failures: list[str]
) -> None:

    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### {now} · page weight (Slow 3G, 4x CPU) · {database} · {bench_run.commit_label()}",
        "",
        f"- Machine: {bench_run.machine_label(busy)}",
        f"- {chromium_version()}, headless, 360x740 phone viewport; Slow 3G (400 ms, 400 kbit/s each way), "
        f"CPU 4x slower; cold (new profile, cache off); median of {runs} visits; production stack "
        "(gunicorn, hashed pre-compressed static files)",
        "",
        "| page | transferred | first contentful paint | DOMContentLoaded | load |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, row in results.items():
        lines.append(
            f"| {name} (`{row['path']}`) | {row['bytes'] / 1000:.1f} kB | {row['fcp'] / 1000:.2f} s | "
            f"{row['dcl'] / 1000:.2f} s | {row['load'] / 1000:.2f} s |"
        )
    lines += [
        "",
        "Budget of the report form (first contentful paint under 2.5 s, under 30 kB): "
        + ("met." if not failures else "MISSED: " + "; ".join(failures) + "."),
    ]
    marker = "<!-- bench/run.py inserts each new result below this line, newest first. -->\n"
    text = DOC.read_text()
    section = "\n".join(lines) + "\n"
    DOC.write_text(
        text.replace(marker, marker + "\n" + section, 1) if marker in text else text + "\n" + section
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="cold visits per page, the median is kept (3)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL to create and drop (default: SQLite in a temporary folder)",
    )
    parser.add_argument("--record", action="store_true", help="add the figures to docs/performance.md")
    args = parser.parse_args(argv)

    data_dir = Path(tempfile.mkdtemp(prefix="netral-pages-"))
    url = args.database_url or f"sqlite:///{data_dir / 'netral.sqlite3'}"
    postgres = url.startswith("postgres")
    if postgres:
        recreate_database(url)
    stack = Stack(
        database_url=url,
        data_dir=data_dir / "stack",
        port=free_port(),
        web_workers=1,
        threads=4,
        task_workers=0,
    )
    try:
        stack.start()
        stack.manage("seed_demo")
        database = database_label(url)
        print(
            f"pages: {stack.url}, {database}, Slow 3G and CPU {CPU_SLOWDOWN}x, {args.runs} cold visits each",
            flush=True,
        )
        busy = bench_run.cpu_busy()  # other work on the machine slows the paints
        results = measure(stack.url, args.runs)
    finally:
        stack.stop()
        if postgres:
            drop_database(url)
        shutil.rmtree(data_dir, ignore_errors=True)
    failures = budget_failures(results)
    for failure in failures:
        print(f"BUDGET MISSED: {failure}")
    if not failures:
        print(f"budget met: the report form under {BUDGET_FCP_MS} ms first paint and {BUDGET_BYTES} bytes")
    if args.record:
        record(results, database=database, runs=args.runs, busy=busy, failures=failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
