from datetime import date

import pytest

from cases import requirements as reqs
from cases.services import Check
from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, report_submit
from reports.tracking import new_submission_token


def all_met(regime="pilkada"):
    return [Check(r.id, True) for r in reqs.for_regime(regime)]


def file_report(region, election, *, anonymous=False, name="Budi Santoso", known_on=None, nik="1906014107850001"):
    submission = ReportSubmission(
        election=election, region=region, place="Kantor camat", known_on=known_on or date(2024, 11, 11),
        occurred_on=date(2024, 11, 10), description="ASN ikut kampanye terbuka pasangan calon di lapangan.",
        reporter=None if anonymous else ReporterIdentity(name="Siti Aminah", address="Manggar", nik=nik),
        reported=[ReportedPersonInput(name=name, position="Camat")], links=["https://example.org/post/1"],
    )
    return report_submit(submission=submission, submission_token=new_submission_token()).report


@pytest.fixture(autouse=True)
def _during_the_pilkada(time_machine):
    """Cases are tested in the week after reports came in, before the 2024 voting day."""
    time_machine.move_to("2024-11-12 10:00 +07:00")


@pytest.fixture
def election(rules):
    from rules.models import Election

    return Election.objects.get(pk="pilkada-2024")


@pytest.fixture
def pemilu(rules):
    from rules.models import Election

    return Election.objects.get(pk="pemilu-2024")


@pytest.fixture
def report_beltim(places, offices, election, staff_beltim):
    from reports.services import report_change_status

    report = file_report(places["manggar"], election)
    return report_change_status(report=report, actor=staff_beltim, to_status="in_review")
