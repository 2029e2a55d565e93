from django.contrib import admin

from regions.models import Region, RegionChange, RegionEdition


class RegionChangeInline(admin.TabularInline):
    model = RegionChange
    fk_name = "region"
    fields = ["edition", "kind", "old_name", "new_name", "replaced_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "time_zone", "retired_in", "replaced_by"]
    list_filter = ["level", "time_zone", "retired_in"]
    search_fields = ["code", "name"]
    # A retired region's replacement is set here where the edition did not say (regions.services).
    autocomplete_fields = ["parent", "replaced_by"]
    readonly_fields = ["retired_in"]
    list_select_related = ["parent", "replaced_by"]
    ordering = ["code"]
    inlines = [RegionChangeInline]


@admin.register(RegionEdition)
class RegionEditionAdmin(admin.ModelAdmin):
    """The editions applied by ``manage.py load_regions``: read only."""

    list_display = ["name", "levels", "applied_at"]
    readonly_fields = ["name", "source", "regulation", "license", "levels", "applied_at", "counts"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
