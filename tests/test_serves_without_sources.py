"""The site serves without the offline build (``sources/``): nothing the site runs imports
it, and with it missing every app, model, admin and address still loads."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ("programs", "applicants", "representatives", "residency_site")

WITHOUT_SOURCES = """
import sys
sys.modules["sources"] = None  # as if the folder were not deployed
import django
django.setup()
from django.apps import apps
from django.core.management import call_command
from django.urls import resolve
assert not apps.is_installed("sources")
call_command("check")
for path in ("/", "/programs/", "/me/matches/", "/represent/", "/admin/"):
    resolve(path)
print("served without sources")
"""


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_the_site_runs_imports_the_offline_build():
    importers = [
        str(path.relative_to(ROOT))
        for app in SITE
        for path in (ROOT / app).rglob("*.py")
        if any(name.split(".")[0] == "sources" for name in imported_modules(path))
    ]
    assert importers == []


def test_the_site_loads_with_the_offline_build_missing():
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_SOURCES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "residency_site.settings", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "served without sources" in result.stdout
