"""gunicorn settings for `make serve`; HOST, PORT and WEB_CONCURRENCY come from the environment."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 30
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# Private calendar addresses are secrets: their tokens stay out of the access log.
logger_class = "residency_site.access_log.RedactingLogger"
errorlog = "-"
preload_app = True
