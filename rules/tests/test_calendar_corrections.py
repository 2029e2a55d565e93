from datetime import date

import pytest

from rules.models import CalendarDay
from rules.selectors import deadline_compute, holiday_calendar

pytestmark = pytest.mark.django_db


def test_an_added_collective_leave_day_is_skipped_by_working_day_rules():
    before = deadline_compute("pemilu", "report", date(2026, 9, 1)).due
    CalendarDay.objects.create(date=date(2026, 9, 3), name_id="Cuti bersama tambahan", name_en="Extra collective leave",
                               source="SKB 3 Menteri (perubahan), contoh uji")
    after = deadline_compute("pemilu", "report", date(2026, 9, 1))
    assert before == date(2026, 9, 10) and after.due == date(2026, 9, 11)
    assert "Cuti bersama tambahan" in after.explanation


def test_a_removed_day_of_the_file_counts_again():
    assert date(2024, 12, 26) in holiday_calendar("id")
    CalendarDay.objects.create(date=date(2024, 12, 26), name_id="Cuti bersama Natal", name_en="Christmas leave",
                               removed=True, source="contoh uji")
    assert date(2024, 12, 26) not in holiday_calendar("id")


def test_calendar_days_do_not_move_calendar_day_rules():
    CalendarDay.objects.create(date=date(2024, 11, 13), name_id="Libur", name_en="Day off", source="contoh uji")
    assert deadline_compute("pilkada", "study", date(2024, 11, 12)).due == date(2024, 11, 15)
