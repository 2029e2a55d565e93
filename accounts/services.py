"""Writes on accounts that views and commands share."""

from base64 import b32decode

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from audit.services import audit_record


@transaction.atomic
def demo_totp_set(*, usernames: list[str], password: str, secret: str, reset: bool = False) -> dict[str, str]:
    """Gives the demo logins one known authenticator key (base32 ``secret``).

    Only accounts named in ``usernames`` that still have the public demo ``password`` get it:
    such an account loses nothing by a public key, and a real account that happens to share
    a demo username (say "admin") is never touched. An account that set up an app of its own
    keeps it unless ``reset``. Returns each account's outcome: "created", "reset", "kept" or
    "already".
    """
    key = b32decode(secret).hex()
    outcomes: dict[str, str] = {}
    has_demo_password: dict[str, bool] = {}  # seed_demo hashes the password once for all
    for user in User.objects.filter(username__in=usernames).order_by("username"):
        if user.password not in has_demo_password:
            has_demo_password[user.password] = user.check_password(password)
        if not has_demo_password[user.password]:
            continue
        device = TOTPDevice.objects.filter(user=user, name="default").first()
        if device is None:
            TOTPDevice.objects.create(user=user, name="default", key=key, confirmed=True)
            outcomes[user.username] = "created"
        elif device.key == key and device.confirmed:
            outcomes[user.username] = "already"
        elif reset:
            device.key, device.confirmed, device.last_t = key, True, -1
            device.save(update_fields=["key", "confirmed", "last_t"])
            outcomes[user.username] = "reset"
        else:
            outcomes[user.username] = "kept"
    changed = sorted(name for name, outcome in outcomes.items() if outcome in {"created", "reset"})
    if changed:
        audit_record(actor=None, action="demo.totp_set", target="demo:1", data={"accounts": changed})
    return outcomes
