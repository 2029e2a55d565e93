"""The staff landing page ("/staf/"): what needs the account today, by role (portal/staff_home.py)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import staff_view
from accounts.permissions import Capability
from netral.clock import due_soon_until
from portal.staff_home import staff_summary


@require_GET
@staff_view(Capability.USE_STAFF_PAGES)
def staff_home(request):
    return render(
        request,
        "portal/staff_home.html",
        {
            "summary": staff_summary(request.user),
            "horizon": due_soon_until(),
        },
    )
