"""Probes for load balancers and the benchmark: ``/healthz`` says the process answers (no
database, so it is also the ceiling every page is measured against), ``/readyz`` that the
database does too, and whether the shared cache does: without it the site still serves every
page (``residency_site.cache``), so a degraded cache answers 200, saying so in the body for
monitoring and a load balancer's body check (docs/operations.md)."""

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_safe
def readyz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    cache_reachable = getattr(cache, "reachable", lambda: True)
    if not cache_reachable():
        return HttpResponse("degraded: cache unreachable\n", content_type="text/plain")
    return HttpResponse("ready\n", content_type="text/plain")
