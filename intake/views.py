"""Thin views: the providers' webhooks, the fake provider's page, the SMS reporter's one-time link."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import staff_view
from accounts.permissions import Capability, can_handle_reports
from intake import selectors, services
from intake.channels import fake_channels, provider_for
from intake.channels.base import BadPayload, Location, MediaRef, Parsed
from intake.channels.fake import fake_incoming, fake_media_put, fake_phone_read
from intake.forms import FakeMessageForm, UploadLinkForm
from reports.selectors import access_report
from reports.views import TRACKED

FAKE_SESSION = "intake_fake_phone"


@csrf_exempt  # a provider posts here; the signature, not a cookie, says who it is
@require_http_methods(["GET", "POST"])
def webhook(request, channel):
    """Verify the signature before reading the body; store, queue, and answer at once."""
    adapter = provider_for(channel)
    if adapter is None:
        raise Http404
    if request.method == "GET":
        answer = adapter.handshake(request)
        return answer if answer is not None else HttpResponseNotAllowed(["POST"])
    if not adapter.verify(request):
        return HttpResponseForbidden()
    try:
        parsed = adapter.parse(request.body)
    except BadPayload:
        return HttpResponseBadRequest()
    services.inbound_receive(channel=channel, parsed=parsed)
    return HttpResponse("ok", content_type="text/plain")


@require_http_methods(["GET", "POST"])
def fake_phone(request):
    """The fake provider's phone (NETRAL_INTAKE_FAKE, on with NETRAL_DEBUG): play the reporter.

    Open to anyone on a development server; elsewhere (a training installation) to report staff only.
    """
    channels = fake_channels()
    if not channels or not (settings.DEBUG or can_handle_reports(request.user)):
        raise Http404
    current = request.session.get(FAKE_SESSION) or {}
    initial = {"channel": current.get("channel", channels[0]), "address": current.get("address", "+62 812 0000 0001")}
    form = FakeMessageForm(request.POST or None, request.FILES or None, channels=channels, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        media = location = None
        if data["file"]:
            data_bytes = data["file"].read()
            media = MediaRef(ref=fake_media_put(name=data["file"].name, data=data_bytes), name=data["file"].name,
                             content_type=data["file"].content_type or "", size=len(data_bytes))
        if data["latitude"] is not None and data["longitude"] is not None:
            location = Location(latitude=float(data["latitude"]), longitude=float(data["longitude"]))
        incoming = fake_incoming(channel=data["channel"], address=data["address"], text=data["text"].strip(),
                                 media=media, location=location)
        services.inbound_receive(channel=data["channel"], parsed=Parsed(messages=[incoming]))
        request.session[FAKE_SESSION] = {"channel": data["channel"], "address": data["address"]}
        return redirect("intake:fake_phone")
    screen = fake_phone_read(initial["channel"], initial["address"]) if current else []
    template = "intake/_fake_screen.html" if request.htmx else "intake/fake_phone.html"
    return render(request, template, {"form": form, "screen": screen, "current": current},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def upload_link(request, token):
    """The one-time link an SMS reporter gets: a button opens the report's tracking page, once."""
    if request.method == "POST":
        report = services.upload_link_use(token=token)
        if report is not None:
            request.session.cycle_key()
            request.session[TRACKED] = report.pk
            messages.info(request, _("Add your photos, documents or videos below, with a message to the staff."))
            return redirect("reports:tracking_status")
    elif services.upload_link_report(token) is not None:
        return render(request, "intake/upload_link.html", {"form": UploadLinkForm(), "valid": True})
    return render(request, "intake/upload_link.html", {"valid": False}, status=404)


@require_GET
@staff_view(Capability.HANDLE_REPORTS)
def transcript(request, pk):
    """The whole conversation of a chat report, paged; the same door as the report page."""
    report = access_report(request.user, pk)
    conversation = selectors.conversation_of_report(report)
    if conversation is None:
        raise Http404
    lines = selectors.transcript(conversation, anonymous=report.anonymous, identity_opened=False)
    page = Paginator(lines, selectors.TRANSCRIPT_PAGE).get_page(request.GET.get("page"))
    return render(request, "intake/transcript.html", {"report": report, "conversation": conversation,
                                                      "page": page, "querystring": ""})
