"""A newer ACGME listing as a reviewed diff (programs/listing_update.py and its admin page)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from programs.listing_update import (
    FieldChange,
    ListingSource,
    apply_listing_update,
    compute_listing_diff,
)
from programs.loaders import load_program_suggestions
from programs.models import (
    Accreditation,
    Program,
    ProgramSuggestion,
    Specialty,
    Sponsor,
    SuggestionStatus,
)
from tests.factories import (
    MINIMAL,
    ProgramFactory,
    SpecialtyFactory,
    SponsorFactory,
    csv_text,
    row,
)
from tests.programs.test_admin import change_form_data

pytestmark = pytest.mark.django_db

SOURCE = ListingSource(
    label="Generated ACGME listing 2026",
    url="https://example.org/generated-listing.csv",
    as_of=datetime.date(2026, 11, 1),
)
COLUMNS = [*MINIMAL, "city"]


@pytest.fixture
def directory(specialty):
    """Three listed programs of the file's specialty and one of another specialty."""
    kept = ProgramFactory(**_program(1), city="Springfield")
    moved = ProgramFactory(**_program(2), city="Springfield")
    gone = ProgramFactory(**_program(3), city="Springfield")
    elsewhere = ProgramFactory(
        acgme_id="6419900009", specialty=SpecialtyFactory(code="641"), state="NY"
    )
    return kept, moved, gone, elsewhere


def _program(n):
    sponsor, _ = Sponsor.objects.get_or_create(
        code="990001", defaults={"name": "Generated Sponsor for imports", "state": "NY"}
    )
    return {
        "acgme_id": f"64099{n:05d}",
        "name": f"Generated Program {n}",
        "specialty": Specialty.objects.get(code="640"),
        "sponsor": sponsor,
        "state": "NY",
    }


def newer_listing():
    return csv_text(
        [row(1, city="Springfield"), row(2, city="Shelbyville"), row(4, city="Springfield")],
        COLUMNS,
    )


def test_diff_finds_new_withdrawn_and_changed_and_writes_nothing(directory):
    kept, moved, gone, elsewhere = directory
    diff = compute_listing_diff(text=newer_listing(), source=SOURCE)
    assert diff.ok
    assert [p.acgme_id for p in diff.new] == ["6409900004"]
    assert [p.acgme_id for p in diff.withdrawn] == [gone.acgme_id]
    assert [(p.acgme_id, p.changes) for p in diff.changed] == [
        (moved.acgme_id, (FieldChange("city", "Springfield", "Shelbyville"),))
    ]
    assert diff.unchanged == 1
    assert diff.specialty_codes == ["640"]
    assert not Program.objects.filter(acgme_id="6409900004").exists()
    moved.refresh_from_db()
    assert moved.city == "Springfield"


def test_applying_writes_with_the_files_source_and_keeps_the_old_values(directory):
    kept, moved, gone, elsewhere = directory
    diff = apply_listing_update(text=newer_listing(), source=SOURCE)
    assert diff.ok and diff.applied

    new = Program.objects.get(acgme_id="6409900004")
    assert (new.listing_source_label, new.listing_as_of) == (SOURCE.label, SOURCE.as_of)
    moved.refresh_from_db()
    assert moved.city == "Shelbyville"
    assert (moved.listing_source_label, moved.listing_source_url, moved.listing_as_of) == (
        SOURCE.label,
        SOURCE.url,
        SOURCE.as_of,
    )
    assert moved.history.earliest().city == "Springfield"
    assert "Newer ACGME listing" in moved.history.latest().history_change_reason
    kept.refresh_from_db()
    assert kept.listing_source_label == ""


def test_withdrawn_programs_are_kept_marked_withdrawn_not_deleted(directory):
    kept, moved, gone, elsewhere = directory
    apply_listing_update(text=newer_listing(), source=SOURCE)
    gone.refresh_from_db()
    assert gone.is_withdrawn
    assert gone.accreditation_status == Accreditation.WITHDRAWN
    assert gone.history.earliest().accreditation_status == Accreditation.CONTINUED
    elsewhere.refresh_from_db()
    assert not elsewhere.is_withdrawn


def test_a_bad_row_refuses_the_whole_file_and_writes_nothing(directory):
    kept, moved, gone, elsewhere = directory
    text = csv_text([row(2, city="Shelbyville"), row(4), row(5, state="Ohio")], COLUMNS)
    diff = apply_listing_update(text=text, source=SOURCE)
    assert not diff.applied
    assert [(e.line, e.acgme_id) for e in diff.errors] == [(4, "6409900005")]
    assert not Program.objects.filter(acgme_id="6409900004").exists()
    moved.refresh_from_db()
    gone.refresh_from_db()
    assert moved.city == "Springfield"
    assert not gone.is_withdrawn


def test_columns_outside_the_listing_are_refused(directory):
    text = csv_text([row(1, sponsors_j1="yes")], [*MINIMAL, "sponsors_j1"])
    diff = compute_listing_diff(text=text, source=SOURCE)
    assert "columns outside the ACGME listing: sponsors_j1" in diff.errors[0].message


def test_the_old_listing_cannot_be_the_source_of_new_values(directory):
    old = ListingSource("ACGME listing 2021-22", "https://example.org/old.csv", SOURCE.as_of)
    diff = apply_listing_update(text=newer_listing(), source=old)
    assert not diff.applied and diff.errors
    assert not Program.objects.filter(acgme_id="6409900004").exists()


