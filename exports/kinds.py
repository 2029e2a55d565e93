"""The kinds of background export, registered by the apps that export.

DESIGN.md: a lower app never imports a higher one. ``exports`` sits just above accounts so
that every app that exports can use it; it knows no export itself. An app registers each of
its exports with ``export_kind_register`` in its AppConfig.ready() (as cases/hooks.py and
audit/actions.py keep their registries), and the services here only call what it gave:

- ``build(*, user, params, out, progress)`` writes the file into the binary file ``out``, as
  ``user`` may read it *when it runs* (the worker, maybe minutes after the click), and calls
  ``progress(percent)`` now and then (every batch: it costs one UPDATE when the figure moves);
- ``may_access(user, params)`` says whether ``user`` may still have this file: asked again at
  every look at the job and every download, because a file built for a role and a
  jurisdiction must not follow its reader into another one (``False``: the job is a 404).

``params`` is JSON (what the job row keeps); ``filename(params)`` is the name the download gets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Builder = Callable[..., None]


@dataclass(frozen=True)
class ExportKind:
    key: str  # "<app>.<what>", stored in ExportJob.kind
    label: Any  # what the list of exports calls it (a lazy translation)
    content_type: str
    build: Builder
    may_access: Callable[[Any, dict], bool]
    filename: Callable[[dict], str]
    # Where the page that asked for it lives (the export list links back to it); None: nowhere.
    source_url: Callable[[dict], str] | None = None


EXPORT_KINDS: dict[str, ExportKind] = {}


def export_kind_register(kind: ExportKind) -> None:
    """Register ``kind``; registering it again (``ready()`` run twice) keeps the first."""
    EXPORT_KINDS.setdefault(kind.key, kind)


def export_kind(key: str) -> ExportKind | None:
    return EXPORT_KINDS.get(key)
