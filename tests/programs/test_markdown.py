import re

import pytest

from programs.markdown import render, render_with_toc

EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=")


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert('x')</script>",
        "Before <SCRIPT src='https://evil.example/x.js'></SCRIPT> after",
        "<img src=x onerror=alert(1)>",
        '<a href="https://example.org" onclick="alert(1)">link</a>',
        '<p onmouseover="alert(1)">hover</p>',
        "[click](javascript:alert(1))",
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<iframe src="https://evil.example"></iframe>',
        '<p style="background:url(javascript:alert(1))">styled</p>',
    ],
)
def test_unsafe_markup_is_removed(source):
    html = render(source).lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "data:" not in html
    assert not EVENT_HANDLER.search(html)
    assert "<iframe" not in html
    assert "style=" not in html
    assert "<img" not in html


def test_script_content_is_dropped_not_shown_as_text():
    assert "alert" not in render("Hi <script>alert('x')</script>")


def test_ordinary_markdown_survives():
    html = render(
        "Some *emphasis*, **strong** and `code`.\n\n"
        "- one\n- two\n\n"
        "1. first\n2. second\n\n"
        "[AAMC](https://www.aamc.org/) and [mail](mailto:help@example.org)\n\n"
        "| Programs | Fee |\n|---|---|\n| 1–30 | $11 |\n\n"
        "```\nfenced\n```\n\n"
        "> quoted\n"
    )
    assert "<em>emphasis</em>" in html
    assert "<strong>strong</strong>" in html
    assert "<code>code</code>" in html
    assert "<li>one</li>" in html
    assert "<ol>" in html
    assert '<a href="https://www.aamc.org/" rel="noopener noreferrer">AAMC</a>' in html
    assert 'href="mailto:help@example.org"' in html
    assert "<th>Fee</th>" in html and "<td>$11</td>" in html
    assert '<div class="table-wrap"><table>' in html
    assert "<pre><code>fenced" in html
    assert "<blockquote>" in html


def test_relative_links_are_kept():
    assert 'href="/guides/costs-of-applying/"' in render("[costs](/guides/costs-of-applying/)")


def test_table_written_as_text_is_not_turned_into_markup():
    html = render("Type `<table>` to start a table, or &lt;table&gt;.")
    assert '<div class="table-wrap">' not in html


def test_top_level_heading_becomes_h2_because_the_page_has_its_own_h1():
    html = render("# Heading")
    assert "<h1" not in html
    assert "<h2>Heading</h2>" in html


def test_headings_get_ids_and_a_nested_table_of_contents():
    rendered = render_with_toc("## Fees & costs\n\ntext\n\n### Old tiers\n\n## Visas\n")
    assert '<h2 id="fees-costs">Fees &amp; costs</h2>' in rendered.html
    assert '<h3 id="old-tiers">' in rendered.html
    assert [(e.id, e.title) for e in rendered.toc] == [
        ("fees-costs", "Fees & costs"),
        ("visas", "Visas"),
    ]
    assert [(c.id, c.title) for c in rendered.toc[0].children] == [("old-tiers", "Old tiers")]


def test_repeated_headings_get_unique_ids():
    rendered = render_with_toc("## Costs\n\n## Costs\n")
    ids = [entry.id for entry in rendered.toc]
    assert len(ids) == len(set(ids)) == 2
    for anchor in ids:
        assert f'id="{anchor}"' in rendered.html


HEADING_ID = re.compile(r"<h[2-6][^>]*\bid=\"([^\"]*)\"")


def test_heading_ids_are_stable_across_renders():
    text = "## How the Match works\n\n### SOAP\n"
    first, second = (HEADING_ID.findall(render_with_toc(text).html) for _ in range(2))
    assert first == second == ["how-the-match-works", "soap"]


def test_unsafe_heading_text_is_escaped_in_the_table_of_contents():
    rendered = render_with_toc("## <script>x</script> Safe\n")
    assert "<script" not in rendered.html
    assert all("<script" not in entry.title for entry in rendered.toc)
