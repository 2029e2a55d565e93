"""The agreement's clauses as pure rules, with seed 000's dates (signed 23 August 2022, 3 years, 30 days)."""

from datetime import date

import pytest

from agreements import terms

SIGNED = date(2022, 8, 23)
ENDS = terms.term_end(SIGNED, 3)


def test_three_years_from_signing_end_the_day_before_the_anniversary():
    assert ENDS == date(2025, 8, 22)
    assert terms.term_end(date(2024, 2, 29), 1) == date(2025, 2, 27)


@pytest.mark.parametrize("today, status, days_left, warning", [
    (date(2022, 8, 22), terms.NOT_IN_FORCE, None, False),
    (date(2022, 8, 23), terms.ACTIVE, 1095, False),
    (date(2025, 5, 24), terms.ACTIVE, 90, True),
    (date(2025, 5, 23), terms.ACTIVE, 91, False),
    (date(2025, 8, 22), terms.ACTIVE, 0, True),
    (date(2025, 8, 23), terms.EXPIRED, None, False),
])
def test_the_term_and_its_expiry_warning(today, status, days_left, warning):
    state = terms.term_state(signed_on=SIGNED, ends_on=ENDS, terminated_on=None, today=today, warn_days=90)
    assert (state.status, state.days_left, state.warning) == (status, days_left, warning)


def test_an_early_end_takes_effect_on_its_day_not_before():
    before = terms.term_state(signed_on=SIGNED, ends_on=ENDS, terminated_on=date(2024, 3, 1),
                              today=date(2024, 2, 29), warn_days=90)
    after = terms.term_state(signed_on=SIGNED, ends_on=ENDS, terminated_on=date(2024, 3, 1),
                             today=date(2024, 3, 1), warn_days=90)
    assert before.status == terms.ACTIVE and after.status == terms.TERMINATED


@pytest.mark.parametrize("notice_on, effective_on, reasons, problem", [
    (date(2024, 1, 1), date(2024, 1, 31), "Anggaran tidak tersedia.", None),  # exactly 30 days
    (date(2024, 1, 1), date(2024, 1, 30), "Anggaran tidak tersedia.", "notice_too_short"),
    (date(2024, 1, 1), date(2024, 2, 15), "   ", "reasons"),
    (date(2022, 8, 1), date(2022, 9, 30), "Alasan.", "notice_before_signing"),
    (date(2025, 8, 1), date(2025, 9, 1), "Alasan.", "after_the_end"),
])
def test_termination_needs_written_reasons_thirty_days_ahead(notice_on, effective_on, reasons, problem):
    if problem is None:
        terms.check_termination(notice_on=notice_on, effective_on=effective_on, notice_days=30, signed_on=SIGNED,
                                ends_on=ENDS, reasons=reasons)
        return
    with pytest.raises(terms.TermError) as error:
        terms.check_termination(notice_on=notice_on, effective_on=effective_on, notice_days=30, signed_on=SIGNED,
                                ends_on=ENDS, reasons=reasons)
    assert str(error.value) == problem


def test_an_addendum_is_in_force_only_when_both_parties_approve():
    assert terms.addendum_in_force(first_approved_on=date(2023, 1, 5), second_approved_on=None) is None
    assert terms.addendum_in_force(first_approved_on=None, second_approved_on=date(2023, 1, 5)) is None
    assert terms.addendum_in_force(first_approved_on=date(2023, 1, 9),
                                   second_approved_on=date(2023, 1, 5)) == date(2023, 1, 9)
