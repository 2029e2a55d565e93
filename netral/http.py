"""Facts about the incoming request that several apps need."""

import hashlib
import hmac

from django.conf import settings


def client_address(request) -> str:
    """The client's address, trusting exactly NETRAL_TRUSTED_PROXIES hops of X-Forwarded-For."""
    hops = settings.NETRAL_TRUSTED_PROXIES
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def pseudonym(value: str) -> str:
    """A rate-limit key for ``value`` that is never stored in clear.

    Keyed HMAC: the cache holds only a pseudonym that changes with the installation's
    secret key, and it expires with the rate-limit window.
    """
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def address_key(group, request) -> str:
    """A rate-limit key for the client address (a pseudonym, see above)."""
    return pseudonym(client_address(request))


def session_key(group, request) -> str:
    """A rate-limit key for the browser session, started if the visitor has none yet."""
    if not request.session.session_key:
        request.session["rate_limited"] = True
        request.session.save()
    return request.session.session_key


def failure_budget_spent(request, *, prefix: str, per_session: str, per_address: str, increment: bool) -> bool:
    """True once the session or the client address has used up its budget of wrong tries.

    Two budgets (django-ratelimit, in the shared cache): a small one per browser session and a
    larger one per address, so that an office behind one address is not locked out by one
    visitor. ``increment`` counts one more wrong try.
    """
    from django_ratelimit.core import get_usage

    limited = False
    for group, key, rate in ((f"{prefix}-session", session_key, per_session),
                             (f"{prefix}-address", address_key, per_address)):
        usage = get_usage(request, group=group, key=key, rate=rate, increment=increment)
        limited = limited or (usage is not None and usage["count"] >= usage["limit"])
    return limited
