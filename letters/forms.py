"""The forms of the letters pages: an official's period, an office's logo, a check of a letter's hash."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from letters.models import Official

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class OfficialForm(forms.ModelForm):
    class Meta:
        model = Official
        fields = ["role", "name", "nip", "position", "valid_from", "valid_until"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}


class OfficialEditForm(OfficialForm):
    """The role stays: a head who becomes acting head is a new period."""

    class Meta(OfficialForm.Meta):
        fields = ["name", "nip", "position", "valid_from", "valid_until"]


class LogoForm(forms.Form):
    logo = forms.FileField(label=_("Logo"), help_text=_("A picture (JPG, PNG or WEBP), at most 2 MB. Its metadata "
                                                        "is removed before it is stored."))


class VerifyForm(forms.Form):
    """A PDF dropped or chosen, or a hash pasted: one of the two."""

    file = forms.FileField(label=_("The letter as a PDF file"), required=False,
                           help_text=_("The file is only hashed on the server, never kept."))
    sha256 = forms.CharField(label=_("Or its SHA-256 hash"), required=False, max_length=100,
                             help_text=_("64 hexadecimal characters, e.g. from sha256sum."))

    def clean_sha256(self):
        value = "".join(self.cleaned_data["sha256"].split()).lower()
        if value and not SHA256_RE.match(value):
            raise ValidationError(_("A SHA-256 hash is 64 characters, the digits 0-9 and the letters a-f."))
        return value

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None and getattr(upload, "too_large", False):
            self.add_error("file", _("The file is too large to be a letter."))
        if not self.errors and upload is None and not cleaned.get("sha256"):
            raise ValidationError(_("Choose the letter's PDF file or paste its hash."))
        return cleaned

    def digest(self) -> str:
        upload = self.cleaned_data.get("file")
        return upload.sha256 if upload is not None else self.cleaned_data["sha256"]
