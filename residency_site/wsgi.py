import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.template.loader import get_template

from residency_site.unreadable import GuardedRequest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residency_site.settings")
application = get_wsgi_application()
# A Content-Type Django's own request cannot be built from is refused with a 400, not a 500.
application.request_class = GuardedRequest


def compile_templates() -> None:
    """Compile the site's templates once, before gunicorn forks its workers
    (``preload_app``): each worker, and each that replaces one, starts with them compiled
    rather than compiling them on its first requests."""
    root = Path(settings.BASE_DIR) / "templates"
    for path in sorted(root.rglob("*.html")):
        get_template(str(path.relative_to(root)))


compile_templates()
