from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.staff_home, name="home"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # Forgotten password: a link by e-mail (Django's views, our templates; see views.py).
    path("sandi/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path("sandi/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("sandi/baru/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("sandi/selesai/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # An invited Pemda account's one-time link (accounts.invitations): its password, then its app.
    path("undangan/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # The second factor (TOTP authenticator app), required for every account (accounts.middleware).
    path("2fa/", views.SetupView.as_view(), name="setup"),
    path("2fa/qr/", views.QRCodeView.as_view(), name="setup_qr"),
    path("2fa/aktif/", views.SetupCompleteView.as_view(), name="setup_complete"),
    path("2fa/kode-cadangan/", views.BackupTokensView.as_view(), name="backup_tokens"),
    path("2fa/hapus/", views.DisableView.as_view(), name="disable"),
]
