"""A row's fit on the matches page is rendered once per program and outcomes for everyone
(applicants.presenters.shown_fits): each applicant still reads their own words in it, and
nothing of theirs reaches another applicant whose outcomes are the same."""

import dataclasses

import pytest
from django.urls import reverse

from tests.factories import ProgramFactory
from tests.pages import signed_in, visible_text

pytestmark = pytest.mark.django_db

MATCHES = reverse("applicants:matches")


def test_applicants_with_the_same_outcomes_each_read_their_own_words(img, internal_medicine):
    ProgramFactory(name="Generated Houston IM", specialty=internal_medicine, step2_policy="none")
    first = signed_in("first@example.org", profile=img)
    second = signed_in(
        "second@example.org",
        profile=dataclasses.replace(img, step2_score=251, graduation_year=2021, usce_months=5),
    )

    first_page = visible_text(first.get(MATCHES))
    second_page = visible_text(second.get(MATCHES))

    assert "you have 235" in first_page and "you have 251" not in first_page
    assert "you have 251" in second_page and "you have 235" not in second_page
    assert "you graduated in 2021" in second_page and "you graduated in 2020" not in second_page
    assert "you have 5 months" in second_page and "you have 3 months" not in second_page
    assert "\x00" not in first_page + second_page


def test_the_matches_and_the_program_list_each_keep_their_own_filters(img, internal_medicine):
    ProgramFactory(name="Generated Houston IM", specialty=internal_medicine)
    applicant = signed_in("first@example.org", profile=img)

    listed = applicant.get(reverse("programs:list")).content.decode()
    matches = applicant.get(MATCHES).content.decode()
    listed_again = applicant.get(reverse("programs:list")).content.decode()

    assert "Eligible first, then name" in matches and "Best match, then name" not in matches
    assert "Best match, then name" in listed and "Best match, then name" in listed_again
    assert "Eligible first, then name" not in listed_again
