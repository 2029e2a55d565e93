"""Cleaning and messages for the public form, the tracking page and staff actions. Never saves."""

import re
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from organizations.models import BawasluOffice
from organizations.selectors import office_resolve
from regions.models import Region
from regions.selectors import region_filter_choices, region_for_reporting, region_label, region_resolve
from registry.models import Employee
from reports import states
from reports.models import Report, ReportLink, StagedFile
from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, staged_file_prepare
from reports.tracking import is_submission_token
from reports.uploads import NotReceivedFile
from rules.selectors import (
    FAMILY_TITLES,
    election_list_open,
    event_outside_supervised_stages,
    outside_stages_message,
    regime_short_names,
    regimes_needing_reporter_nik,
    report_time_limits,
    violation_list,
)
from rules.stages import event_day
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


def _not_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("This date is in the future."))


MAX_REGION_CHOICES = 10  # "Did you mean": more than this and the reporter should type more
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



def clean_typed_region(form: forms.Form, data: dict, *, name_field: str = "region_name", id_field: str = "region",
                       jurisdiction: Region | None = None, required: bool = True) -> list[tuple[int, str]]:
    """A region typed by name (issue 20), for any form with a text field and a hidden id field.

    The id wins when it is a current regency/city or district (within ``jurisdiction`` if given);
    else the typed name: one match is taken, several come back as "Did you mean" choices (returned,
    as (pk, label)) and none is said. ``data[id_field]`` becomes the Region, or None (not required).
    """
    if form.has_error(name_field):
        return []
    region = region_for_reporting(data.get(id_field), jurisdiction=jurisdiction)
    text = (data.get(name_field) or "").strip()
    if region is None and text:
        found = region_resolve(text, jurisdiction=jurisdiction)
        if len(found) == 1:
            region = found[0]
        elif found:
            form.add_error(name_field, _("Several places have this name: choose the one you mean below."))
            return [(r.pk, region_label(r)) for r in found[:MAX_REGION_CHOICES]]
        else:
            if jurisdiction is not None and not jurisdiction.is_country:
                form.add_error(name_field, _("No regency/city or district of this name was found in your "
                                             "jurisdiction. Check the spelling."))
            else:
                form.add_error(name_field, _(
                    "No regency/city or district of this name was found. Check the spelling, or write only the "
                    "name of the regency/city."))
            return []
    if region is None and required:
        form.add_error(name_field, _("Write the district or the regency/city where it happened."))
        return []
    data[id_field] = region
    return []


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
    # Issue 18: opt-in notices (reports/notices.py); meaningful only with the e-mail above.
    notify_by_email = forms.BooleanField(
        label=_("E-mail me when there is news on my report"), required=False,
        help_text=_("Only a short e-mail saying that there is news, with the address of the tracking page: never "
                    "the content, the report number or your code. Anyone who reads this mailbox will know that you "
                    "made a report. You can stop the e-mails on the tracking page."))

    election = forms.ModelChoiceField(label=_("Which election?"), queryset=None, empty_label=None)
    # Issue 20: typed and found by name (regions.selectors.region_resolve), never one <select> of the
    # country's ~7,800 regencies and districts. ``region`` is the id: a picked suggestion or "Did you
    # mean" choice, or a partner's or bench's post; when valid it wins over the text.
    region_name = forms.CharField(
        label=_("Regency/city or district"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Where did it happen? Type the name of the district (kecamatan) or of the regency/city, "
                    "e.g. Manggar or Belitung Timur."))
    region = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    place = forms.CharField(label=_("Place"), max_length=300,
                            help_text=_("Address, building, village, or the name of the social-media group."))
    occurred_on = forms.DateField(label=_("When did it happen?"), required=False, validators=[_not_future],
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  help_text=_("Leave empty if you do not know."))
    known_on = forms.DateField(label=_("When did you learn of it?"), validators=[_not_future],
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    # Issue 19: shown when the event lies outside every election's supervised stages (clean()).
    as_information = forms.BooleanField(
        label=_("Send it as information, not as a report"), required=False,
        help_text=_("Bawaslu keeps it and may use it, but it is not handled as a report and has no registration "
                    "time limit."))
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
        self.outside_stages = False  # set by clean(): the event lies outside every supervised stage
        self.region_choices = []  # set by clean(): (pk, label) when the typed place names several
        # Suggestions as one types, where JavaScript runs (report.js loads htmx on first use).
        self.fields["region_name"].widget.attrs.update({
            "hx-get": reverse("reports:region_search"), "hx-trigger": "input changed delay:300ms, search",
            "hx-target": "#region-suggestions", "aria-controls": "region-suggestions"})
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
            if data.get("notify_by_email") and not data.get("reporter_email") and not self.has_error("reporter_email"):
                self.add_error("notify_by_email", _("Write your e-mail address above to receive the e-mails, or "
                                                    "untick this box."))
            election = data.get("election")
            if election and election.regime in self.nik_regimes and not data.get("reporter_nik") \
                    and not self.has_error("reporter_nik"):
                self.add_error("reporter_nik", _(
                    "A report about a %(election)s needs your ID card number (NIK): its rules ask for it. "
                    "Write its 16 digits, or choose to report anonymously.") % {
                    "election": regime_short_names([election.regime])})
        self._clean_region(data)
        files = len(data.get("keep_staged") or []) + len(data.get("evidence") or [])
        if files > settings.NETRAL_EVIDENCE_MAX_FILES:
            self.add_error("evidence", _("Send at most %(count)d files at once.") % {
                "count": settings.NETRAL_EVIDENCE_MAX_FILES})
        occurred, known = data.get("occurred_on"), data.get("known_on")
        if occurred and known and occurred > known:
            self.add_error("known_on", _("You cannot have learned of it before it happened."))
        # Issue 19: the same rule as reports.services.report_submit, said before anything is sent.
        self.outside_stages = not self.has_error("occurred_on") and not self.has_error("known_on") \
            and event_outside_supervised_stages(event_day(occurred_on=occurred, known_on=known))
        if self.outside_stages and not data.get("as_information"):
            self.add_error("as_information", outside_stages_message())
        return data

    def _clean_region(self, data) -> None:
        self.region_choices = clean_typed_region(self, data)

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
        # Anonymous: no address, so no notices whatever the (hidden) box said.
        notify_by_email=data["identity"] == ReportForm.IDENTIFIED and data["notify_by_email"],
        language=translation.get_language() or "",
        as_information=bool(data.get("as_information")),
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
    order = forms.ChoiceField(label=_("Sort by"), required=False,
                              choices=[("new", _("Newest")), ("due", _("Next deadline"))])

    def __init__(self, *args, jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        # Issue 20: a cascade, not the ~7,800 regencies and districts of a national account: the
        # jurisdiction's own regions, then those within the chosen one (one query, whatever is loaded).
        self.fields["region"].choices = [("", _("Whole jurisdiction"))] + [
            (r.code, "— " * (r.level - jurisdiction.level - 1) + r.name)
            for r in region_filter_choices(jurisdiction, chosen=str(self.data.get("region") or "")[:20])
        ]
        self.fields["election"].choices = [("", _("All elections"))] + [
            (e.pk, e.title) for e in election_list_open()
        ]


def default_known_on() -> date:
    return timezone.localdate()


class HandoverForm(forms.Form):
    """Hand a report over (pelimpahan) to the competent office, correcting the place if needed.

    Issue 20: the office and the place are typed and found by name (organizations.selectors.office_resolve,
    clean_typed_region), never <select>s of the country's ~550 offices and regions: several matches
    come back as "Did you mean" choices; the hidden ids carry a choice (or a post by id)."""

    to_office_name = forms.CharField(
        label=_("Competent Bawaslu office"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Type the office's name, e.g. Bawaslu Kabupaten Bangka, or only its regency/city or province."))
    to_office = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    to_region_name = forms.CharField(
        label=_("Correct place (regency/city or district)"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Leave empty when the place the reporter chose is right."))
    to_region = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for the handover"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.office_choices: list[tuple[int, str]] = []  # set by clean(): several offices of the typed name
        self.region_choices: list[tuple[int, str]] = []

    def clean(self):
        data = super().clean()
        self._clean_office(data)
        self.region_choices = clean_typed_region(self, data, name_field="to_region_name", id_field="to_region",
                                                 required=False)
        return data

    def add_error(self, field, error):
        # The service's errors name the hidden ids (reports.services.report_hand_over): say them at the typed names.
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            names = {"to_office": "to_office_name", "to_region": "to_region_name"}
            error = ValidationError({names.get(key, key): value for key, value in error.error_dict.items()})
        super().add_error(field, error)

    def _clean_office(self, data) -> None:
        if self.has_error("to_office_name"):
            return
        text, pk = (data.get("to_office_name") or "").strip(), str(data.get("to_office") or "").strip()
        office = None
        if pk.isdigit() and len(pk) <= 18:
            office = (BawasluOffice.objects.exclude(pk=self.report.office_id).select_related("region")
                      .filter(pk=int(pk)).first())
        if office is None and text:
            found = office_resolve(text, exclude_pk=self.report.office_id)
            if len(found) == 1:
                office = found[0]
            elif found:
                self.office_choices = [(o.pk, o.name) for o in found[:MAX_REGION_CHOICES]]
                self.add_error("to_office_name", _("Several offices have this name: choose the one you mean below."))
                return
            else:
                self.add_error("to_office_name", _("No other Bawaslu office of this name was found. Check the "
                                                   "spelling, or write only the name of its regency/city or "
                                                   "province."))
                return
        if office is None:
            self.add_error("to_office_name", _("Write the name of the competent Bawaslu office."))
            return
        data["to_office"] = office


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
