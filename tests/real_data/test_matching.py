"""An applicant matched against the shipped directory: a non-US IMG who needs an H-1B, with
a 235 Step 2 CK, graduated in 2020, applying in internal medicine in Texas, New York and
Florida."""

import csv
import io

import pytest
from django.urls import reverse

from programs.models import Program, Specialty
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def img(client):
    internal_medicine = Specialty.objects.get(slug="internal-medicine")
    response = client.post(
        reverse("applicants:profile"),
        {
            "applicant_type": "non_us_img",
            "school_country": "IN",
            "graduation_year": "2020",
            "step1_passed": "on",
            "step2_score": "235",
            "visa_needed": "h1b",
            "usce_months": "3",
            "specialties": [str(internal_medicine.pk)],
            "states": ["TX", "NY", "FL"],
        },
    )
    assert response.status_code == 302
    return client


def their_programs():
    return Program.objects.open_to_applicants().filter(
        specialty__slug="internal-medicine", state__in=["TX", "NY", "FL"]
    )


def exported(client, query=None):
    response = client.get(reverse("applicants:matches_export"), query or {})
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_every_program_gets_a_verdict_and_the_counts_add_up(img):
    text = visible_text(img.get(reverse("applicants:matches")))
    rows = exported(img)
    assert len(rows) == their_programs().count() > 100
    counts = {v: sum(r["Verdict"] == v for r in rows) for v in {r["Verdict"] for r in rows}}
    assert set(counts) <= {"Eligible", "Possibly eligible", "Not eligible"}
    assert f"{counts.get('Eligible', 0):,} eligible" in text
    assert f"{counts['Not eligible']:,} not eligible" in text
    assert f"{counts['Possibly eligible']:,} possibly eligible" in text


def test_a_program_known_not_to_sponsor_h1b_is_not_eligible_unless_the_answer_is_doubted(img):
    refusing = their_programs().filter(sponsors_h1b="no")
    by_id = {r["ACGME ID"]: r for r in exported(img)}
    for program in refusing:
        row = by_id[program.acgme_id]
        if program.visa_answers_doubted:
            assert row["Visa"] == "unknown"
        else:
            assert (row["Visa"], row["Verdict"]) == ("not met", "Not eligible")
    assert refusing.filter(visa_answers_doubted=False).exists()


def test_verdicts_say_they_rest_on_2016_answers(img):
    text = visible_text(img.get(reverse("applicants:matches"), {"verdict": "not_eligible"}))
    assert "This rests on facts from 2016, not checked since" in text
    assert "FREIDA" in text


def test_where_they_stand_in_internal_medicine_comes_from_charting_outcomes(img):
    text = visible_text(img.get(reverse("applicants:matches")))
    assert (
        "Your 235 is below the lower quartile (240) of non-US IMGs who matched internal "
        "medicine in 2026." in text
    )
    assert "Match rate of non-US IMGs 48.5% (3,392 of 6,992)" in text


def test_a_program_page_gives_them_their_verdict(img):
    program = their_programs().filter(sponsors_h1b="yes", visa_answers_doubted=False).first()
    text = visible_text(img.get(program.get_absolute_url()))
    assert "you need an H-1B" in text


def test_the_matches_page_reads_a_bounded_number_of_queries(img, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        assert img.get(reverse("applicants:matches")).status_code == 200
