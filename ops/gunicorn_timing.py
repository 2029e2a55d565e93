"""Where a request's time goes inside gunicorn: queued, read, handled (bench/load.py).

A gunicorn configuration module (``gunicorn -c python:ops.gunicorn_timing``) for the load
runs; it imports nothing from Django and changes nothing a request sees. It swaps the
``gthread`` worker for a subclass that stamps three moments of every request and writes
one line per request to the file named by ``NETRAL_GUNICORN_TIMING_LOG``:

- ``ready``: the worker's main thread saw the request come (a new connection accepted, or a
  kept-alive connection became readable) and put it in the thread pool's queue;
- ``taken``: a worker thread took it from the queue;
- ``parsed``: the request line and headers are read (gunicorn's ``pre_request``);
- ``done``: the response is written (``post_request``).

So ``queue`` = taken - ready (waiting for a free thread of this worker), ``read`` = parsed -
taken (reading the headers), ``handle`` = done - parsed (what gunicorn's own access log
``%(M)s`` measures: Django, the body upload, writing the answer). A client may send
``X-Request-Start: t=<unix seconds>`` (the convention of nginx and of hosted platforms): then
``sent`` = taken - t is the whole wait from the client's send to a thread, including the
kernel's listen backlog and the main thread's own delay (one clock: same machine only).

A line: ``<method> <path> <queue ms> <read ms> <handle ms> <sent ms or -> <worker pid> <new|kept>
<ready, unix time>``.
No client address, no query string, no header value (docs/threat-model.md). Without the
environment variable the worker is the plain ``gthread`` one and nothing is written.
"""

from __future__ import annotations

import os
import threading
import time

from gunicorn.workers.gthread import ThreadWorker

LOG_ENV = "NETRAL_GUNICORN_TIMING_LOG"
_local = threading.local()
_fd: int | None = None


class TimedThreadWorker(ThreadWorker):
    """gunicorn's gthread worker with the moments of the module doc stamped."""

    def enqueue_req(self, conn):
        conn.netral_ready = time.monotonic()
        conn.netral_ready_wall = time.time()
        conn.netral_kept = conn.initialized  # a connection that served a request before
        super().enqueue_req(conn)

    def handle(self, conn):
        _local.ready = getattr(conn, "netral_ready", None)
        _local.ready_wall = getattr(conn, "netral_ready_wall", 0.0)
        _local.kept = getattr(conn, "netral_kept", False)
        _local.taken = time.monotonic()
        _local.taken_wall = time.time()
        _local.parsed = None
        return super().handle(conn)


def _client_sent(req) -> float | None:
    for name, value in req.headers:
        if name == "X-REQUEST-START":
            value = value.strip()
            try:
                return float(value[2:] if value.startswith("t=") else value)
            except ValueError:
                return None
    return None


def pre_request(worker, req):
    _local.parsed = time.monotonic()


def post_request(worker, req, environ, resp):
    global _fd
    path = os.environ.get(LOG_ENV)
    ready, taken, parsed = getattr(_local, "ready", None), getattr(_local, "taken", None), getattr(_local, "parsed", None)
    if not path or ready is None or taken is None or parsed is None:
        return
    done = time.monotonic()
    sent = _client_sent(req)
    sent_ms = f"{(_local.taken_wall - sent) * 1000:.1f}" if sent else "-"
    line = (f"{req.method} {req.path} {(taken - ready) * 1000:.1f} {(parsed - taken) * 1000:.1f} "
            f"{(done - parsed) * 1000:.1f} {sent_ms} {os.getpid()} {'kept' if _local.kept else 'new'} {_local.ready_wall:.3f}\n")
    if _fd is None:
        _fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.write(_fd, line.encode())  # one write per line with O_APPEND: lines of all workers stay whole
    _local.ready = _local.parsed = None


# gunicorn reads these names from a configuration module.
worker_class = "ops.gunicorn_timing.TimedThreadWorker" if os.environ.get(LOG_ENV) else "gthread"
