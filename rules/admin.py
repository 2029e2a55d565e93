"""Read-only views of the stored law: the data files in rules/data/ are the source.

To change an entry, edit the YAML file (with its source) and run ``manage.py load_rules``.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from rules.models import CalendarDay, Election, RuleSet, Violation


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
