"""Second-factor helpers for tests: a confirmed authenticator app, its current code, a verified session."""

from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "kata-sandi-uji-123"  # the cast's password (conftest.py)


def confirmed_totp_device(user) -> TOTPDevice:
    """The user's authenticator app, as the setup page would have confirmed it.

    two_factor only asks for codes of the device named "default".
    """
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="default",
                                                        defaults={"confirmed": True})
    return device


def totp_code(device: TOTPDevice) -> str:
    """The six digits the phone shows now, computed from the device's key as the app does."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def verify_otp_session(client, user) -> None:
    """Marks the client's session as verified by the user's app, as django_otp.login() does."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_totp_device(user).persistent_id
    session.save()


def log_in(client, username: str, *, code=None, password: str = PASSWORD, **extra):
    """The login wizard's steps: the password, then (if ``code`` is given) the app's code."""
    url = reverse("accounts:login")
    response = client.post(url, {"login_view-current_step": "auth", "auth-username": username,
                                 "auth-password": password}, **extra)
    if code is not None:
        response = client.post(url, {"login_view-current_step": "token", "token-otp_token": code}, **extra)
    return response
