"""Issue 19: a messaging channel cannot ask the reporter, so the one intake service keeps an event
outside every election's supervised stages as information, and the tracking page says why."""

import pytest

from intake.tests.test_services import _up_to_evidence, fake, send  # noqa: F401 (fixtures)
from reports.models import Report
from reports.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("today", "kept_as_information"), [
    pytest.param("2024-11-12 09:00 +07:00", False, id="during-the-pilkada-a-report"),
    pytest.param("2026-12-01 09:00 +07:00", True, id="long-after-every-election-information"),
])
def test_a_channel_report_of_today_is_judged_by_the_elections_stages(send, time_machine, today,
                                                                     kept_as_information):
    time_machine.move_to(today, tick=False)
    _up_to_evidence(send)  # "HARI INI": it became known today, no date of the event
    send(photo=jpeg_bytes())
    send("SELESAI")
    send("TIDAK")
    send("YA")
    report = Report.objects.get()
    assert report.outside_stages is kept_as_information
    assert report.status == ("information" if kept_as_information else "received")
