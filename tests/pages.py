"""Reading pages in tests, as text or in a real browser, signed in or not."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
# Marks a test module that drives Chromium through the ``page`` fixture.
IN_A_BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed"),
]


def page_text(response) -> str:
    """A response's HTML with runs of white space folded, for matching phrases."""
    return re.sub(r"\s+", " ", response.content.decode())


def without_csrf_token(response) -> str:
    """A response's HTML with each CSRF token (masked afresh on every page) replaced, so two
    answers can be compared whole."""
    html = response.content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    tokens |= set(re.findall(r'"X-CSRFToken": "([^"]+)"', html))
    for token in tokens:
        html = html.replace(token, "…")
    return html


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


def look(page, name: str, *, widths=("desktop", "phone")) -> None:
    """Look at the page as it stands at each width: save a full-page screenshot under
    var/screenshots/ and check it with axe-core, failing on any serious or critical
    violation. The page is left at desktop width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in widths:
        w, h = WIDTHS[width]
        page.set_viewport_size({"width": w, "height": h})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        problems = accessibility_problems(page)
        assert not problems, f"{name} at {width} width:\n" + "\n".join(problems)
    page.set_viewport_size({"width": WIDTHS["desktop"][0], "height": WIDTHS["desktop"][1]})


def accessibility_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each. axe is
    injected through the browser's debugging protocol, which the site's
    Content-Security-Policy does not govern."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make browser` installs it (npm ci)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;undefined")
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at "
        + json.dumps([n["target"] for n in v["nodes"][:3]])
        for v in results
        if v["impact"] in ("serious", "critical")
    ]


def signed_in(email: str, *, profile=None) -> Client:
    """A client logged in to a new account, with ``profile`` (an ``Applicant``) when given."""
    from applicants import services

    user = services.create_account(email=email, password="long-enough-phrase-7")
    if profile:
        services.save_profile(user=user, applicant=profile)
    client = Client()
    client.force_login(user)
    return client


def csrf_tokens(html: str) -> set[str]:
    """The CSRF tokens of a page's forms."""
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
