import pytest

from cases.states import (
    OPEN,
    STUDY_OPEN,
    STUDY_STEPS,
    TRANSITIONS,
    Status,
    TransitionError,
    actions_allowed,
    can_move,
    require_move,
    study_section,
)


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


# --- What the case page offers in each status ---------------------------------------------

@pytest.mark.parametrize(("status", "actions"), [
    (Status.REGISTERED, {"start_study", "merge", "extend_study", "schedule_clarification", "record_minutes",
                         "assess_evidence"}),
    (Status.IN_STUDY, {"propose", "merge", "extend_study", "schedule_clarification", "record_minutes",
                       "assess_evidence"}),
    (Status.AWAITING_APPROVAL, {"approve", "return"}),
    (Status.DECIDED, set()),
    (Status.MERGED, set()),
])
def test_the_actions_a_status_allows(status, actions):
    assert actions_allowed(status) == actions


def test_every_move_is_an_allowed_action_of_its_starting_status():
    for (current, _target), action in TRANSITIONS.items():
        assert action in actions_allowed(current)


def test_the_study_steps_are_offered_exactly_while_the_study_is_open():
    for status in Status:
        offered = STUDY_STEPS & actions_allowed(status)
        assert offered == (STUDY_STEPS if status in STUDY_OPEN else set())


@pytest.mark.parametrize(("status", "section"), [
    (Status.REGISTERED, ""),
    (Status.IN_STUDY, "proposal"),
    (Status.AWAITING_APPROVAL, "summary"),
    (Status.DECIDED, "summary"),
    (Status.MERGED, ""),
])
def test_the_study_section_of_the_case_page(status, section):
    assert study_section(status) == section


def test_the_proposal_form_shows_where_a_proposal_can_be_made():
    for status in Status:
        assert (study_section(status) == "proposal") is ("propose" in actions_allowed(status))
