"""The program CSV import: command, service and the curator upload in the admin."""

import csv
import io

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import path, reverse

from programs.admin_import import SESSION_KEY, CsvImportAdminMixin
from programs.csv_format import COLUMNS, inert_for_spreadsheets, program_to_row
from programs.importers import import_programs
from programs.models import Program, ScorePolicy, Sponsor, Tri
from programs.services import create_curator
from tests.factories import ProgramFactory, SpecialtyFactory, SponsorFactory

pytestmark = pytest.mark.django_db

MINIMAL = ["acgme_id", "name", "specialty_code", "sponsor_code", "sponsor_name", "state"]


def csv_text(rows: list[dict[str, str]], columns: list[str] = MINIMAL) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def specialty():
    return SpecialtyFactory(code="640")


def row(n: int, **values) -> dict[str, str]:
    return {
        "acgme_id": f"64099{n:05d}",
        "name": f"Generated Program {n}",
        "specialty_code": "640",
        "sponsor_code": "990001",
        "sponsor_name": "Generated Sponsor for imports",
        "state": "NY",
        **values,
    }


def exported(programs: list[Program]) -> str:
    """What the directory's CSV export writes for these programs."""
    rows = [{k: inert_for_spreadsheets(v) for k, v in program_to_row(p).items()} for p in programs]
    return csv_text(rows, COLUMNS)


# The service ---------------------------------------------------------------------------


def test_new_rows_create_programs_and_their_sponsor(specialty):
    result = import_programs(text=csv_text([row(1), row(2)]))
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert result.sponsors_created == 1
    program = Program.objects.get(acgme_id="6409900001")
    assert program.sponsor.name == "Generated Sponsor for imports"
    assert program.specialty == specialty
    assert program.sponsors_j1 == Tri.UNKNOWN


def test_one_bad_row_writes_nothing_and_every_bad_row_is_listed(specialty):
    text = csv_text(
        [
            row(1),
            row(2, state="New York"),
            row(3),
            row(4, specialty_code="641"),
            row(5, acgme_id="12345"),
        ]
    )
    result = import_programs(text=text)
    assert not result.ok
    assert Program.objects.count() == 0
    assert Sponsor.objects.count() == 0
    lines = {(e.line, e.acgme_id) for e in result.errors}
    assert lines == {(3, "6409900002"), (5, "6409900004"), (6, "12345")}
    messages = " ".join(str(e) for e in result.errors)
    assert "not a USPS state code" in messages
    assert "'641' is not a known ACGME specialty code" in messages
    assert "must be 10 digits" in messages


def test_line_numbers_count_multi_line_addresses(specialty):
    columns = [*MINIMAL, "address"]
    text = csv_text(
        [row(1, address="First line\nSecond line\nThird line"), row(2, state="ZZ", address="")],
        columns,
    )
    result = import_programs(text=text)
    assert [e.line for e in result.errors] == [5]


def test_second_import_of_the_same_file_changes_nothing(specialty):
    text = csv_text([row(1), row(2)])
    import_programs(text=text)
    result = import_programs(text=text)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_dry_run_writes_nothing(specialty):
    result = import_programs(text=csv_text([row(1)]), dry_run=True)
    assert result.created == 1
    assert not Program.objects.exists()
    assert not Sponsor.objects.exists()


def test_changed_cell_updates_only_that_program(specialty):
    import_programs(text=csv_text([row(1), row(2)]))
    result = import_programs(text=csv_text([row(1, name="Generated Program renamed"), row(2)]))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert result.changes[0].fields == ("name",)
    assert Program.objects.get(acgme_id="6409900001").name == "Generated Program renamed"


def test_column_absent_from_the_file_leaves_the_field_alone(specialty):
    program = ProgramFactory(
        acgme_id="6409900001", specialty=specialty, sponsors_j1=Tri.YES, city="Generated City"
    )
    result = import_programs(text=csv_text([row(1, sponsor_code=program.sponsor.code)]))
    assert result.updated == 1
    program.refresh_from_db()
    assert program.sponsors_j1 == Tri.YES
    assert program.city == "Generated City"
    assert program.state == "NY"


