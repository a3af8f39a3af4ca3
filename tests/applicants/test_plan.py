"""The shortlist, compare, cost planner and calendar as an applicant uses them, and that
each person's plan stays theirs."""

import datetime
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from applicants import presenters, services
from applicants.models import CalendarFeed, ShortlistEntry
from programs.choices import MatchKind
from programs.models import Specialty, SpecialtyApplicationService
from tests.factories import (
    MatchFactory,
    ProgramFactory,
    ProgramSeasonDatesFactory,
    SpecialtyFactory,
    SpecialtyMatchFactory,
    season_event,
)
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(client, applicant_user, img):
    services.save_profile(user=applicant_user, applicant=img)
    client.force_login(applicant_user)
    return applicant_user


def save(client, program, **extra):
    url = reverse("applicants:shortlist_save", args=[program.acgme_id])
    return client.post(url, {"next": "/programs/?state=TX"}, **extra)


# Saving ------------------------------------------------------------------------------------


def test_saving_works_without_javascript_and_returns_to_the_list(client, applicant, programs):
    response = save(client, programs["eligible"])
    assert response.status_code == 302
    assert response["Location"] == "/programs/?state=TX"
    assert ShortlistEntry.objects.filter(user=applicant, program=programs["eligible"]).exists()
    save(client, programs["eligible"])
    assert ShortlistEntry.objects.filter(user=applicant).count() == 1


def test_saving_never_sends_the_reader_to_another_site(client, applicant, programs):
    url = reverse("applicants:shortlist_save", args=[programs["eligible"].acgme_id])
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == programs["eligible"].get_absolute_url()


