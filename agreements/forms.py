"""Forms of the agreements' staff pages; the services check the rules again."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Dissemination, Document, Duty, DutyEvidence
from agreements.obligations import parse_rupiah
from agreements.selectors import agreement_agencies_for
from netral.forms import Pick, TypedChoiceMixin, pick_id_field, pick_name_field
from organizations.forms import agency_pick
from organizations.models import BawasluOffice
from organizations.selectors import rows_named

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The columns of agreements.MeetingParticipant: a longer line is refused, never cut.
PARTICIPANT_INSTITUTION_MAX, PARTICIPANT_NAME_MAX = 200, 150


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


class AgreementForm(TypedChoiceMixin, forms.Form):
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
    # Issue 20: typed and found within the office's jurisdiction, never a <select> of its (up to 552) agencies.
    agency_name = pick_name_field(label=_("Second party: government"),
                                  help_text=_("Type the government's name or its regency/city, e.g. Belitung Timur."))
    agency = pick_id_field()
    second_number = forms.CharField(label=_("Second party's number of the agreement"), max_length=80)
    second_signatory = forms.CharField(label=_("Second party's signatory"), max_length=150)
    second_position = forms.CharField(label=_("Second party's signatory's position"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_pick("agency", pick=agency_pick(agreement_agencies_for(user)),
                      search_url=reverse("agreements:agency_search"))
        if user.bawaslu_office_id:
            self.fields["office"].queryset = BawasluOffice.objects.filter(pk=user.bawaslu_office_id)
            self.fields["office"].initial = user.bawaslu_office_id
        elif user.agency_id:
            self.fields["agency"].initial = user.agency_id
            self.fields["agency_name"].initial = user.agency.name
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


# --- Duties, costs and dissemination (issue 19) ------------------------------------------------

class DutyStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Duty.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required when the duty was not carried out: write why."))
    period_start = forms.DateField(label=_("Period from"), widget=DATE, required=False)
    period_end = forms.DateField(label=_("Period to"), widget=DATE, required=False)


class DutyEvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=DutyEvidence.Kind.choices)
    document = forms.TypedChoiceField(label=_("Document of the agreement"), coerce=int, required=False,
                                      empty_value=None)
    upload = forms.FileField(label=_("File (a PDF document or a photo)"), required=False)
    url = forms.CharField(label=_("Link"), max_length=500, required=False,
                          widget=forms.URLInput(attrs={"placeholder": "https://"}))
    indicator = forms.ChoiceField(label=_("Live figure"), required=False)
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def __init__(self, *args, documents=(), indicator_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", _("Upload a new PDF instead"))] + [
            (document.pk, f"{document.name} ({document.get_kind_display()})") for document in documents]
        self.fields["indicator"].choices = [("", "—")] + list(indicator_choices)


RUPIAH = forms.TextInput(attrs={"inputmode": "numeric"})


class RupiahField(forms.CharField):
    """An amount typed as Indonesians write it: Rp1.250.000, 1.250.000 or 1250000."""

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            return parse_rupiah(value)
        except ValueError:
            raise forms.ValidationError(_("Write the amount in Rupiah, e.g. Rp1.250.000.")) from None


class BudgetLineForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Activity"), coerce=int)
    amount = RupiahField(label=_("Amount (Rp)"), max_length=30, widget=RUPIAH)
    source = forms.CharField(label=_("Source of funds"), max_length=200,
                             help_text=_("As written in the budget document, e.g. APBD Kabupaten 2024."))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(item.pk, f"{item.number}. {item.activity}") for item in items]


class SpendingForm(forms.Form):
    line = forms.TypedChoiceField(label=_("Budget line"), coerce=int)
    spent_on = forms.DateField(label=_("Spent on"), widget=DATE)
    amount = RupiahField(label=_("Amount (Rp)"), max_length=30, widget=RUPIAH)
    description = forms.CharField(label=_("Spent on what"), max_length=300)
    upload = forms.FileField(label=_("Evidence (PDF: receipt or accountability report)"), required=False)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [(line.pk, f"{line.item.number}. {line.item.activity} · {line.source}")
                                       for line in lines]


class DisseminationForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Dissemination.Channel.choices)
    title = forms.CharField(label=_("Material published"), max_length=200)
    url = forms.CharField(label=_("Link"), max_length=500, required=False,
                          widget=forms.URLInput(attrs={"placeholder": "https://"}),
                          help_text=_("Required for a post on social media or a website."))
    published_on = forms.DateField(label=_("Published on"), widget=DATE)
    reach = forms.IntegerField(label=_("Reach"), min_value=0, required=False,
                               help_text=_("Views, listeners or recipients, if known."))


# --- Officials, disputes and standalone meetings (issue 19) ------------------------------------

class OfficialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    replaces = forms.TypedChoiceField(label=_("Replaces"), coerce=int, required=False, empty_value=None,
                                      help_text=_("A new signatory always replaces the current one."))
    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.CharField(label=_("Role as written"), max_length=300)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    valid_from = forms.DateField(label=_("From"), widget=DATE)
    note = forms.CharField(label=_("Basis or reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("The decree or letter of appointment, or why the official changed."))

    def __init__(self, *args, current=(), **kwargs):
        from agreements.models import Official

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(Official.Kind.FOCAL_POINT, Official.Kind.FOCAL_POINT.label),
                                       (Official.Kind.SIGNATORY, Official.Kind.SIGNATORY.label)]
        self.fields["replaces"].choices = [("", _("Nobody: an additional focal point"))] + [
            (official.pk, f"{official.name} ({official.role})") for official in current]


class DisputeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    article = forms.CharField(label=_("Article"), max_length=80, help_text=_("As written, e.g. Pasal 5 ayat (1)."))
    raised_on = forms.DateField(label=_("Raised on"), widget=DATE)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from agreements.models import Dispute

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Dispute.Kind.choices


class DeliberationForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    participants = forms.CharField(label=_("Participants"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("What was said and agreed"), widget=forms.Textarea(attrs={"rows": 4}))


class DisputeCloseForm(forms.Form):
    status = forms.ChoiceField(label=_("Outcome"), choices=[])
    outcome = forms.CharField(label=_("Outcome as agreed"), widget=forms.Textarea(attrs={"rows": 3}))
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        from agreements.models import Dispute

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in Dispute.Status.choices if c[0] != Dispute.Status.OPEN]


def ceremony_label(ceremony) -> str:
    return f"{ceremony.held_on:%d-%m-%Y} · {ceremony.title} ({ceremony.place})"


def ceremony_pick(ceremonies) -> Pick:
    """Choose one of ``ceremonies`` (the jurisdiction's: agreements.selectors.ceremony_choices_for) by its title."""
    return Pick(
        by_id=lambda pk: ceremonies.filter(pk=pk).first(),
        resolve=lambda text: rows_named(ceremonies, text, field="title", order=("-held_on", "-pk")),
        suggest=lambda text: rows_named(ceremonies, text, field="title", order=("-held_on", "-pk"), every=True),
        label=ceremony_label,
        several=_("Several ceremonies have this title: choose the one you mean below."),
        none=_("No pledge ceremony of this title was found in your jurisdiction."),
        missing="",
    )


class StandaloneMeetingForm(TypedChoiceMixin, forms.Form):
    election = forms.ModelChoiceField(label=_("Election evaluated"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200)
    participants = forms.CharField(
        label=_("Participants"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line each: institution; name (one person) or institution; number of people."))
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}))
    decisions = forms.CharField(label=_("Decisions"), required=False, help_text=_("One decision per line."),
                                widget=forms.Textarea(attrs={"rows": 3}))
    # Issue 20: typed and found among the jurisdiction's ceremonies (ceremony_pick), never a <select> of them all.
    ceremony_name = pick_name_field(label=_("Pledge ceremony held there"), required=False,
                                    help_text=_("A ceremony of the same day recorded under prevention: type its "
                                                "title. Leave empty if none was recorded in the system."))
    ceremony = pick_id_field()
    pledges_signed = forms.IntegerField(label=_("Pledges signed (if no ceremony is recorded)"), min_value=0,
                                        required=False)
    upload = forms.FileField(label=_("Evidence of the pledges (PDF)"), required=False)

    def __init__(self, *args, elections=None, ceremonies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = elections
        self.add_pick("ceremony", pick=ceremony_pick(ceremonies), required=False,
                      search_url=reverse("agreements:standalone_meeting_ceremonies"))

    def clean_participants(self):
        from agreements.officials import RuleError, parse_participants

        try:
            rows = parse_participants(self.cleaned_data["participants"])
        except RuleError as error:
            raise forms.ValidationError(_("Line %(line)s: write the institution, then a name or a number.")
                                        % {"line": str(error).split(":")[1]}) from None
        if not rows:
            raise forms.ValidationError(_("Write who took part: one institution per line."))
        for number, (institution, name, _count) in enumerate(rows, start=1):
            if len(institution) > PARTICIPANT_INSTITUTION_MAX or len(name) > PARTICIPANT_NAME_MAX:
                raise forms.ValidationError(
                    _("Participant %(number)s: an institution may have at most %(institution)s characters and a "
                      "name at most %(name)s.") % {"number": number, "institution": PARTICIPANT_INSTITUTION_MAX,
                                                   "name": PARTICIPANT_NAME_MAX})
        return rows


class MeetingFilterForm(forms.Form):
    election = forms.ChoiceField(label=_("Election"), required=False)

    def __init__(self, *args, elections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].choices = [("", _("All elections"))] + [(e.pk, e.title) for e in elections]
