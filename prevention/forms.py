"""Prevention's forms: cleaning and messages only; the services save."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from netral.forms import PickLinesField, TypedChoiceMixin, pick_id_field, pick_name_field
from organizations.forms import unit_pick
from prevention.models import BannerTemplate, Material, Theme
from registry.identity import identity_kind
from rules.models import Election

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

def _elections():
    return Election.objects.filter(active=True).order_by("-voting_day")

class IdentityField(forms.CharField):
    """An NIP (ASN), or for contract staff the register number or the NIK (registry.identity).

    Only the shape is checked here; whether it is someone's is for the service to say, with
    the birth date, in one message for any mismatch.
    """

    default_error_messages = {"invalid": _(
        "Type your 18-digit NIP; contract staff: the 10-character register number from your agency, "
        "or your 16-digit NIK.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("NIP, register number or NIK"))
        kwargs.setdefault("help_text", _("ASN: your NIP. Contract staff: the register number your agency gave you "
                                         "(e.g. 7KQ2M-XW4P9), or your NIK."))
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        found = identity_kind(value)
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return found[1]

def unit_lines_field(**kwargs) -> PickLinesField:
    """Units typed one per line (issue 20: never a box for every unit of a jurisdiction, which for a national
    office is every unit of the country); the form sets ``.pick = unit_pick(units)``."""
    return PickLinesField(
        several=_('Line %(number)s, "%(line)s": several units have this name. Did you mean: %(choices)s? Write '
                  'the one you mean on that line, or add its agency after a comma (Dinas Kesehatan, Belitung Timur).'),
        none=_('Line %(number)s, "%(line)s": no unit of this name that you may choose was found. Check the '
               'spelling.'),
        **kwargs)

class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.filter(active=True))
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200)
    speakers = forms.CharField(label=_("Speakers"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("One speaker per line: name and position."))
    election = forms.ModelChoiceField(label=_("Election"), queryset=_elections(), required=False)
    target_units = unit_lines_field(
        label=_("Target units"), required=False,
        help_text=_("One unit per line, e.g. Dinas Kesehatan, Belitung Timur. Leave empty to open the event to "
                    "every ASN of your jurisdiction."))
    with_tests = forms.BooleanField(label=_("With a pre- and post-test"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_units"].pick = unit_pick(units)
        self.fields["election"].queryset = _elections()

class IdentityForm(forms.Form):
    """Staff at the desk: an NIP, or a contract employee's register number or NIK."""

    identity = IdentityField(label=_("NIP, register number or NIK"), help_text="")

class RecordForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    checkin_open = forms.BooleanField(label=_("Check-in by phone is open"), required=False)

class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Documentation photo"), help_text=_("JPG, PNG or WEBP, at most 10 MB."))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Material.Kind.choices)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.filter(active=True), required=False)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https", max_length=200,
                         help_text=_("For videos and documents published elsewhere."))
    file = forms.FileField(label=_("File"), required=False, help_text=_("PDF or picture, at most 20 MB."))
    published = forms.BooleanField(label=_("Show in the public library"), required=False, initial=True)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("url") and not cleaned.get("file") and not self.errors:
            raise forms.ValidationError(_("Give a link or a file."))
        return cleaned

class VerifyForm(forms.Form):
    """An ASN or a contract employee proves who they are: an identity (NIP, register number or
    NIK) and the birth date, both needed (no hint which is wrong)."""

    identity = IdentityField()
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE)

class PledgeVerifyForm(VerifyForm):
    election = forms.ModelChoiceField(label=_("Election"), queryset=_elections(), empty_label=None)

    field_order = ["election", "identity", "birth_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = _elections()

class SignForm(forms.Form):
    drawn = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"id": "signature-data"}))
    typed_name = forms.CharField(label=_("Or type your full name"), required=False, max_length=150,
                                 help_text=_("Exactly as in the register."))
    agree = forms.BooleanField(label=_("I have read the pledge and sign it of my own free will."),
                               error_messages={"required": _("Tick this box to sign.")})

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("drawn") and not (cleaned.get("typed_name") or "").strip() and "agree" not in self.errors:
            raise forms.ValidationError(_("Draw your signature or type your name."))
        return cleaned

class QuizForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=f"{number}. {question.text}", coerce=int, widget=forms.RadioSelect,
                choices=[(index, text) for index, text in enumerate(question.choice_list, start=1)],
                error_messages={"required": _("Choose an answer.")})

    def answers(self) -> dict[int, int]:
        return {question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions}

class CeremonyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    election = forms.ModelChoiceField(label=_("Election"), queryset=_elections(), empty_label=None)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = _elections()

class ChosenEmployeesField(forms.ModelMultipleChoiceField):
    """Employees ticked by id: at most ``MAX_CHOSEN``, and a value that is no row id refused before the
    database sees it (a 25-digit "id" overflows SQLite's integer: a 500 instead of a message)."""

    MAX_CHOSEN = 1000  # one ceremony's signatures recorded in one go; more is another round

    def _check_values(self, value):
        values = {str(pk) for pk in value}
        if len(values) > self.MAX_CHOSEN:
            raise forms.ValidationError(_("At most %(count)d ASN at a time: record these, then choose the "
                                          "others.") % {"count": self.MAX_CHOSEN}, code="too_many")
        if any(not pk.isdigit() or len(pk) > 18 for pk in values):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": ""})
        return super()._check_values(value)


class CeremonySignForm(forms.Form):
    """Who signed at a ceremony: a paged list of the candidates with a box each (issue 20: never every
    employee of an agency on one page). The boxes of the page shown and the hidden ids of those ticked on
    other pages are all named ``employees``, so moving between pages (a submit button, works without
    JavaScript) keeps what was ticked; the search (``q``) narrows the list."""

    q = forms.CharField(label=_("Find ASN by position, unit or name"), max_length=100, required=False)
    employees = ChosenEmployeesField(queryset=None, required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employees"].queryset = candidates
        self.fields["employees"].error_messages["invalid_choice"] = _("An ASN chosen lies outside your "
                                                                       "jurisdiction.")

    def chosen_ids(self) -> list[str]:
        """The ids ticked so far (posted), as text, for the boxes and the hidden inputs of the next page."""
        if not self.is_bound or not hasattr(self.data, "getlist"):
            return []
        values = self.data.getlist(self.add_prefix("employees"))
        return list(dict.fromkeys(value for value in values if value.isdigit() and len(value) <= 18))[
            :ChosenEmployeesField.MAX_CHOSEN]

class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), widget=forms.Textarea(attrs={"rows": 2}))

class BannerForm(TypedChoiceMixin, forms.Form):
    # Issue 20: the unit is typed and found (organizations.forms.unit_pick), never a <select> of every unit of
    # the jurisdiction; ``unit_name`` is the banner's own text, so the typed field is ``unit_typed``.
    unit_typed = pick_name_field(label=_("Unit"), help_text=_("Type the unit's name, e.g. Dinas Kesehatan."))
    unit = pick_id_field()
    election = forms.ModelChoiceField(label=_("Election"), queryset=_elections(), empty_label=None)
    unit_name = forms.CharField(label=_("Unit name on the banner"), max_length=200, required=False,
                                help_text=_("Leave empty to use the unit's name."))
    head_name = forms.CharField(label=_("Unit head's name"), max_length=150)
    head_position = forms.CharField(label=_("Unit head's position"), max_length=150)
    leaders = forms.CharField(label=_("Leaders"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("One leader per line: name, a semicolon, then position."))
    tagline = forms.CharField(label=_("Tagline"), max_length=200, required=False,
                              help_text=_("Leave empty to use the template's tagline."))
    template = forms.ModelChoiceField(label=_("Template"), queryset=BannerTemplate.objects.filter(active=True),
                                      required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_pick("unit", pick=unit_pick(units), search_url=reverse("prevention:unit_search"),
                      text_field="unit_typed")
        self.fields["election"].queryset = _elections()
        self.fields["template"].queryset = BannerTemplate.objects.filter(active=True)

class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Material.Kind.choices])
    theme = forms.ModelChoiceField(label=_("Theme"), required=False, queryset=Theme.objects.filter(active=True),
                                   empty_label=_("All themes"))
