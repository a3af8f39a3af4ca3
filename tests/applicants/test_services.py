"""Writes about people (applicants/services.py)."""

from dataclasses import replace

import pytest
from axes.models import AccessAttempt

from applicants import services
from applicants.models import Profile

pytestmark = pytest.mark.django_db


def test_an_account_is_keyed_by_its_lowercased_email():
    user = services.create_account(email="Someone@Example.ORG", password="long-enough-phrase-7")
    assert (user.username, user.email) == ("someone@example.org", "someone@example.org")
    assert user.check_password("long-enough-phrase-7")


def test_saving_a_profile_twice_replaces_it(applicant_user, img):
    services.save_profile(user=applicant_user, applicant=img)
    services.save_profile(user=applicant_user, applicant=replace(img, step2_score=250))
    profile = Profile.objects.get(user=applicant_user)
    assert profile.step2_score == 250
    assert list(profile.specialties.values_list("pk", flat=True)) == list(img.specialty_ids)


def test_deleting_an_account_leaves_nothing_personal(applicant_user, other_user, img):
    services.save_profile(user=applicant_user, applicant=img)
    services.save_profile(user=other_user, applicant=img)
    for user in (applicant_user, other_user):
        AccessAttempt.objects.create(
            username=user.username, ip_address="203.0.113.9", failures_since_start=1
        )
    services.delete_account(user=applicant_user)
    assert list(Profile.objects.values_list("user__username", flat=True)) == [other_user.username]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [other_user.username]
