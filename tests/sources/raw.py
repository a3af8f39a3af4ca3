"""Where the raw source files are, and what a test that needs them does when they are not."""

import os
from pathlib import Path

import pytest
from django.conf import settings

RAW_DIR = settings.BASE_DIR.parent / "shared" / "data" / "raw"


def missing(path: Path) -> str:
    return f"raw source files not found at {path}"


def in_ci() -> bool:
    """CI sets CI=true; empty, 0, false or no count as not set."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(path: Path, *, ci: bool) -> Path:
    """The folder; where it is missing, skip saying where it was looked for, or in CI, which
    must check fixtures/ against the raw files, fail."""
    if path.is_dir():
        return path
    if ci:
        pytest.fail(f"{missing(path)}; CI must check fixtures/ against them", pytrace=False)
    pytest.skip(missing(path))
