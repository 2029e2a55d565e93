from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from api.models import Scope
from api.tokens import MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("The system that will use the token, e.g. SIMPEG BKPSDM Belitung Timur."))
    user = forms.ModelChoiceField(label=_("Partner account"), queryset=User.objects.none(), required=False,
                                  help_text=_("The token acts as this account, within its jurisdiction."))
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=Scope.choices,
                                       widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=90)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if actor.role == User.Role.ADMIN:
            self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
            self.fields["user"].required = True
        else:
            del self.fields["user"]
