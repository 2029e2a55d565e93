from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registry import identity
from registry.models import Employee, EmployeeChange, ExchangeLog, ImportJob
from registry.nip import normalize_nip


class EmployeeAdminForm(forms.ModelForm):
    """Validates the NIP by its kind's layout (``Employee.clean``, run by the ModelForm).

    The field accepts the number as people copy it, grouped with spaces or dots, and
    stores the 18 digits; the birth date and gender of a PNS or PPPK come from it.
    """

    # Wider than the 18 stored digits so that "19850315 201001 1 002" reaches the cleaning.
    nip = forms.CharField(label=_("NIP"), max_length=40, required=False, empty_value=None,
                          help_text=_("NIP for a PNS, NI PPPK for a PPPK; empty for contract staff."))

    # Never shown in full (registry.identity): the field starts empty; empty keeps the NIK held.
    nik = forms.CharField(label=_("NIK"), max_length=30, required=False)

    class Meta:
        model = Employee
        fields = "__all__"
        help_texts = {
            "birth_date": _("Taken from the NIP for a PNS or PPPK."),
            "gender": _("Taken from the NIP for a PNS or PPPK."),
        }

    def clean_nip(self):
        return normalize_nip(self.cleaned_data.get("nip")) or None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        held = identity.mask_nik(self.instance.nik or "") if self.instance.pk else ""
        self.initial["nik"] = ""
        help_text = str(_("The ID-card number of contract staff who have no NIP, if known. Stored encrypted."))
        if held:
            help_text += " " + str(_("Held: %(nik)s; type another to replace it, or leave empty to keep it.")
                                   % {"nik": held})
        self.fields["nik"].help_text = help_text

    def clean_nik(self):
        # Stored encrypted, so nothing else can check it later: checked by its layout here.
        nik = identity.normalize_nik(self.cleaned_data.get("nik")) or None
        if nik is None:
            return self.instance.nik if self.instance.pk else None
        try:
            identity.parse_nik(nik)
        except identity.IdentityError as error:
            raise forms.ValidationError(error.message) from None
        return nik

    def clean(self):
        cleaned_data = super().clean()
        agency, unit = cleaned_data.get("agency"), cleaned_data.get("unit")
        if unit is not None and agency is not None and unit.agency_id != agency.pk:
            self.add_error("unit", _("The unit belongs to another agency."))
        return cleaned_data


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the exchange services only; the admin reads."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EmployeeChangeInline(admin.TabularInline):
    model = EmployeeChange
    fields = ["created_at", "kind", "changes", "actor", "source", "job"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-created_at", "-pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "job")  # shown on every row

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "agency", "state", "rows_total", "created_by", "created_at"]
    list_filter = ["state"]
    list_select_related = ["agency", "created_by"]
    exclude = ["headers", "mapping"]


@admin.register(ExchangeLog)
class ExchangeLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "direction", "channel", "dataset", "partner", "rows", "actor"]
    list_filter = ["direction", "channel", "dataset"]
    list_select_related = ["actor"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    form = EmployeeAdminForm
    inlines = [EmployeeChangeInline]
    list_display = ["name_with_titles", "kind", "nip", "register_number", "position", "unit", "agency", "active"]
    readonly_fields = ["register_number"]
    list_filter = ["kind", "active", "agency"]
    search_fields = ["name", "=nip", "position", "unit__name", "unit__short_name"]
    autocomplete_fields = ["agency", "unit"]
    list_select_related = ["agency", "unit"]
    # The register is meant to hold millions of rows: no COUNT(*) on every search.
    show_full_result_count = False
    list_per_page = 50

    @admin.display(description=_("name"), ordering="name")
    def name_with_titles(self, employee):
        return employee.full_name

    def get_search_results(self, request, queryset, search_term):
        # A NIP pasted with its spaces or dots finds its employee.
        digits = normalize_nip(search_term)
        if digits.isdigit() and len(digits) == 18:
            return queryset.filter(nip=digits), False
        # So does a contract employee's register number, however it is typed.
        number = identity.normalize_register_number(search_term)
        if identity.is_register_number(number) and not digits.isdigit():
            return queryset.filter(register_number=number), False
        return super().get_search_results(request, queryset, search_term)
