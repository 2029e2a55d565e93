from django.urls import path

from onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("staf/pemda/", views.agency_list, name="list"),
    path("staf/pemda/instansi/", views.agency_search, name="agency_search"),
    path("staf/pemda/<int:pk>/", views.agency_detail, name="agency"),
    path("staf/pemda/<int:pk>/undang/", views.invite, name="invite"),
    path("staf/pemda/<int:pk>/akun/<int:user_pk>/kirim-ulang/", views.resend, name="resend"),
    path("staf/pemda/<int:pk>/akun/<int:user_pk>/tarik/", views.revoke, name="revoke"),
]
