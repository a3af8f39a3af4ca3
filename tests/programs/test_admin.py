"""The curator admin (programs/admin.py): who may reach it, finding, editing and verifying
programs, statistics, seasons and readers' reports."""

import datetime

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.choices import MatchKind
from programs.models import (
    EventKind,
    Fee,
    Level,
    MatchEvent,
    OutdatedReport,
    Program,
    ProgramSeasonDates,
    ReportStatus,
    Tri,
)
from tests.factories import (
    MatchEventFactory,
    MatchFactory,
    ProgramFactory,
    SeasonFactory,
    SpecialtyFactory,
    SpecialtyStatisticFactory,
    SponsorFactory,
)
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:programs_program_changelist")


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def change_form_data(program: Program, **changes) -> dict:
    """What the program change form posts: every editable field, no season dates."""
    values = model_to_dict(program)
    values.pop("id")
    data = {name: "" if value is None else value for name, value in values.items()}
    data.update(changes)
    for prefix in ("season_dates", "nrmp_tracks"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


# Who may reach the admin ---------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_logged_in_non_staff_user_is_sent_to_the_login_page(client, django_user_model):
    reader = django_user_model.objects.create_user("generated-reader", password="x-long-pass-9")
    client.force_login(reader)

    for url in (reverse("admin:index"), CHANGELIST):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_curator_is_refused_the_user_admin(curator_client):
    response = curator_client.get(reverse("admin:applicants_user_changelist"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "model",
    [
        "program",
        "specialty",
        "sponsor",
        "season",
        "programseasondates",
        "specialtystatistic",
        "faqentry",
        "guide",
        "outdatedreport",
    ],
)
def test_curator_can_open_every_directory_list(curator_client, model):
    assert curator_client.get(reverse(f"admin:programs_{model}_changelist")).status_code == 200


@pytest.mark.parametrize(
    "model", ["program", "specialty", "sponsor", "season", "faqentry", "guide"]
)
def test_curator_can_open_the_add_form(curator_client, model):
    assert curator_client.get(reverse(f"admin:programs_{model}_add")).status_code == 200


# Searching and filtering programs ------------------------------------------------------


def test_curator_finds_a_program_by_name(curator_client):
    ProgramFactory(name="Generated Harbor Internal Medicine")
    ProgramFactory(name="Generated Valley Pediatrics")

    response = curator_client.get(CHANGELIST, {"q": "harbor"})

    assert "Generated Harbor Internal Medicine" in response.text
    assert "Generated Valley Pediatrics" not in response.text


def test_curator_finds_a_program_by_acgme_id(curator_client):
    wanted = ProgramFactory(acgme_id="9912345678", name="Generated Wanted")
    ProgramFactory(acgme_id="9987654321", name="Generated Other")

    response = curator_client.get(CHANGELIST, {"q": wanted.acgme_id})

    assert "Generated Wanted" in response.text
    assert "Generated Other" not in response.text


def test_curator_finds_programs_by_sponsor_name(curator_client):
    # Names without digits: a search word of a sequence number would also find other IDs.
    program = ProgramFactory(
        name="Generated Sponsored", sponsor=SponsorFactory(name="Generated Lakeside Sponsor")
    )
    ProgramFactory(name="Generated Elsewhere", sponsor=SponsorFactory(name="Generated Hill Trust"))

    response = curator_client.get(CHANGELIST, {"q": program.sponsor.name})

    assert "Generated Sponsored" in response.text
    assert "Generated Elsewhere" not in response.text


@pytest.mark.parametrize(
    ("choice", "shown"),
    [("recent", "Generated Fresh"), ("stale", "Generated Old"), ("never", "Generated Never")],
)
def test_verification_age_filter_keeps_only_matching_programs(curator_client, choice, shown):
    ProgramFactory(name="Generated Fresh", visa_verified_on=days_ago(30))
    ProgramFactory(name="Generated Old", visa_verified_on=days_ago(400))
    ProgramFactory(name="Generated Never")

    response = curator_client.get(CHANGELIST, {"verified": choice})

    rows = {"Generated Fresh", "Generated Old", "Generated Never"}
    assert shown in response.text
    for hidden in rows - {shown}:
        assert hidden not in response.text


def test_visa_and_state_filters_combine(curator_client):
    ProgramFactory(name="Generated J1 Illinois", sponsors_j1=Tri.YES, state="IL")
    ProgramFactory(name="Generated J1 Ohio", sponsors_j1=Tri.YES, state="OH")
    ProgramFactory(name="Generated Unknown Illinois", state="IL")

    response = curator_client.get(CHANGELIST, {"sponsors_j1__exact": "yes", "state__exact": "IL"})

    assert "Generated J1 Illinois" in response.text
    assert "Generated J1 Ohio" not in response.text
    assert "Generated Unknown Illinois" not in response.text


def test_withdrawn_filter_shows_only_withdrawn_programs(curator_client):
    ProgramFactory(name="Generated Closed", accreditation_status="voluntary_withdrawal")
    ProgramFactory(name="Generated Running")

    response = curator_client.get(CHANGELIST, {"is_withdrawn__exact": "1"})

    assert "Generated Closed" in response.text
    assert "Generated Running" not in response.text


def test_stale_flag_shows_for_an_old_verification(curator_client):
    ProgramFactory(visa_verified_on=days_ago(400))
    response = curator_client.get(CHANGELIST)
    assert "Not checked for over 12 months" in response.text


def test_stale_flag_is_absent_for_a_fresh_verification(curator_client):
    ProgramFactory(visa_verified_on=days_ago(10))
    response = curator_client.get(CHANGELIST)
    assert "Not checked for over" not in response.text
    assert "Checked within 12 months" in response.text


def test_changelist_query_count_does_not_grow_with_rows(curator_client):
    ProgramFactory.create_batch(5)
    curator_client.get(CHANGELIST)  # warm per-process caches (content types, session)
    with CaptureQueriesContext(connection) as five:
        curator_client.get(CHANGELIST)

    ProgramFactory.create_batch(35)  # each with its own specialty and sponsor
    with CaptureQueriesContext(connection) as forty:
        response = curator_client.get(CHANGELIST)

    assert response.context["cl"].result_count == 40
    assert len(forty) == len(five)


def test_changelist_stays_within_a_fixed_number_of_queries(
    curator_client, django_assert_max_num_queries
):
    ProgramFactory.create_batch(40)
    with django_assert_max_num_queries(15):
        curator_client.get(CHANGELIST, {"verified": "never", "q": "Generated"})


# Editing a program ---------------------------------------------------------------------


def test_curator_edits_a_program_and_history_names_them(curator_client, curator):
    program = ProgramFactory(name="Generated Before")
    url = reverse("admin:programs_program_change", args=[program.pk])
    assert curator_client.get(url).status_code == 200

    response = curator_client.post(
        url,
        change_form_data(
            program,
            name="Generated After",
            listing_source_label="Generated ACGME listing, 2026",
            listing_source_url="https://example.org/generated-listing",
            listing_as_of="2026-07-01",
            accepts_imgs=Tri.YES,
            sponsors_j1=Tri.YES,
            visa_source_label="Generated source",
            visa_source_url="https://example.org/generated-program",
            visa_as_of=timezone.localdate().isoformat(),
            visa_verified_on=timezone.localdate().isoformat(),
        ),
    )

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.name == "Generated After"
    assert program.sponsors_j1 == Tri.YES
    assert program.last_verified_on == timezone.localdate()
    assert program.history.latest().history_user == curator

    history = curator_client.get(reverse("admin:programs_program_history", args=[program.pk]))
    assert curator.username in history.text
    assert "Generated Before" in history.text


def test_saving_an_untouched_address_keeps_its_line_breaks(curator_client):
    program = ProgramFactory(address="Generated Hospital\n1 Generated Street")
    entries = program.history.count()

    response = curator_client.post(
        reverse("admin:programs_program_change", args=[program.pk]),
        change_form_data(program, address="Generated Hospital\r\n1 Generated Street"),
    )

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.address == "Generated Hospital\n1 Generated Street"
    latest = program.history.latest()
    assert program.history.count() == entries + 1
    assert latest.diff_against(latest.prev_record).changed_fields == []


def test_curator_adds_season_dates_on_the_program_page(curator_client):
    program = ProgramFactory()
    season = SeasonFactory()
    data = change_form_data(program)
    data |= {
        "season_dates-TOTAL_FORMS": "1",
        "season_dates-0-season": season.pk,
        "season_dates-0-applications_open": "2026-09-02",
        "season_dates-0-application_deadline": "2026-10-15",
        "season_dates-0-takes_signals": "no",
    }

    response = curator_client.post(
        reverse("admin:programs_program_change", args=[program.pk]), data
    )

    assert response.status_code == 302
    dates = ProgramSeasonDates.objects.get(program=program, season=season)
    assert dates.application_deadline == datetime.date(2026, 10, 15)
    assert dates.takes_signals == "no"


def test_season_dates_out_of_order_get_a_clear_message(curator_client):
    program = ProgramFactory()
    data = change_form_data(program)
    data |= {
        "season_dates-TOTAL_FORMS": "1",
        "season_dates-0-season": SeasonFactory().pk,
        "season_dates-0-applications_open": "2026-10-20",
        "season_dates-0-application_deadline": "2026-10-15",
    }

    response = curator_client.post(
        reverse("admin:programs_program_change", args=[program.pk]), data
    )

    assert response.status_code == 200
    assert "The deadline must not be before applications open." in response.text
    assert not ProgramSeasonDates.objects.exists()


def field_errors(response, field: str) -> list[str]:
    """The messages the admin form shows on one field."""
    return list(response.context["adminform"].form.errors.get(field, []))


def test_a_step2_cutoff_without_a_score_gets_the_models_message_on_the_score(curator_client):
    program = ProgramFactory()

    response = curator_client.post(
        reverse("admin:programs_program_change", args=[program.pk]),
        change_form_data(program, step2_policy="hard"),
    )

    assert response.status_code == 200
    assert field_errors(response, "step2_minimum") == [
        "A hard cutoff or a preferred minimum needs its Step 2 CK score (1 to 300); "
        "“Not required for interview consideration” and “Not reported” take none."
    ]
    program.refresh_from_db()
    assert program.step2_policy == "unknown"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"zip_code": "ABCDE"}, "zip_code", "A ZIP code reads 12345 or 12345-6789."),
        (
            {"sponsors_j1": Tri.YES, "accepts_imgs": Tri.NO},
            "accepts_imgs",
            "A program that sponsors a visa cannot be marked as refusing IMGs.",
        ),
        (
            {"sponsors_h1b": Tri.NO, "h1b_note": "Generated note"},
            "h1b_note",
            "H-1B conditions cannot go with “H-1B: No”.",
        ),
        (
            {"originally_accredited_on": "2020-07-01", "accreditation_effective_on": "2019-07-01"},
            "originally_accredited_on",
            "The original accreditation date must not be after the effective date.",
        ),
    ],
)
def test_the_program_form_explains_each_rule_on_its_field(curator_client, changes, field, message):
    program = ProgramFactory()
    response = curator_client.post(
        reverse("admin:programs_program_change", args=[program.pk]),
        change_form_data(program, **changes),
    )
    assert field_errors(response, field) == [message]


