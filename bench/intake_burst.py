#!/usr/bin/env python3
"""The burst bench of the messaging channels (issue 17): WhatsApp webhooks at a steady rate, nothing lost.

Starts the production stack (ops/stack.py: gunicorn, task workers, a fresh database:
PostgreSQL if ``--database-url``/``DATABASE_URL`` names one, else SQLite in the data folder)
with WhatsApp configured against a local stand-in for the Graph API (it answers each send
with a new id), then POSTs signed webhooks shaped as Meta sends them, at ``--rate`` messages
per second for ``--duration`` seconds, from many simulated reporters: each one a whole short
conversation ending in ``YA`` (a report). A share of the messages (``--retries``) is posted a
second time with the same provider id, as Meta retries. After the burst it waits until the
workers have processed everything, then checks in the database that every message was stored
exactly once and processed, and that every finished conversation is a report.

Prints the webhook latency (p50/p95/p99), the time until the queue drained and the checks;
``--record`` adds the figures to docs/performance.md. Exit status 1 if a check fails.

    .venv/bin/python bench/intake_burst.py [--rate 50 --duration 60 --task-workers 2] [--record]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import http.client
import json
import os
import platform
import queue
import random
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from ops.stack import Stack, drop_database, recreate_database  # noqa: E402

DOC = BASE_DIR / "docs" / "performance.md"
APP_SECRET, PHONE_ID = "bench-app-secret", "106540352242922"
# One conversation, as a reporter answers the questions of intake/data/conversation.yaml.
SCRIPT = ["Halo", "1", "Kepala dinas memasang baliho calon bupati di depan kantornya.", "Budi Santoso",
          "Kepala Dinas", "Dinas Kesehatan", "Manggar", "Balai Desa Lalang", "10/11/2024", "HARI INI", "1",
          "SELESAI", "TIDAK", "YA"]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))] if ordered else 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def graph_stand_in():
    """The Graph API's send endpoint: a new message id for each reply, counted."""
    sent = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            sent.append(1)
            body = json.dumps({"messaging_product": "whatsapp", "messages": [{"id": f"wamid.out{len(sent)}"}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, sent


def webhook(sender: str, message_id: str, text: str, at: int) -> bytes:
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_ID},
             "contacts": [{"profile": {"name": "Pelapor"}, "wa_id": sender}],
             "messages": [{"from": sender, "id": message_id, "timestamp": str(at), "type": "text",
                           "text": {"body": text}}]}
    return json.dumps({"object": "whatsapp_business_account",
                       "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}]}).encode()


def plan(rate: float, duration: float, senders_at_once: int, retry_share: float, seed: int = 17):
    """(second, sender, message id, text) in sending order: conversations interleaved, retries among them."""
    rng = random.Random(seed)
    total = int(rate * duration)
    active = [[f"62812{n:07d}", 0, -9.0] for n in range(senders_at_once)]
    next_sender = senders_at_once
    events, retries = [], []
    for index in range(total):
        at = index / rate
        while retries and retries[0][0] <= at:
            events.append(retries.pop(0))
        # A person answers after reading the reply: a sender's next message comes a second or more later.
        ready = [n for n, (_, _, last) in enumerate(active) if at - last >= 1.0] or range(len(active))
        slot = rng.choice(list(ready))
        sender, step, _last = active[slot]
        active[slot][2] = at
        message_id = f"wamid.bench.{sender}.{step}"
        events.append((at, sender, message_id, SCRIPT[step]))
        if rng.random() < retry_share:
            retries.append((at + rng.uniform(0.5, 3.0), sender, message_id, SCRIPT[step]))
        if step + 1 == len(SCRIPT):
            active[slot] = [f"62812{next_sender:07d}", 0, at]
            next_sender += 1
        else:
            active[slot][1] += 1
    events += retries
    return events, total


def send_all(port: int, events, threads: int = 24):
    """Post every event at its time; the latency of each answer (seconds) and the failures."""
    jobs: queue.Queue = queue.Queue()
    latencies, failures, lock = [], [], threading.Lock()

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while (job := jobs.get()) is not None:
            body = job
            signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
            started = time.perf_counter()
            for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile: once more, anew
                try:
                    connection.request("POST", "/kanal/whatsapp/webhook/", body,
                                       {"Content-Type": "application/json", "X-Hub-Signature-256": signature})
                    answer = connection.getresponse()
                    answer.read()
                    status = answer.status
                    break
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    status = str(error)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    failures.append(status)
        connection.close()

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    start, now = time.monotonic(), int(time.time())
    for at, sender, message_id, text in sorted(events, key=lambda event: event[0]):
        delay = start + at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        jobs.put(webhook(sender, message_id, text, now + int(at)))
    for _ in pool:
        jobs.put(None)
    for thread in pool:
        thread.join()
    return latencies, failures, time.monotonic() - start


def check(events, drain_timeout: float):
    """Wait until the queue is drained; what the database holds against what was sent."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from intake.models import Conversation, InboundMessage
    from reports.models import Report

    started = time.monotonic()
    while time.monotonic() - started < drain_timeout:
        waiting = InboundMessage.objects.filter(processed_at__isnull=True).count()
        queued = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()
        if not waiting and not queued:
            break
        time.sleep(0.5)
    drained = time.monotonic() - started
    ids = {message_id for _, _, message_id, _ in events}
    finished = {sender for _, sender, message_id, _ in events if message_id.endswith(f".{len(SCRIPT) - 1}")}
    stored = list(InboundMessage.objects.filter(channel="whatsapp").values_list("provider_id", flat=True))
    completed = Conversation.objects.filter(channel="whatsapp", outcome="completed", report__isnull=False).count()
    steps = Counter(Conversation.objects.filter(channel="whatsapp", outcome="open").values_list("step", flat=True))
    result = {
        "sent_unique": len(ids), "stored": len(stored), "stored_distinct": len(set(stored)),
        "missing": len(ids - set(stored)), "unprocessed": InboundMessage.objects.filter(processed_at__isnull=True).count(),
        "errors": InboundMessage.objects.exclude(error="").count(),
        "finished_conversations": len(finished), "completed": completed,
        "open_at_step": dict(steps),
        "reports": Report.objects.filter(channel="whatsapp").count(), "drain_seconds": drained,
        "database": (f"PostgreSQL {connection.pg_version // 10000}" if connection.vendor == "postgresql"
                     else f"SQLite {connection.Database.sqlite_version}"),
    }
    result["ok"] = (result["stored"] == result["stored_distinct"] == result["sent_unique"] and not result["missing"]
                    and not result["unprocessed"] and not result["errors"]
                    and result["completed"] == result["reports"] == result["finished_conversations"])
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=50.0, help="messages per second (50)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of burst (60)")
    parser.add_argument("--senders", type=int, default=60, help="conversations going on at once (60)")
    parser.add_argument("--retries", type=float, default=0.03, help="share of messages posted twice (0.03)")
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""),
                        help="PostgreSQL to create and drop (default: SQLite in a temporary folder)")
    parser.add_argument("--drain-timeout", type=float, default=600.0)
    parser.add_argument("--record", action="store_true", help="add the figures to docs/performance.md")
    args = parser.parse_args(argv)

    data_dir = Path(tempfile.mkdtemp(prefix="netral-burst-"))
    url = args.database_url or f"sqlite:///{data_dir / 'netral.sqlite3'}"
    postgres = url.startswith("postgres")
    graph, replies = graph_stand_in()
    env = {"NETRAL_WHATSAPP_APP_SECRET": APP_SECRET, "NETRAL_WHATSAPP_VERIFY_TOKEN": "bench",
           "NETRAL_WHATSAPP_ACCESS_TOKEN": "bench", "NETRAL_WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
           "NETRAL_WHATSAPP_GRAPH_URL": f"http://127.0.0.1:{graph.server_address[1]}/v21.0",
           "NETRAL_INTAKE_FAKE": "0", "NETRAL_PUBLIC_URL": "http://127.0.0.1"}
    events, planned = plan(args.rate, args.duration, args.senders, args.retries)
    if postgres:
        recreate_database(url)
    stack = Stack(database_url=url, data_dir=data_dir / "stack", port=free_port(), web_workers=args.web_workers,
                  threads=args.threads, task_workers=args.task_workers, env=env)
    try:
        stack.start()
        stack.manage("seed_demo")
        print(f"burst: {planned} messages at {args.rate:g}/s for {args.duration:g} s, "
              f"{len(events) - planned} retries, against {stack.url}", flush=True)
        latencies, failures, took = send_all(stack.port, events)
        os.environ.update(stack.env)
        import django

        django.setup()
        result = check(events, args.drain_timeout)
    finally:
        stack.stop()
        graph.shutdown()
        if postgres:
            drop_database(url)
        shutil.rmtree(data_dir, ignore_errors=True)
    result.update(posted=len(latencies), failed_posts=len(failures), failures_by_status=dict(Counter(map(str, failures))), send_seconds=took, replies=len(replies),
                  p50=percentile(latencies, 50) * 1000, p95=percentile(latencies, 95) * 1000,
                  p99=percentile(latencies, 99) * 1000, max=max(latencies, default=0) * 1000)
    result["ok"] = result["ok"] and not failures
    print(json.dumps(result, indent=2, default=str))
    if args.record:
        record(args, result)
    return 0 if result["ok"] else 1


def record(args, result) -> None:
    today = dt.date.today().isoformat()
    section = (
        f"\n## Messaging burst (bench/intake_burst.py), {result['database']}, {today}\n\n"
        f"- Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}; gunicorn "
        f"{args.web_workers}×{args.threads}, {args.task_workers} task workers, WhatsApp webhooks signed as Meta signs them\n"
        f"- {result['posted']} webhooks in {result['send_seconds']:.0f} s ({args.rate:g}/s planned, "
        f"{result['posted'] - result['sent_unique']} provider retries), {result['finished_conversations']} whole "
        f"conversations\n\n"
        "| figure | value |\n| --- | --- |\n"
        f"| webhook latency p50 / p95 / p99 / max | {result['p50']:.0f} / {result['p95']:.0f} / {result['p99']:.0f}"
        f" / {result['max']:.0f} ms |\n"
        f"| failed webhook posts | {result['failed_posts']} |\n"
        f"| queue drained after the burst | {result['drain_seconds']:.1f} s |\n"
        f"| messages stored (distinct ids sent) | {result['stored']} ({result['sent_unique']}) |\n"
        f"| finished conversations → reports | {result['finished_conversations']} → {result['reports']} |\n"
        f"| nothing lost | {'yes' if result['ok'] else 'NO'} |\n"
    )
    marker = "<!-- bench/run.py inserts each new result below this line, newest first. -->\n"
    text = DOC.read_text()
    DOC.write_text(text.replace(marker, marker + section.lstrip("\n") + "\n", 1) if marker in text else text + section)


if __name__ == "__main__":
    sys.exit(main())
