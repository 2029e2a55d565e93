"""Notices and circulars to ASN: thin views over prevention.notices."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import staff_view
from accounts.permissions import Capability
from prevention.notice_forms import NoticeForm
from prevention.notices import (
    access_notice,
    may_send_notices,
    notice_list_for,
    notice_progress,
    notice_send,
    notice_units_for,
)
from prevention.views.common import paginate


def _sender(request):
    if not may_send_notices(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@staff_view(Capability.MANAGE_PREVENTION)
def notices(request):
    _sender(request)
    form = NoticeForm(request.POST or None, request.FILES or None, units=notice_units_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = notice_send(actor=request.user, kind=data["kind"], subject=data["subject"], body=data["body"],
                                 units=list(data["units"]), uploaded=data.get("attachment"))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The notice is being sent."))
            return redirect(notice)
    page, querystring = paginate(request, notice_list_for(request.user))
    return render(request, "prevention/staff/notices.html", {"form": form, "page": page, "querystring": querystring},
                  status=400 if form.errors else 200)


@require_GET
@staff_view(Capability.MANAGE_PREVENTION)
def notice_detail(request, pk):
    notice = access_notice(request.user, pk)
    template = "prevention/staff/_notice_progress.html" if request.headers.get("HX-Request") else \
        "prevention/staff/notice_detail.html"
    page, querystring = paginate(request, notice.deliveries.select_related("employee__unit").order_by("id"))
    return render(request, template, {"notice": notice, "progress": notice_progress(notice), "page": page,
                                      "querystring": querystring, "units": notice.units.order_by("name")})
