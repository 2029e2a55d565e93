from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("pengumuman/", views.announcements, name="announcements"),
    path("pengumuman/<int:case_id>/surat.pdf", views.announcement_pdf, name="announcement_pdf"),
    path("healthz", views.healthz, name="healthz"),
    path("larangan/", views.rules_list, name="rules"),
    path("larangan/<slug:violation_id>/", views.rule_detail, name="rule_detail"),
    path("batas-waktu/", views.deadline_calculator, name="deadline_calculator"),
]
