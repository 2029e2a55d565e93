"""The forms of the onboarding pages: inviting a person, filtering the national list, opening an agency."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Role
from netral.forms import TypedChoiceMixin, pick_id_field, pick_name_field
from onboarding.selectors import STATUS_LIVE, STATUS_NOT_STARTED, STATUS_PROGRESS
from organizations.forms import agency_pick

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


class AgencyOpenForm(TypedChoiceMixin, forms.Form):
    """The regional government whose page (checklist, accounts, invitation) to open, typed and found among
    those the user may invite (issue 20: never a list of the country's 552 governments to pick from)."""

    agency_name = pick_name_field(label=_("Open an agency"), help_text=_(
        "Type the name of the regional government, e.g. Pemerintah Kabupaten Bangka, and choose it."))
    agency = pick_id_field()

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_pick("agency", pick=agency_pick(agencies), search_url=reverse("onboarding:agency_search"))