def test_only_a_fellowship_may_have_a_parent_specialty(curator_client):
    core = SpecialtyFactory()
    specialty = SpecialtyFactory(level=Level.RESIDENCY)
    data = {**model_to_dict(specialty), "parent": core.pk, "typical_length_years": 3}
    data = {k: "" if v is None else v for k, v in data.items() if k != "id"}
    response = curator_client.post(
        reverse("admin:programs_specialty_change", args=[specialty.pk]), data
    )
    assert field_errors(response, "parent") == ["Only a fellowship has a parent specialty."]


def test_a_statistic_with_more_matches_than_positions_is_explained(curator_client):
    statistic = SpecialtyStatisticFactory()
    data = {k: "" if v is None else v for k, v in model_to_dict(statistic).items() if k != "id"}
    data |= {"positions_offered": "10", "matched_total": "11"}
    response = curator_client.post(
        reverse("admin:programs_specialtystatistic_change", args=[statistic.pk]), data
    )
    assert field_errors(response, "matched_total") == ["More matches than positions offered."]


def test_specialty_autocomplete_answers_a_curator(curator_client):
    SpecialtyFactory(name="Generated Cardiology")

    response = curator_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "programs",
            "model_name": "program",
            "field_name": "specialty",
            "term": "cardio",
        },
    )

    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Generated Cardiology"]


