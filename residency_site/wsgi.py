import os

from django.core.wsgi import get_wsgi_application

from residency_site.unreadable import GuardedRequest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residency_site.settings")
application = get_wsgi_application()
# A Content-Type Django's own request cannot be built from is refused with a 400, not a 500.
application.request_class = GuardedRequest
