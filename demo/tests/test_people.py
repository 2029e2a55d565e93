"""The demo people are drawn the same way every time, and fit the register's rules. No database."""

from collections import Counter

from demo.people import PNS, PPPK, REFERENCE_DATE, plan_register, split_by_weight
from registry.nip import parse_pns_nip, parse_pppk_ni


def test_the_plan_is_the_same_on_every_run():
    first, second = plan_register(), plan_register()
    assert [plan.people for plan in first] == [plan.people for plan in second]


def test_numbers_are_unique_across_agencies_and_valid_for_their_kind():
    people = [person for plan in plan_register() for person in plan.people]
    nips = [person.nip for person in people if person.nip]
    assert len(nips) == len(set(nips))
    for person in people:
        if person.kind in (PNS, PPPK):
            parse = parse_pns_nip if person.kind == PNS else parse_pppk_ni
            parts = parse(person.nip, today=REFERENCE_DATE)
            assert (parts.birth_date, parts.gender) == (person.birth_date, person.gender)


def test_every_unit_has_a_pns_head_with_the_unit_s_head_position():
    for plan in plan_register():
        for unit in plan.units:
            assert unit.head.kind == PNS
            assert unit.head.position == unit.head_position
            assert "{" not in unit.head_position
            assert len({person.name for person in unit.people}) == len(unit.people)


def test_ranks_follow_the_kind():
    people = [person for plan in plan_register() for person in plan.people]
    ranks = Counter((person.kind, person.rank.split(" (")[0] if person.kind == PNS else person.rank)
                    for person in people)
    assert all(rank.startswith("Golongan ") for kind, rank in ranks if kind == PPPK)
    assert all(rank == "" for kind, rank in ranks if kind == "contract")
    assert ranks[(PNS, "Penata Muda")] > 0


def test_split_by_weight_adds_up():
    assert split_by_weight(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(split_by_weight(3000, [130, 55, 45, 7])) == 3000
