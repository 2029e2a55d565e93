"""The public statistics count the reports received by channel, on the page and in the open data."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from reports.models import Report
from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, report_submit
from reports.tracking import new_submission_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports_by_channel(places, offices, rules):
    from rules.models import Election

    election = Election.objects.get(pk="pilkada-2024")
    for channel in ("web", "whatsapp", "whatsapp", "sms"):
        submission = ReportSubmission(
            election=election, region=places["manggar"], place="Kantor camat", known_on=date(2024, 11, 11),
            description="ASN ikut kampanye terbuka pasangan calon.",
            reporter=ReporterIdentity(name="Siti Aminah", address="Manggar"),
            reported=[ReportedPersonInput(name="Budi Santoso", position="Camat")], channel=channel)
        report_submit(submission=submission, submission_token=new_submission_token())
    return election


def test_the_page_and_the_download_count_reports_by_channel(client, reports_by_channel):
    page = re.sub(r">\s+<", "><", client.get(reverse("portal:statistics")).content.decode())
    table = page.split('id="table-channels"', 1)[1].split("</table>", 1)[0]
    counts = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>', table))
    assert counts["WhatsApp"] == "2" and counts["SMS"] == "1" and counts["Telegram"] == "0"
    assert 'id="chart-channels' in page
    rows = csv.DictReader(io.StringIO(b"".join(
        client.get(reverse("portal:open_data_statistics", args=["csv"])).streaming_content).decode()))
    figures = {row["key"]: int(row["value"]) for row in rows if row["section"] == "channels"}
    assert figures == {channel: 0 for channel in Report.Channel.values} | {"web": 1, "whatsapp": 2, "sms": 1}


def test_the_channel_figures_follow_the_election_filter(client, reports_by_channel):
    response = client.get(reverse("portal:statistics"), {"election": "pemilu-2024"})
    assert all(figure.count == 0 for figure in response.context["stats"].channels)
    assert sum(f.count for f in client.get(reverse("portal:statistics")).context["stats"].channels) == 4
