"""Reading pages in tests, as text or in a real browser."""

import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Marks a test module that drives Chromium through the ``page`` fixture.
IN_A_BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed"),
]


def page_text(response) -> str:
    """A response's HTML with runs of white space folded, for matching phrases."""
    return re.sub(r"\s+", " ", response.content.decode())


def visible_text(response) -> str:
    """What a reader sees: the HTML's text without its tags, white space folded."""
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    for spaced, tight in (
        (" .", "."),
        (" ,", ","),
        (" ;", ";"),
        (" :", ":"),
        ("( ", "("),
        (" )", ")"),
    ):
        text = text.replace(spaced, tight)
    return text
