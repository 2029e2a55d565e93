from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cases.selectors import announcement_letter, announcements_public
from rules.selectors import access_violation, violation_explained, violations_explained_by_family


@require_GET
def home(request):
    return render(request, "portal/home.html")


@require_GET
def healthz(request):
    """A bare view through the whole middleware stack: the benchmark's ceiling."""
    return HttpResponse("ok", content_type="text/plain")


# What each family means for the person reported, in a sentence (the acts are data).
FAMILY_EXPLANATIONS = {
    "ethics": _("Breaches of the civil servants' code of ethics. For a civil servant the sanction is moral: "
                "a closed or an open statement."),
    "discipline": _("Breaches of the civil servants' discipline rules. The sanctions go from a cut of the "
                    "performance allowance up to demotion and dismissal."),
    "crime": _("Election crimes, handled by Bawaslu together with the police and prosecutors (Sentra "
               "Gakkumdu). A court can impose imprisonment and/or a fine."),
}


@require_GET
def announcements(request):
    """Published outcomes of cases: what was decided, never who reported it."""
    page = Paginator(announcements_public(), 20).get_page(request.GET.get("page"))
    return render(request, "portal/announcements.html", {"page": page})


@require_GET
def announcement_pdf(request, case_id):
    """The announcement letter: public by nature, it names no reporter."""
    letter = announcement_letter(case_id)
    response = FileResponse(letter.file.open("rb"), content_type="application/pdf", as_attachment=True,
                            filename=f"pengumuman-{case_id}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def rules_list(request):
    families = violations_explained_by_family()
    return render(request, "portal/rules_list.html", {
        "families": [(family, FAMILY_EXPLANATIONS.get(family.family, "")) for family in families],
    })


@require_GET
def rule_detail(request, violation_id):
    violation = access_violation(violation_id)  # 404 for an unknown or inactive act
    return render(request, "portal/rule_detail.html", {
        "violation": violation_explained(violation),
        "family_explanation": FAMILY_EXPLANATIONS.get(violation.family, ""),
    })
