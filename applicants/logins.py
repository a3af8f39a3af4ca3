"""Failed logins, limited before they cost anything. Checking a password takes a deliberate
third of a second of CPU or more, so a flood of failures is refused from counters in the
shared cache before any password is hashed, on this site's login and the admin's alike:

- per address, across accounts (``LOGIN_FAILURES_PER_ADDRESS``): a new username per
  request, or one password sprayed across many accounts, is answered 429 once the address
  has failed that often;
- per account, across addresses (``LOGIN_FAILURES_PER_ACCOUNT``): past it, the account can
  be tried only from a browser that has logged in to it before (a signed cookie), so
  guessing from elsewhere stops while its owner, in the browser they use, is never locked
  out; from a new browser they reset the password, which clears the count;
- per account and address, django-axes (``LOGIN_FAILURE_LIMIT``), as before.

Each count lasts ``LOGIN_LOCKOUT_HOURS`` from its first failure. Accounts are counted by a
digest of the name typed, whether or not such an account exists, so a refusal says nothing
about which accounts exist.
"""

import datetime

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.core.cache import cache
from django.dispatch import receiver
from django.shortcuts import render
from django.urls import reverse

from residency_site import clients
from residency_site.clients import client_address

KNOWN_BROWSER_COOKIE = "known_login"
KNOWN_BROWSER_SALT = "applicants.logins.known-browser"
KNOWN_BROWSER_DAYS = 400  # the longest a browser keeps a cookie
_LOGGED_IN_AS = "_known_login_digest"


def account_digest(username: str) -> str:
    """The key an account is counted under: the name as the login form reads it, digested
    so that no address sits in the cache."""
    return clients.digest(username or "")


def _window() -> int:
    return int(settings.LOGIN_LOCKOUT_HOURS * 60 * 60)


def _address_key(request) -> str:
    return f"login-failures:address:{client_address(request) or 'unknown'}"


def _account_key(digest: str) -> str:
    return f"login-failures:account:{digest}"


def _count(key: str) -> None:
    clients.count(key, _window())


def clear_account_failures(username: str) -> None:
    """Forget the account's failures from every address (its owner has just set a new
    password through the emailed link)."""
    cache.delete(_account_key(account_digest(username)))


def known_browser(request, digest: str) -> bool:
    """Whether this browser has logged in to the account before."""
    value = request.COOKIES.get(KNOWN_BROWSER_COOKIE)
    if not value:
        return False
    try:
        known = signing.loads(
            value, salt=KNOWN_BROWSER_SALT, max_age=KNOWN_BROWSER_DAYS * 24 * 60 * 60
        )
    except signing.BadSignature:
        return False
    return known == digest


def refusal_reason(request) -> str | None:
    """Why this login attempt is refused before it is read further, or None."""
    if cache.get(_address_key(request), 0) >= settings.LOGIN_FAILURES_PER_ADDRESS:
        return "address"
    digest = account_digest(request.POST.get("username", ""))
    if cache.get(
        _account_key(digest), 0
    ) >= settings.LOGIN_FAILURES_PER_ACCOUNT and not known_browser(request, digest):
        return "account"
    return None


@receiver(user_login_failed)
def count_a_failed_login(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    _count(_address_key(request))
    _count(_account_key(account_digest(credentials.get("username", ""))))


@receiver(user_logged_in)
def remember_the_browser(sender, request, user, **kwargs):
    if request is not None:
        setattr(request, _LOGGED_IN_AS, account_digest(user.get_username()))


class LoginLimits:
    """Answers a login attempt over a limit with 429 before the login view (and the
    password hasher) sees it, and marks the browser that logs in to an account as known
    to it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        attempt = request.method == "POST" and request.path in _login_paths()
        if attempt and (reason := refusal_reason(request)):
            context = {"reason": reason, "pause": datetime.timedelta(seconds=_window())}
            return render(request, "applicants/login_paused.html", context, status=429)
        response = self.get_response(request)
        if digest := getattr(request, _LOGGED_IN_AS, None):
            response.set_cookie(
                KNOWN_BROWSER_COOKIE,
                signing.dumps(digest, salt=KNOWN_BROWSER_SALT),
                max_age=KNOWN_BROWSER_DAYS * 24 * 60 * 60,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def _login_paths() -> set[str]:
    return {reverse("applicants:login"), reverse("admin:login")}
