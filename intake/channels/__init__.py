"""Which adapter serves each channel: the configured provider, else the fake one where allowed."""

from django.conf import settings

from intake.channels.base import Adapter
from intake.channels.email import MailAdapter
from intake.channels.fake import FakeAdapter
from intake.channels.sms import SmsGatewayAdapter
from intake.channels.telegram import TelegramAdapter
from intake.channels.whatsapp import WhatsAppAdapter

PROVIDERS = {"whatsapp": WhatsAppAdapter, "telegram": TelegramAdapter, "sms": SmsGatewayAdapter}


def provider_for(channel: str) -> Adapter | None:
    """The real provider of ``channel`` if its settings are complete: what a webhook must be signed by."""
    provider = PROVIDERS.get(channel)
    return provider.from_settings() if provider else None


def adapter_for(channel: str) -> Adapter | None:
    """The provider that fetches and sends for ``channel``: the real one, else the fake one if it is on."""
    if channel == MailAdapter.channel:  # no webhook: e-mail comes from a mailbox (intake/mail.py)
        return MailAdapter.from_settings()
    adapter = provider_for(channel)
    if adapter is None and channel in PROVIDERS and settings.NETRAL_INTAKE_FAKE:
        adapter = FakeAdapter(channel)
    return adapter


def fake_channels() -> list[str]:
    """The channels the fake provider serves now (those without a configured provider)."""
    if not settings.NETRAL_INTAKE_FAKE:
        return []
    return [channel for channel in PROVIDERS if provider_for(channel) is None]
