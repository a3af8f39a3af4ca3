"""Curators' writes (programs/services.py) and the create_curator command around one."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from programs.models import FactGroup, OutdatedReport, ReportStatus
from programs.services import close_reports, create_curator, record_check
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 4)


def test_a_check_rests_the_groups_on_the_named_source_as_of_today(curator):
    program = ProgramFactory(
        visa_source_label="FREIDA, 2016", visa_as_of=datetime.date(2016, 2, 28)
    )

    checked = record_check(
        programs=[program],
        groups=[FactGroup.VISA, FactGroup.SCORES],
        source_label="Generated program website",
        source_url="https://example.org/generated",
        user=curator,
        today=TODAY,
    )

    program.refresh_from_db()
    assert checked == [program]
    for group in (FactGroup.VISA, FactGroup.SCORES):
        assert program.source(group) == (
            "Generated program website",
            "https://example.org/generated",
        )
        assert (program.as_of(group), program.verified_on(group)) == (TODAY, TODAY)
    assert program.verified_on(FactGroup.ELIGIBILITY) is None
    assert program.last_verified_on == TODAY


def test_the_history_names_the_curator_the_groups_and_the_source(curator):
    program = ProgramFactory()

    record_check(
        programs=[program],
        groups=[FactGroup.VISA],
        source_label="Generated program website",
        user=curator,
        today=TODAY,
    )

    latest = program.history.latest()
    assert latest.history_user == curator
    assert latest.history_change_reason == (
        "Checked IMGs and visas against Generated program website"
    )
    assert latest.visa_source_label == "Generated program website"


@pytest.mark.parametrize("source", ["FREIDA, 2016", "ACGME, 2021–22", "  "])
def test_an_archived_snapshot_or_no_source_cannot_make_facts_look_checked(curator, source):
    program = ProgramFactory(
        visa_source_label="FREIDA, 2016", visa_as_of=datetime.date(2016, 2, 28)
    )

    with pytest.raises(ValidationError, match="needs the current source"):
        record_check(programs=[program], groups=[FactGroup.VISA], source_label=source, user=curator)

    program.refresh_from_db()
    assert program.visa_verified_on is None
    assert program.history.count() == 1


def test_checking_twice_the_same_day_against_the_same_source_changes_nothing(curator):
    program = ProgramFactory()
    options = {"groups": [FactGroup.VISA], "source_label": "Generated", "user": curator}
    record_check(programs=[program], today=TODAY, **options)
    entries = program.history.count()

    assert record_check(programs=[program], today=TODAY, **options) == []
    assert program.history.count() == entries


def test_closing_a_report_stamps_when_it_was_reviewed():
    report = OutdatedReport.objects.create(program=ProgramFactory(), message="Deadline moved.")
    now = timezone.now()

    closed = close_reports(
        reports=OutdatedReport.objects.all(), status=ReportStatus.DISMISSED, now=now
    )

    report.refresh_from_db()
    assert closed == 1
    assert report.status == ReportStatus.DISMISSED
    assert report.reviewed_at == now


def test_reports_cannot_be_closed_as_new():
    with pytest.raises(ValueError):
        close_reports(reports=[], status=ReportStatus.NEW)


def test_a_curator_is_staff_in_the_curators_group_and_not_a_superuser(curator):
    assert curator.is_staff
    assert not curator.is_superuser
    assert curator.groups.filter(name="Curators").exists()
    assert curator.check_password("long-enough-phrase-7")


def test_a_curator_may_edit_programs_but_not_users(curator):
    assert curator.has_perm("programs.change_program")
    assert not curator.has_perm("programs.delete_program")
    assert not curator.has_perm("applicants.view_user")
    assert not curator.has_perm("auth.change_group")


def test_a_weak_curator_password_is_refused_and_no_user_is_created(django_user_model):
    with pytest.raises(ValidationError):
        create_curator(username="weak", email="", password="12345678")
    assert not django_user_model.objects.filter(username="weak").exists()
    assert Group.objects.get(name="Curators").user_set.count() == 0


# manage.py create_curator ------------------------------------------------------------------------


def test_create_curator_without_prompts(monkeypatch, django_user_model):
    monkeypatch.setenv("CURATOR_PASSWORD", "long-enough-phrase-7")

    call_command("create_curator", username="scripted", email="s@example.org", interactive=False)

    user = django_user_model.objects.get(username="scripted")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Curators"]
    assert user.check_password("long-enough-phrase-7")


def test_create_curator_refuses_an_existing_username(monkeypatch, curator):
    monkeypatch.setenv("CURATOR_PASSWORD", "long-enough-phrase-7")

    with pytest.raises(CommandError, match="already exists"):
        call_command("create_curator", username=curator.username, interactive=False)


def test_create_curator_without_prompts_needs_the_password(monkeypatch):
    monkeypatch.delenv("CURATOR_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="CURATOR_PASSWORD"):
        call_command("create_curator", username="scripted", interactive=False)


def test_create_curator_refuses_a_weak_password(monkeypatch, django_user_model):
    monkeypatch.setenv("CURATOR_PASSWORD", "password")

    with pytest.raises(CommandError, match="too common"):
        call_command("create_curator", username="scripted", interactive=False)
    assert not django_user_model.objects.filter(username="scripted").exists()


@pytest.mark.parametrize(
    "source",
    ["freida 2016", "AMA FREIDA (2016)", "FREIDA", "ACGME 2021-22", "acgme, 2021–22 listing"],
)
def test_the_2016_scrape_and_the_2021_listing_are_refused_however_spelt(curator, source):
    program = ProgramFactory()
    with pytest.raises(ValidationError, match="needs the current source"):
        record_check(programs=[program], groups=[FactGroup.VISA], source_label=source, user=curator)


@pytest.mark.parametrize("source", ["FREIDA, 2026", "ACGME ADS, 2026", "Program website"])
def test_current_sources_are_accepted(curator, source):
    program = ProgramFactory()
    record_check(programs=[program], groups=[FactGroup.VISA], source_label=source, user=curator)
    program.refresh_from_db()
    assert program.visa_source_label == source
