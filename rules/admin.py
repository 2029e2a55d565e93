"""Read-only views of the stored law: the data files in rules/data/ are the source.

To change an entry, edit the YAML file (with its source) and run ``manage.py load_rules``.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from rules.calendar import needs_confirmation
from rules.catalog import CALENDAR_YEAR_RANGE
from rules.models import CalendarDay, CalendarYear, Election, RuleSet, Violation
from rules.selectors import calendar_confirmed_years, catalog


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ("short_version", "loaded_at", "loaded_by")
    list_select_related = ("loaded_by",)
    search_fields = ("version",)
    ordering = ("-loaded_at",)

    @admin.display(description=_("version"), ordering="version")
    def short_version(self, obj):
        return obj.version[:12]


@admin.register(Violation)
class ViolationAdmin(ReadOnlyAdmin):
    list_display = ("id", "title_id", "family", "position", "active", "ruleset")
    list_filter = ("family", "active")
    search_fields = ("id", "title_id", "title_en")
    list_select_related = ("ruleset",)
    ordering = ("position", "id")


@admin.register(Election)
class ElectionAdmin(ReadOnlyAdmin):
    list_display = ("id", "title_id", "regime", "voting_day", "active", "ruleset")
    list_filter = ("regime", "active")
    search_fields = ("id", "title_id", "title_en")
    list_select_related = ("ruleset",)
    ordering = ("-voting_day",)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Administrators correct the calendar when a decree adds or moves a day off.

    Every change is audited; open cases take the new calendar with
    ``manage.py recompute_deadlines``.
    """

    list_display = ("date", "name_id", "kind", "removed", "source")
    list_filter = ("kind", "removed")
    search_fields = ("name_id", "name_en", "source")
    ordering = ("-date",)

    def changelist_view(self, request, extra_context=None):
        warn_unconfirmed_calendar(request)
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action="rules.calendar_changed", target=obj,
                     data={"date": str(obj.date), "removed": obj.removed, "source": obj.source})

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="rules.calendar_deleted", target=obj, data={"date": str(obj.date)})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


def warn_unconfirmed_calendar(request) -> None:
    """The banner of the calendar pages while a year needs confirming (rules.calendar.needs_confirmation)."""
    if request.method != "GET":
        return  # a POST redirects to a GET that warns
    year = needs_confirmation(timezone.localdate(), calendar_confirmed_years())
    if year is not None:
        messages.warning(request, _(
            "The holiday calendar of %(year)s is not confirmed: deadlines that reach into it use computed days "
            "off and are shown as provisional. Check the days against the joint ministerial decree for "
            "%(year)s, correct them under calendar corrections, then confirm the year here.") % {"year": year})


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ("year", "decree")

    def clean_year(self):
        year = self.cleaned_data["year"]
        low, high = CALENDAR_YEAR_RANGE
        if not low <= year <= high:
            raise ValidationError(_("Give a year from %(low)s to %(high)s."), code="range",
                                  params={"low": low, "high": high})
        if year in catalog().calendar_years:
            raise ValidationError(_("%(year)s is already confirmed by the rule data files."), code="in_files",
                                  params={"year": year})
        return year


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Administrators confirm a year whose days off come from the holidays package.

    Confirming says that the year's days (the package's, with the calendar corrections)
    match the joint decree: its deadlines stop being provisional. Every change is audited.
    """

    form = CalendarYearForm
    list_display = ("year", "decree", "confirmed_by", "confirmed_at")
    list_select_related = ("confirmed_by",)
    search_fields = ("decree",)
    ordering = ("-year",)

    def get_readonly_fields(self, request, obj=None):
        # The year is the key: a wrong year is deleted and confirmed again, both audited.
        return ("year", "confirmed_by", "confirmed_at") if obj else ("confirmed_by", "confirmed_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.confirmed_by, obj.confirmed_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)
        action = "rules.calendar_year_changed" if change else "rules.calendar_year_confirmed"
        audit_record(actor=request.user, action=action, target=obj, data={"year": obj.year, "decree": obj.decree})

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="rules.calendar_year_unconfirmed", target=obj,
                     data={"year": obj.year, "decree": obj.decree})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def changelist_view(self, request, extra_context=None):
        warn_unconfirmed_calendar(request)
        return super().changelist_view(request, extra_context)
