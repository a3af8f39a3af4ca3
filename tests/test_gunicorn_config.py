"""`make serve`'s gunicorn settings (gunicorn.conf.py)."""

import runpy
from pathlib import Path

from gunicorn.config import Config

ROOT = Path(__file__).resolve().parent.parent


def settings_for(monkeypatch, **environ) -> Config:
    """gunicorn's settings as it reads them from gunicorn.conf.py in this environment."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    config = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_each_instance_on_a_machine_has_a_control_socket_of_its_own(monkeypatch):
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    first = settings_for(monkeypatch, PORT="8201").control_socket
    second = settings_for(monkeypatch, PORT="8202").control_socket
    assert first != second
    assert Path(first).parent == ROOT / "var" and Path(first).name == "gunicorn-127.0.0.1_8201.ctl"
    assert settings_for(monkeypatch).control_socket_mode == 0o600
