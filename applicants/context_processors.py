from django.utils.functional import SimpleLazyObject

from applicants import services


def applicant(request):
    """``applicant``: the asker's profile (from the account or the session), or None; read
    only when a page uses it."""
    return {"applicant": SimpleLazyObject(lambda: services.current_applicant(request))}
