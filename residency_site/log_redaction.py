"""Secrets kept out of every log line. Some addresses are keys: a private calendar feed's
(``/calendar/<token>.ics``), an emailed password-reset link's
(``/accounts/password/reset/<uid>/<token>/``), a sign-up's emailed link's
(``/accounts/signup/<token>/``) and a representative's verification link's
(``/represent/verify/<token>/``). Whoever reads a log must not be able to use them, so one
function, ``redact``, drops them from every line the site writes: gunicorn's access and
error logs (``residency_site.access_log``), Django's request warnings and the runserver's
lines (the ``RedactSecrets`` filter on every handler in ``LOGGING``), and error reports,
mailed or shown (``RedactingExceptionReporter``).

A secret is recognised by the address it follows, whatever the method or status, however
the address is spelt (each character as itself or percent-encoded, as a client may send it
and gunicorn logs it raw) and whatever comes after it: everything from the address's secret
part up to the query string or the end of the address goes. Tracebacks also hold the token
alone (a view's arguments); for those, the token the request was routed with is dropped
wherever it appears."""

import logging
import re

from django.views.debug import ExceptionReporter

REDACTED = "…"


def _spelled(literal: str) -> str:
    """``literal`` as a pattern matching each character as itself or percent-encoded."""
    return "".join(f"(?:{re.escape(char)}|%{ord(char):02x})" for char in literal)


# What follows a secret address's prefix, up to the query string, a fragment, a quote or
# whitespace (so also a log line's next field).
_REST = r"""[^\s"'?#&<>]+"""
# The next segment of a reset address that is a page of its own, not a link's uid.
_RESET_PAGES = rf"""(?:sent|done){_spelled("/")}(?=[\s"'?#&<>]|$)"""
SECRET_ADDRESSES = re.compile(
    "|".join(
        [
            # The feed, not the applicant's own page about it (/me/calendar/).
            rf"(?<!me)(?P<feed>{_spelled('/calendar/')}){_REST}",
            rf"(?P<reset>{_spelled('/password/reset/')})(?!{_RESET_PAGES}){_REST}",
            rf"(?P<verify>{_spelled('/represent/verify/')}){_REST}",
            rf"(?P<signup>{_spelled('/accounts/signup/')}){_REST}",
        ]
    ),
    re.IGNORECASE,
)
# A token the request was routed with is dropped wherever it appears; shorter values
# (``set-password``, a stranger's guess) are no one's key.
SECRET_ARGUMENT = "token"
SECRET_MIN_LENGTH = 16


def request_secrets(request) -> list[str]:
    """The secret the request's address carried, as its view was given it."""
    match = getattr(request, "resolver_match", None)
    value = match.kwargs.get(SECRET_ARGUMENT) if match is not None else None
    return [value] if isinstance(value, str) and len(value) >= SECRET_MIN_LENGTH else []


def redact(text, secrets=()):
    """``text`` without the secret part of any secret address, nor any of ``secrets``."""
    if not text:
        return text
    text = SECRET_ADDRESSES.sub(lambda m: next(p for p in m.groups() if p) + REDACTED, text)
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


_formatter = logging.Formatter()


class RedactSecrets(logging.Filter):
    """A handler's filter: the record's message, traceback and stack leave without secrets.
    The record itself is changed, so every handler after this one gets the clean text."""

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = request_secrets(getattr(record, "request", None))
        message = record.getMessage()
        if (clean := redact(message, secrets)) != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        record.exc_text = redact(record.exc_text, secrets)
        record.stack_info = redact(record.stack_info, secrets)
        return True


class RedactingExceptionReporter(ExceptionReporter):
    """Django's error report (mailed to ADMINS, or shown with DEBUG on) without secrets: its
    request, its headers and every frame's variables."""

    def get_traceback_text(self):
        return redact(super().get_traceback_text(), request_secrets(self.request))

    def get_traceback_html(self):
        return redact(super().get_traceback_html(), request_secrets(self.request))
