"""Issue 15's migrations, run for real: cases.Letter becomes letters.Letter and no letter is lost.

The test builds a forwarded case and BKN's recommendation through the services (three
letters), migrates the database back to where cases.Letter lived (before letters 0001),
adds a clarification with its invitation letter there as the old code wrote it, and
migrates forward again: every row keeps its id, number and file, the case links move to
cases.CaseLetter, the issuers are filled in, and the next letter continues the year's
numbers. It runs on SQLite and on PostgreSQL, whichever the suite runs on.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

OLD = [("cases", "0006_case_pinned_rules"), ("followup", "0002_decision_sha256_of_stored_copy"),
       ("letters", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


@pytest.fixture
def back_to_the_newest():
    """Whatever happens, the database ends at the newest migrations (the next tests need them)."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_letters_made_before_the_move_survive_it(recommended, forwarded, staff_beltim, offices, authority_bkn,
                                                 back_to_the_newest):
    from letters.models import Letter

    before = {row["pk"]: row for row in Letter.objects.values("pk", "number", "kind", "file", "sha256")}
    case = forwarded.case
    assert len(before) == 3  # forward-authority and the announcement (Beltim), recommendation-ppk (BKN)

    old = migrate(OLD)
    OldLetter = old.get_model("cases", "Letter")
    assert "cases_letter" in connection.introspection.table_names()
    assert dict(OldLetter.objects.values_list("pk", "case_id")) == {pk: case.pk for pk in before}
    NumberSequence = old.get_model("reports", "NumberSequence")
    assert dict(NumberSequence.objects.filter(scope__startswith="letter:").values_list("scope", "last")) == {
        f"letter:{offices['beltim'].pk}": 2, f"letter:agency:{authority_bkn.agency_id}": 1}

    # The old code's clarification and invitation, written at the old state.
    invitation = OldLetter.objects.create(
        case_id=case.pk, kind="clarification-invitation", number="003/PP.01.02/K.BB-06/12/2024",
        addressee="Rudi Hartono", file="letters/old/invitation.pdf", sha256="a" * 64, created_by_id=staff_beltim.pk)
    NumberSequence.objects.filter(scope=f"letter:{offices['beltim'].pk}").update(last=3)
    clarification = old.get_model("cases", "Clarification").objects.create(
        case_id=case.pk, party="reported", name="Rudi Hartono", scheduled_at="2024-12-03T09:00:00+07:00",
        place="Kantor Bawaslu", invitation_id=invitation.pk)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    from cases.models import CaseLetter, Clarification
    from followup.models import Recommendation
    from letters.models import LetterSequence
    from letters.services import letter_issue
    from letters.tests.samples import forward_other
    from reports.models import NumberSequence as Sequence

    tables = connection.introspection.table_names()
    assert "letters_letter" in tables and "cases_letter" not in tables
    after = {row["pk"]: row for row in Letter.objects.values("pk", "number", "kind", "file", "sha256")}
    assert {pk: after[pk] for pk in before} == before
    assert after[invitation.pk]["number"] == "003/PP.01.02/K.BB-06/12/2024"
    assert dict(CaseLetter.objects.values_list("letter_id", "case_id")) == {pk: case.pk for pk in after}
    assert set(case.letters.values_list("pk", flat=True)) == set(after)
    assert Clarification.objects.get(pk=clarification.pk).invitation_id == invitation.pk
    assert Recommendation.objects.get(pk=recommended.pk).letter.number == before[recommended.letter_id]["number"]
    issuers = {letter.kind: (letter.office_id, letter.agency_id, letter.language) for letter in Letter.objects.all()}
    beltim = offices["beltim"].pk
    assert issuers == {"forward-authority": (beltim, None, "id"), "status-announcement": (beltim, None, "id"),
                       "clarification-invitation": (beltim, None, "id"),
                       "recommendation-ppk": (None, authority_bkn.agency_id, "id")}

    # The numbers moved with their last value: the next Beltim letter of 2024 is the fourth.
    assert not Sequence.objects.filter(scope__startswith="letter:").exists()
    assert dict(LetterSequence.objects.values_list("issuer", "last")) == {
        f"office:{beltim}": 3, f"agency:{authority_bkn.agency_id}": 1}
    context = forward_other()
    del context["date"], context["number"]
    letter = letter_issue(kind="forward-other", context=context, addressee="Inspektorat", actor=staff_beltim,
                          office=offices["beltim"])
    assert letter.number == "004/PP.01.02/K.BB-06/12/2024"
