"""How often one caller may ask, and how often one address is mailed, in an hour. Counted in
the shared cache like the site's other hourly limits (``residency_site.clients``); the
recipient's address is kept only as a digest."""

import hashlib

from django.core.cache import cache

from residency_site.clients import HOUR, over_hourly_limit

# Requests to represent a program, per caller's address and hour.
REQUESTS_PER_HOUR = 5
# Verification emails, per caller's address and per recipient, an hour.
EMAILS_PER_HOUR = 5
EMAILS_PER_RECIPIENT_PER_HOUR = 3


def too_many_requests(request) -> bool:
    return over_hourly_limit(request, "represent-ask", REQUESTS_PER_HOUR)


def too_many_emails(request, recipient: str) -> bool:
    """Count one more verification email from this caller to this recipient; True when
    either has had its hour's share."""
    by_caller = over_hourly_limit(request, "represent-email", EMAILS_PER_HOUR)
    return _over_recipient_limit(recipient) or by_caller


def _over_recipient_limit(recipient: str) -> bool:
    digest = hashlib.sha256(recipient.strip().lower().encode()).hexdigest()[:32]
    key = f"limit:represent-recipient:{digest}"
    cache.add(key, 0, timeout=HOUR)
    try:
        return cache.incr(key) > EMAILS_PER_RECIPIENT_PER_HOUR
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=HOUR)
        return False
