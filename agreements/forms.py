"""Forms of the agreements' staff pages; the services check the rules again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Document
from organizations.models import Agency, BawasluOffice

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Period from"), widget=DATE)
    end = forms.DateField(label=_("Period to"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period cannot be before its start."))
        return data


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200)
    attendees = forms.CharField(label=_("Attendees"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(label=_("Decisions"), required=False, help_text=_("One decision per line."),
                                widget=forms.Textarea(attrs={"rows": 3}))
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)


class AddendumForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=80)
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


class TerminationForm(forms.Form):
    notice_on = forms.DateField(label=_("Written notice delivered on"), widget=DATE)
    effective_on = forms.DateField(label=_("In effect on"), widget=DATE)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[c for c in Document.Kind.choices
                                                       if c[0] != Document.Kind.EVIDENCE])
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    upload = forms.FileField(label=_("PDF file"))


class ManualValueForm(forms.Form):
    target = forms.TypedChoiceField(label=_("Output or outcome"), coerce=int)
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    upload = forms.FileField(label=_("Evidence (PDF)"), required=False)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(t.pk, f"{t.item.number} · {t.text[:80]}") for t in targets]


class TargetForm(forms.Form):
    target = forms.TypedChoiceField(label=_("Output or outcome"), coerce=int)
    indicator = forms.ChoiceField(label=_("Computed indicator"), required=False)
    target_value = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2, required=False)

    def __init__(self, *args, targets=(), indicator_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(t.pk, f"{t.item.number} · {t.text[:80]}") for t in targets]
        self.fields["indicator"].choices = [("", _("None: recorded by hand"))] + list(indicator_choices)


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


class AgreementForm(forms.Form):
    """A new agreement as signed: the Bawaslu office is PIHAK KESATU, the Pemda PIHAK KEDUA (seed 000)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    place = forms.CharField(label=_("Place of signing"), max_length=100)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    term_years = forms.IntegerField(label=_("Term (years)"), min_value=1, max_value=10, initial=3)
    notice_days = forms.IntegerField(label=_("Notice for an early end (days)"), min_value=0, max_value=365,
                                     initial=30)
    purpose = forms.CharField(label=_("Purpose and objective"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    scope = forms.CharField(label=_("Scope (one item per line)"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_bases = forms.CharField(label=_("Legal bases (one per line)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    office = forms.ModelChoiceField(label=_("First party: Bawaslu office"), queryset=BawasluOffice.objects.none())
    first_number = forms.CharField(label=_("First party's number of the agreement"), max_length=80)
    first_signatory = forms.CharField(label=_("First party's signatory"), max_length=150)
    first_position = forms.CharField(label=_("First party's signatory's position"), max_length=200)
    agency = forms.ModelChoiceField(label=_("Second party: government"), queryset=Agency.objects.none())
    second_number = forms.CharField(label=_("Second party's number of the agreement"), max_length=80)
    second_signatory = forms.CharField(label=_("Second party's signatory"), max_length=150)
    second_position = forms.CharField(label=_("Second party's signatory's position"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.bawaslu_office_id:
            self.fields["office"].queryset = BawasluOffice.objects.filter(pk=user.bawaslu_office_id)
            self.fields["office"].initial = user.bawaslu_office_id
            region = user.bawaslu_office.region
            self.fields["agency"].queryset = Agency.objects.filter(region.subtree_q("region")).exclude(
                kind=Agency.Kind.AUTHORITY)
        elif user.agency_id:
            self.fields["agency"].queryset = Agency.objects.filter(pk=user.agency_id)
            self.fields["agency"].initial = user.agency_id
            chain, region = [], user.agency.region
            while region is not None:  # the offices over the agency's region: regency, province, RI
                chain.append(region.pk)
                region = region.parent
            self.fields["office"].queryset = BawasluOffice.objects.filter(region__in=chain)

    def agreement_fields(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"], "title": data["title"], "place": data["place"], "signed_on": data["signed_on"],
                "term_years": data["term_years"], "notice_days": data["notice_days"], "purpose": data["purpose"],
                "scope": _lines(data["scope"]), "legal_bases": _lines(data["legal_bases"])}

    def party(self, side: str) -> dict:
        data = self.cleaned_data
        return {"number": data[f"{side}_number"], "signatory_name": data[f"{side}_signatory"],
                "signatory_position": data[f"{side}_position"]}


class WorkPlanItemForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=10, help_text=_("As in the table, e.g. 1.a"))
    programme = forms.CharField(label=_("Programme"), max_length=200)
    activity = forms.CharField(label=_("Activity"), max_length=300)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    funding = forms.CharField(label=_("Funding"), max_length=200, required=False)
    schedule = forms.CharField(label=_("Schedule"), max_length=200, required=False)
    duties_first = forms.CharField(label=_("Duties of the first party (one per line)"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    duties_second = forms.CharField(label=_("Duties of the second party (one per line)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    outputs = forms.CharField(label=_("Outputs (one per line)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    outcomes = forms.CharField(label=_("Outcomes (one per line)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))



def item_spec(data: dict) -> dict:
    """A WorkPlanItemForm's cleaned data as a work-plan row (agreements.services._add_item)."""
    return {key: data[key] for key in ("number", "programme", "activity", "location", "funding", "schedule")} | {
        "duties_first": _lines(data["duties_first"]), "duties_second": _lines(data["duties_second"]),
        "outputs": [{"text": text} for text in _lines(data["outputs"])],
        "outcomes": [{"text": text} for text in _lines(data["outcomes"])]}
