"""The repeat offenders' stored figures (cases.person_elections, issue 20): equal to a whole rebuild
after every write that changes them, in the write's transaction.

Each test writes, then checks that the stored rows equal what ``person_elections_rebuild`` makes of
the live rows, and that the write did change them (so that stale figures would have been caught). A
control writes past the models (the base manager's update()) and finds the figures stale.
"""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from cases.models import Case, CasePerson, PersonElection
from cases.person_elections import _live, _rows, person_elections_rebuild
from cases.person_key import entry_key, refresh_person_keys
from cases.services import case_merge

pytestmark = pytest.mark.django_db

_number = iter(range(1, 10_000))


def _case(office, election, places, staff, *, status=Case.Status.REGISTERED):
    return Case.objects.create(
        number=f"{next(_number):03d}/LP/PL/Kab/19.06/XI/2024", kind=Case.Kind.REPORT, office=office,
        region=places["manggar"], election=election, status=status, summary="ASN ikut kampanye.", place="Manggar",
        known_on=date(2024, 11, 11), registered_on=date(2024, 11, 11), registered_by=staff, due_on=date(2024, 11, 20))


def _snapshot():
    return sorted(PersonElection.objects.values_list("person_key", "election_id", "office_id", "persons", "name_key"))


def _rebuilt():
    """What a whole rebuild would store now, computed from the live rows without storing it."""
    return sorted((row.person_key, row.election_id, row.office_id, row.persons, row.name_key)
                  for row in _rows(PersonElection, _live(CasePerson, None)))


@pytest.fixture
def world(offices, places, election, pemilu, staff_beltim):
    """Budi (typed) in a Pilkada and a Pemilu case at Belitung Timur: a repeat offender; Ani once."""
    pilkada_case = _case(offices["beltim"], election, places, staff_beltim)
    pemilu_case = _case(offices["beltim"], pemilu, places, staff_beltim)
    CasePerson.objects.create(case=pilkada_case, name="Budi Santoso", unit="Dinas Pendidikan")
    CasePerson.objects.create(case=pemilu_case, name="Drs. Budi Santoso", unit="dinas pendidikan")
    CasePerson.objects.create(case=pilkada_case, name="Ani Lestari", unit="Dinkes")
    return {"pilkada": pilkada_case, "pemilu": pemilu_case}


BUDI = "n:budi santoso|dinas pendidikan"
ANI = "n:ani lestari|dinkes"


def test_only_keys_of_two_elections_are_stored(world, election, pemilu, offices):
    assert _snapshot() == sorted([(BUDI, election.pk, offices["beltim"].pk, 1, "budi santoso"),
                                  (BUDI, pemilu.pk, offices["beltim"].pk, 1, "budi santoso")])
    assert _snapshot() == _rebuilt()


def test_a_person_created_saved_and_deleted_keeps_the_figures(world):
    before = _snapshot()
    ani = CasePerson.objects.create(case=world["pemilu"], name="Ani Lestari", unit="DINKES")  # now of two elections
    after = _snapshot()
    assert after != before and after == _rebuilt()
    assert {key for key, *_rest in after} == {BUDI, ANI}

    ani.unit = "Dinas Kesehatan"  # another key: Ani is of one election again
    ani.save()
    assert {key for key, *_rest in _snapshot()} == {BUDI}
    assert _snapshot() == _rebuilt()

    ani.unit = "Dinkes"
    ani.save(update_fields=["unit"])
    assert {key for key, *_rest in _snapshot()} == {BUDI, ANI}
    ani.delete()
    assert {key for key, *_rest in _snapshot()} == {BUDI}
    assert _snapshot() == _rebuilt()


def test_bulk_create_a_queryset_update_and_delete_keep_the_figures(world, election, offices, places, staff_beltim):
    third = _case(offices["beltim"], election, places, staff_beltim)
    CasePerson.objects.bulk_create([CasePerson(case=world["pemilu"], name="Ani Lestari", unit="Dinkes"),
                                    CasePerson(case=third, name="Budi Santoso", unit="Dinas Pendidikan")])
    assert {(key, persons) for key, election_id, _o, persons, _n in _snapshot() if election_id == election.pk} == {
        (ANI, 1), (BUDI, 2)}
    assert _snapshot() == _rebuilt()

    CasePerson.objects.filter(case=world["pemilu"]).update(case=third)  # every pemilu person moved
    assert _snapshot() == [] == _rebuilt()

    CasePerson.objects.filter(case=third, name="Ani Lestari").update(case=world["pemilu"])
    assert {key for key, *_rest in _snapshot()} == {ANI}
    CasePerson.objects.filter(case=world["pemilu"]).delete()
    assert _snapshot() == [] == _rebuilt()


def test_a_person_moved_to_another_case_by_save_keeps_the_figures(world, election, offices, places, staff_beltim):
    budi = CasePerson.objects.get(case=world["pemilu"])
    budi.case = _case(offices["beltim"], election, places, staff_beltim)
    budi.save(update_fields=["case"])
    assert _snapshot() == [] == _rebuilt()


def test_a_case_deleted_with_its_persons_keeps_the_figures(world):
    world["pemilu"].delete()
    assert _snapshot() == [] == _rebuilt()


