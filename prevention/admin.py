"""What an administrator adjusts: themes (beyond the data file's three), the question bank,
the pledge text per election and the banner templates. Each change is audited."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from prevention.catalog import default_catalog
from prevention.models import BannerTemplate, PledgeText, Question, Theme


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action=f"{obj._meta.model_name}.{'changed' if change else 'added'}",
                     target=obj, data={"fields": sorted(form.changed_data)})

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=f"{obj._meta.model_name}.deleted", target=obj)
        super().delete_model(request, obj)


@admin.register(Theme)
class ThemeAdmin(AuditedAdmin):
    list_display = ("id", "title_id", "from_data", "position", "active")
    readonly_fields = ("from_data",)

    def get_readonly_fields(self, request, obj=None):
        # The file's themes are synced from prevention/data/themes.yaml: edit the file instead.
        if obj is not None and obj.from_data:
            return ("id", "title_id", "title_en", "source", "from_data")
        return self.readonly_fields


@admin.register(Question)
class QuestionAdmin(AuditedAdmin):
    list_display = ("text", "theme", "answer", "active")
    list_filter = ("theme", "active")
    search_fields = ("text",)


@admin.register(PledgeText)
class PledgeTextAdmin(AuditedAdmin):
    list_display = ("election", "title", "is_template", "updated_at")

    def get_changeform_initial_data(self, request):
        template = default_catalog().pledge
        return {"title": template.title.id, "body": template.body.id, "source": template.source,
                "is_template": True}


@admin.register(BannerTemplate)
class BannerTemplateAdmin(AuditedAdmin):
    list_display = ("name", "headline", "default_tagline", "background_color", "accent_color", "active")
    fieldsets = ((None, {"fields": ("name", "active")}),
                 (_("Text"), {"fields": ("headline", "subtitle", "default_tagline")}),
                 (_("Colours"), {"fields": ("background_color", "accent_color", "text_color")}))
