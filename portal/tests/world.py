"""A small public world for the tests that walk or fuzz every public page.

One report with its tracking code, one register entry, a signed pledge, a socialization
event with its check-in code and tests: each public page then has something to show.
Made through the real services. Import the fixture into a test module to use it.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.conf import settings


@dataclass
class World:
    report: object
    code: str
    election: object
    employee: object
    event: object
    pledge: object
    violation: object

    @property
    def verify_token(self) -> str:
        from prevention import codes

        return codes.signed_token(self.pledge.code, settings.SECRET_KEY)


@pytest.fixture
def world(places, offices, agencies, staff_beltim, rules) -> World:
    from prevention.models import Theme
    from prevention.services import event_create, pledge_sign
    from registry.factories import EmployeeFactory
    from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, report_submit
    from reports.tracking import new_submission_token
    from rules.models import Election, Violation

    election = Election.objects.get(pk="pilkada-2024")
    receipt = report_submit(submission=ReportSubmission(
        election=election, region=places["manggar"], place="Kantor camat", known_on=date(2024, 11, 11),
        description="ASN ikut kampanye terbuka pasangan calon.",
        reporter=ReporterIdentity(name="Siti Aminah", address="Manggar"),
        reported=[ReportedPersonInput(name="Budi Santoso", position="Camat")],
    ), submission_token=new_submission_token())
    employee = EmployeeFactory(name="Ani Lestari", agency=agencies["beltim"], unit=agencies["dinkes_beltim"])
    theme = Theme.objects.filter(active=True).order_by("pk").first()
    event = event_create(actor=staff_beltim, theme=theme, title="Sosialisasi Netralitas ASN", held_on=date(2024, 10, 8),
                         place="Kantor Bawaslu Beltim", election=election, with_tests=True)
    pledge, _created = pledge_sign(employee=employee, election=election, typed_name=employee.name)
    violation = Violation.objects.filter(active=True).order_by("position", "pk").first()
    return World(report=receipt.report, code=receipt.code, election=election, employee=employee, event=event,
                 pledge=pledge, violation=violation)