# --- The admin page ----------------------------------------------------------------------------

URL = "admin:programs_program_listing_update"


def upload(client, text):
    return client.post(
        reverse(URL),
        {
            "file": SimpleUploadedFile("generated-listing.csv", text.encode(), "text/csv"),
            "source_label": SOURCE.label,
            "source_url": SOURCE.url,
            "as_of": SOURCE.as_of.isoformat(),
        },
    )


def test_the_review_page_answers_a_curator_and_refuses_others(
    curator_client, django_user_model, directory
):
    assert curator_client.get(reverse(URL)).status_code == 200
    changelist = curator_client.get(reverse("admin:programs_program_changelist"))
    assert reverse(URL).encode() in changelist.content
    member = Client()
    member.force_login(django_user_model.objects.create_user(username="generated-member"))
    response = member.get(reverse(URL))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_review_page_shows_the_diff_then_applies_it(curator_client, directory):
    kept, moved, gone, elsewhere = directory
    response = upload(curator_client, newer_listing())
    content = response.content.decode()
    assert response.status_code == 200
    assert "6409900004" in content and gone.acgme_id in content
    assert "Shelbyville" in content
    assert not Program.objects.filter(acgme_id="6409900004").exists()
    token = curator_client.session["programs_listing_update"]["token"]
    response = curator_client.post(reverse(URL), {"apply": "1", "token": token})
    assert response.status_code == 302
    assert Program.objects.filter(acgme_id="6409900004").exists()
    gone.refresh_from_db()
    assert gone.is_withdrawn


# --- A program accredited after the listing, added by hand -------------------------------------


def add_form_data(specialty, **changes):
    sponsor = SponsorFactory()
    program = ProgramFactory.build(
        acgme_id="6409900042",
        name="Generated Newly Accredited Program",
        specialty=specialty,
        sponsor=sponsor,
    )
    return change_form_data(program, specialty=specialty.pk, sponsor=sponsor.pk, **changes)


def test_a_curator_adds_a_program_only_with_its_listing_source_and_date(curator_client, specialty):
    url = reverse("admin:programs_program_add")
    response = curator_client.post(url, add_form_data(specialty))
    assert response.status_code == 200
    assert "ACGME listing changed" in response.text
    assert "name the source that says the new value" in response.text
    assert "give the date the source says it" in response.text
    assert not Program.objects.filter(acgme_id="6409900042").exists()

    response = curator_client.post(
        url,
        add_form_data(
            specialty,
            listing_source_label=SOURCE.label,
            listing_source_url=SOURCE.url,
            listing_as_of=SOURCE.as_of.isoformat(),
        ),
    )
    assert response.status_code == 302
    added = Program.objects.get(acgme_id="6409900042")
    assert (added.listing_source_label, added.listing_as_of) == (SOURCE.label, SOURCE.as_of)


# --- Programs known from the NRMP code list ----------------------------------------------------


def test_suggestions_load_from_the_fixture_and_never_create_programs(settings):
    SpecialtyFactory(code="260")
    path = settings.BASE_DIR / "fixtures" / "nrmp_codes_unlisted.csv"
    counts = load_program_suggestions(path=path, change_reason="generated")
    assert counts.created == ProgramSuggestion.objects.count() > 0
    assert not Program.objects.exists()
    first = ProgramSuggestion.objects.get(nrmp_code="1102260C0")
    assert first.specialty.code == "260"
    assert first.source_label == "NRMP program code list (about 2024)"
    assert first.status == SuggestionStatus.NEW

    first.status = SuggestionStatus.DISMISSED
    first.save()
    again = load_program_suggestions(path=path, change_reason="generated")
    assert again.created == 0
    first.refresh_from_db()
    assert first.status == SuggestionStatus.DISMISSED


def suggestion():
    return ProgramSuggestion.objects.create(
        nrmp_code="9999999C0",
        track_name="Generated Track",
        institution_name="Generated Institution",
        state="NY",
        reason="generated reason",
        source_label="NRMP program code list (about 2024)",
    )


def test_the_suggestions_answer_a_curator_and_refuse_others(curator_client, django_user_model):
    item = suggestion()
    url = reverse("admin:programs_programsuggestion_changelist")
    response = curator_client.get(url)
    assert response.status_code == 200
    assert "Programs known from the NRMP code list (about 2024)" in response.text
    assert "not in the ACGME listing the site holds" in response.text
    assert "Generated Institution" in response.text
    assert curator_client.get(reverse("admin:programs_programsuggestion_add")).status_code == 403
    member = Client()
    member.force_login(django_user_model.objects.create_user(username="generated-member"))
    assert member.get(url).status_code == 302

    response = curator_client.post(url, {"action": "mark_dismissed", "_selected_action": [item.pk]})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == SuggestionStatus.DISMISSED
    assert not Program.objects.exists()


def test_the_review_page_lists_a_bad_row_by_line_and_offers_no_apply(curator_client, directory):
    response = upload(curator_client, csv_text([row(4), row(5, state="Ohio")], COLUMNS))
    content = response.content.decode()
    assert "1 problem found" in content
    assert "&#x27;Ohio&#x27; is not a USPS state code" in content
    assert 'name="apply"' not in content
    assert "programs_listing_update" not in curator_client.session
