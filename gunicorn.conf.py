"""gunicorn settings for `make serve`; HOST, PORT and WEB_CONCURRENCY come from the environment."""

import multiprocessing
import os
import re
from pathlib import Path

host = os.environ.get("HOST", "127.0.0.1")
port = os.environ.get("PORT", "8000")
bind = f"{host}:{port}"
# gunicornc's control socket, one per instance (gunicorn's default is one path for every
# instance a user runs): var/gunicorn-<host>_<port>.ctl, or GUNICORN_CONTROL_SOCKET.
control_socket = os.environ.get(
    "GUNICORN_CONTROL_SOCKET",
    str(Path(__file__).resolve().parent / "var" / re.sub(r"[^\w.-]", "_", f"gunicorn-{bind}.ctl")),
)
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 30
graceful_timeout = 20
# A worker is replaced after this many requests (a guard against slow leaks). Each new one
# starts with empty in-process caches: at a few hundred requests a second, 2,000 replaced a
# worker every few seconds, and its first requests stood out as the slowest.
max_requests = 50_000
max_requests_jitter = 5_000
accesslog = "-"
# Secret addresses (calendar feeds, password-reset links) lose their tokens in both logs.
logger_class = "residency_site.access_log.RedactingLogger"
errorlog = "-"
preload_app = True
