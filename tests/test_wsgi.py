"""gunicorn forks its workers from a process that has imported the WSGI module
(`preload_app`): what that import prepares, no worker prepares on its first request."""

import json
import os
import subprocess
import sys

PREPARED = """
import json, sys
import residency_site.wsgi
from django.conf import settings
from django.db import connections
from django.urls import get_resolver
from programs.fragments import release
print(json.dumps({
    "urlconf": settings.ROOT_URLCONF in sys.modules,
    "views": "applicants.views.plan" in sys.modules,
    "names": get_resolver()._populated,
    "redis": "redis" in sys.modules,
    "release": release.cache_info().currsize,
    "connected": [alias for alias in connections if connections[alias].connection is not None],
}))
"""


def test_a_worker_is_forked_with_its_views_names_cache_backend_and_release_loaded():
    env = {**os.environ, "CACHE_URL": "redis://127.0.0.1:6379/0", "DEBUG": "false"}
    env.setdefault("SECRET_KEY", "a-key-for-this-test-only")
    output = subprocess.run(
        [sys.executable, "-c", PREPARED], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(output) == {
        "urlconf": True,
        "views": True,
        "names": True,
        "redis": True,
        "release": 1,
        "connected": [],
    }
