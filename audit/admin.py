from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only; the admin can look, never edit or delete."""

    list_display = ("created_at", "actor", "actor_kind", "action", "target_type", "target_id")
    list_filter = ("action", "actor_kind")
    search_fields = ("action", "target_id")
    list_select_related = ("actor",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
