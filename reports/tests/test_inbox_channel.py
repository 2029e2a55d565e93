"""The inbox shows the channel a report came by and filters by it, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import Report
from reports.tests.test_staff import file_report

pytestmark = pytest.mark.django_db
INBOX = reverse("reports:inbox")


def _file(places, election, channel):
    report = file_report(places["manggar"], election)
    Report.objects.filter(pk=report.pk).update(channel=channel)
    return report


def test_the_inbox_shows_the_channel_and_filters_by_it(client, staff_beltim, places, offices, election):
    web = _file(places, election, Report.Channel.WEB)
    chat = _file(places, election, Report.Channel.WHATSAPP)
    client.force_login(staff_beltim)
    page = client.get(INBOX).content.decode()
    assert 'channel-whatsapp">WhatsApp<' in page and "channel-web" in page
    filtered = client.get(INBOX, {"channel": "whatsapp"})
    assert [report.pk for report in filtered.context["page"]] == [chat.pk]
    assert web.number not in filtered.content.decode()
    assert client.get(INBOX, {"channel": "sms"}).context["page"].paginator.count == 0


def test_the_inbox_takes_as_many_queries_for_twenty_reports_as_for_one(client, staff_beltim, places, offices,
                                                                       election):
    client.force_login(staff_beltim)
    _file(places, election, Report.Channel.SMS)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INBOX, {"channel": ""}).status_code == 200
        return len(queries)

    one = count()
    for index in range(19):
        _file(places, election, [Report.Channel.WEB, Report.Channel.TELEGRAM][index % 2])
    assert count() == one
