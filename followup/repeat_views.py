"""Repeat offenders: the jurisdiction's list and the panel on a case page (thin over followup.repeat)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from accounts.decorators import staff_view
from accounts.permissions import Capability
from followup.repeat import repeat_of_case, repeat_offenders_for

PER_PAGE = 50


@require_GET
@staff_view(Capability.HANDLE_REPORTS)
def repeat_list(request):
    # A page at a time: the database groups and counts, only the page's persons are read (issue 20).
    number = request.GET.get("page")
    offenders = repeat_offenders_for(request.user, page=number, per_page=PER_PAGE)
    page = Paginator(offenders, PER_PAGE).get_page(number)
    return render(request, "followup/repeat_list.html", {"page": page, "count": page.paginator.count})


def repeat_panel(user, case) -> str | None:
    """The case page's panel (cases.extensions.CASE_PANELS): None when nobody of the case is a repeat."""
    offenders = repeat_of_case(user, case)
    if not offenders:
        return None
    return render_to_string("followup/_repeat_panel.html", {"offenders": offenders, "case": case})
