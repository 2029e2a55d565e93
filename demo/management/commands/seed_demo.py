"""``manage.py seed_demo``: a demo installation for Belitung Timur and its neighbours.

Idempotent and deterministic: run it again and nothing is duplicated. The steps live in
demo.seed (and demo.reports); this command runs them in one transaction, records one
audit entry when something was created or changed, and prints the logins.
"""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from audit.services import audit_record
from demo.agreements import seed_agreements
from demo.followup import seed_followup
from demo.officials import seed_officials
from demo.onboarding import seed_onboarding
from demo.prevention import seed_prevention
from demo.reports import demo_tracking_codes, seed_reports
from demo.seed import (
    demo_accounts,
    demo_password,
    seed_accounts,
    seed_reference,
    seed_register,
    validate_demo_password,
)
from rules.models import Election
from rules.services import rules_load

URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "Load the demo data set: regions, Bawaslu offices, agencies, a synthetic ASN register, logins."

    def add_arguments(self, parser):
        parser.add_argument("--reset-passwords", action="store_true",
                            help="Give existing demo accounts the demo password again.")
        parser.add_argument("--url", default=URL,
                            help="The address the server will answer on, printed at the end (make run passes "
                                 "its HOST and PORT).")

    def handle(self, *args, reset_passwords=False, url=URL, **options):
        started = time.monotonic()
        password = demo_password()
        try:
            validate_demo_password(password)  # before anything is written
        except ValidationError as error:
            raise CommandError("The demo password is refused: " + " ".join(error.messages)) from None
        with transaction.atomic():
            if not Election.objects.exists():  # the demo's reports need the rule catalog
                rules_load()
            counts = {}
            counts.update(seed_reference())
            counts.update(seed_register())
            counts.update(seed_accounts(password=password, reset_passwords=reset_passwords))
            counts.update(seed_officials())  # before any letter: each is signed by its office's head
            reports = seed_reports(self.stdout)
            counts.update(seed_prevention())
            counts.update(seed_agreements())
            counts.update(seed_onboarding())  # Bangka half-onboarded (/staf/pemda/)
            if reports:
                counts["reports_created"] = reports
            followup = seed_followup(self.stdout)
            if followup:
                counts["followup_steps"] = followup
            if counts:
                audit_record(actor=None, action="demo.seeded", target="demo:1", data=counts)
        elapsed = time.monotonic() - started

        if options["verbosity"] >= 1:
            summary = ", ".join(f"{key} {value}" for key, value in counts.items()) or "nothing new"
            self.stdout.write(f"Demo data ready in {elapsed:.1f} s: {summary}.")
            self._print_logins(password, reset_passwords, url)

    def _print_logins(self, password, reset_passwords, url):
        accounts = User.objects.select_related("bawaslu_office", "agency", "unit").filter(
            username__in=[account["username"] for account in demo_accounts()])
        users = {user.username: user for user in accounts}
        rows = [("username", "role", "office / agency")]
        for account in demo_accounts():
            user = users[account["username"]]
            place = user.bawaslu_office or user.agency or "-"
            if user.unit:  # a unit head: the unit, then its agency
                place = f"{user.unit.name}, {place}"
            rows.append((user.username, user.role, str(place)))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        for index, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write("")
        self.stdout.write(f"Password for every login: {password}")
        if not reset_passwords:
            self.stdout.write("(accounts that existed before keep their password; "
                              "--reset-passwords resets them)")
        self.stdout.write("Tracking codes of demo reports (enter one at /lacak/):")
        for code, story in demo_tracking_codes():
            self.stdout.write(f"  {code}  {story[:60]}")
        self.stdout.write(f"Open {url}")
