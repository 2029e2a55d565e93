from django.urls import path

from prevention import views

app_name = "prevention"
urlpatterns = [
    # Public ASN pages: no login, rate-limited identity checks.
    path("ikrar/", views.pledge_start, name="pledge_start"),
    path("ikrar/tanda-tangan/", views.pledge_sign, name="pledge_sign"),
    path("ikrar/selesai/", views.pledge_done, name="pledge_done"),
    path("ikrar/sertifikat.pdf", views.pledge_certificate, name="pledge_certificate"),
    path("ikrar/cek/<str:token>/", views.verify, name="verify"),
    path("hadir/<str:token>/", views.checkin, name="checkin"),
    path("hadir/<str:token>/selesai/", views.checkin_done, name="checkin_done"),
    path("hadir/<str:token>/tes/<str:phase>/", views.quiz, name="quiz"),
    path("materi/", views.library, name="library"),
    path("materi/<int:pk>/berkas/", views.library_file, name="library_file"),
    # Staff.
    path("staf/pencegahan/", views.dashboard, name="dashboard"),
    path("staf/pencegahan/kegiatan/baru/", views.event_new, name="event_new"),
    path("staf/pencegahan/kegiatan/<int:pk>/", views.event_detail, name="event_detail"),
    path("staf/pencegahan/kegiatan/<int:pk>/hadir/", views.event_checkin, name="event_checkin"),
    path("staf/pencegahan/kegiatan/<int:pk>/undang/", views.event_invite, name="event_invite"),
    path("staf/pencegahan/kegiatan/<int:pk>/catatan/", views.event_record, name="event_record"),
    path("staf/pencegahan/kegiatan/<int:pk>/foto/", views.event_photo, name="event_photo"),
    path("staf/pencegahan/kegiatan/<int:pk>/foto/<int:photo_pk>/", views.event_photo_file, name="event_photo_file"),
    path("staf/pencegahan/kegiatan/<int:pk>/materi/", views.event_material, name="event_material"),
    path("staf/pencegahan/jangkauan/", views.reach, name="reach"),
    path("staf/pencegahan/ikrar/", views.pledges, name="pledges"),
    path("staf/pencegahan/ikrar/<int:pk>/sertifikat.pdf", views.pledge_staff_certificate,
         name="pledge_staff_certificate"),
    path("staf/pencegahan/ikrar/<int:pk>/cabut/", views.pledge_revoke, name="pledge_revoke"),
    path("staf/pencegahan/upacara/baru/", views.ceremony_new, name="ceremony_new"),
    path("staf/pencegahan/upacara/<int:pk>/", views.ceremony, name="ceremony"),
    path("staf/pencegahan/spanduk/", views.banners, name="banners"),
    path("staf/pencegahan/spanduk/<int:pk>.<str:fmt>", views.banner_file, name="banner_file"),
    path("staf/pencegahan/materi/", views.materials, name="materials"),
    path("staf/pencegahan/materi/<int:pk>/tampil/", views.material_toggle, name="material_toggle"),
]
