import pytest

from reports.states import FINAL, Status, TransitionError, require_staff_move, staff_can_move, staff_targets


@pytest.mark.parametrize(("current", "target", "anonymous", "allowed"), [
    ("received", "in_review", False, True),
    ("received", "registered", False, False),
    ("in_review", "registered", False, True),
    ("in_review", "registered", True, False),
    ("in_review", "information", True, True),
    ("in_review", "information", False, False),
    ("in_review", "needs_completion", False, True),
    ("needs_completion", "in_review", False, True),
    ("registered", "in_review", False, False),
    ("withdrawn", "in_review", False, False),
])
def test_staff_moves(current, target, anonymous, allowed):
    assert staff_can_move(current, target, anonymous=anonymous) is allowed


def test_final_statuses_allow_no_staff_move():
    for status in FINAL:
        assert staff_targets(status, anonymous=False) == []
        assert staff_targets(status, anonymous=True) == []


def test_an_illegal_move_names_both_statuses():
    with pytest.raises(TransitionError) as error:
        require_staff_move(Status.RECEIVED, Status.REGISTERED, anonymous=False)
    assert str(Status.RECEIVED.label) in str(error.value)
