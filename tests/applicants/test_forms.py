"""The profile and account forms: every answer checked, with a message that says what to
give instead."""

import datetime
from dataclasses import replace

import pytest

from applicants.forms import PROFILE_ANSWERS, ProfileForm, SignUpForm
from applicants.matching import Applicant, fit_arguments

pytestmark = pytest.mark.django_db


def test_a_complete_profile_becomes_an_applicant(answers, internal_medicine):
    form = ProfileForm(answers)
    assert form.is_valid(), form.errors
    assert form.applicant() == Applicant(
        applicant_type="non_us_img",
        graduation_year=2020,
        visa_needed="h1b",
        step2_score=235,
        usce_months=3,
        specialty_ids=(internal_medicine.pk,),
        states=("FL", "NY", "TX"),
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("step2_score", "301", "Step 2 CK scores run from 1 to 300."),
        ("step2_score", "0", "Step 2 CK scores run from 1 to 300."),
        ("comlex2_score", "1000", "COMLEX Level 2-CE scores run from 9 to 999."),
        ("usce_months", "121", "less than or equal to 120"),
        ("usce_months", "-1", "greater than or equal to 0"),
        ("graduation_year", "1900", "from 1950 to"),
        ("graduation_year", str(datetime.date.today().year + 7), "from 1950 to"),
        ("graduation_year", "twenty", "Enter a whole number."),
        ("states", ["ZZ"], "Select a valid choice."),
    ],
)
def test_out_of_range_answers_are_refused_with_a_clear_message(answers, field, value, message):
    form = ProfileForm({**answers, field: value})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


CHANGED = {
    "applicant_type": "us_do",
    "graduation_year": 2015,
    "step2_score": 250,
    "comlex2_score": 600,
    "step3_passed": True,
    "ecfmg_certified": True,
    "visa_needed": "j1",
    "usce_months": 9,
}


@pytest.mark.parametrize("name", [n for _legend, names in PROFILE_ANSWERS for n in names])
def test_every_answer_the_profile_asks_decides_something(name):
    """Changing any answer changes what some applicant is matched on."""
    img = Applicant(
        applicant_type="non_us_img", graduation_year=2020, visa_needed="h1b", usce_months=3
    )
    do = replace(img, applicant_type="us_do", visa_needed="none", step2_score=None)
    assert any(
        fit_arguments(who, year=2027)
        != fit_arguments(replace(who, **{name: CHANGED[name]}), year=2027)
        for who in (img, do)
    )


def test_the_profile_no_longer_asks_what_decides_nothing():
    assert {"school_country", "step1_passed"}.isdisjoint(ProfileForm().fields)


def test_a_us_graduate_is_never_ecfmg_certified(answers):
    form = ProfileForm(
        {**answers, "applicant_type": "us_md", "visa_needed": "none"} | {"ecfmg_certified": "on"}
    )
    assert form.is_valid(), form.errors
    assert form.applicant().ecfmg_certified is False


def test_a_us_citizen_img_needs_no_visa(answers):
    form = ProfileForm({**answers, "applicant_type": "us_img"})
    assert "needs no visa" in form.errors["visa_needed"][0]


def test_at_least_one_specialty(answers):
    form = ProfileForm({**answers, "specialties": []})
    assert form.errors["specialties"] == ["Choose at least one specialty."]


def test_no_clinical_experience_given_counts_as_none(answers):
    form = ProfileForm({**answers, "usce_months": ""})
    assert form.is_valid(), form.errors
    assert form.applicant().usce_months == 0


def test_the_form_shows_an_applicants_current_answers(answers):
    form = ProfileForm(answers)
    assert form.is_valid()
    shown = ProfileForm.from_applicant(form.applicant())
    assert shown.initial["step2_score"] == 235
    assert shown.initial["specialties"] == [int(answers["specialties"][0])]


def test_sign_up_never_says_an_email_is_taken(applicant_user):
    form = SignUpForm(
        {
            "email": "APPLICANT@example.org",
            "password1": "another-long-phrase-9",
            "password2": "another-long-phrase-9",
        }
    )
    assert form.is_valid() and form.cleaned_data["email"] == "applicant@example.org"


@pytest.mark.parametrize(
    ("first", "second", "field", "message"),
    [
        ("long-enough-phrase-7", "long-enough-phrase-8", "password2", "differ"),
        ("short", "short", "password1", "too short"),
        ("12345678901", "12345678901", "password1", "entirely numeric"),
    ],
)
def test_sign_up_checks_the_password(first, second, field, message):
    form = SignUpForm({"email": "new@example.org", "password1": first, "password2": second})
    assert message in " ".join(form.errors[field])