def record_check(client, programs, **form):
    data = {"action": "record_check", "_selected_action": [p.pk for p in programs], **form}
    return client.post(CHANGELIST, data, follow=True)


def test_recording_a_check_first_asks_what_was_checked_and_shows_the_programs(curator_client):
    program = ProgramFactory(name="Generated Checked Program")

    response = record_check(curator_client, [program])

    assert "Record a curator&#x27;s check" in response.text
    assert "Generated Checked Program" in response.text
    assert "Fact groups you checked" in response.text and "Checked against" in response.text
    program.refresh_from_db()
    assert program.last_verified_on is None


def test_a_confirmed_check_is_recorded_with_its_source_and_curator(curator_client, curator):
    old = ProgramFactory(visa_source_label="FREIDA, 2016", visa_as_of=days_ago(3000))
    never = ProgramFactory()
    untouched = ProgramFactory()

    response = record_check(
        curator_client,
        [old, never],
        confirm="yes",
        groups=["visa", "scores"],
        source_label="Generated program website",
        source_url="https://example.org/generated",
    )

    assert "Recorded the check of 2 programs." in response.text
    for program in (old, never):
        program.refresh_from_db()
        assert program.visa_verified_on == timezone.localdate()
        assert program.visa_source_label == "Generated program website"
        assert program.eligibility_verified_on is None
        assert program.history.latest().history_user == curator
    untouched.refresh_from_db()
    assert untouched.last_verified_on is None


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"groups": ["visa"], "source_label": ""}, "This field is required."),
        ({"source_label": "Generated website"}, "This field is required."),
        ({"groups": ["visa"], "source_label": "FREIDA, 2016"}, "needs the current source"),
    ],
)
def test_a_check_without_groups_or_a_current_source_is_refused(curator_client, form, message):
    program = ProgramFactory(visa_source_label="FREIDA, 2016", visa_as_of=days_ago(3000))

    response = record_check(curator_client, [program], confirm="yes", **form)

    assert message in response.text
    assert "Record the check" in response.text
    program.refresh_from_db()
    assert program.visa_verified_on is None


