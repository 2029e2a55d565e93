"""Short pauses of Python's cycle collector in a long-running web process (issue 20).

CPython's full collection (generation 2) walks every object the collector tracks. A Netral web
process holds about 190,000 of them once it has served a few pages (modules, models, URL
patterns, compiled templates, the rule catalog, the translation catalogs), and on the measured
machine a full collection took 110 ms. A page that makes many objects (the national compliance
dashboard, 143 KB of HTML) set one off every few requests, so that page's p95 was two to three
times its p50 (docs/performance.md).

``gc.freeze()`` moves every object alive at that moment into a permanent generation that the
collector no longer walks: a full collection then takes about a millisecond. The web process
(netral/wsgi.py) freezes once it is warm: after its 1st, 10th and 100th request, each time right
after a full collection, so that no garbage is frozen. An object frozen then and freed later by
reference counting is freed as usual; only a reference cycle among frozen objects that becomes
garbage afterwards would be kept, and the caches that make up this heap are not dropped while
the process lives. The task workers and the test suite do not freeze.
"""

from __future__ import annotations

import gc
import threading

from django.core.signals import request_finished

FREEZE_AFTER = (1, 10, 100)  # requests served by this process

_lock = threading.Lock()
_served = 0


def freeze() -> int:
    """Collect the garbage, then freeze what is alive; answer the number of frozen objects."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def _request_finished(sender, **kwargs) -> None:
    global _served
    with _lock:
        _served += 1
        due, last = _served in FREEZE_AFTER, _served >= FREEZE_AFTER[-1]
    if last:
        request_finished.disconnect(dispatch_uid=__name__)
    if due:
        freeze()


def freeze_when_warm() -> None:
    """Freeze the heap after the process's first requests (``FREEZE_AFTER``)."""
    request_finished.connect(_request_finished, dispatch_uid=__name__, weak=False)
