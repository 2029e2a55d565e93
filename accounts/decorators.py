"""The one guard of the staff pages, and the mark of the pages open to everyone.

``staff_view(capability)``: logged in (else the login page), then holding ``capability``
(accounts/permissions.py) else 403, or 404 with ``hide=True`` where even a page's existence
is not for others (the agreements). Which object the user may open is the business of the
app's ``access_*`` door, inside the view. ``public`` marks a page that needs no login. Each
view carries its ``guard``, so a test walks the URLs and fails on an unguarded staff view
(accounts/tests/test_guards.py).
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.permissions import Capability, can


@dataclass(frozen=True)
class Guard:
    capability: Capability | None  # None: open to everyone
    hide: bool = False


PUBLIC = Guard(capability=None)


def staff_view(capability: Capability, *, hide: bool = False):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not can(request.user, capability):
                raise Http404 if hide else PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.guard = Guard(capability=capability, hide=hide)
        return wrapper

    return decorator


def public(view):
    """A page for everyone, logged in or not (the reporter's, the ASN's): said, not forgotten."""
    view.guard = PUBLIC
    return view
