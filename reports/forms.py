"""Cleaning and messages for the public form, the tracking page and staff actions. Never saves."""

import re
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from organizations.models import BawasluOffice
from regions.models import Region
from regions.selectors import region_list_under
from registry.models import Employee
from reports import states
from reports.models import Report, ReportLink, StagedFile
from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, staged_file_prepare
from reports.tracking import is_submission_token
from reports.uploads import NotReceivedFile
from rules.selectors import (
    FAMILY_TITLES,
    election_list_open,
    regime_short_names,
    regimes_needing_reporter_nik,
    report_time_limits,
    violation_list,
)
from storage.prepare import prepare_upload


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files; each is checked by content and prepared (storage.prepare)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"multiple": True, "accept": "image/jpeg,image/png,image/webp,application/pdf,video/*"})

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        # Files past the number a form takes, read past by reports.uploads: named, not checked.
        dropped = [f.name for f in files if isinstance(f, NotReceivedFile)]
        files = [f for f in files if not isinstance(f, NotReceivedFile)]
        self.accepted = []
        if len(files) > settings.NETRAL_EVIDENCE_MAX_FILES:
            raise ValidationError(_("Send at most %(count)d files at once."),
                                  params={"count": settings.NETRAL_EVIDENCE_MAX_FILES})
        prepared, errors = [], []
        if dropped:
            names = ", ".join(f"“{name}”" for name in dropped[:10]) + (" …" if len(dropped) > 10 else "")
            errors.append(ValidationError(
                _("Not received, because a form takes at most %(count)d files at once: %(names)s. "
                  "Send them after this report, as a message on the tracking page."),
                code="too_many_files", params={"count": settings.NETRAL_EVIDENCE_MAX_FILES, "names": names},
            ))
        for uploaded in files:
            try:
                prepared.append(prepare_upload(uploaded, max_bytes=settings.NETRAL_EVIDENCE_MAX_BYTES))
            except ValidationError as error:
                errors.append(error)
        # The good files, even when another one is refused: the view keeps them for the next try.
        self.accepted = prepared
        if errors:
            raise ValidationError(once_each(errors))
        return prepared


def once_each(errors: list) -> list:
    """The errors without repeats: two refused files of the same name and reason give one message."""
    seen, unique = set(), []
    for error in errors:
        text = " ".join(ValidationError(error).messages)
        if text not in seen:
            seen.add(text)
            unique.append(error)
    return unique