def test_the_change_form_refuses_a_check_resting_on_the_2016_scrape(curator_client):
    program = ProgramFactory(visa_source_label="FREIDA, 2016", visa_as_of=days_ago(3000))

    response = curator_client.post(
        reverse("admin:programs_program_change", args=[program.pk]),
        change_form_data(program, visa_verified_on=timezone.localdate().isoformat()),
    )

    assert "needs the current source" in " ".join(field_errors(response, "visa_verified_on"))
    program.refresh_from_db()
    assert program.visa_verified_on is None


def test_the_review_list_shows_doubted_values(curator_client):
    ProgramFactory(
        name="Generated Doubted Program",
        step2_policy="hard",
        step2_minimum=123,
        step2_minimum_doubted=True,
    )
    ProgramFactory(name="Generated Plain Program")

    response = curator_client.get(reverse("admin:programs_doubtedprogram_changelist"))

    assert response.status_code == 200
    assert "Generated Doubted Program" in response.text
    assert "Step 2 CK minimum 123" in response.text
    assert "Generated Plain Program" not in response.text


# Seasons -------------------------------------------------------------------------------


def test_a_confirmed_date_without_its_check_is_explained(curator_client):
    event = MatchEventFactory()
    data = {k: "" if v is None else v for k, v in model_to_dict(event).items() if k != "id"}
    data.update(status="confirmed", checked_on="")

    response = curator_client.post(
        reverse("admin:programs_matchevent_change", args=[event.pk]), data
    )

    assert response.status_code == 200
    assert field_errors(response, "status") == [
        "A confirmed date needs the date and the day it was checked against the named source."
    ]
    event.refresh_from_db()
    assert event.status == "projected"