@pytest.mark.parametrize("how", ["save", "update"])
def test_a_case_moved_to_another_election_or_office_keeps_the_figures(world, election, offices, how):
    before = _snapshot()
    case = Case.objects.get(pk=world["pemilu"].pk)
    if how == "save":
        case.election = election
        case.save()
    else:
        Case.objects.filter(pk=case.pk).update(election=election)
    assert _snapshot() == [] == _rebuilt() != before

    Case.objects.filter(pk=case.pk).update(election=world["pemilu"].election)
    assert _snapshot() == before
    case = Case.objects.get(pk=case.pk)
    case.office = offices["bangka"]
    if how == "save":
        case.save(update_fields=["office"])
    else:
        Case.objects.filter(pk=case.pk).update(office=offices["bangka"])
    after = _snapshot()
    assert after != before and after == _rebuilt()
    assert {office for _k, _e, office, *_rest in after} == {offices["beltim"].pk, offices["bangka"].pk}


def test_a_status_change_costs_no_query_for_the_figures(world, django_assert_num_queries):
    case = Case.objects.get(pk=world["pemilu"].pk)
    case.status = Case.Status.IN_STUDY
    with django_assert_num_queries(1):  # the UPDATE alone: not merged before or after
        case.save()


def test_a_merge_leaves_the_merged_case_out(world, offices, places, election, pemilu, staff_beltim):
    """The merged case's persons are not counted; those copied to the target are."""
    before = _snapshot()
    target = _case(offices["beltim"], election, places, staff_beltim)
    CasePerson.objects.create(case=target, name="Drs. Budi Santoso", unit="dinas pendidikan")  # known: not copied
    case_merge(source=world["pemilu"], target=target, actor=staff_beltim)
    assert Case.objects.get(pk=world["pemilu"].pk).status == Case.Status.MERGED
    after = _snapshot()
    assert after != before and after == _rebuilt()
    assert after == []  # Budi is of the Pilkada only now


def test_a_merge_copies_persons_counted_on_the_target(world, offices, places, pemilu, staff_beltim):
    target = _case(offices["beltim"], pemilu, places, staff_beltim)
    before = _snapshot()
    case_merge(source=world["pilkada"], target=target, actor=staff_beltim)  # Budi and Ani copied to a Pemilu case
    after = _snapshot()
    assert after == _rebuilt()
    assert after != before and after == []  # the Pilkada case is merged: nobody of two elections


def test_a_registered_person_re_resolving_typed_ones_keeps_the_figures(world, agencies, pemilu):
    """rekey_names: typed persons of an entry's name and agency become that entry's person."""
    from registry.factories import EmployeeFactory

    budi = EmployeeFactory(agency=agencies["beltim"], name="Budi Santoso")
    for person in CasePerson.objects.filter(name__icontains="budi"):
        person.unit = budi.agency.name  # typed with the entry's agency
        person.save()
    before = _snapshot()
    assert before == _rebuilt() and {key for key, *_rest in before} == {
        "n:budi santoso|pemerintah kabupaten belitung timur"}
    CasePerson.objects.create(case=world["pemilu"], employee=budi, name=budi.name)
    after = _snapshot()
    assert after != before and after == _rebuilt()
    assert {key for key, *_rest in after} == {entry_key(budi.pk)}


def test_the_key_refresh_keeps_the_figures_and_a_write_past_the_models_does_not(world):
    before = _snapshot()
    # Past the models (the base manager, not CasePersonQuerySet): keys and figures are left stale.
    CasePerson._base_manager.filter(case=world["pemilu"]).update(person_key="n:someone else|x")
    assert _snapshot() == before != _rebuilt()
    assert refresh_person_keys(CasePerson) == 1  # the key is recomputed, and the figures of both keys
    assert _snapshot() == before == _rebuilt()


def test_the_rebuild_command_is_idempotent(world, capsys):
    before = _snapshot()
    PersonElection.objects.all().delete()
    call_command("rebuild_person_elections")
    assert _snapshot() == before == _rebuilt()
    assert person_elections_rebuild() == 2 and _snapshot() == before
    assert "2 rows" in capsys.readouterr().out
    entries = AuditEntry.objects.filter(action="cases.person_elections_rebuilt")
    assert [entry.data for entry in entries] == [{"rows": 2}, {"rows": 2}]


def test_a_refresh_costs_the_same_queries_whatever_the_key_holds(world, election, pemilu, offices, places,
                                                                 staff_beltim):
    def create_one():
        with CaptureQueriesContext(connection) as queries:
            CasePerson.objects.create(case=world["pilkada"], name="Budi Santoso", unit="Dinas Pendidikan")
        return len(queries.captured_queries)

    few = create_one()
    cases = [_case(offices[name], elec, places, staff_beltim) for name in ("beltim", "bangka") for elec in
             (election, pemilu) for _ in range(10)]
    CasePerson.objects.bulk_create([CasePerson(case=case, name="Budi Santoso", unit="Dinas Pendidikan")
                                    for case in cases])
    assert create_one() == few
    assert _snapshot() == _rebuilt()
