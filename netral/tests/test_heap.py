"""The web process freezes its warm heap, and freezes no garbage (netral/heap.py)."""

import gc
import importlib
import sys
import weakref

import pytest
from django.core.signals import request_finished

from netral import heap


class Node:
    def __init__(self):
        self.other = None


def connected() -> bool:
    return any(key[0] == heap.__name__ for key, *_rest in request_finished.receivers)


@pytest.fixture
def unfrozen(monkeypatch):
    monkeypatch.setattr(heap, "_served", 0)
    yield
    request_finished.disconnect(dispatch_uid=heap.__name__)
    gc.unfreeze()


def test_freeze_collects_the_garbage_before_freezing(unfrozen):
    first, second = Node(), Node()
    first.other, second.other = second, first  # a cycle: only the collector frees it
    dropped = weakref.ref(first)
    del first, second
    frozen = heap.freeze()
    assert dropped() is None  # collected, not frozen for the life of the process
    # What was frozen only leaves the permanent generation when it is freed (a temporary of the call, or
    # an object dropped by xdist's I/O thread meanwhile): the count may fall, never rise.
    assert 0 < gc.get_freeze_count() <= frozen


def test_the_process_freezes_after_its_1st_10th_and_100th_request(unfrozen, monkeypatch):
    frozen_at = []
    freeze = gc.freeze

    def recording_freeze():  # the standard library's, recorded (the count of frozen objects also
        frozen_at.append(heap._served)  # falls when a frozen object is freed: not a witness)
        freeze()

    monkeypatch.setattr(heap.gc, "freeze", recording_freeze)
    heap.freeze_when_warm()
    for _ in range(120):
        heap._request_finished(sender=None)  # as request_finished calls it (not sent: other receivers use the database)
    assert frozen_at == [1, 10, 100]
    assert gc.get_freeze_count() > 0
    assert not connected()  # nothing more to do per request


def test_the_wsgi_application_freezes_when_warm(unfrozen):
    if "netral.wsgi" in sys.modules:
        importlib.reload(sys.modules["netral.wsgi"])
    else:
        importlib.import_module("netral.wsgi")
    assert connected()
