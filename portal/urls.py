from django.urls import path, re_path

from portal import followup_views, staff_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("pengumuman/", views.announcements, name="announcements"),
    path("pengumuman/<int:case_id>/surat.pdf", views.announcement_pdf, name="announcement_pdf"),
    path("healthz", views.healthz, name="healthz"),
    # The staff landing page: what needs the account today (portal/staff_home.py).
    path("staf/", staff_views.staff_home, name="staff_home"),
    path("larangan/", views.rules_list, name="rules"),
    path("larangan/belum-diverifikasi/", views.rules_unverified, name="rules_unverified"),
    path("larangan/<slug:violation_id>/", views.rule_detail, name="rule_detail"),
    path("batas-waktu/", views.deadline_calculator, name="deadline_calculator"),
    # The public follow-up of recommendations, statistics and open data (portal/followup_views.py).
    path("tindak-lanjut/", followup_views.followup_register, name="followup_register"),
    path("tindak-lanjut/cari-instansi/", followup_views.register_agencies, name="register_agencies"),
    path("statistik/", followup_views.statistics, name="statistics"),
    re_path(r"^statistik/(?P<code>[0-9]{2})/$", followup_views.statistics_province, name="statistics_province"),
    path("data/", followup_views.open_data, name="open_data"),
    re_path(r"^data/tindak-lanjut\.(?P<fmt>csv|json)$", followup_views.open_data_register,
            name="open_data_register"),
    re_path(r"^data/statistik\.(?P<fmt>csv|json)$", followup_views.open_data_statistics,
            name="open_data_statistics"),
    path("data/datapackage.json", followup_views.datapackage, name="datapackage"),
]