def test_missing_required_column_is_reported_on_line_1(specialty):
    text = csv_text([row(1)], ["acgme_id", "name", "specialty_code", "sponsor_code"])
    result = import_programs(text=text)
    assert [(e.line, e.message) for e in result.errors] == [(1, "missing required columns: state")]


def test_unknown_column_is_reported(specialty):
    text = csv_text([{**row(1), "j1": "yes"}], [*MINIMAL, "j1"])
    result = import_programs(text=text)
    assert "unknown columns: j1" in result.errors[0].message


def test_duplicate_acgme_id_in_a_file_is_reported_with_both_lines(specialty):
    result = import_programs(text=csv_text([row(1), row(1)]))
    assert [str(e) for e in result.errors] == ["line 3 (6409900001): ACGME ID already on line 2"]


def test_step2_policy_without_a_score_is_refused_before_the_database(specialty):
    columns = [*MINIMAL, "step2_policy", "step2_minimum"]
    text = csv_text([row(1, step2_policy="hard", step2_minimum="")], columns)
    result = import_programs(text=text)
    assert "step2_policy 'hard' needs step2_minimum from 1 to 300" in str(result.errors[0])


def test_visa_sponsor_refusing_imgs_is_refused(specialty):
    columns = [*MINIMAL, "sponsors_j1", "accepts_imgs"]
    result = import_programs(text=csv_text([row(1, sponsors_j1="yes", accepts_imgs="no")], columns))
    assert "accepts_imgs cannot be no" in str(result.errors[0])


def test_bad_choice_lists_the_allowed_codes(specialty):
    columns = [*MINIMAL, "sponsors_h1b"]
    result = import_programs(text=csv_text([row(1, sponsors_h1b="maybe")], columns))
    assert "sponsors_h1b: 'maybe' is not one of: yes, no, unknown" in str(result.errors[0])


def test_exported_programs_import_back_unchanged():
    programs = [
        ProgramFactory(
            name="=Generated formula-looking name",
            address="1 Generated Way\nSuite 2",
            sponsors_j1=Tri.YES,
            accepts_imgs=Tri.YES,
            step2_policy=ScorePolicy.HARD,
            step2_minimum=220,
            website="https://example.org/generated",
            visa_source_label="Generated source",
            visa_verified_on="2024-01-02",
        ),
        ProgramFactory(h1b_note="+Generated note", zip_code="02114-2621"),
    ]
    programs = list(Program.objects.select_related("specialty", "sponsor"))
    result = import_programs(text=exported(programs))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_import_records_history_with_user_and_reason(specialty, django_user_model):
    user = django_user_model.objects.create_user("generated-importer", password="x-long-enough-1")
    import_programs(text=csv_text([row(1)]), user=user, change_reason="Generated batch")
    import_programs(
        text=csv_text([row(1, name="Generated Program renamed")]),
        user=user,
        change_reason="Generated fix",
    )
    history = Program.objects.get(acgme_id="6409900001").history.order_by("history_date")
    assert [(h.history_type, h.history_user, h.history_change_reason) for h in history] == [
        ("+", user, "Generated batch"),
        ("~", user, "Generated fix"),
    ]


# The command ---------------------------------------------------------------------------


def test_command_imports_and_prints_a_summary(specialty, tmp_path):
    file = tmp_path / "generated.csv"
    file.write_text(csv_text([row(1), row(2)]))
    out = io.StringIO()
    call_command("import_programs", str(file), stdout=out)
    assert "2 created, 0 updated, 0 unchanged" in out.getvalue()
    assert Program.objects.count() == 2


def test_command_dry_run_writes_nothing(specialty, tmp_path):
    file = tmp_path / "generated.csv"
    file.write_text(csv_text([row(1)]))
    out = io.StringIO()
    call_command("import_programs", str(file), "--dry-run", stdout=out)
    assert "1 created" in out.getvalue()
    assert "dry run" in out.getvalue()
    assert not Program.objects.exists()


