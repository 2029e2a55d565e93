from django.urls import path

from intake import views

app_name = "intake"
urlpatterns = [
    path("kanal/<slug:channel>/webhook/", views.webhook, name="webhook"),
    path("kanal/uji/", views.fake_phone, name="fake_phone"),
    path("kanal/tautan/<str:token>/", views.upload_link, name="upload_link"),
    path("staf/laporan/<int:pk>/percakapan/", views.transcript, name="transcript"),
]
