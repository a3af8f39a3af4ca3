from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from applicants.forms import EmailAuthenticationForm
from applicants.views import accounts, matches, plan, signals

app_name = "applicants"


def _done(name: str):
    return reverse_lazy(f"applicants:{name}")


urlpatterns = [
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/signup/<str:token>/", accounts.signup_finish, name="signup_finish"),
    path(
        "accounts/login/",
        accounts.LoginView.as_view(
            template_name="applicants/login.html",
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
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
        accounts.PasswordResetView.as_view(),
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
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="applicants/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("me/", accounts.account, name="account"),
    path("me/profile/", accounts.profile, name="profile"),
    path("me/matches/", matches.matches, name="matches"),
    path("me/matches/export.csv", matches.matches_export, name="matches_export"),
    path("me/delete/", accounts.delete_account, name="delete"),
    path("me/shortlist/", plan.shortlist, name="shortlist"),
    path("me/shortlist/<int:pk>/", plan.shortlist_entry, name="shortlist_entry"),
    path("me/shortlist/<int:pk>/signal/", signals.shortlist_signal, name="shortlist_signal"),
    path("me/shortlist/save/<str:acgme_id>/", plan.shortlist_save, name="shortlist_save"),
    path("me/shortlist/remove/<str:acgme_id>/", plan.shortlist_remove, name="shortlist_remove"),
    path("compare/", plan.compare, name="compare"),
    path("me/costs/", plan.cost_planner, name="costs"),
    path("me/calendar/", plan.calendar_page, name="calendar"),
    path("me/calendar/address/", plan.calendar_feed_new, name="calendar_feed_new"),
    path("me/calendar/address/close/", plan.calendar_feed_close, name="calendar_feed_close"),
    path("calendar/<str:token>.ics", plan.calendar_feed, name="calendar_feed"),
]
