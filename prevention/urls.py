from django.urls import path

from prevention.views import banners, checklist, events, materials, notices, pledges, public_pages

app_name = "prevention"
urlpatterns = [
    # Public ASN pages: no login, rate-limited identity checks.
    path("ikrar/", public_pages.pledge_start, name="pledge_start"),
    path("ikrar/tanda-tangan/", public_pages.pledge_sign, name="pledge_sign"),
    path("ikrar/selesai/", public_pages.pledge_done, name="pledge_done"),
    path("ikrar/sertifikat.pdf", public_pages.pledge_certificate, name="pledge_certificate"),
    path("ikrar/cek/<str:token>/", public_pages.verify, name="verify"),
    path("hadir/<str:token>/", public_pages.checkin, name="checkin"),
    path("hadir/<str:token>/selesai/", public_pages.checkin_done, name="checkin_done"),
    path("hadir/<str:token>/tes/<str:phase>/", public_pages.quiz, name="quiz"),
    path("materi/", public_pages.library, name="library"),
    path("materi/<int:pk>/berkas/", public_pages.library_file, name="library_file"),
    # Staff.
    path("staf/pencegahan/", events.dashboard, name="dashboard"),
    path("staf/pencegahan/kegiatan/baru/", events.event_new, name="event_new"),
    path("staf/pencegahan/kegiatan/<int:pk>/", events.event_detail, name="event_detail"),
    path("staf/pencegahan/kegiatan/<int:pk>/hadir/", events.event_checkin, name="event_checkin"),
    path("staf/pencegahan/kegiatan/<int:pk>/undang/", events.event_invite, name="event_invite"),
    path("staf/pencegahan/kegiatan/<int:pk>/catatan/", events.event_record, name="event_record"),
    path("staf/pencegahan/kegiatan/<int:pk>/foto/", events.event_photo, name="event_photo"),
    path("staf/pencegahan/kegiatan/<int:pk>/foto/<int:photo_pk>/", events.event_photo_file, name="event_photo_file"),
    path("staf/pencegahan/kegiatan/<int:pk>/materi/", events.event_material, name="event_material"),
    path("staf/pencegahan/jangkauan/", events.reach, name="reach"),
    path("staf/pencegahan/ikrar/", pledges.pledges, name="pledges"),
    path("staf/pencegahan/ikrar/<int:pk>/sertifikat.pdf", pledges.pledge_staff_certificate,
         name="pledge_staff_certificate"),
    path("staf/pencegahan/ikrar/<int:pk>/cabut/", pledges.pledge_revoke, name="pledge_revoke"),
    path("staf/pencegahan/upacara/baru/", pledges.ceremony_new, name="ceremony_new"),
    path("staf/pencegahan/upacara/<int:pk>/", pledges.ceremony, name="ceremony"),
    path("staf/pencegahan/spanduk/", banners.banners, name="banners"),
    path("staf/pencegahan/spanduk/unit/", banners.unit_search, name="unit_search"),
    path("staf/pencegahan/spanduk/<int:pk>.<str:fmt>", banners.banner_file, name="banner_file"),
    path("staf/pencegahan/materi/", materials.materials, name="materials"),
    path("staf/pencegahan/materi/<int:pk>/tampil/", materials.material_toggle, name="material_toggle"),
    # Notices and circulars to the ASN of chosen units (work plan 3).
    path("staf/pencegahan/pemberitahuan/", notices.notices, name="notices"),
    path("staf/pencegahan/pemberitahuan/<int:pk>/", notices.notice_detail, name="notice_detail"),
    # The unit checklist of the governor's circular (seed 001): unit heads and those who follow them.
    path("staf/daftar-periksa/", checklist.checklist_home, name="checklist_home"),
    path("staf/daftar-periksa/kemajuan/", checklist.checklist_progress, name="checklist_progress"),
    path("staf/daftar-periksa/instansi/", checklist.checklist_agency_search, name="checklist_agency_search"),
    path("staf/daftar-periksa/kemajuan.xlsx", checklist.checklist_progress_xlsx, name="checklist_progress_xlsx"),
    path("staf/daftar-periksa/unit/<int:pk>/", checklist.checklist_unit, name="checklist_unit"),
    path("staf/daftar-periksa/unit/<int:pk>/<str:item>/", checklist.checklist_record, name="checklist_record"),
    path("staf/daftar-periksa/unit/<int:pk>/foto/<int:photo_pk>/", checklist.checklist_photo,
         name="checklist_photo"),
]
