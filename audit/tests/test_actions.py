"""Every audit action name is registered with a description (audit/actions.py)."""

import re
from pathlib import Path

import pytest

from audit.actions import ACTIONS, UnregisteredAction, describe, is_registered

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "agreements", "api", "audit", "cases", "demo", "exports", "followup", "intake", "letters", "netral",
        "ops", "organizations", "portal", "prevention", "regions", "registry", "reports", "rules")
# A name written in a call: audit_record(action="..."), _move(..., action="..."), or a conditional pair.
WRITTEN = re.compile(r"""action\s*=\s*(?:"([a-z_]+\.[a-z_]+)"|\(?"([a-z_]+\.[a-z_]+)"\s+if\s+.+?\s+else\s+"([a-z_]+\.[a-z_]+)")""")
ASSIGNED = re.compile(r"""\b(?:action|ACTION)\s*=\s*"([a-z_]+\.[a-z_]+)"(?:\s+if\s+.+?\s+else\s+"([a-z_]+\.[a-z_]+)")?""")


def names_in_source() -> dict[str, str]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for pattern in (WRITTEN, ASSIGNED):
                for match in pattern.finditer(text):
                    for name in match.groups():
                        if name:
                            found[name] = str(path.relative_to(ROOT))
    return found


def test_every_action_written_in_the_code_is_registered():
    found = names_in_source()
    assert len(found) > 80  # the scan itself works
    unregistered = {name: path for name, path in found.items() if not is_registered(name)}
    assert unregistered == {}


def test_every_registered_action_is_used_somewhere():
    found = names_in_source()
    unused = sorted(set(ACTIONS) - set(found))
    assert unused == []


def test_every_action_has_a_sentence():
    for name, text in ACTIONS.items():
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", name)
        assert text.endswith(".") and len(text) > 20, name


@pytest.mark.django_db
def test_an_unregistered_action_is_refused_and_writes_nothing():
    from audit.models import AuditEntry
    from audit.services import audit_record

    with pytest.raises(UnregisteredAction):
        audit_record(actor=None, action="case.teleported", target="case:1")
    assert not AuditEntry.objects.filter(action="case.teleported").exists()
    assert describe("theme.changed").startswith("An administrator changed")
