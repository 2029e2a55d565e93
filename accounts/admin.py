from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin with the role and the office or agency that fix the jurisdiction.

    The forms are ModelForms, so ``User.clean`` checks that a role has its office or agency.
    """

    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Role and jurisdiction"), {"fields": ("role", "bawaslu_office", "agency", "unit")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Role and jurisdiction"), {"fields": ("role", "bawaslu_office", "agency", "unit")}),
    )
    list_display = ["username", "first_name", "last_name", "role", "bawaslu_office", "agency", "is_active",
                    "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser", "bawaslu_office", "agency"]
    autocomplete_fields = ["bawaslu_office", "agency", "unit"]
    list_select_related = ["bawaslu_office", "agency"]
