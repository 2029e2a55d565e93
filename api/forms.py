from django import forms
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from api.models import Scope
from api.tokens import MAX_DAYS
from netral.forms import Pick, TypedChoiceMixin, pick_id_field, pick_name_field

MAX_ACCOUNTS_FOUND = 50


def account_resolve(text: str, *, accounts) -> list[User]:
    """The accounts a typed username, name or e-mail address names, best first: an equal username or
    address alone, else those holding the text, shortest username first. One query of at most 50 rows."""
    text = text.strip()
    if len(text) < 2:
        return []
    exact = [user for user in accounts.filter(Q(username__iexact=text) | Q(email__iexact=text))[:2]]
    if len(exact) == 1:
        return exact
    words = Q(username__icontains=text) | Q(email__icontains=text)
    for word in text.split()[:4]:
        words |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return list(accounts.filter(words).order_by(Length("username"), "username")[:MAX_ACCOUNTS_FOUND])


def account_label(user: User) -> str:
    name = user.get_full_name()
    return f"{user.username} · {name} ({user.get_role_display()})" if name else (
        f"{user.username} ({user.get_role_display()})")


def partner_account_pick(accounts) -> Pick:
    """Choose one of ``accounts`` by typing it."""
    return Pick(
        by_id=lambda pk: accounts.filter(pk=pk).first(),
        resolve=lambda text: account_resolve(text, accounts=accounts),
        label=account_label,
        several=_("Several accounts match: choose the one you mean below."),
        none=_("No active account of this username, name or e-mail address was found."),
        missing=_("Type the username of the partner account and choose it."),
    )


def token_accounts():
    """The accounts an administrator may make a token for: the active ones."""
    return User.objects.filter(is_active=True)


class TokenForm(TypedChoiceMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("The system that will use the token, e.g. SIMPEG BKPSDM Belitung Timur."))
    # Issue 20: typed and found (partner_account_pick), never a <select> of every account of the installation.
    user_name = pick_name_field(label=_("Partner account"),
                                help_text=_("The token acts as this account, within its jurisdiction. Type its "
                                            "username, name or e-mail address."))
    user = pick_id_field()
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=Scope.choices,
                                       widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=90)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if actor.role == User.Role.ADMIN:
            self.add_pick("user", pick=partner_account_pick(token_accounts()),
                          search_url=reverse("api_tokens:account_search"))
        else:
            del self.fields["user_name"], self.fields["user"]
