from django.urls import path, re_path

from followup import dashboard_views

urlpatterns: list = [
    path("staf/kepatuhan/", dashboard_views.dashboard, name="dashboard"),
    path("staf/kepatuhan/instansi/", dashboard_views.dashboard_agencies, name="dashboard_agencies"),
    re_path(r"^staf/kepatuhan/unduh\.(?P<file_format>csv|xlsx)$", dashboard_views.dashboard_export,
            name="dashboard_export"),
]
