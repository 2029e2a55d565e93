from django.core.management.base import BaseCommand, CommandError

from intake.channels.base import ProviderError
from intake.channels.email import ImapMailbox
from intake.mail import mailbox_fetch


class Command(BaseCommand):
    help = ("Read the unseen messages of the reporting mailbox (NETRAL_MAIL_IMAP_*, over TLS): each becomes a "
            "report or is answered with the template, once by its Message-ID, then is flagged seen (or moved to "
            "NETRAL_MAIL_IMAP_DONE_FOLDER). Run it every minute or two; without NETRAL_MAIL_IMAP_HOST it does nothing.")

    def handle(self, *args, **options):
        mailbox = ImapMailbox.from_settings()
        if mailbox is None:
            self.stdout.write("No mailbox: NETRAL_MAIL_IMAP_HOST is not set.")
            return
        try:
            counts = mailbox_fetch(mailbox=mailbox)
        except ProviderError as error:
            raise CommandError(str(error)) from None
        summary = ", ".join(f"{outcome} {count}" for outcome, count in sorted(counts.items())) or "no new message"
        self.stdout.write(f"Reporting mailbox: {summary}.")
