"""Forms of the unit checklist: one form per item, each showing only the fields of its item."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from netral.forms import TypedChoiceMixin, pick_id_field, pick_name_field
from organizations.forms import agency_pick
from prevention.checklist import Item, checklist_elections
from prevention.models import ChecklistItem

# The fields each item's form shows, in order (the rest are dropped).
FIELDS = {
    Item.SOCIALISATION: ["election", "done", "done_on", "event", "note", "evidence_url", "photo"],
    Item.VIDEO: ["election", "done", "done_on", "channel", "place", "evidence_url", "note", "photo"],
    Item.BANNER: ["election", "done", "done_on", "banner", "place", "photo", "note"],
}
DONE_LABELS = {
    Item.SOCIALISATION: _("Socialisation was held in my unit"),
    Item.VIDEO: _("The neutrality video was broadcast"),
    Item.BANNER: _("The “ASN Netral” banner is put up"),
}
PLACE_LABELS = {
    Item.VIDEO: (_("Where"), _("The account, screen or programme, e.g. Instagram @dinkesbeltim or the lobby videotron.")),
    Item.BANNER: (_("Where it hangs"), _("e.g. the front of the office.")),
}


class ChecklistItemForm(forms.Form):
    election = forms.ModelChoiceField(queryset=checklist_elections(), widget=forms.HiddenInput)
    done = forms.BooleanField(required=False)
    done_on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"},
                                                                                       format="%Y-%m-%d"))
    event = forms.ModelChoiceField(
        label=_("Socialisation event"), queryset=None, required=False,
        help_text=_("The event recorded in Netral, if the socialisation was one; its date is taken when none is "
                    "given."))
    channel = forms.ChoiceField(label=_("Shown on"), choices=[("", "—"), *ChecklistItem.Channel.choices],
                                required=False)
    place = forms.CharField(max_length=200, required=False)
    banner = forms.ModelChoiceField(label=_("Banner made with Netral"), queryset=None, required=False)
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, max_length=200, assume_scheme="https",
                                  help_text=_("e.g. the post, the recording or the shared folder."))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("Photo"), required=False,
                            help_text=_("JPG, PNG or WEBP; location and camera data are removed."))

    def __init__(self, *args, item, events=None, banners=None, **kwargs):
        kwargs.setdefault("prefix", item)
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["election"].queryset = checklist_elections()
        self.fields["done"].label = DONE_LABELS[item]
        if item in PLACE_LABELS:
            self.fields["place"].label, self.fields["place"].help_text = PLACE_LABELS[item]
        if "event" in FIELDS[item]:
            self.fields["event"].queryset = events
            self.fields["event"].label_from_instance = lambda event: f"{event.title} ({event.held_on:%d-%m-%Y})"
        if "banner" in FIELDS[item]:
            self.fields["banner"].queryset = banners
            self.fields["banner"].label_from_instance = lambda banner: f"{banner.unit_name} ({banner.created_at:%d-%m-%Y})"
        if item == Item.BANNER:
            self.fields["photo"].help_text = _("Required to mark the banner put up (once one photo is stored, more "
                                               "are optional). Location and camera data are removed.")
        for name in [name for name in self.fields if name not in FIELDS[item]]:
            del self.fields[name]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("election")
        return data


class ProgressFilterForm(TypedChoiceMixin, forms.Form):
    """The agency filter of the units' progress: typed, never a <select> of every agency of the
    jurisdiction (issue 20: 552 at national level). Bound to the GET parameters ``agency_name`` and
    ``agency`` (the id, as the export's link carries it)."""

    agency_name = pick_name_field(label=_("Agency"), required=False,
                                  help_text=_("Empty: every agency you may see."))
    agency = pick_id_field()

    def __init__(self, data=None, *, agencies):
        super().__init__(data)
        self.add_pick("agency", pick=agency_pick(agencies), search_url=reverse("prevention:checklist_agency_search"),
                      required=False)
