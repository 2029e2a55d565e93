from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("lapor/", views.submit, name="submit"),
    path("lapor/cari-asn/", views.employee_search, name="employee_search"),
    path("lapor/terlapor/", views.person_row, name="person_row"),
    path("lapor/cari-wilayah/", views.region_search, name="region_search"),
    path("lacak/", views.track, name="track"),
    path("lacak/status/", views.tracking_status, name="tracking_status"),
    path("lacak/status/pesan/", views.tracking_message, name="tracking_message"),
    path("lacak/status/cabut/", views.tracking_withdraw, name="tracking_withdraw"),
    path("lacak/status/pemberitahuan/berhenti/", views.tracking_notices_stop, name="tracking_notices_stop"),
    path("lacak/status/berkas/<int:attachment_id>/", views.tracking_file, name="tracking_file"),
    path("lacak/keluar/", views.tracking_exit, name="tracking_exit"),
    path("staf/laporan/", views.inbox, name="inbox"),
    path("staf/laporan/<int:pk>/", views.detail, name="detail"),
    path("staf/laporan/<int:pk>/identitas/", views.reveal_identity, name="reveal_identity"),
    path("staf/laporan/<int:pk>/identitas/minta/", views.identity_request, name="identity_request"),
    path("staf/laporan/<int:pk>/identitas/permintaan/<int:request_pk>/", views.identity_decide,
         name="identity_decide"),
    path("staf/laporan/identitas/", views.identity_requests, name="identity_requests"),
    path("staf/laporan/<int:pk>/balas/", views.reply, name="reply"),
    path("staf/laporan/<int:pk>/status/", views.change_status, name="change_status"),
    path("staf/laporan/<int:pk>/limpahkan/", views.hand_over, name="hand_over"),
    path("staf/laporan/<int:pk>/berkas/<int:attachment_id>/", views.staff_file, name="staff_file"),
]
