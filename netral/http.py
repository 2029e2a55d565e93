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
