"""Reading pages in tests."""

import re


def page_text(response) -> str:
    """A response's HTML with runs of white space folded, for matching phrases."""
    return re.sub(r"\s+", " ", response.content.decode())
