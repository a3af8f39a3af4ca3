from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from applicants import services


@receiver(user_logged_in)
def keep_the_visitors_profile(sender, request, user, **kwargs):
    """A profile filled in before signing up or logging in stays with the account."""
    if request is not None:
        services.adopt_session_profile(request, user)
