"""The forms of the onboarding pages: inviting a person, filtering the national list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Role
from onboarding.selectors import STATUS_LIVE, STATUS_NOT_STARTED, STATUS_PROGRESS

INVITED_ROLES = [(Role.PPK.value, Role.PPK.label), (Role.PEMDA_STAFF.value, Role.PEMDA_STAFF.label)]


class InviteForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=INVITED_ROLES, widget=forms.RadioSelect,
                             initial=Role.PEMDA_STAFF.value)
    name = forms.CharField(label=_("Full name"), max_length=150)
    # The address is also the login name (User.username: 150 characters).
    email = forms.EmailField(label=_("E-mail address"), max_length=150,
                             help_text=_("The invitation link goes to this address; it is also the login name."))


class ListFilterForm(forms.Form):
    STATUSES = [("", _("All")), (STATUS_LIVE, _("Live")), (STATUS_PROGRESS, _("In progress")),
                (STATUS_NOT_STARTED, _("Not started"))]

    q = forms.CharField(label=_("Agency name"), required=False, max_length=150)
    province = forms.ModelChoiceField(label=_("Province"), queryset=None, required=False,
                                      empty_label=_("All provinces"))
    status = forms.ChoiceField(label=_("Status"), choices=STATUSES, required=False)

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