def test_a_curator_adds_an_event_of_a_new_kind(curator_client):
    season = SeasonFactory()
    response = curator_client.post(
        reverse("admin:programs_eventkind_add"),
        {
            "name": "Generated interview offer day",
            "slug": "generated-offer-day",
            "meaning": "Generated.",
            "position": "45",
        },
    )
    assert response.status_code == 302
    kind = EventKind.objects.get(slug="generated-offer-day")
    response = curator_client.post(
        reverse("admin:programs_matchevent_add"),
        {
            "season": season.pk,
            "match": MatchFactory(kind=MatchKind.AUA).pk,
            "service": "",
            "kind": kind.pk,
            "date": "2026-10-24",
            "status": "confirmed",
            "checked_on": "2026-12-01",
            "source_label": "Generated SAU source",
        },
    )
    assert response.status_code == 302
    event = MatchEvent.objects.get(kind=kind)
    assert (event.date, event.status, event.match.kind) == (
        datetime.date(2026, 10, 24),
        "confirmed",
        MatchKind.AUA,
    )


def test_a_second_current_season_is_explained(curator_client):
    SeasonFactory(match_year=2027, is_current=True)
    other = SeasonFactory(match_year=2028, is_current=False)
    data = {k: "" if v is None else v for k, v in model_to_dict(other).items() if k != "id"}
    data["is_current"] = "on"

    response = curator_client.post(reverse("admin:programs_season_change", args=[other.pk]), data)

    assert field_errors(response, "is_current") == [
        "Another season is current; untick it there first."
    ]


# Fees ----------------------------------------------------------------------------------


def fee_form(season, bands):
    data = {
        "season": season.pk,
        "kind": "eras_residency",
        "specialty": "",
        "source_label": "Generated for tests",
        "source_url": "",
        "as_of": "",
        "notes": "",
        "bands-TOTAL_FORMS": str(len(bands)),
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "1000",
    }
    for index, (first, last, amount) in enumerate(bands):
        data |= {
            f"bands-{index}-first": str(first),
            f"bands-{index}-last": "" if last is None else str(last),
            f"bands-{index}-amount": str(amount),
            f"bands-{index}-each": "on",
        }
    return data


def test_a_curator_adds_a_fee_band_by_band(curator_client):
    season = SeasonFactory()
    response = curator_client.post(
        reverse("admin:programs_fee_add"), fee_form(season, [(1, 30, 11), (31, None, 30)])
    )
    assert response.status_code == 302
    fee = Fee.objects.get()
    assert fee.cost(31) == 360


def test_overlapping_fee_bands_are_explained(curator_client):
    season = SeasonFactory()
    response = curator_client.post(
        reverse("admin:programs_fee_add"), fee_form(season, [(1, 30, 11), (20, None, 30)])
    )
    assert response.status_code == 200
    assert "Bands must not overlap" in response.content.decode()
    assert not Fee.objects.exists()


# Readers' reports ----------------------------------------------------------------------


def test_report_queue_counts_new_reports_and_lists_newest_first(curator_client):
    program = ProgramFactory(name="Generated Reported")
    OutdatedReport.objects.create(program=program, message="Generated older report")
    OutdatedReport.objects.create(program=program, message="Generated newer report")
    OutdatedReport.objects.create(
        program=program, message="Generated closed report", status=ReportStatus.FIXED
    )

    response = curator_client.get(reverse("admin:programs_outdatedreport_changelist"))

    assert "Reports from readers: 2 new" in response.text
    assert response.text.index("Generated newer report") < response.text.index(
        "Generated older report"
    )
    assert reverse("admin:programs_program_change", args=[program.pk]) in response.text


def test_curator_marks_a_report_fixed(curator_client):
    report = OutdatedReport.objects.create(program=ProgramFactory(), message="Generated report")

    response = curator_client.post(
        reverse("admin:programs_outdatedreport_changelist"),
        {"action": "mark_fixed", "_selected_action": [report.pk]},
        follow=True,
    )

    assert "Marked 1 report fixed." in response.text
    report.refresh_from_db()
    assert report.status == ReportStatus.FIXED
    assert report.reviewed_at is not None


