"""The production stack's gunicorn, for real: the timing log of ops/gunicorn_timing.py and the
one-queue settings of ops/stack.py (issue 20). No database is needed: /healthz reads none."""

import http.client
import socket
import time

import pytest

from ops.gunicorn_timing import LOG_ENV
from ops.stack import Stack


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(tmp_path, **kwargs) -> tuple[Stack, object]:
    log = tmp_path / "timing.log"
    stack = Stack(database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}", data_dir=tmp_path / "data", port=free_port(),
                  web_workers=1, threads=2, task_workers=0, setup=False, env={LOG_ENV: str(log)},
                  gunicorn_args=["--config", "python:ops.gunicorn_timing"], **kwargs)
    stack.start()
    return stack, log


def get(conn: http.client.HTTPConnection, headers: dict) -> http.client.HTTPResponse:
    conn.request("GET", "/healthz", headers=headers)
    response = conn.getresponse()
    assert response.read().strip() == b"ok"
    return response


def lines_for(log, path: str, count: int) -> list[list[str]]:
    """The log's lines of ``path`` once ``count`` are there (post_request writes after the answer)."""
    deadline = time.monotonic() + 30
    while True:
        found = [line.split() for line in (log.read_text().splitlines() if log.exists() else [])
                 if line.split()[1:2] == [path]]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_timing_log_has_queue_read_handle_and_the_clients_wait(tmp_path):
    stack, log = start(tmp_path, accept_when_free=False)  # gthread's defaults: kept-alive connections
    try:
        conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
        sent = time.time() - 0.25  # as if the client had sent it a quarter of a second ago
        first = get(conn, {"X-Request-Start": f"t={sent:.6f}"})
        assert first.getheader("Connection", "").lower() != "close"
        get(conn, {})  # the same connection, no stamp
        conn.close()
        lines = lines_for(log, "/healthz", 2)
    finally:
        stack.stop()
    assert len(lines) == 2, log.read_text()
    (method, _path, queue, read, handle, sent_ms, pid, kind, ready), second = lines
    assert method == "GET" and kind == "new" and second[7] == "kept"
    assert all(float(value) >= 0 for value in (queue, read, handle))
    assert 250 <= float(sent_ms) < 30_000  # the stamp is read: at least the quarter of a second
    assert second[5] == "-"  # no stamp, no guess
    assert pid.isdigit() and abs(float(ready) - time.time()) < 120
    assert "127.0.0.1" not in log.read_text()  # no client address


def test_stack_workers_accept_only_with_a_free_thread(tmp_path):
    stack, log = start(tmp_path)  # the stack's default: --worker-connections = threads, no keep-alive
    try:
        conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
        response = get(conn, {})
        conn.close()
        gunicorn_log = (stack.log_dir / "gunicorn.log").read_text()
    finally:
        stack.stop()
    assert response.getheader("Connection", "").lower() == "close"
    assert "No keepalived connections" not in gunicorn_log  # keep-alive is off, not silently capped
    assert lines_for(log, "/healthz", 1)[0][7] == "new"


@pytest.mark.parametrize("value", ["", "t=not-a-time"])
def test_a_bad_stamp_is_ignored(tmp_path, value):
    stack, log = start(tmp_path)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
        get(conn, {"X-Request-Start": value})
        conn.close()
        lines = lines_for(log, "/healthz", 1)
    finally:
        stack.stop()
    assert lines and lines[0][5] == "-"
