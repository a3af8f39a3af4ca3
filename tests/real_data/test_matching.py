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
            "graduation_year": "2020",
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
    assert set(counts) <= {
        "Eligible",
        "Possibly eligible",
        "Not eligible by an old answer",
        "Not eligible",
    }
    assert f"{counts.get('Eligible', 0):,} eligible" in text
    assert f"{counts['Not eligible by an old answer']:,} not eligible by an old answer" in text
    assert f"{counts.get('Not eligible', 0):,} not eligible" in text
    assert f"{counts['Possibly eligible']:,} possibly eligible" in text


def test_a_2016_no_to_h1b_rules_out_only_by_its_year_and_never_against_newer_filings(img):
    refusing = their_programs().filter(sponsors_h1b="no").select_related("sponsor__h1b_filings")
    by_id = {r["ACGME ID"]: r for r in exported(img)}
    contradicted = 0
    for program in refusing:
        row = by_id[program.acgme_id]
        filings = getattr(program.sponsor, "h1b_filings", None)
        answered = program.visa_verified_on or program.visa_as_of
        if program.visa_answers_doubted:
            assert row["Visa"] == "in doubt"
        elif filings and filings.filed_to > answered:
            contradicted += 1
            assert (row["Visa"], row["Verdict"]) == ("in doubt", "Possibly eligible")
        else:
            assert (row["Visa"], row["Verdict"]) == ("not met", "Not eligible by an old answer")
    assert contradicted and refusing.filter(visa_answers_doubted=False).exists()


def test_an_old_answers_verdict_names_its_year_and_what_would_settle_it(img):
    query = {"verdict": "not_eligible_old"}
    text = visible_text(img.get(reverse("applicants:matches"), query))
    assert "Not eligible by a 2016 answer" in text
    assert "The program's answer today would settle it" in text
    assert "FREIDA" in text


def test_a_contradicted_answer_shows_both_pieces_of_evidence_with_their_dates(img):
    program = their_programs().filter(
        sponsors_h1b="no", visa_answers_doubted=False, sponsor__h1b_filings__isnull=False
    )[0]
    text = visible_text(img.get(program.get_absolute_url()))
    assert "in doubt Visa: J-1 (ECFMG-sponsored): no; H-1B: no (FREIDA, 2016, as of Feb 2016)" in (
        text
    )
    assert "; newer evidence: its sponsoring institution filed" in text
    assert "from September 2024 to March 2025 (US Department of Labor" in text


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