def test_command_fails_and_lists_bad_rows(specialty, tmp_path):
    file = tmp_path / "generated.csv"
    file.write_text(csv_text([row(1, state=""), row(2), row(3, name="")]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_programs", str(file), stderr=err, stdout=io.StringIO())
    assert "line 2 (6409900001): state: needs a value" in err.getvalue()
    assert "line 4 (6409900003): name must not be blank" in err.getvalue()
    assert not Program.objects.exists()


# The admin upload ----------------------------------------------------------------------

test_site = AdminSite(name="admin")


class MinimalProgramAdmin(CsvImportAdminMixin, admin.ModelAdmin):
    pass


test_site.register(Program, MinimalProgramAdmin)
urlpatterns = [path("admin/", test_site.urls)]


@pytest.fixture(autouse=True)
def _admin_with_import(settings):
    """The real admin when its ProgramAdmin has the upload; a minimal one until then."""
    if not isinstance(admin.site._registry.get(Program), CsvImportAdminMixin):
        settings.ROOT_URLCONF = __name__


@pytest.fixture
def curator_client(client):
    curator = create_curator(
        username="generated-curator", email="curator@example.org", password="long-enough-phrase-7"
    )
    client.force_login(curator)
    return client


def upload(client, text: str, name: str = "generated.csv"):
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(reverse("admin:programs_program_import"), {"file": file})


def test_changelist_links_to_the_import(curator_client):
    response = curator_client.get(reverse("admin:programs_program_changelist"))
    assert reverse("admin:programs_program_import").encode() in response.content
    assert b"Import CSV" in response.content


def test_preview_lists_every_error_and_offers_no_apply(curator_client, specialty):
    response = upload(curator_client, csv_text([row(1, state="Ohio"), row(2), row(3, name="")]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "2 problems found" in content
    assert "&#x27;Ohio&#x27; is not a USPS state code" in content
    assert "name must not be blank" in content
    assert 'name="apply"' not in content
    assert not Program.objects.exists()


def test_preview_then_apply_imports_and_returns_to_the_changelist(curator_client, specialty):
    response = upload(curator_client, csv_text([row(1), row(2)]))
    content = response.content.decode()
    assert "Preview of generated.csv" in content
    assert "6409900002" in content
    assert not Program.objects.exists()
    token = curator_client.session[SESSION_KEY]["token"]

    response = curator_client.post(
        reverse("admin:programs_program_import"), {"apply": "Apply", "token": token}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("admin:programs_program_changelist")
    assert "Imported generated.csv: 2 created" in response.content.decode()
    assert Program.objects.count() == 2
    assert SESSION_KEY not in curator_client.session
    assert Program.objects.first().history.first().history_change_reason == (
        "CSV import in the admin: generated.csv"
    )


def test_apply_without_a_preview_is_refused_politely(curator_client):
    response = curator_client.post(
        reverse("admin:programs_program_import"), {"apply": "Apply", "token": "stale"}, follow=True
    )
    assert "That upload has expired" in response.content.decode()
    assert not Program.objects.exists()


def test_non_utf8_upload_gets_a_clear_message(curator_client):
    file = SimpleUploadedFile("generated.csv", "name\nCaf\xe9\n".encode("latin-1"))
    response = curator_client.post(reverse("admin:programs_program_import"), {"file": file})
    assert "The file is not UTF-8 text" in response.content.decode()


def test_staff_without_add_and_change_permission_cannot_import(client, django_user_model):
    viewer = django_user_model.objects.create_user(
        "generated-viewer", password="x-long-enough-1", is_staff=True
    )
    client.force_login(viewer)
    assert client.get(reverse("admin:programs_program_import")).status_code == 403


def test_existing_sponsor_is_used_not_renamed(specialty):
    sponsor = SponsorFactory(code="990001", name="Generated Sponsor kept")
    import_programs(text=csv_text([row(1)]))
    sponsor.refresh_from_db()
    assert sponsor.name == "Generated Sponsor kept"
    assert Program.objects.get().sponsor == sponsor
