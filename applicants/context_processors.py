from django.utils.functional import SimpleLazyObject

from applicants import services
from applicants.models import ShortlistEntry


def applicant(request):
    """``applicant``: the asker's profile (from the account or the session), or None; read
    only when a page uses it."""
    return {"applicant": SimpleLazyObject(lambda: services.current_applicant(request))}


def saved_programs(request):
    """``saved_programs``: the ACGME IDs on the asker's shortlist, latest saved first, read in
    one query and only when a page uses it."""

    def read():
        if not request.user.is_authenticated:
            return ()
        return ShortlistEntry.objects.saved_acgme_ids(request.user)

    return {"saved_programs": SimpleLazyObject(read)}
