import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from audit.selectors import audit_chain_first_broken
from audit.services import audit_record

pytestmark = pytest.mark.django_db


def make_entries(count=3):
    return [audit_record(actor=None, action="demo.seeded", target=f"thing:{n}", data={"n": n}) for n in range(count)]


def test_each_entry_commits_to_the_previous_one():
    first, second, third = make_entries()
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert audit_chain_first_broken() is None


def test_an_edited_entry_breaks_the_chain_and_is_named(capsys):
    _first, second, _third = make_entries()
    AuditEntry.objects.filter(pk=second.pk).update(data={"n": 99})
    assert audit_chain_first_broken() == second
    with pytest.raises(CommandError, match=f"entry {second.pk}"):
        call_command("verify_audit")


def test_a_deleted_entry_breaks_the_chain_at_the_next_one():
    _first, second, third = make_entries()
    AuditEntry.objects.filter(pk=second.pk).delete()
    assert audit_chain_first_broken() == third


def test_the_command_reports_an_intact_chain(capsys):
    make_entries()
    call_command("verify_audit")
    assert f"{AuditEntry.objects.count()} entries" in capsys.readouterr().out
