from django.urls import path

from agreements import views

app_name = "agreements"
urlpatterns = [
    path("staf/kesepakatan/", views.agreement_list, name="list"),
    path("staf/kesepakatan/baru/", views.agreement_new, name="new"),
    path("staf/kesepakatan/<int:pk>/", views.agreement_detail, name="detail"),
    path("staf/kesepakatan/<int:pk>/rencana-kerja/", views.item_new, name="item_new"),
    path("staf/kesepakatan/<int:pk>/rapat/", views.meeting_new, name="meeting_new"),
    path("staf/kesepakatan/<int:pk>/adendum/", views.addendum_new, name="addendum_new"),
    path("staf/kesepakatan/<int:pk>/adendum/<int:addendum_pk>/setujui/", views.addendum_approve,
         name="addendum_approve"),
    path("staf/kesepakatan/<int:pk>/pengakhiran/", views.terminate, name="terminate"),
    path("staf/kesepakatan/<int:pk>/dokumen/", views.document_new, name="document_new"),
    path("staf/kesepakatan/<int:pk>/dokumen/<int:document_pk>/", views.document_file, name="document_file"),
    path("staf/kesepakatan/<int:pk>/capaian/", views.value_new, name="value_new"),
    path("staf/kesepakatan/<int:pk>/target/", views.target_edit, name="target_edit"),
    path("staf/kesepakatan/<int:pk>/monev.pdf", views.report_pdf, name="report_pdf"),
    path("staf/kesepakatan/<int:pk>/monev.xlsx", views.report_xlsx, name="report_xlsx"),
]