def test_a_changed_fact_without_its_new_source_is_refused_and_says_why(curator_client):
    program = ProgramFactory(
        sponsors_h1b=Tri.NO,
        visa_source_label="Generated program website",
        visa_source_url="https://example.org/generated-visas",
        visa_as_of=datetime.date(2025, 2, 28),
    )
    url = reverse("admin:programs_program_change", args=[program.pk])
    response = curator_client.post(url, change_form_data(program, sponsors_h1b=Tri.YES))
    assert response.status_code == 200
    assert (
        "IMGs and visas changed (Sponsors H-1B), but its source and date did not: give the "
        "source that says the new value and the date it says it (Generated program website "
        "stays in the history)."
    ) in visible_text(response)
    program.refresh_from_db()
    assert program.sponsors_h1b == Tri.NO


def test_the_2016_scrape_is_never_the_source_of_a_new_value(curator_client):
    program = ProgramFactory(
        sponsors_h1b=Tri.NO,
        visa_source_label="FREIDA, 2016",
        visa_as_of=datetime.date(2016, 2, 28),
    )
    url = reverse("admin:programs_program_change", args=[program.pk])
    # Naming FREIDA again, with its old date or a new one: it never said the new value.
    for as_of in ("2016-02-28", "2026-11-30"):
        response = curator_client.post(
            url, change_form_data(program, sponsors_h1b=Tri.YES, visa_as_of=as_of)
        )
        assert field_errors(response, "visa_source_label") == [
            "IMGs and visas changed (Sponsors H-1B): the 2016 FREIDA scrape and the 2021–22 "
            "ACGME listing are kept for the record and cannot be the source of a new value."
        ]
        # One message says what is wrong with the source, not a second one about its date.
        assert field_errors(response, "visa_as_of") == []
    program.refresh_from_db()
    assert program.sponsors_h1b == Tri.NO


def test_a_sourced_change_is_public_with_its_source_and_the_old_one_in_the_history(
    curator_client, client
):
    program = ProgramFactory(
        sponsors_h1b=Tri.NO,
        visa_source_label="FREIDA, 2016",
        visa_as_of=datetime.date(2016, 2, 28),
    )
    url = reverse("admin:programs_program_change", args=[program.pk])
    response = curator_client.post(
        url,
        change_form_data(
            program,
            sponsors_h1b=Tri.YES,
            visa_source_label="Generated program website",
            visa_source_url="https://example.org/generated-visas",
            visa_as_of="2026-11-30",
        ),
    )
    assert response.status_code == 302
    page = visible_text(client.get(program.get_absolute_url()))
    assert "Sponsors H-1B Yes" in page
    # The curator who gave the new value its source has checked it against it today.
    assert "Checked against Generated program website by a curator on" in page
    program.refresh_from_db()
    assert program.visa_verified_on == timezone.localdate()
    assert program.visa_as_of == datetime.date(2026, 11, 30)
    assert "FREIDA" not in page.split("IMGs and visas", 1)[1].split("Exam scores", 1)[0]
    old = program.history.earliest("history_date")
    assert (old.sponsors_h1b, old.visa_source_label, old.visa_as_of) == (
        Tri.NO,
        "FREIDA, 2016",
        datetime.date(2016, 2, 28),
    )


def test_an_inferred_yes_to_imgs_goes_back_to_unknown_with_the_visas_it_rested_on(
    curator_client, client
):
    program = ProgramFactory(
        accepts_imgs=Tri.YES,
        accepts_imgs_inferred=True,
        sponsors_j1=Tri.YES,
        sponsors_h1b=Tri.NO,
        visa_source_label="FREIDA, 2016",
        visa_as_of=datetime.date(2016, 2, 28),
    )
    url = reverse("admin:programs_program_change", args=[program.pk])
    sourced = {
        "visa_source_label": "Generated program website",
        "visa_source_url": "https://example.org/generated-visas",
        "visa_as_of": "2026-11-30",
    }
    response = curator_client.post(
        url, change_form_data(program, sponsors_h1b=Tri.YES, sponsors_j1=Tri.NO, **sourced)
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.accepts_imgs, program.accepts_imgs_inferred) == (Tri.YES, True)

    response = curator_client.post(
        url, change_form_data(program, sponsors_h1b=Tri.NO, visa_as_of="2026-12-01")
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.accepts_imgs, program.accepts_imgs_inferred) == (Tri.UNKNOWN, False)
    page = visible_text(client.get(program.get_absolute_url()))
    assert "Inferred" not in page
