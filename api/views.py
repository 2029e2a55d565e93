"""The page where partner tokens are made and revoked (an administrator for anyone, others for themselves)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_view
from accounts.models import User
from accounts.permissions import Capability
from api.forms import TokenForm, partner_account_pick, token_accounts
from api.models import PartnerToken
from api.tokens import token_create, token_revoke
from netral.forms import pick_search


def _tokens_for(user):
    tokens = PartnerToken.objects.select_related("user", "created_by").order_by("-created_at", "-id")
    return tokens if user.role == User.Role.ADMIN else tokens.filter(user=user)


@staff_view(Capability.USE_STAFF_PAGES)
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None, actor=request.user)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, raw = token_create(actor=request.user, user=form.cleaned_data.get("user") or request.user,
                                          name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"],
                                          days=form.cleaned_data["days"])
                created = {"token": token, "raw": raw}
                form = TokenForm(actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
        else:
            status = 400
    page = Paginator(_tokens_for(request.user), 25).get_page(request.GET.get("page"))
    response = render(request, "api/tokens.html", {"form": form, "page": page, "created": created}, status=status)
    response["Cache-Control"] = "no-store"  # the secret is on this page once: keep it out of caches
    return response


@staff_view(Capability.USE_STAFF_PAGES)
@require_GET
def account_search(request):
    """htmx: a few active accounts named like what was typed; an administrator's only (issue 20)."""
    if request.user.role != User.Role.ADMIN:
        raise PermissionDenied
    return pick_search(request, pick=partner_account_pick(token_accounts()))


@staff_view(Capability.USE_STAFF_PAGES)
@require_POST
def revoke(request, pk):
    token = get_object_or_404(_tokens_for(request.user), pk=pk)
    token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token %(prefix)s was revoked.") % {"prefix": token.prefix})
    return redirect("api_tokens:list")
