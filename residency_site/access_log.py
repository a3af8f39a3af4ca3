"""gunicorn's access log without secrets: a private calendar address is a password, so the
log line keeps its shape and drops the token."""

import re

from gunicorn.glogging import Logger

SECRET_PATHS = re.compile(r"(/calendar/)[^/?\s]+(\.ics)")


def redact(text: str | None) -> str | None:
    return SECRET_PATHS.sub(r"\1…\2", text) if text else text


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            atoms[key] = redact(atoms.get(key))
        return atoms
