"""Curators' sessions end after ``ADMIN_IDLE_MINUTES`` without a request: an account that
can change what thousands of people read is not left signed in on a shared computer."""

from django.conf import settings


class AdminIdleTimeout:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff:
            # Saved with every request, so the session lasts this long after the last one.
            request.session.set_expiry(settings.ADMIN_IDLE_MINUTES * 60)
        return self.get_response(request)
