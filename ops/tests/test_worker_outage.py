"""A worker outlives a database outage (PostgreSQL).

The worker reaches PostgreSQL through a TCP relay that the test owns. Cutting the relay
(every open connection dropped, new ones refused) is what a PostgreSQL restart or a network
cut looks like from the worker; db_worker alone would exit on the first error. After the
relay comes back, the same process must take the next task.
"""

import socket
import threading

import pytest
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ops.tests.test_worker_kill import ROWS, database_url, start_worker, wait_for
from registry.models import Employee, ImportJob
from registry.services.import_jobs import import_job_commit
from registry.services.preview import import_job_from_rows

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the relay stands in front of PostgreSQL"),
]


class Relay:
    """Forwards 127.0.0.1:<port> to the database server; ``cut()`` drops every connection and
    turns new ones away, ``restore()`` forwards again.

    The listener keeps its port for the whole test: closing and binding it again could find the
    port taken meanwhile (another process's ephemeral port, or a client's reconnect that the
    kernel connected to itself).
    """

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.forwarding = True
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def restore(self):
        with self.lock:
            self.forwarding = True

    def cut(self):
        with self.lock:
            self.forwarding = False
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self.sockets.clear()

    def close(self):
        self.cut()
        self.listener.close()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            with self.lock:
                if not self.forwarding:
                    client.close()  # the outage: the connection is dropped at once
                    continue
            server = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.close()
                except OSError:
                    pass


def test_a_worker_keeps_working_after_the_database_went_away(settings, tmp_path, pemda_beltim, agencies):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    db = connection.settings_dict
    relay = Relay((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    url = database_url().replace(f":{db['PORT'] or 5432}/", f":{relay.port}/")
    log = tmp_path / "worker.log"
    worker = start_worker("host-outage", log, url=url)
    try:
        wait_for(lambda: "Starting worker" in log.read_text(), "the worker starting", worker, log)
        relay.cut()
        wait_for(lambda: "the database is unavailable" in log.read_text(), "the worker noticing the outage",
                 worker, log)
        assert worker.poll() is None  # still alive
        relay.restore()

        job = import_job_from_rows(actor=pemda_beltim, agency=agencies["beltim"], rows=ROWS, partner="SIASN")
        import_job_commit(job=job, actor=pemda_beltim, full_export=False)
        task = DBTaskResult.objects.get()
        wait_for(lambda: DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.SUCCESSFUL,
                 "the same worker running the next task", worker, log)
    finally:
        worker.kill()
        worker.wait()
        relay.close()
    assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.COMMITTED
    assert Employee.objects.count() == len(ROWS)
