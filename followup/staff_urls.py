from django.urls import path

from followup import views

urlpatterns = [
    path("staf/tindak-lanjut/", views.recommendation_list, name="list"),
    path("staf/tindak-lanjut/<int:pk>/", views.recommendation_detail, name="detail"),
    path("staf/tindak-lanjut/<int:pk>/terima/", views.acknowledge, name="acknowledge"),
    path("staf/tindak-lanjut/<int:pk>/rekomendasi/", views.issue, name="issue"),
    path("staf/tindak-lanjut/<int:pk>/rekomendasi/sanksi/", views.issue_grades, name="issue_grades"),
    path("staf/tindak-lanjut/<int:pk>/rekomendasi/instansi/", views.issue_agencies, name="issue_agencies"),
    path("staf/tindak-lanjut/<int:pk>/tolak/", views.refuse, name="refuse"),
    path("staf/tindak-lanjut/<int:pk>/keputusan/", views.decide, name="decide"),
    path("staf/tindak-lanjut/<int:pk>/keputusan/berkas/", views.decision_file, name="decision_file"),
    path("staf/tindak-lanjut/<int:pk>/surat/<int:letter_id>/", views.letter_file, name="letter"),
    path("staf/pegawai/<int:pk>/", views.employee_detail, name="employee"),
]
