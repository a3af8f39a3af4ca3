import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.template.loader import get_template
from django.urls import reverse
from django.utils.module_loading import import_string

from residency_site.unreadable import GuardedRequest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residency_site.settings")
application = get_wsgi_application()
# A Content-Type Django's own request cannot be built from is refused with a 400, not a 500.
application.request_class = GuardedRequest


def prepare() -> None:
    """Do once, before gunicorn forks its workers (``preload_app``), what a worker's first
    request would otherwise do, so that each worker, and each that replaces one after its
    ``max_requests``, answers its first request as fast as its next: compile the site's
    templates, import the URLconf with every view and build its table of names, import the
    cache backend (redis), and take the digest of the release that names kept pages. Nothing
    here connects to the database or the cache: the workers must not share a connection
    opened before the fork."""
    from programs.fragments import release  # once the apps are loaded

    root = Path(settings.BASE_DIR) / "templates"
    for path in sorted(root.rglob("*.html")):
        get_template(str(path.relative_to(root)))
    reverse("healthz")  # the first name reversed builds the table of every name
    for cache in settings.CACHES.values():
        import_string(cache["BACKEND"])
    release()


prepare()
