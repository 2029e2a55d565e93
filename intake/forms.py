"""The fake provider's page: what the pretend reporter sends. Never saves."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from intake.models import Channel


class FakeMessageForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"))
    address = forms.CharField(label=_("The pretend reporter's number"), max_length=30, initial="+62 812 0000 0001")
    text = forms.CharField(label=_("Message"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("Photo, PDF or video"), required=False)
    latitude = forms.DecimalField(label=_("Location: latitude"), required=False, min_value=-90, max_value=90,
                                  decimal_places=6)
    longitude = forms.DecimalField(label=_("Location: longitude"), required=False, min_value=-180, max_value=180,
                                   decimal_places=6)

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Channel.choices)
        self.fields["channel"].choices = [(channel, labels[channel]) for channel in channels]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # The provider's limit is not ours: past it the file must reach the checks, to be refused there.
        if upload and upload.size > 4 * settings.NETRAL_EVIDENCE_MAX_BYTES:
            raise ValidationError(_("This file is too large even for the test page."))
        return upload

    def clean(self):
        data = super().clean()
        has_location = data.get("latitude") is not None and data.get("longitude") is not None
        if not (data.get("text", "").strip() or data.get("file") or has_location):
            raise ValidationError(_("Write a message, attach a file or give a location."))
        if data.get("file") and data.get("channel") == "sms":
            self.add_error("file", _("An SMS carries no files."))
        return data


class UploadLinkForm(forms.Form):
    """Nothing to fill in: the button spends the one-time link (a link preview only reads it)."""
