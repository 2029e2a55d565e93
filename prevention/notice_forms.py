from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.forms import unit_pick
from prevention.forms import unit_lines_field
from prevention.notice_models import AsnNotice


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AsnNotice.Kind.choices, initial=AsnNotice.Kind.NOTICE)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    units = unit_lines_field(label=_("Units"), help_text=_("One unit per line, e.g. Dinas Kesehatan, Belitung Timur."),
                             error_messages={"required": _("Type at least one unit.")})
    attachment = forms.FileField(label=_("Attachment (PDF, optional)"), required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].pick = unit_pick(units)
