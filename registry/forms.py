from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from netral.forms import TypedChoiceMixin, pick_id_field, pick_name_field
from organizations.forms import agency_pick
from registry import importing


class AgencyChoiceMixin(TypedChoiceMixin):
    """Administrators type the agency's name (issue 20: never a <select> of the country's 552 agencies);
    Pemda staff work on their own, without a field."""

    def _agency_field(self, agencies, *, form_id: str):
        only = list(agencies[:2])
        self.single_agency = only[0] if len(only) == 1 else None
        if len(only) > 1:
            self.add_pick("agency", pick=agency_pick(agencies), search_url=reverse("registry:agency_search"),
                          results_id=f"{form_id}-agency-results")
        else:
            del self.fields["agency_name"], self.fields["agency"]

    def chosen_agency(self):
        return self.cleaned_data.get("agency") or self.single_agency


class UploadForm(AgencyChoiceMixin, forms.Form):
    file = forms.FileField(
        label=_("Register file"),
        help_text=_("Excel (.xlsx) or CSV, as exported by your personnel system. The columns are found by "
                    "their headers; you can correct them in the next step."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    agency_name = pick_name_field(label=_("Agency"), help_text=_("Type the agency's name or its regency/city."))
    agency = pick_id_field()
    form_id = "upload"

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self._agency_field(agencies, form_id=self.form_id)


class ExportForm(AgencyChoiceMixin, forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")],
                               initial="xlsx")
    agency_name = pick_name_field(label=_("Agency"), help_text=_("Type the agency's name or its regency/city."))
    agency = pick_id_field()
    form_id = "export"

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self._agency_field(agencies, form_id=self.form_id)


FIELD_CHOICES = [("", _("— not imported —"))] + [
    (name, importing.FIELD_LABELS[name]) for name in importing.FIELDS + importing.EXTRA_FIELDS]


class MappingForm(forms.Form):
    """One choice per column of the file, plus the encoding and delimiter of a CSV file."""

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        self.columns = []
        if job.format == "csv":
            self.fields["encoding"] = forms.ChoiceField(
                label=_("Encoding"), choices=list(importing.ENCODINGS.items()), initial=job.encoding,
                help_text=_("Choose Windows-1252 if letters such as é look wrong in the sample."))
            self.fields["delimiter"] = forms.ChoiceField(
                label=_("Delimiter"), choices=list(importing.DELIMITERS.items()),
                initial=job.delimiter if job.delimiter in importing.DELIMITERS else "auto")
        for index, header in enumerate(job.headers):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header or _("Column %(number)s") % {"number": index + 1}, choices=FIELD_CHOICES,
                required=False, initial=job.mapping[index] if index < len(job.mapping) else "")
            self.columns.append(name)

    def column_fields(self):
        return [self[name] for name in self.columns]

    def reading_changed(self) -> bool:
        if self.job.format != "csv":
            return False
        delimiter = self.cleaned_data["delimiter"]
        current = self.job.delimiter if self.job.delimiter in importing.DELIMITERS else "auto"
        return self.cleaned_data["encoding"] != self.job.encoding or (delimiter != "auto" and delimiter != current)

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(name, "") for name in self.columns]


class CommitForm(forms.Form):
    full_export = forms.BooleanField(label=_("This is a full export of the agency's register"), required=False)

    def __init__(self, *args, leaving: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        # Issue 18: say, with the count, what ticking it does before anyone commits.
        self.fields["full_export"].help_text = ngettext(
            "Tick it only if the file holds the agency's whole register: the %(count)d active employee absent "
            "from the file will then be set inactive.",
            "Tick it only if the file holds the agency's whole register: the %(count)d active employees absent "
            "from the file will then be set inactive.", leaving) % {"count": leaving}


class AddUnitForm(forms.Form):
    """A unit that refused rows of a preview name (the page's button for it)."""

    name = forms.CharField(max_length=400)
