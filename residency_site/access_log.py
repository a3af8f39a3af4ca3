"""gunicorn's logs without secrets: every line of its access and error logs goes through the
same filter as the site's own (``residency_site.log_redaction``), so a private calendar
address or a password-reset link keeps its shape and loses its token."""

from gunicorn.glogging import Logger

from residency_site.log_redaction import RedactSecrets


class RedactingLogger(Logger):
    def setup(self, cfg):
        # Run at start and on every reload, which replaces gunicorn's own handlers.
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(f, RedactSecrets) for f in handler.filters):
                    handler.addFilter(RedactSecrets())
