"""How often one caller may ask, and how often one address is mailed, in an hour. Counted in
the shared cache like the site's other hourly limits (``residency_site.clients``); the
recipient's address is kept only as a digest."""

from residency_site.clients import over_hourly_limit, over_hourly_recipient_limit

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
    by_recipient = over_hourly_recipient_limit(
        "represent-email", recipient, EMAILS_PER_RECIPIENT_PER_HOUR
    )
    return by_recipient or by_caller
