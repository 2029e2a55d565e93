"""``manage.py demo_totp``: one known authenticator key for the demo logins, printed for newcomers.

Every account needs a TOTP second factor (accounts.middleware). So that the demo logins of
``seed_demo`` work at once, this gives them all the same key and prints it: add it to any
authenticator app (or scan the printed QR code with ``--qr``). Only the demo accounts that
still have the public demo password get it (accounts.services.demo_totp_set).
"""

from io import StringIO

import qrcode
from django.core.management.base import BaseCommand
from two_factor.utils import get_otpauth_url

from accounts.services import demo_totp_set
from demo.seed import demo_accounts, demo_password

# Base32, 20 bytes. Public on purpose, like the demo password: demo accounts only.
DEMO_TOTP_SECRET = "NETRALDEMOBELITUNGTIMURTOTPKEYAA"


class Command(BaseCommand):
    help = "Give the demo logins a known TOTP key and print it for an authenticator app."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true",
                            help="Also replace an authenticator app that a demo account set up itself.")
        parser.add_argument("--qr", action="store_true", help="Also print the key as a QR code.")

    def handle(self, *args, reset=False, qr=False, **options):
        outcomes = demo_totp_set(usernames=[account["username"] for account in demo_accounts()],
                                 password=demo_password(), secret=DEMO_TOTP_SECRET, reset=reset)
        if options["verbosity"] < 1:
            return
        if not outcomes:
            self.stdout.write("No demo account has the demo password: no TOTP key given "
                              "(run seed_demo first).")
            return
        url = get_otpauth_url("demo", DEMO_TOTP_SECRET, issuer="Netral")
        grouped = " ".join(DEMO_TOTP_SECRET[i:i + 4] for i in range(0, len(DEMO_TOTP_SECRET), 4))
        with_key = [name for name, outcome in outcomes.items() if outcome != "kept"]
        self.stdout.write("Second factor of the demo logins: add this key to an authenticator app")
        self.stdout.write("(time-based, 6 digits, 30 s; e.g. FreeOTP, Aegis, Google Authenticator):")
        self.stdout.write(f"  {grouped}")
        self.stdout.write(f"  {url}")
        if qr:
            code, drawing = qrcode.QRCode(border=2), StringIO()
            code.add_data(url)
            code.print_ascii(out=drawing, invert=True)
            self.stdout.write(drawing.getvalue())
        self.stdout.write(f"Accounts with this key: {', '.join(with_key) or 'none'}")
        kept = [name for name, outcome in outcomes.items() if outcome == "kept"]
        if kept:
            self.stdout.write(f"Keep the app they set up themselves (--reset replaces it): {', '.join(kept)}")
