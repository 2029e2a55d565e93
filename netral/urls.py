from django.contrib import admin
from django.urls import include, path
from two_factor.admin import AdminSiteOTPRequired

from api.v1 import api as api_v1
from netral import pwa

# The admin only for sessions verified by the second factor; its login is ours (accounts:login).
admin.site.__class__ = AdminSiteOTPRequired
admin.site.site_header = "Netral"
admin.site.site_title = "Netral"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("manifest.webmanifest", pwa.manifest, name="web_manifest"),
    path("admin/", admin.site.urls),
    path("akun/", include("accounts.urls")),
    path("api/v1/", api_v1.urls),
    path("akun/token-api/", include("api.urls")),
    path("", include("reports.urls")),
    path("", include("intake.urls")),
    path("", include("cases.urls")),
    path("", include("exports.urls")),
    path("", include("registry.urls")),
    path("", include("followup.urls")),
    path("", include("prevention.urls")),
    path("", include("agreements.urls")),
    path("", include("letters.urls")),
    path("", include("onboarding.urls")),
    path("", include("portal.urls")),
]
