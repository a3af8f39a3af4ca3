"""Writes about people (applicants/services.py)."""

from dataclasses import replace

import pytest
from axes.models import AccessAttempt

from applicants import services
from applicants.models import Profile, ShortlistEntry

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


def test_removing_an_entry_that_holds_writing_needs_the_applicants_say(applicant_user, programs):
    program = programs["eligible"]
    entry = services.save_to_shortlist(user=applicant_user, program=program)
    services.update_entry(entry=entry, status="interview", notes="")
    with pytest.raises(services.WouldLoseWriting) as asked:
        services.remove_from_shortlist(user=applicant_user, program=program)
    assert asked.value.entry.status == "interview"
    assert ShortlistEntry.objects.filter(user=applicant_user, program=program).exists()
    removed = services.remove_from_shortlist(
        user=applicant_user, program=program, discard_writing=True
    )
    assert removed.status == "interview"
    assert not ShortlistEntry.objects.filter(user=applicant_user).exists()
    assert services.remove_from_shortlist(user=applicant_user, program=program) is None
