import pytest

from cases.states import OPEN, TRANSITIONS, Status, TransitionError, can_move, require_move


@pytest.mark.parametrize(("current", "target", "allowed"), [
    ("registered", "in_study", True),
    ("registered", "decided", False),
    ("in_study", "awaiting_approval", True),
    ("awaiting_approval", "decided", True),
    ("awaiting_approval", "in_study", True),
    ("decided", "in_study", False),
    ("merged", "in_study", False),
    ("in_study", "merged", True),
    ("awaiting_approval", "merged", False),
])
def test_case_moves(current, target, allowed):
    assert can_move(current, target) is allowed


def test_no_move_leaves_a_decided_or_merged_case():
    assert not [pair for pair in TRANSITIONS if pair[0] in (Status.DECIDED, Status.MERGED)]


def test_open_statuses_are_those_with_a_clock():
    assert OPEN == {Status.REGISTERED, Status.IN_STUDY, Status.AWAITING_APPROVAL}


def test_an_illegal_move_names_both_statuses():
    with pytest.raises(TransitionError, match=str(Status.DECIDED.label)):
        require_move(Status.DECIDED, Status.IN_STUDY)
