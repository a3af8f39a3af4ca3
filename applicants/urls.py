from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from applicants import views
from applicants.forms import EmailAuthenticationForm

app_name = "applicants"


def _done(name: str):
    return reverse_lazy(f"applicants:{name}")


urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="applicants/login.html",
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="applicants/password_change.html",
            success_url=_done("password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="applicants/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="applicants/password_reset.html",
            email_template_name="applicants/email/password_reset.txt",
            subject_template_name="applicants/email/password_reset_subject.txt",
            success_url=_done("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="applicants/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="applicants/password_reset_confirm.html",
            success_url=_done("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="applicants/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("me/", views.account, name="account"),
    path("me/profile/", views.profile, name="profile"),
    path("me/matches/", views.matches, name="matches"),
    path("me/matches/export.csv", views.matches_export, name="matches_export"),
    path("me/delete/", views.delete_account, name="delete"),
]
