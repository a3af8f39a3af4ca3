"""The curators' queue by applicant interest: programs many applicants look at whose deciding
facts are oldest come first (priority = interest × age), with what their representatives did
this season, and never a word about who the applicants are."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import ApplicantType, Profile, VisaNeed
from applicants.services import create_account, save_to_shortlist
from programs.models import Accreditation, Level
from representatives import services
from representatives.models import UNDATED_AGE_DAYS, ReviewQueue
from tests.conftest import run_data_migration
from tests.factories import ProgramFactory, SpecialtyFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:representatives_reviewqueue_changelist")
OLD = datetime.date(2016, 6, 1)


@pytest.fixture(autouse=True)
def queue_curators(representatives_curators, django_db_blocker):
    """The Curators group with the queue's view permission, as migration 0003 grants it."""
    with django_db_blocker.unblock():
        run_data_migration("representatives", "0003_review_queue_by_applicant_interest")
    return representatives_curators


def dated(on: datetime.date) -> dict:
    """Every deciding group of a program checked on ``on``."""
    return {f"{group}_verified_on": on for group in ("visa", "scores", "eligibility")}


def applicant(n: int, *, specialties, states=()):
    user = create_account(email=f"generated-applicant-{n}@example.com", password="long-phrase-7")
    profile = Profile.objects.create(
        user=user,
        applicant_type=ApplicantType.NON_US_IMG,
        graduation_year=2020,
        visa_needed=VisaNeed.J1,
        states=list(states),
    )
    profile.specialties.set(specialties)
    return user


@pytest.fixture
def looked_at():
    """Two programs of one specialty: one many applicants look at, checked 100 days ago; one
    few look at, last dated in 2016."""
    specialty = SpecialtyFactory(name="Generated Internal Medicine")
    other = SpecialtyFactory(name="Generated Pathology")
    today = timezone.localdate()
    fresh = ProgramFactory(
        name="Generated Crowded Program",
        specialty=specialty,
        state="NY",
        **dated(today - datetime.timedelta(days=100)),
    )
    old = ProgramFactory(
        name="Generated Quiet Program", specialty=specialty, state="TX", **dated(OLD)
    )
    users = [applicant(n, specialties=[specialty], states=["NY", "FL"]) for n in range(4)]
    applicant(4, specialties=[specialty, other])  # anywhere: counts for both
    applicant(5, specialties=[specialty], states=["CA"])  # neither state
    applicant(6, specialties=[other])  # another specialty
    for user in users[:2]:
        save_to_shortlist(user=user, program=fresh)
    return fresh, old


def queue_rows():
    return {program.name: program for program in ReviewQueue.objects.by_priority()}


def test_interest_counts_matching_profiles_and_shortlists(looked_at):
    rows = queue_rows()
    crowded, quiet = rows["Generated Crowded Program"], rows["Generated Quiet Program"]
    assert (crowded.profile_count, crowded.shortlist_count, crowded.interest) == (5, 2, 7)
    assert (quiet.profile_count, quiet.shortlist_count, quiet.interest) == (1, 0, 1)


def test_priority_is_interest_times_days_since_the_oldest_deciding_fact(looked_at):
    fresh, old = looked_at
    fresh.scores_verified_on = timezone.localdate() - datetime.timedelta(days=300)
    fresh.save()
    rows = queue_rows()
    old_age = (timezone.localdate() - OLD).days
    assert rows["Generated Crowded Program"].age == 300
    assert rows["Generated Crowded Program"].priority == 7 * 300
    assert rows["Generated Quiet Program"].priority == 1 * old_age


def test_old_facts_outrank_more_interest_in_fresh_ones(looked_at, admin_client):
    names = list(queue_rows())
    assert names.index("Generated Quiet Program") < names.index("Generated Crowded Program")
    text = visible_text(admin_client.get(QUEUE))
    assert text.index("Generated Quiet Program") < text.index("Generated Crowded Program")


def test_more_interest_wins_when_the_facts_are_as_old(looked_at):
    fresh, old = looked_at
    fresh.visa_verified_on = OLD
    fresh.save()
    names = list(queue_rows())
    assert names.index("Generated Crowded Program") < names.index("Generated Quiet Program")


def test_an_undated_group_is_older_than_any_dated_one_and_withdrawn_programs_are_left_out(
    looked_at,
):
    fresh, _old = looked_at
    fresh.eligibility_verified_on = None
    fresh.save()
    ProgramFactory(name="Generated Closed Program", accreditation_status=Accreditation.WITHDRAWN)
    rows = queue_rows()
    assert rows["Generated Crowded Program"].age == UNDATED_AGE_DAYS
    since_2000 = (timezone.localdate() - datetime.date(2000, 1, 1)).days
    assert rows["Generated Crowded Program"].age > since_2000 > rows["Generated Quiet Program"].age
    assert "Generated Closed Program" not in rows


def test_the_page_shows_counts_and_no_applicant(looked_at, admin_client):
    text = visible_text(admin_client.get(QUEUE))
    assert "7 (5 / 2)" in text
    assert "1 (1 / 0)" in text
    assert "Priority = interest × age" in text
    assert "generated-applicant" not in admin_client.get(QUEUE).content.decode()


def test_representatives_confirmations_and_waiting_proposals_are_shown(
    representative, season, curator_client
):
    services.confirm_still_true(representative=representative, group="visa", season=season)
    services.propose_facts(
        representative=representative,
        group="visa",
        values={"sponsors_h1b": "yes"},
        source_label="Generated program statement",
        as_of=datetime.date(2026, 1, 5),
    )
    row = queue_rows()[representative.program.name]
    assert (row.has_representative, row.confirmed_visa, row.confirmed_scores) == (True, True, False)
    assert row.pending_proposals == 1
    response = curator_client.get(QUEUE, {"represented": "yes"})
    assert response.status_code == 200
    text = visible_text(response)
    assert representative.program.name in text
    assert "IMGs and visas" in text
    assert representative.user.email not in response.content.decode()


def test_filters_keep_to_the_level_and_the_state(looked_at, curator_client):
    ProgramFactory(
        name="Generated Fellowship",
        state="NY",
        specialty=SpecialtyFactory(level=Level.FELLOWSHIP, name="Generated Fellowship Field"),
    )
    text = visible_text(curator_client.get(QUEUE, {"specialty__level": "fellowship"}))
    assert "Generated Fellowship" in text and "Generated Crowded Program" not in text
    text = visible_text(curator_client.get(QUEUE, {"state": "TX"}))
    assert "Generated Quiet Program" in text and "Generated Crowded Program" not in text
    text = visible_text(curator_client.get(QUEUE, {"represented": "no"}))
    assert "Generated Quiet Program" in text


def test_a_curator_may_open_the_queue_and_an_applicant_may_not(looked_at, curator_client, client):
    assert curator_client.get(QUEUE).status_code == 200
    client.force_login(create_account(email="generated-reader@example.com", password="x" * 12))
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_queue_keeps_to_a_fixed_number_of_queries(
    looked_at, curator_client, django_assert_max_num_queries
):
    ProgramFactory.create_batch(30, **dated(OLD))
    with django_assert_max_num_queries(10):
        response = curator_client.get(QUEUE)
    assert response.status_code == 200
