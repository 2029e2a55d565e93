from django.urls import path

from exports import views

app_name = "exports"
urlpatterns = [
    path("staf/ekspor/", views.export_list, name="list"),
    path("staf/ekspor/<int:pk>/", views.export_detail, name="detail"),
    path("staf/ekspor/<int:pk>/progres/", views.export_progress, name="progress"),
    path("staf/ekspor/<int:pk>/unduh/", views.export_download, name="download"),
]
