from django.urls import path

from letters import views

app_name = "letters"
urlpatterns = [
    path("surat/verifikasi/<str:token>/", views.verify, name="verify"),
    path("staf/surat/penanda-tangan/", views.signatories, name="signatories"),
    path("staf/surat/penanda-tangan/kantor/<int:pk>/", views.office_officials, name="office_officials"),
    path("staf/surat/penanda-tangan/instansi/<int:pk>/", views.agency_officials, name="agency_officials"),
    path("staf/surat/penanda-tangan/pejabat/<int:pk>/", views.official_edit, name="official_edit"),
    path("staf/surat/penanda-tangan/pejabat/<int:pk>/hapus/", views.official_delete, name="official_delete"),
    path("staf/surat/logo/<int:pk>/", views.logo_image, name="logo"),
    path("staf/surat/logo/<int:pk>/unggah/", views.logo_upload, name="logo_upload"),
    path("staf/surat/logo/<int:pk>/hapus/", views.logo_remove, name="logo_remove"),
]
