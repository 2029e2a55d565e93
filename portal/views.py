from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    return render(request, "portal/home.html")


@require_GET
def healthz(request):
    """A bare view through the whole middleware stack: the benchmark's ceiling."""
    return HttpResponse("ok", content_type="text/plain")
