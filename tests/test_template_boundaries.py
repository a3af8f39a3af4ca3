"""The apps' boundary holds in templates too: the directory's pages and the shared partials
load no tag library or template of `applicants`, an applicant's pages extend no page of the
directory and load none of its tag libraries, and no template tag reads the database (what
a program's page shows about the asker comes from the panel `applicants` registers in
`programs.panels`)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.template.loader import render_to_string
from django.urls import reverse

from tests.factories import ProgramFactory, SpecialtyFactory
from tests.pages import visible_text

BASE = Path(settings.BASE_DIR)
TEMPLATES = BASE / "templates"


def tag_libraries(app: str) -> set[str]:
    return {path.stem for path in (BASE / app / "templatetags").glob("*.py")} - {"__init__"}


def tags(template: Path) -> list[tuple[str, list[str]]]:
    """Each block tag of a template as (name, its arguments without quotes)."""
    tokens = Lexer(template.read_text()).tokenize()
    found = []
    for token in tokens:
        if token.token_type == TokenType.BLOCK:
            name, *arguments = token.split_contents()
            found.append((name, [argument.strip("\"'") for argument in arguments]))
    return found


def loaded(arguments: list[str]) -> list[str]:
    """The libraries a ``{% load %}`` names: ``{% load a b %}`` or ``{% load x from a %}``."""
    return arguments[arguments.index("from") + 1 :] if "from" in arguments else arguments


def crossings(folders: list[str], *, libraries: set[str], pages: str) -> list[str]:
    """Where the templates under ``folders`` load one of ``libraries``, or extend or
    include a template under ``pages``."""
    found = []
    for folder in folders:
        for template in sorted((TEMPLATES / folder).rglob("*.html")):
            where = template.relative_to(TEMPLATES)
            for name, arguments in tags(template):
                if name == "load" and (used := libraries & set(loaded(arguments))):
                    found.append(f"{where} loads {', '.join(sorted(used))}")
                elif name in ("extends", "include") and arguments[0].startswith(pages):
                    found.append(f"{where} {name} {arguments[0]}")
    return found


def test_the_directory_and_shared_templates_use_nothing_of_applicants():
    assert tag_libraries("applicants")  # the check below has something to find
    found = crossings(
        ["programs", "includes"], libraries=tag_libraries("applicants"), pages="applicants/"
    )
    assert not found, "\n".join(found)


def test_an_applicants_template_extends_no_directory_page_and_loads_none_of_its_tags():
    assert tag_libraries("programs")
    found = crossings(["applicants"], libraries=tag_libraries("programs"), pages="programs/")
    assert not found, "\n".join(found)


# Modules that read or write the database; a tag library is handed what it shows instead.
DATABASE_MODULES = ("django.db", ".models", ".querysets", ".services", ".matching", ".shared")


def test_no_template_tag_library_imports_what_reads_the_database():
    found = []
    for library in sorted(BASE.glob("*/templatetags/*.py")):
        for node in ast.walk(ast.parse(library.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if name.startswith("django.db") or name.endswith(DATABASE_MODULES):
                    found.append(f"{library.relative_to(BASE)} imports {name}")
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_the_program_page_shows_the_applicants_panel_and_its_template_reads_nothing(
    client, django_assert_num_queries
):
    specialty = SpecialtyFactory(name="Generated internal medicine", slug="generated-im")
    program = ProgramFactory(
        name="Generated Miami IM",
        specialty=specialty,
        state="FL",
        step2_policy="hard",
        step2_minimum=240,
    )
    answers = {
        "applicant_type": "non_us_img",
        "school_country": "IN",
        "graduation_year": "2020",
        "step1_passed": "on",
        "step2_score": "235",
        "visa_needed": "h1b",
        "usce_months": "3",
        "specialties": [str(specialty.pk)],
    }
    assert client.post(reverse("applicants:profile"), answers).status_code == 302

    response = client.get(program.get_absolute_url())
    text = visible_text(response)
    assert "You and this program" in text
    assert "Not eligible" in text and "you have 235" in text

    # Rendered again from the view's values, the page's template reads nothing itself.
    # The page's own context (not a shared fragment's, rendered before it on a first visit).
    context = next(c for c in response.context if "panels" in c).flatten()
    with django_assert_num_queries(0):
        html = render_to_string("programs/program_detail.html", context)
    assert 'id="your-fit"' in html


def test_a_visitor_without_a_profile_is_invited_to_give_one_on_a_program_page(client, db):
    program = ProgramFactory(name="Generated Houston IM")
    text = visible_text(client.get(program.get_absolute_url()))
    assert "Tell us about yourself to see whether you qualify for this program" in text
    assert "You and this program" not in text