def test_with_htmx_saving_swaps_the_button_in_place(client, applicant, programs):
    response = save(client, programs["eligible"], headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Saved" in text and "shortlist/remove/" in text and "<html" not in text


def remove(client, program, **data):
    url = reverse("applicants:shortlist_remove", args=[program.acgme_id])
    headers = {"HX-Request": "true"} if data.pop("htmx", False) else {}
    return client.post(url, {"next": "/programs/?state=TX", **data}, headers=headers)


def test_removing_a_program_only_considered_and_without_notes_takes_it_off_at_once(
    client, applicant, programs
):
    entry = services.save_to_shortlist(user=applicant, program=programs["eligible"])
    services.update_entry(entry=entry, status="considering", notes="   ")
    response = remove(client, programs["eligible"])
    assert response.status_code == 302 and response["Location"] == "/programs/?state=TX"
    assert not ShortlistEntry.objects.filter(user=applicant).exists()


@pytest.mark.parametrize(
    ("status", "notes", "said"),
    [
        ("applied", "Emailed the coordinator", "its status, Applied"),
        ("applied", "", "its status, Applied"),
        ("considering", "Emailed the coordinator", "your notes: Emailed the coordinator"),
    ],
)
def test_removing_a_program_with_a_status_or_notes_asks_first_without_javascript(
    client, applicant, programs, status, notes, said
):
    entry = services.save_to_shortlist(user=applicant, program=programs["eligible"])
    services.update_entry(entry=entry, status=status, notes=notes)
    asked = remove(client, programs["eligible"])
    assert asked.status_code == 200
    text = visible_text(asked)
    assert "Remove Generated Houston IM and what you wrote?" in text and said in text
    assert 'name="discard" value="yes"' in asked.content.decode()
    assert 'href="/programs/?state=TX">Keep it' in asked.content.decode()
    entry.refresh_from_db()
    assert (entry.status, entry.notes) == (status, notes)

    response = remove(client, programs["eligible"], discard="yes")
    assert response.status_code == 302 and response["Location"] == "/programs/?state=TX"
    assert not ShortlistEntry.objects.filter(user=applicant).exists()
    shown = visible_text(client.get(response["Location"]))
    assert "Removed Generated Houston IM from your shortlist, with what you wrote on it." in shown


def test_a_planned_signal_alone_is_asked_about_before_it_is_lost(client, applicant, programs):
    entry = services.save_to_shortlist(user=applicant, program=programs["eligible"])
    ShortlistEntry.objects.filter(pk=entry.pk).update(signal="gold")
    asked = remove(client, programs["eligible"])
    assert "your gold signal planned for it" in visible_text(asked)
    assert ShortlistEntry.objects.get(pk=entry.pk).signal == "gold"
    in_place = remove(client, programs["eligible"], htmx=True)
    assert "It has your gold signal. Remove it and lose it?" in visible_text(in_place)


@pytest.mark.parametrize(
    ("status", "notes", "signal", "question"),
    [
        ("applied", "", "", "Marked Applied. Remove it and lose it?"),
        ("considering", "Called", "", "It has your notes. Remove it and lose them?"),
        ("applied", "Called", "", "Marked Applied, with your notes. Remove it and lose both?"),
        (
            "applied",
            "Called",
            "silver",
            "Marked Applied, with your notes and your silver signal. Remove it and lose all three?",
        ),
    ],
)
def test_the_question_names_what_would_be_lost(status, notes, signal, question):
    entry = ShortlistEntry(status=status, notes=notes, signal=signal)
    assert entry.holds_writing
    assert presenters.unsave_question(entry) == question


def test_with_htmx_removing_a_program_with_notes_asks_in_place_and_keeping_it_loses_nothing(
    client, applicant, programs
):
    entry = services.save_to_shortlist(user=applicant, program=programs["eligible"])
    services.update_entry(entry=entry, status="applied", notes="Emailed the coordinator")
    asked = remove(client, programs["eligible"], htmx=True)
    page = asked.content.decode()
    assert asked.status_code == 200 and "<html" not in page
    assert "Marked Applied, with your notes. Remove it and lose both?" in visible_text(asked)
    assert f'id="save-{programs["eligible"].acgme_id}"' in page
    assert 'hx-target="closest .unsave-question"' in page
    assert ShortlistEntry.objects.filter(user=applicant).exists()

    kept = save(client, programs["eligible"], headers={"HX-Request": "true"})
    assert 'aria-pressed="true"' in kept.content.decode()
    entry.refresh_from_db()
    assert (entry.status, entry.notes) == ("applied", "Emailed the coordinator")

    removed = remove(client, programs["eligible"], htmx=True, discard="yes")
    assert 'aria-pressed="false"' in removed.content.decode()
    assert not ShortlistEntry.objects.filter(user=applicant).exists()


def test_every_saved_button_and_the_shortlist_remove_through_the_one_that_asks(
    client, applicant, programs
):
    program = programs["eligible"]
    services.save_to_shortlist(user=applicant, program=program)
    remove_url = reverse("applicants:shortlist_remove", args=[program.acgme_id])
    pages = [
        reverse("programs:list"),
        program.get_absolute_url(),
        reverse("applicants:matches"),
        reverse("applicants:compare") + f"?ids={program.acgme_id},{programs['not'].acgme_id}",
        reverse("applicants:shortlist"),
    ]
    for address in pages:
        page = client.get(address).content.decode()
        assert f'action="{remove_url}"' in page, address


def test_list_rows_offer_save_and_mark_what_is_saved(client, applicant, programs):
    services.save_to_shortlist(user=applicant, program=programs["eligible"])
    page = client.get(reverse("programs:list")).content.decode()
    assert page.count('aria-pressed="true"') == 1
    assert page.count('aria-pressed="false"') == 3
    assert page.count('name="ids"') == 4
    assert 'next" value="/programs/#program-' in page  # without JavaScript, back to the row


def test_a_visitor_is_asked_to_log_in_to_save(client, programs):
    page = client.get(programs["eligible"].get_absolute_url()).content.decode()
    assert "Log in to save this program" in page
    response = save(client, programs["eligible"])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ShortlistEntry.objects.exists()


# The shortlist -----------------------------------------------------------------------------


def test_the_shortlist_shows_each_verdict_and_filters_by_it(client, applicant, programs):
    for name in ("eligible", "possibly", "not"):
        services.save_to_shortlist(user=applicant, program=programs[name])
    page = visible_text(client.get(reverse("applicants:shortlist")))
    assert "Generated Houston IM" in page and "Not eligible" in page
    only = client.get(reverse("applicants:shortlist"), {"verdict": "not_eligible"})
    text = visible_text(only)
    assert "Generated Miami IM" in text and "Generated Houston IM" not in text


def test_the_shortlist_filters_by_status_and_specialty_and_sorts_by_status(
    client, applicant, programs
):
    surgery = SpecialtyFactory(name="Generated surgery", slug="generated-surgery")
    cut = ProgramFactory(name="Generated Surgery Program", specialty=surgery)
    for program, status in [
        (programs["eligible"], "ranked"),
        (programs["possibly"], "considering"),
        (cut, "applied"),
    ]:
        entry = services.save_to_shortlist(user=applicant, program=program)
        services.update_entry(entry=entry, status=status, notes="")
    applied = visible_text(client.get(reverse("applicants:shortlist"), {"status": "applied"}))
    assert "Generated Surgery Program" in applied and "Generated Bronx IM" not in applied
    by_specialty = client.get(reverse("applicants:shortlist"), {"specialty": "generated-surgery"})
    assert "Generated Houston IM" not in visible_text(by_specialty)
    ordered = visible_text(client.get(reverse("applicants:shortlist"), {"sort": "status"}))
    assert (
        ordered.index("Generated Bronx IM")
        < ordered.index("Generated Surgery Program")
        < ordered.index("Generated Houston IM")
    )


def test_status_and_notes_are_saved_and_a_bad_status_loses_nothing(client, applicant, programs):
    entry = services.save_to_shortlist(user=applicant, program=programs["eligible"])
    url = reverse("applicants:shortlist_entry", args=[entry.pk])
    prefix = f"entry-{entry.pk}"
    client.post(url, {f"{prefix}-status": "interview", f"{prefix}-notes": "Interview 12 Jan"})
    entry.refresh_from_db()
    assert (entry.status, entry.notes) == ("interview", "Interview 12 Jan")
    response = client.post(url, {f"{prefix}-status": "hired", f"{prefix}-notes": "Keep this"})
    assert response.status_code == 400
    assert "Keep this" in response.content.decode()
    assert "not saved" in visible_text(response)
    entry.refresh_from_db()
    assert entry.notes == "Interview 12 Jan"


def test_the_shortlist_reads_a_fixed_number_of_queries(
    client, applicant, internal_medicine, django_assert_max_num_queries
):
    for program in ProgramFactory.create_batch(12, specialty=internal_medicine):
        services.save_to_shortlist(user=applicant, program=program)
    with django_assert_max_num_queries(12):
        client.get(reverse("applicants:shortlist"))


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
@pytest.mark.parametrize(
    "query",
    [{}, {"verdict": "not_eligible", "page": "2"}, {"q": "generated", "state": "TX"}],
)
def test_matches_read_at_most_six_queries_with_a_shared_cache(
    client, applicant, internal_medicine, django_assert_max_num_queries, query
):
    for program in ProgramFactory.create_batch(30, specialty=internal_medicine, state="TX"):
        services.save_to_shortlist(user=applicant, program=program)
    client.get(reverse("applicants:matches"), query)
    # SQLite's search also reads how current its spelling vocabulary is; PostgreSQL's does not.
    sqlite_search = connection.vendor != "postgresql" and "q" in query
    with django_assert_max_num_queries(7 if sqlite_search else 6):
        assert client.get(reverse("applicants:matches"), query).status_code == 200


# Compare -------------------------------------------------------------------------------------


def compare(client, *programs):
    return client.get(reverse("applicants:compare"), {"ids": [p.acgme_id for p in programs]})


def test_compare_shows_facts_side_by_side_with_their_sources(client, programs):
    response = compare(client, programs["eligible"], programs["not"])
    text = visible_text(response)
    assert "Generated Houston IM" in text and "Generated Miami IM" in text
    assert "IMGs and visas" in text and "Source" in text
    assert "Verdict" not in text  # a visitor without a profile has none


def test_compare_gives_the_asker_their_own_verdicts(client, applicant, programs):
    text = visible_text(compare(client, programs["eligible"], programs["not"]))
    assert "You and each program" in text
    assert "Eligible" in text and "Not eligible" in text


def test_compare_takes_ids_separated_by_commas(client, programs):
    ids = f"{programs['eligible'].acgme_id},{programs['not'].acgme_id}"
    text = visible_text(client.get(reverse("applicants:compare"), {"ids": ids}))
    assert "Generated Houston IM" in text and "Generated Miami IM" in text


def test_compare_explains_too_few_too_many_and_unknown_programs(client, internal_medicine):
    five = ProgramFactory.create_batch(5, specialty=internal_medicine)
    one = visible_text(compare(client, five[0]))
    assert "Tick two to four programs" in one
    many = visible_text(compare(client, *five))
    assert "here are the first 4" in many
    assert five[4].name not in many
    response = client.get(reverse("applicants:compare"), {"ids": [five[0].acgme_id, "nope<b>"]})
    assert response.status_code == 200
    assert "No program has the ACGME ID nope&lt;b&gt;: it was left out." in visible_text(response)
    response = client.get(reverse("applicants:compare"), {"ids": [five[0].acgme_id, "x1", "x2"]})
    assert "No program has the ACGME IDs x1, x2: they were left out." in visible_text(response)


def test_compare_reads_a_fixed_number_of_queries(
    client, applicant, internal_medicine, django_assert_max_num_queries
):
    programs = ProgramFactory.create_batch(4, specialty=internal_medicine)
    with django_assert_max_num_queries(25):
        compare(client, *programs)


# Costs -------------------------------------------------------------------------------------


def test_costs_total_the_shortlist_and_show_what_not_eligible_programs_add(
    client, applicant, internal_medicine, shipped_fees
):
    SpecialtyApplicationService.objects.create(
        specialty=internal_medicine, service="eras", first_match_year=2025, source_label="Test"
    )
    eligible = ProgramFactory.create_batch(29, specialty=internal_medicine, step2_policy="none")
    barred = ProgramFactory.create_batch(
        3, specialty=internal_medicine, step2_policy="hard", step2_minimum=250
    )
    for program in eligible + barred:
        services.save_to_shortlist(user=applicant, program=program)
    text = visible_text(client.get(reverse("applicants:costs")))
    assert "$390" in text  # 30 × $11 + 2 × $30
    assert "2 past the 30-program mark" in text
    assert "$71 of it pays for the 3 programs you are not eligible for" in text
    assert "not confirmed" in text
    assert "In all: $705" in text  # + transcript $80, ECFMG token $165, NRMP $70


def test_withdrawn_programs_cost_nothing(client, applicant, internal_medicine, shipped_fees):
    for program in ProgramFactory.create_batch(2, specialty=internal_medicine):
        entry = services.save_to_shortlist(user=applicant, program=program)
    services.update_entry(entry=entry, status="withdrawn", notes="")
    text = visible_text(client.get(reverse("applicants:costs")))
    assert "The 1 program on your shortlist (not the 1 withdrawn)" in text


def test_the_what_if_prices_any_number_of_programs_in_a_specialty(
    client, applicant, internal_medicine, shipped_fees
):
    SpecialtyApplicationService.objects.create(
        specialty=internal_medicine, service="eras", first_match_year=2025, source_label="Test"
    )
    response = client.get(
        reverse("applicants:costs"), {"specialty": internal_medicine.slug, "programs": "43"}
    )
    assert "43 programs in generated internal medicine through ERAS: $720" in visible_text(response)
    bad = client.get(reverse("applicants:costs"), {"specialty": internal_medicine.slug})
    assert bad.status_code == 200
    assert "Choose a specialty and a number of programs" in visible_text(bad)
    huge = client.get(
        reverse("applicants:costs"), {"specialty": internal_medicine.slug, "programs": "9999"}
    )
    assert "less than or equal to 500" in visible_text(huge)
    assert "Choose a specialty and a number" not in visible_text(huge)


def test_a_visitor_prices_emergency_medicine_with_their_session_profile_and_once_fees(
    client, answers, shipped_fees
):
    emergency = Specialty.objects.get(code="110")
    SpecialtyApplicationService.objects.create(
        specialty=emergency, service="residencycas", first_match_year=2025, source_label="Test"
    )
    assert client.post(reverse("applicants:profile"), answers).status_code == 302  # an IMG
    response = client.get(
        reverse("applicants:costs"), {"specialty": emergency.slug, "programs": "12"}
    )
    assert response.status_code == 200
    text = visible_text(response)
    assert "12 programs in emergency medicine (generated) through ResidencyCAS: $99" in text
    assert (
        "ResidencyCAS's price steps for emergency medicine (generated): $99 for programs 1 to "
        "18; $18 each for programs 19 to 30; $23 each for programs 31 onwards. 6 more before "
        "its flat price ends at 18"
    ) in text
    assert "ECFMG token for ERAS" not in text
    assert "In all: $169: $99 to apply and $70 paid once a season." in text
    assert "30-program mark" not in text
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_a_visitor_without_a_profile_is_told_the_ecfmg_token_is_left_out(
    client, internal_medicine, shipped_fees
):
    SpecialtyApplicationService.objects.create(
        specialty=internal_medicine, service="eras", first_match_year=2025, source_label="Test"
    )
    response = client.get(
        reverse("applicants:costs"), {"specialty": internal_medicine.slug, "programs": "31"}
    )
    text = visible_text(response)
    assert "whether you pay the ECFMG token (IMGs only), which is left out below" in text
    assert "ECFMG token for ERAS" not in text
    assert "1 past the 30-program mark, at the higher price" in text
    assert "In all: $510: $360 to apply and $150 paid once a season." in text
    assert "Create an account" in text


def test_the_what_if_offers_every_specialty_and_fellowship_of_the_directory(
    client, applicant, internal_medicine, shipped_fees
):
    cardiology = SpecialtyFactory(
        name="Generated cardiology", slug="generated-cardiology", level="fellowship"
    )
    page = client.get(reverse("applicants:costs"))
    options = page.content.decode()
    assert ">Generated cardiology (fellowship)</option>" in options
    assert ">Emergency medicine (generated)</option>" in options
    text = visible_text(
        client.get(reverse("applicants:costs"), {"specialty": cardiology.slug, "programs": "12"})
    )
    assert "12 programs in generated cardiology through ERAS: $149" in text
    assert "2 past the 10 its flat price covers" in text
    assert "Assumes the fellowship takes applications through ERAS." in text


def test_residencycas_rows_of_a_shortlist_show_its_own_flat_price_mark(
    client, applicant, shipped_fees
):
    emergency = Specialty.objects.get(code="110")
    SpecialtyApplicationService.objects.create(
        specialty=emergency, service="residencycas", first_match_year=2025, source_label="Test"
    )
    for program in ProgramFactory.create_batch(20, specialty=emergency):
        services.save_to_shortlist(user=applicant, program=program)
    text = visible_text(client.get(reverse("applicants:costs")))
    assert "ResidencyCAS" in text and "$135" in text  # $99 + 2 × $18
    assert "2 past the 18 its flat price covers" in text
    assert "30-program mark" not in text


def test_a_residencycas_what_if_pays_no_eras_fee_and_names_what_it_does_not_know(
    client, applicant, internal_medicine, shipped_fees
):
    emergency = Specialty.objects.get(code="110")
    SpecialtyApplicationService.objects.create(
        specialty=emergency, service="residencycas", first_match_year=2025, source_label="Test"
    )
    SpecialtyApplicationService.objects.create(
        specialty=internal_medicine, service="eras", first_match_year=2025, source_label="Test"
    )

    def what_if(specialty):
        query = {"specialty": specialty.slug, "programs": "12"}
        page = visible_text(client.get(reverse("applicants:costs"), query))
        return page[page.index("Work it out") :]

    alone = what_if(emergency)
    assert "ECFMG token for ERAS" not in alone and "USMLE transcript" not in alone
    assert "the fees ResidencyCAS charges for sending USMLE or COMLEX transcripts" in alone
    through_eras = what_if(internal_medicine)
    assert "ECFMG token for ERAS" in through_eras and "USMLE transcript" in through_eras


# Calendar ----------------------------------------------------------------------------------


def test_the_calendar_lists_its_matchs_and_saved_program_dates_soonest_first(
    client, applicant, programs, season
):
    today = datetime.date.today()
    deadline = season_event(season, "rank_list_deadline", today + timedelta(days=60))
    season_event(season, "match_day", None, owner=MatchKind.AUA)
    ProgramSeasonDatesFactory(
        program=programs["eligible"], season=season, application_deadline=today + timedelta(10)
    )
    services.save_to_shortlist(user=applicant, program=programs["eligible"])
    services.save_to_shortlist(user=applicant, program=programs["possibly"])
    text = visible_text(client.get(reverse("applicants:calendar")))
    assert "Application deadline: Generated Houston IM" in text
    assert "10 days left" in text
    assert text.index("Generated Houston IM") < text.index(f"{deadline.label} (NRMP Main Match)")
    assert "AUA" not in text
    assert "Saved programs without published dates" in text and "Generated Bronx IM" in text


def test_a_span_counts_down_to_its_first_day_and_is_now_until_its_last(
    client, applicant, programs, season
):
    today = datetime.date.today()
    week = season_event(season, "match_week", today + timedelta(4), end_date=today + timedelta(8))
    services.save_to_shortlist(user=applicant, program=programs["eligible"])

    def shown():
        text = visible_text(client.get(reverse("applicants:calendar")))
        at = text.index(f"{week.label} (NRMP Main Match)")
        return text[text.rindex(str(week.date.year), 0, at) : at]

    assert shown().endswith(" 4 days left ")
    week.date = today - timedelta(2)
    week.save()
    assert shown().endswith(" Now ")


def test_a_urology_shortlist_shows_its_own_match_and_no_main_match_dates(client, applicant, season):
    urology = SpecialtyFactory(name="Generated urology")
    SpecialtyMatchFactory(specialty=urology, match=MatchFactory(kind=MatchKind.AUA))
    season_event(season, "match_day", datetime.date.today() + timedelta(days=30))
    opens = season_event(
        season, "registration_opens", datetime.date.today() + timedelta(3), owner=MatchKind.AUA
    )
    day = season_event(season, "match_day", None, owner=MatchKind.AUA, source_label="AUA gen")
    services.save_to_shortlist(user=applicant, program=ProgramFactory(specialty=urology))
    text = visible_text(client.get(reverse("applicants:calendar")))
    assert f"{opens.label} (AUA Urology Match)" in text
    assert "(NRMP Main Match)" not in text
    not_published = text[text.index("Dates not published yet") :]
    assert f"{day.label} (AUA Urology Match) Will be published by: AUA gen" in not_published
    events = Calendar.from_ical(client.get(feed_of(client, applicant)).content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        f"{opens.label} (AUA Urology Match) (not yet confirmed)"
    ]


def feed_of(client, user):
    client.post(reverse("applicants:calendar_feed_new"))
    return reverse("applicants:calendar_feed", args=[CalendarFeed.objects.get(user=user).token])


def test_the_feed_parses_and_holds_the_shortlisted_deadlines(client, applicant, programs, season):
    match_day = season_event(season, "match_day", datetime.date(2027, 3, 19))
    deadline = datetime.date(2027, 1, 5)
    ProgramSeasonDatesFactory(
        program=programs["eligible"], season=season, application_deadline=deadline
    )
    services.save_to_shortlist(user=applicant, program=programs["eligible"])
    url = feed_of(client, applicant)
    client.logout()
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    summaries = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in events}
    key = "Application deadline: Generated Houston IM (not yet confirmed)"
    assert summaries[key] == deadline
    assert summaries[f"{match_day.label} (NRMP Main Match) (not yet confirmed)"] == match_day.date


