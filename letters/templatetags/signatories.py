"""``{% signatory_warning %}``: tells the staff who issue letters that no official signs them today.

Shown in the staff pages' frame (templates/base.html), so it is there before any letter is
issued (an outcome, an invitation, a recommendation): issuing is not blocked, but the letter
would go out with a blank name line. One indexed query, for the accounts that issue letters.
"""

from django import template
from django.utils import timezone

from letters.selectors import signatory_on

register = template.Library()


@register.inclusion_tag("letters/pages/_signatory_warning.html", takes_context=True)
def signatory_warning(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"missing": False}
    from accounts.permissions import Capability, can

    issuer = None
    if getattr(user, "is_bawaslu", False) and user.bawaslu_office_id and can(user, Capability.HANDLE_REPORTS):
        issuer = {"office": user.bawaslu_office_id}  # a pk serves as well as the row in the filter
    elif user.agency_id and can(user, Capability.ACT_AS_AUTHORITY):
        issuer = {"agency": user.agency_id}
    if issuer is None:
        return {"missing": False}
    found = signatory_on(**issuer, on=timezone.localdate())
    return {"missing": found is None, "can_manage": can(user, Capability.MANAGE_SIGNATORIES)}
