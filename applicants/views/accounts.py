"""Accounts and the profile. Everything here is about one person and seen by them alone:
pages are never cached, and nothing personal goes in a URL."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from applicants import services
from applicants.forms import DeleteAccountForm, ProfileForm, SignUpForm
from applicants.tokens import reset_tokens
from residency_site.clients import over_hourly_limit, over_hourly_recipient_limit
from residency_site.redirects import next_url, redirect_to_next

logger = logging.getLogger(__name__)

# The account's login backend, named because django-axes adds a second one.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
TOO_OFTEN = "We have had several {what} from your address in the last hour. Please try again later."


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    """Every attempt counts towards ``SIGNUPS_PER_HOUR`` before anything else is said, and
    the answer is the same whether or not an account has the address: what differs goes
    by email to that address (``services.begin_sign_up``)."""
    going_to = next_url(request)
    if request.user.is_authenticated:
        return redirect_to_next(request, "applicants:matches")
    form = SignUpForm(request.POST or None)
    context = {"form": form, "next": going_to}
    if request.method == "POST":
        if over_hourly_limit(request, "signup", settings.SIGNUPS_PER_HOUR):
            context |= {
                "form": SignUpForm(initial={"email": request.POST.get("email", "")[:150]}),
                "refused": TOO_OFTEN.format(what="sign-ups"),
            }
            return render(request, "applicants/signup.html", context, status=429)
        if form.is_valid():
            services.begin_sign_up(
                session=request.session,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                going_to=going_to,
                site=request.build_absolute_uri("/").rstrip("/"),
            )
            context = {"days": services.SIGN_UP_LINK_DAYS}
            return render(request, "applicants/signup_sent.html", context)
    return render(request, "applicants/signup.html", context)


@never_cache
@require_safe
def signup_finish(request, token):
    """The emailed link: creates the account begun in this browser and logs it in."""
    try:
        user, going_to = services.finish_sign_up(session=request.session, token=token)
    except services.SignUpLinkProblem as problem:
        return render(request, "applicants/signup_link.html", {"problem": problem}, status=400)
    login(request, user, backend=MODEL_BACKEND)
    messages.success(request, "Welcome. Your account is ready.")
    return redirect(going_to or "applicants:matches")


@never_cache
@require_http_methods(["GET", "POST"])
def profile(request):
    """The profile, for an account or, kept in the session, for a visitor."""
    applicant = services.current_applicant(request)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            applicant = form.applicant()
            if request.user.is_authenticated:
                services.save_profile(user=request.user, applicant=applicant)
            else:
                services.keep_in_session(request, applicant)
            messages.success(request, "Saved. Here is where you stand.")
            return redirect("applicants:matches")
    else:
        form = ProfileForm.from_applicant(applicant)
    return render(request, "applicants/profile.html", {"form": form})


class NextAsElsewhere:
    """Django's login and logout, following ``next`` as the site's other forms do."""

    def get_redirect_url(self, request=None):
        return next_url(request or self.request)


class LoginView(NextAsElsewhere, auth_views.LoginView):
    pass


class LogoutView(NextAsElsewhere, auth_views.LogoutView):
    """Logging out is a POST (the button in every page's menu). The address itself, typed
    or bookmarked, asks whether to log out, or says there is no one to log out."""

    http_method_names = ["get", "head", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "applicants/logout.html", {"next": next_url(request)})


class PasswordResetView(auth_views.PasswordResetView):
    """The emailed link, asked for at most ``PASSWORD_RESETS_PER_HOUR`` times an hour from
    one address and mailed to one recipient at most ``PASSWORD_RESET_MAILS_PER_RECIPIENT``
    times an hour, whoever asks. Whether or not an account has the address, the answer is
    the same."""

    template_name = "applicants/password_reset.html"
    email_template_name = "applicants/email/password_reset.txt"
    subject_template_name = "applicants/email/password_reset_subject.txt"
    success_url = reverse_lazy("applicants:password_reset_done")
    token_generator = reset_tokens

    def form_valid(self, form):
        if over_hourly_limit(self.request, "password-reset", settings.PASSWORD_RESETS_PER_HOUR):
            form.add_error(None, TOO_OFTEN.format(what="password links asked for"))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        limit = settings.PASSWORD_RESET_MAILS_PER_RECIPIENT
        if over_hourly_recipient_limit("password-reset", form.cleaned_data["email"], limit):
            # The answer a sent link gets: the asker learns nothing about the inbox, which
            # already holds this hour's links.
            logger.warning("Password reset mail not sent: its recipient has had %s.", limit)
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The emailed link works once. Opening it shows a button; pressing it spends the link
    and the session that pressed it alone goes on to set the new password
    (``services.open_reset_link``), so the address read again from a log or a history sets
    nothing, while a mail scanner that only fetches the link spends nothing. Setting a new
    password through it also lifts a login pause."""

    template_name = "applicants/password_reset_confirm.html"
    success_url = reverse_lazy("applicants:password_reset_complete")
    token_generator = reset_tokens

    @method_decorator(never_cache)
    def dispatch(self, *args, **kwargs):
        token = kwargs.get("token")
        user = self.get_user(kwargs.get("uidb64"))
        if token == self.reset_url_token or user is None:
            return super().dispatch(*args, **kwargs)
        if self.request.method != "POST":
            valid = self.token_generator.check_token(user, token)
            return render(self.request, "applicants/password_reset_open.html", {"valid": valid})
        if fresh := services.open_reset_link(user=user, token=token):
            self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN] = fresh
            return redirect(self.request.path.replace(token, self.reset_url_token))
        # Spent or expired: Django's own page says so.
        return super().dispatch(*args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.clear_failed_logins(user=form.user)
        return response


@never_cache
@login_required
def account(request):
    return render(request, "applicants/account.html")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_account(user=user)
        messages.success(request, "Your account and everything in it are deleted.")
        return redirect("programs:home")
    return render(request, "applicants/delete_account.html", {"form": form})
