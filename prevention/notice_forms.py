from django import forms
from django.utils.translation import gettext_lazy as _

from prevention.notice_models import AsnNotice


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AsnNotice.Kind.choices, initial=AsnNotice.Kind.NOTICE)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    units = forms.ModelMultipleChoiceField(label=_("Units"), queryset=None, widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": _("Choose at least one unit.")})
    attachment = forms.FileField(label=_("Attachment (PDF, optional)"), required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
