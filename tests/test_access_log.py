"""gunicorn's access log keeps a private calendar address's token out."""

import datetime
from types import SimpleNamespace

from gunicorn.config import Config

from residency_site.access_log import RedactingLogger

TOKEN = "Yf3XQM1PkqM5OCnn3OzzR6UiWZY0xtcnCzU1Lzufxe8"


def atoms_for(path: str) -> dict:
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path.split("?")[0],
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "-",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[])
    return RedactingLogger(Config()).atoms(
        response, request, environ, datetime.timedelta(milliseconds=5)
    )


def test_a_feed_token_never_reaches_the_access_log():
    atoms = atoms_for(f"/calendar/{TOKEN}.ics")
    assert TOKEN not in atoms["r"] and TOKEN not in atoms["U"]
    assert atoms["r"] == "GET /calendar/….ics HTTP/1.1"


def test_other_paths_are_logged_as_they_are():
    assert atoms_for("/programs/?q=houston")["r"] == "GET /programs/?q=houston HTTP/1.1"