class RegionChoiceField(forms.ModelChoiceField):
    """Regencies/cities with their districts, grouped as people look them up."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Region.objects.filter(level__in=[Region.Level.REGENCY, Region.Level.DISTRICT]),
                         **kwargs)

    def _get_choices(self):
        # Lazy: the queryset is read when the widget renders, not when the form class loads.
        return CallableChoiceIterator(self._grouped_choices)

    def _grouped_choices(self):
        regions = list(self.queryset.select_related("parent").order_by("code"))
        groups: dict[int, tuple[str, list]] = {}
        for region in regions:
            if region.level == Region.Level.REGENCY:
                groups.setdefault(region.pk, (region.name, []))[1].insert(
                    0, (region.pk, _("%(name)s (whole regency/city)") % {"name": region.name}))
            else:
                groups.setdefault(region.parent_id, (region.parent.name, []))[1].append((region.pk, region.name))
        return [("", _("Choose a regency/city or district"))] + [group for group in groups.values()]

    choices = property(_get_choices, forms.ModelChoiceField.choices.fset)


def _not_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("This date is in the future."))


NIK_RE = re.compile(r"^\d{16}$")
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{8,20}$")


class IdChoiceField(forms.ModelMultipleChoiceField):
    """Rows chosen by their id, refusing a value that is no row id before it reaches the database.

    (A 250-digit "id" would otherwise overflow SQLite's integer: a 500 instead of a message.)
    """

    MAX_DIGITS = 18

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not text.isdigit() or len(text) > self.MAX_DIGITS:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": text[:20]})
        return super()._check_values(value)


class ReportForm(forms.Form):
    IDENTIFIED, ANONYMOUS = "identified", "anonymous"

    submission_token = forms.CharField(widget=forms.HiddenInput)
    identity = forms.ChoiceField(
        label=_("Who is reporting?"),
        choices=[(IDENTIFIED, _("I give my identity (a formal report)")),
                 (ANONYMOUS, _("I do not give my identity (anonymous)"))],
        widget=forms.RadioSelect, initial=IDENTIFIED,
    )
    # Required only with identity (checked in clean); marked so for the reader.
    reporter_name = forms.CharField(label=_("Full name"), max_length=150, required=False,
                                    widget=forms.TextInput(attrs={"autocomplete": "name"}))
    reporter_address = forms.CharField(label=_("Address"), max_length=300, required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    reporter_nik = forms.CharField(label=_("ID card number (NIK)"), max_length=19, required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9 ]{16,19}"}))
    # Issue 18: the form says what the contact details are for.
    reporter_phone = forms.CharField(label=_("Phone or WhatsApp"), max_length=20, required=False,
                                     widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
                                     help_text=_("Optional. Only for the staff handling your report to reach you, "
                                                 "e.g. to invite you to a clarification. Never shown to the reported "
                                                 "person or published."))
    reporter_email = forms.EmailField(label=_("E-mail"), required=False,
                                      help_text=_("Optional. For the same purpose as the phone number; encrypted "
                                                  "like the rest of your identity."))

    election = forms.ModelChoiceField(label=_("Which election?"), queryset=None, empty_label=None)
    region = RegionChoiceField(label=_("Where did it happen?"))
    place = forms.CharField(label=_("Place"), max_length=300,
                            help_text=_("Address, building, village, or the name of the social-media group."))
    occurred_on = forms.DateField(label=_("When did it happen?"), required=False, validators=[_not_future],
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  help_text=_("Leave empty if you do not know."))
    known_on = forms.DateField(label=_("When did you learn of it?"), validators=[_not_future],
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    description = forms.CharField(label=_("What happened?"), max_length=10000, min_length=20,
                                  widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("Who did what, with whom, and how you know. Write it in your own words."))
    violations = forms.ModelMultipleChoiceField(
        label=_("Which prohibited acts do you suspect?"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Choose any that fit. If you are not sure, leave them empty."),
    )
    links = forms.CharField(label=_("Links to social-media posts"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://"}),
                            help_text=_("One link per line."))
    evidence = EvidenceField(label=_("Photos, screenshots, PDF or short videos"),
                             help_text=_("Up to 10 files of at most 20 MB each. Location data is removed from photos."))
    keep_staged = IdChoiceField(
        label=_("Files you already sent"), queryset=StagedFile.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Untick a file to leave it out."),
    )
    truthful = forms.BooleanField(label=_("I state that what I report is true to the best of my knowledge."))

    def __init__(self, *args, staged=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep_staged"].queryset = staged if staged is not None else StagedFile.objects.none()
        self.fields["keep_staged"].error_messages["invalid_choice"] = _(
            "A file you sent earlier is no longer kept on the server (files wait at most %(hours)d hours for the "
            "form). Attach it again."
        ) % {"hours": max(settings.NETRAL_STAGING_LIFE.total_seconds() // 3600, 1)}
        for name in ("reporter_name", "reporter_address"):
            self.fields[name].shown_required = True
        today = timezone.localdate().isoformat()
        for name in ("occurred_on", "known_on"):
            self.fields[name].widget.attrs["max"] = today
        self.fields["election"].queryset = election_list_open()
        self.fields["violations"].queryset = violation_list()
        # Which elections' rules ask for the reporter's ID card comes from requirements.yaml.
        self.nik_regimes = regimes_needing_reporter_nik()
        self.fields["reporter_nik"].help_text = _(
            "16 digits. Required for a report about a %(elections)s: its rules ask for the reporter's ID card. "
            "Optional otherwise.") % {"elections": regime_short_names(self.nik_regimes)} if self.nik_regimes else _(
            "16 digits. Optional.")
        # The number of days comes from the deadline rules (rules/data/deadlines.yaml), never from this text.
        self.fields["known_on"].help_text = _("Reports must be made within %(limits)s of learning of the event.") % {
            "limits": report_time_limits()}
        self.fields["evidence"].help_text = _(
            "Up to %(count)d files of at most %(size)d MB each. Location data is removed from photos."
        ) % {"count": settings.NETRAL_EVIDENCE_MAX_FILES, "size": settings.NETRAL_EVIDENCE_MAX_BYTES // (1024 * 1024)}

    def violation_groups(self):
        """The catalog's checkboxes grouped by family, for a shorter page on a phone."""
        groups: dict[str, list] = {}
        for choice in self["violations"]:
            groups.setdefault(choice.data["value"].instance.family, []).append(choice)
        return [(FAMILY_TITLES.get(family, family), choices) for family, choices in groups.items()]

    def clean_submission_token(self):
        token = self.cleaned_data["submission_token"]
        if not is_submission_token(token):
            raise ValidationError(_("This form has expired. Please reload the page."))
        return token

    def clean_reporter_nik(self):
        nik = self.cleaned_data["reporter_nik"].replace(" ", "")
        if nik and not NIK_RE.match(nik):
            raise ValidationError(_("A NIK has exactly 16 digits."))
        return nik

    def clean_reporter_phone(self):
        phone = self.cleaned_data["reporter_phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(_("Write the phone number with digits only, e.g. 0812 3456 7890."))
        return phone

    def clean_links(self):
        validate = URLValidator(schemes=["http", "https"])
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(links) > 10:
            raise ValidationError(_("At most 10 links."))
        limit = ReportLink._meta.get_field("url").max_length  # the column: longer is a 500 on PostgreSQL
        for link in links:
            if len(link) > limit:
                raise ValidationError(_("“%(link)s…” is too long: a link may have at most %(limit)d characters."),
                                      params={"link": link[:80], "limit": limit})
            try:
                validate(link)
            except ValidationError:
                raise ValidationError(_("“%(link)s” is not a web link (it must start with https://)."),
                                      params={"link": link[:80]}) from None
        return links

    def clean(self):
        data = super().clean()
        if data.get("identity") == self.IDENTIFIED:
            for name, message in (("reporter_name", _("Write your name, or choose to report anonymously.")),
                                  ("reporter_address", _("Write your address, or choose to report anonymously."))):
                # One message per field: a name refused as too long was written after all.
                if not self.has_error(name) and not (data.get(name) or "").strip():
                    self.add_error(name, message)
            election = data.get("election")
            if election and election.regime in self.nik_regimes and not data.get("reporter_nik") \
                    and not self.has_error("reporter_nik"):
                self.add_error("reporter_nik", _(
                    "A report about a %(election)s needs your ID card number (NIK): its rules ask for it. "
                    "Write its 16 digits, or choose to report anonymously.") % {
                    "election": regime_short_names([election.regime])})
        files = len(data.get("keep_staged") or []) + len(data.get("evidence") or [])
        if files > settings.NETRAL_EVIDENCE_MAX_FILES:
            self.add_error("evidence", _("Send at most %(count)d files at once.") % {
                "count": settings.NETRAL_EVIDENCE_MAX_FILES})
        occurred, known = data.get("occurred_on"), data.get("known_on")
        if occurred and known and occurred > known:
            self.add_error("known_on", _("You cannot have learned of it before it happened."))
        return data

    def reporter_identity(self) -> ReporterIdentity | None:
        data = self.cleaned_data
        if data["identity"] == self.ANONYMOUS:
            return None
        return ReporterIdentity(name=data["reporter_name"].strip(), address=data["reporter_address"].strip(),
                                nik=data["reporter_nik"], phone=data["reporter_phone"], email=data["reporter_email"])


class ReportedPersonForm(forms.Form):
    employee = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name of the reported person"), max_length=150,
                           help_text=_("Search the register, or write what you know."))
    position = forms.CharField(label=_("Position (if known)"), max_length=200, required=False)
    unit = forms.CharField(label=_("Office or unit (if known)"), max_length=200, required=False)

    def clean_employee(self):
        pk = self.cleaned_data.get("employee")
        if not pk:
            return None
        employee = Employee.objects.filter(pk=pk, active=True).select_related("unit").first()
        if employee is None:
            raise ValidationError(_("This person is no longer in the register; write the name instead."))
        return employee

    def to_input(self) -> ReportedPersonInput:
        data = self.cleaned_data
        return ReportedPersonInput(name=data["name"].strip(), position=data["position"].strip(),
                                   unit=data["unit"].strip(), employee=data["employee"])


class BaseReportedPersonFormSet(forms.BaseFormSet):
    # Django's own "Please submit at least 1 form." means nothing to a reporter.
    default_error_messages = {**forms.BaseFormSet.default_error_messages,
                              "too_few_forms": _("Name at least one reported person.")}


ReportedPersonFormSet = forms.formset_factory(
    ReportedPersonForm, formset=BaseReportedPersonFormSet, extra=0, min_num=1, validate_min=True, max_num=5,
    validate_max=True,
)


def build_submission(form: ReportForm, persons) -> ReportSubmission:
    data = form.cleaned_data
    files = [staged_file_prepare(staged=staged) for staged in data["keep_staged"]] + data["evidence"]
    return ReportSubmission(
        election=data["election"], region=data["region"], place=data["place"].strip(), known_on=data["known_on"],
        occurred_on=data["occurred_on"], description=data["description"].strip(), reporter=form.reporter_identity(),
        reported=[f.to_input() for f in persons.forms if f.cleaned_data],
        violations=list(data["violations"]), links=data["links"], files=files,
    )


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Your tracking code"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false"}))


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    files = EvidenceField(label=_("Add files"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why do you withdraw it? (optional)"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=_("Yes, withdraw my report. This cannot be undone."))


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    public_note = forms.CharField(label=_("Note to the reporter"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Shown on the tracking page. Required when asking for completion or refusing."))

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (s, states.Status(s).label) for s in states.staff_targets(report.status, anonymous=report.anonymous)
            if s in states.MANUAL_TARGETS
        ]


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses"))] + list(states.Status.choices))
    election = forms.ChoiceField(label=_("Election"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("All channels"))] + list(Report.Channel.choices))
    unread = forms.BooleanField(label=_("Unread only"), required=False)

    def __init__(self, *args, jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Whole jurisdiction"))] + [
            (r.code, ("— " if r.level == Region.Level.DISTRICT else "") + r.name)
            for r in region_list_under(jurisdiction).filter(level__gte=Region.Level.REGENCY)
        ]
        self.fields["election"].choices = [("", _("All elections"))] + [
            (e.pk, e.title) for e in election_list_open()
        ]


def default_known_on() -> date:
    return timezone.localdate()


class HandoverForm(forms.Form):
    """Hand a report over (pelimpahan) to the competent office, correcting the place if needed."""

    to_office = forms.ModelChoiceField(label=_("Competent Bawaslu office"), queryset=BawasluOffice.objects.none())
    to_region = forms.ModelChoiceField(
        label=_("Correct place (regency/city)"), required=False, queryset=Region.objects.none(), to_field_name="code",
        help_text=_("Leave empty when the place the reporter chose is right."))
    reason = forms.CharField(label=_("Reason for the handover"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_office"].queryset = (BawasluOffice.objects.exclude(pk=report.office_id)
                                             .select_related("region").order_by("region__code"))
        self.fields["to_region"].queryset = (Region.objects.filter(level__in=[Region.Level.PROVINCE,
                                                                             Region.Level.REGENCY])
                                             .order_by("code"))
        self.fields["to_region"].label_from_instance = lambda region: f"{region.code} {region.name}"


class IdentityRequestForm(forms.Form):
    """Ask to see a reporter's identity (reports/identity.py): the reason goes to the approver and the audit log."""

    reason = forms.CharField(label=_("Why do you need the reporter's identity?"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For example: to invite the reporter to a clarification. Do not write the "
                                         "reporter's name here."))


class IdentityDecisionForm(forms.Form):
    APPROVE, REFUSE = "approve", "refuse"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))])
    note = forms.CharField(label=_("Note (optional)"), max_length=1000, required=False)