def test_a_new_feed_address_kills_the_old_one_and_closing_kills_both(client, applicant):
    old = feed_of(client, applicant)
    new = feed_of(client, applicant)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    client.post(reverse("applicants:calendar_feed_close"))
    assert client.get(new).status_code == 404


# Privacy -------------------------------------------------------------------------------------

PERSONAL = ["shortlist", "costs", "calendar"]
ACCOUNT_ONLY = ["shortlist", "calendar"]


@pytest.mark.parametrize("name", ACCOUNT_ONLY)
def test_a_visitor_gets_the_login_page(client, name):
    response = client.get(reverse(f"applicants:{name}"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_user_gets_404_on_every_entry_and_sees_none_of_the_plan(
    client, applicant, other_user, programs, season
):
    entry = services.save_to_shortlist(user=applicant, program=programs["eligible"])
    services.update_entry(entry=entry, status="applied", notes="My secret note")
    feed = feed_of(client, applicant)
    client.force_login(other_user)
    url = reverse("applicants:shortlist_entry", args=[entry.pk])
    assert client.get(url).status_code == 404
    prefix = f"entry-{entry.pk}"
    assert client.post(url, {f"{prefix}-status": "withdrawn"}).status_code == 404
    for name in PERSONAL:
        page = client.get(reverse(f"applicants:{name}")).content.decode()
        assert "My secret note" not in page and "Generated Houston IM" not in page
        assert feed not in page
    entry.refresh_from_db()
    assert entry.status == "applied"
    # Their own feed holds their own dates only.
    mine = feed_of(client, other_user)
    assert b"Generated Houston IM" not in client.get(mine).content


@pytest.mark.parametrize("name", PERSONAL)
def test_plan_pages_are_never_cached(client, applicant, name):
    response = client.get(reverse(f"applicants:{name}"))
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_a_compare_address_shows_no_personal_data_to_someone_else(
    client, applicant, other_user, programs
):
    entry = services.save_to_shortlist(user=applicant, program=programs["eligible"])
    services.update_entry(entry=entry, status="applied", notes="My secret note")
    address = compare(client, programs["eligible"], programs["not"]).request["QUERY_STRING"]
    client.force_login(other_user)
    page = client.get(f"{reverse('applicants:compare')}?{address}").content.decode()
    assert "Generated Houston IM" in page and "Generated Miami IM" in page
    assert "My secret note" not in page
    assert "You and each program" not in page
    assert 'aria-pressed="true"' not in page


def test_deleting_the_account_deletes_the_shortlist_and_the_feed(client, applicant, programs):
    services.save_to_shortlist(user=applicant, program=programs["eligible"])
    feed = feed_of(client, applicant)
    services.delete_account(user=applicant)
    assert not ShortlistEntry.objects.exists()
    assert client.get(feed).status_code == 404


def test_an_applicant_without_a_profile_still_keeps_a_shortlist(client, other_user, programs):
    client.force_login(other_user)
    save(client, programs["eligible"])
    text = visible_text(client.get(reverse("applicants:shortlist")))
    assert "Generated Houston IM" in text and "Tell us about yourself" in text


def test_a_program_page_offers_to_compare_it_with_the_last_programs_saved(
    client, applicant, programs
):
    for name in ("possibly", "not"):
        services.save_to_shortlist(user=applicant, program=programs[name])
    page = client.get(programs["eligible"].get_absolute_url()).content.decode()
    ids = [programs[n].acgme_id for n in ("eligible", "not", "possibly")]
    assert "/compare/?" + "&amp;".join(f"ids={i}" for i in ids) in page


def test_the_home_page_invites_a_visitor_to_say_who_they_are(client):
    page = visible_text(client.get(reverse("programs:home")))
    assert "Tell us who you are" in page


def test_the_home_page_says_truly_what_needs_a_free_account(client, applicant_user):
    response = client.get(reverse("programs:home"))
    assert (
        "No account needed for your profile, your matches or what applying costs. A shortlist "
        "with your notes, and a calendar of its dates, need a free account: create one."
    ) in visible_text(response)
    for name in ["profile", "costs"]:
        assert client.get(reverse(f"applicants:{name}")).status_code == 200, name
    assert client.get(reverse("applicants:matches"))["Location"] == reverse("applicants:profile")
    for name in ACCOUNT_ONLY:
        assert "/accounts/login/" in client.get(reverse(f"applicants:{name}"))["Location"]
    client.force_login(applicant_user)
    assert "No account needed" not in visible_text(client.get(reverse("programs:home")))


def test_ranking_more_than_twenty_is_priced_and_added(client, applicant, programs, shipped_fees):
    services.save_to_shortlist(user=applicant, program=programs["eligible"])
    text = visible_text(
        client.get(
            reverse("applicants:costs"),
            {"specialty": programs["eligible"].specialty.slug, "programs": "7", "ranks": "25"},
        )
    )
    assert "NRMP, each program ranked beyond 20" in text
    assert "$150" in text
    assert "5 beyond the 20 your registration covers, $150 more, counted in “In all” above" in text


def test_the_what_ifs_ranks_leave_the_shortlists_total_alone(
    client, applicant, programs, shipped_fees
):
    services.save_to_shortlist(user=applicant, program=programs["eligible"])
    url = reverse("applicants:costs")
    slug = programs["eligible"].specialty.slug
    before = client.get(url, {"specialty": slug, "programs": "7"}).context
    after = client.get(url, {"specialty": slug, "programs": "7", "ranks": "30"}).context
    assert after["plan"].total == before["plan"].total
    assert after["what_if"]["plan"].total == before["what_if"]["plan"].total + 300


def test_removing_from_a_filtered_shortlist_keeps_the_filters(client, applicant, programs):
    services.save_to_shortlist(user=applicant, program=programs["eligible"])
    page = client.get(reverse("applicants:shortlist"), {"status": "considering"})
    assert 'name="next" value="/me/shortlist/?status=considering"' in page.content.decode()


def test_the_not_eligible_programs_still_applied_to_exclude_the_withdrawn(
    client, applicant, programs
):
    for name in ("not", "possibly"):
        services.save_to_shortlist(user=applicant, program=programs[name])
    entry = ShortlistEntry.objects.get(program=programs["not"])
    services.update_entry(entry=entry, status="withdrawn", notes="")
    query = {"verdict": "not_eligible", "status": "active"}
    text = visible_text(client.get(reverse("applicants:shortlist"), query))
    assert "Generated Miami IM" not in text
    assert "Generated Miami IM" in visible_text(
        client.get(reverse("applicants:shortlist"), {"verdict": "not_eligible"})
    )
