from django.urls import path

from registry import views

app_name = "registry"
urlpatterns = [
    path("staf/register/", views.home, name="home"),
    path("staf/register/impor/", views.upload, name="upload"),
    path("staf/register/ekspor/", views.export, name="export"),
    path("staf/register/instansi/", views.agency_search, name="agency_search"),
    path("staf/register/log/", views.exchange_log, name="exchange_log"),
    path("staf/register/impor/<int:pk>/", views.import_detail, name="import_detail"),
    path("staf/register/impor/<int:pk>/progres/", views.import_progress, name="import_progress"),
    path("staf/register/impor/<int:pk>/pemetaan/", views.import_mapping, name="import_mapping"),
    path("staf/register/impor/<int:pk>/ubah-pemetaan/", views.import_remap, name="import_remap"),
    path("staf/register/impor/<int:pk>/terapkan/", views.import_commit, name="import_commit"),
    path("staf/register/impor/<int:pk>/batal/", views.import_cancel, name="import_cancel"),
    path("staf/register/impor/<int:pk>/tambah-unit/", views.import_add_unit, name="import_add_unit"),
    path("staf/register/impor/<int:pk>/baris/<str:status>/", views.import_row_list, name="import_rows"),
]
