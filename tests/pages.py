"""Reading pages in tests."""

import re


def page_text(response) -> str:
    """A response's HTML with runs of white space folded, for matching phrases."""
    return re.sub(r"\s+", " ", response.content.decode())


def visible_text(response) -> str:
    """What a reader sees: the HTML's text without its tags, white space folded."""
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    for spaced, tight in ((" .", "."), (" ,", ","), (" ;", ";"), ("( ", "("), (" )", ")")):
        text = text.replace(spaced, tight)
    return text
