"""Pages that show something of whoever asks (a program "Saved", their verdicts, their
name) are for their browser alone: ``Cache-Control: private`` keeps shared caches (a proxy,
a CDN) from keeping them for the next reader. Personal pages already say ``no-store``
(``never_cache``) and are left so."""

from django.utils.cache import patch_cache_control


class PrivateWhenPersonal:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Whoever is signed in, and a visitor's profile, are read from the session: a page
        # that did not read it shows nothing of anyone (and costs no session read here).
        session = request.session
        personal = session.accessed and session.session_key
        if personal and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True)
        return response
