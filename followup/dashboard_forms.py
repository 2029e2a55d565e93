"""The compliance dashboard's filters: period, stage, region and agency within the user's jurisdiction, election."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from followup.dashboard import DashboardFilter, agency_choices_for, region_choices_for
from followup.models import Recommendation
from netral.forms import TypedChoiceMixin, pick_id_field, pick_name_field
from organizations.forms import agency_pick
from rules.models import Election


class QuickSelect(forms.Select):
    """A <select> written in one pass: the same markup as Django's Select, without a template per option.

    The region filter of a national account lists every province and regency/city of the country
    (about 560): rendering an option template for each took most of the page's time
    (bench/followup.py). Their number follows the country, not the data. (The agency filter
    is a typed choice: agencies grow, issue 20.)
    """

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        options = []
        for _group, choices, _index in context["optgroups"]:
            for option in choices:
                options.append(format_html('<option value="{}"{}>{}</option>', option["value"],
                                           mark_safe(" selected") if option["selected"] else "", option["label"]))
        return format_html("<select name=\"{}\"{}>{}</select>", context["name"],
                           flatatt(context["attrs"]), mark_safe("".join(options)))


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name if obj.level <= 1 else f"— {obj.name}"


class DashboardFilterForm(TypedChoiceMixin, forms.Form):
    issued_from = forms.DateField(label=_("Issued from"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    issued_until = forms.DateField(label=_("Issued until"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    stage = forms.ChoiceField(label=_("Stage"), choices=Recommendation.Stage.choices, required=False,
                              initial=Recommendation.Stage.PPK)
    region = RegionField(label=_("Region"), queryset=None, required=False, empty_label=_("All regions"),
                         to_field_name="code", widget=QuickSelect)
    # Typed, never a <select> of every agency (issue 20): the name is typed, htmx offers a few
    # agencies the user may choose (dashboard_views.dashboard_agencies); empty: all agencies.
    agency_name = pick_name_field(label=_("Agency"), required=False,
                                  help_text=_("Type its name or its regency/city; leave empty for all agencies."))
    agency = pick_id_field()
    election = forms.ModelChoiceField(label=_("Election"), queryset=Election.objects.order_by("-voting_day", "id"),
                                      required=False, empty_label=_("All elections"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what lies within the user's jurisdiction can be chosen: another region is "not one
        # of the available choices", another agency "no agency ... that you may choose" (its id
        # sent alone is refused, never ignored): never a view of foreign figures.
        self.fields["region"].queryset = region_choices_for(user)
        self.add_pick("agency", pick=agency_pick(agency_choices_for(user)),
                      search_url=reverse("followup:dashboard_agencies"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("issued_from"), cleaned.get("issued_until")
        if start and end and start > end:
            self.add_error("issued_until", ValidationError(_("The end of the period is before its start.")))
        return cleaned

    def dashboard_filter(self) -> DashboardFilter:
        """The filter of a valid form; the defaults (stage ppk, every date) otherwise."""
        if not self.is_bound or not self.is_valid():
            return DashboardFilter()
        data = self.cleaned_data
        return DashboardFilter(stage=data.get("stage") or Recommendation.Stage.PPK,
                               issued_from=data.get("issued_from"), issued_until=data.get("issued_until"),
                               region=data.get("region"), agency=data.get("agency"),
                               election=data.get("election"))
