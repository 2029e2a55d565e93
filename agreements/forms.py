"""Forms of the agreements' staff pages; the services check the rules again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Document

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
