from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("staf/kasus/", views.case_list, name="list"),
    path("staf/kasus/temuan-baru/", views.new_finding, name="new_finding"),
    path("staf/kasus/<int:pk>/", views.case_detail, name="detail"),
    path("staf/kasus/<int:pk>/kajian/", views.start_study, name="start_study"),
    path("staf/kasus/<int:pk>/perpanjang/", views.extend_study, name="extend_study"),
    path("staf/kasus/<int:pk>/usulan/", views.propose, name="propose"),
    path("staf/kasus/<int:pk>/jenis-terlapor/", views.set_subject, name="set_subject"),
    path("staf/kasus/<int:pk>/kembalikan/", views.send_back, name="send_back"),
    path("staf/kasus/<int:pk>/setujui/", views.approve, name="approve"),
    path("staf/kasus/<int:pk>/gabung/", views.merge, name="merge"),
    path("staf/kasus/<int:pk>/gabung/cari/", views.merge_search, name="merge_search"),
    path("staf/kasus/<int:pk>/klarifikasi/", views.schedule_clarification, name="schedule_clarification"),
    path("staf/kasus/<int:pk>/klarifikasi/<int:clarification_id>/berita-acara/", views.record_minutes,
         name="record_minutes"),
    path("staf/kasus/<int:pk>/bukti/<int:attachment_id>/", views.assess_evidence, name="assess_evidence"),
    path("staf/kasus/<int:pk>/surat/<int:letter_id>/", views.letter_file, name="letter"),
    path("staf/laporan/<int:pk>/registrasi/", views.register_report, name="register_report"),
    path("staf/laporan/<int:report_pk>/temuan/", views.new_finding, name="finding_from_report"),
]
