from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from organizations.models import Agency, BawasluOffice, Unit


@admin.register(BawasluOffice)
class BawasluOfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "number_code", "region", "identity_reveal_needs_approval"]
    search_fields = ["name", "short_name", "number_code", "region__name", "region__code"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
    # The logo goes through storage's preparation (letters.services.office_set_logo, on the
    # office's signatories page): the admin shows it, never takes a file past that.
    readonly_fields = ["logo", "logo_sha256"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "ppk_title"]
    list_filter = ["kind"]
    search_fields = ["name", "ppk_title", "region__name"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = "__all__"

    def clean(self):
        cleaned_data = super().clean()
        agency, parent = cleaned_data.get("agency"), cleaned_data.get("parent")
        if parent is not None and agency is not None and parent.agency_id != agency.pk:
            self.add_error("parent", _("The parent unit belongs to another agency."))
        if parent is not None and self.instance.pk and parent.pk == self.instance.pk:
            self.add_error("parent", _("A unit cannot be its own parent."))
        return cleaned_data


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitAdminForm
    list_display = ["name", "short_name", "agency", "parent", "region", "head_name", "head_position"]
    list_filter = ["agency"]
    search_fields = ["name", "short_name", "head_name", "head_position"]
    autocomplete_fields = ["agency", "parent", "region"]
    list_select_related = ["agency", "parent", "region"]
