from django.contrib import admin

from letters.models import Official


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    """Read-only: officials are recorded on the signatories pages, through letters.services (audited)."""

    list_display = ["name", "position", "role", "office", "agency", "valid_from", "valid_until"]
    list_filter = ["role"]
    search_fields = ["name", "position", "office__name", "agency__name"]
    list_select_related = ["office", "agency"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
