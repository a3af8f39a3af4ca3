"""Bulk writes (programs/importers.py): the program CSV import and its command, and the
loader of the shipped FAQ entries and guides. Loading the whole shipped directory is tested
in tests/real_data/."""

import datetime
import io
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs import importers
from programs.csv_format import (
    COLUMNS,
    EXPORT_ONLY_COLUMNS,
    export_only_cells,
    inert_for_spreadsheets,
    program_to_row,
)
from programs.importers import import_programs
from programs.loaders import CONTENT_DIR, load_content
from programs.models import FaqEntry, FaqTopic, Guide, Program, ScorePolicy, Sponsor, Tri
from tests.factories import MINIMAL, ProgramFactory, SponsorFactory, csv_text, row

pytestmark = pytest.mark.django_db


def exported(programs: list[Program]) -> str:
    """What the directory's CSV export writes for these programs, reader columns included."""
    rows = [
        {
            k: inert_for_spreadsheets(v)
            for k, v in (program_to_row(p) | export_only_cells(p, site="http://testserver")).items()
        }
        for p in programs
    ]
    return csv_text(rows, [*COLUMNS, *EXPORT_ONLY_COLUMNS])


# The service ---------------------------------------------------------------------------


def test_new_rows_create_programs_and_their_sponsor(specialty):
    result = import_programs(text=csv_text([row(1), row(2)]))
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert result.sponsors_created == 1
    program = Program.objects.get(acgme_id="6409900001")
    assert program.sponsor.name == "Generated Sponsor for imports"
    assert program.specialty == specialty
    assert program.sponsors_j1 == Tri.UNKNOWN


def test_new_programs_are_found_matched_and_recorded_like_saved_ones(specialty):
    """New rows go in by COPY on PostgreSQL: the search columns, the stored steps of the
    requirements and the history are what saving each program would have made."""
    columns = [*MINIMAL, "step2_policy", "step2_minimum"]
    rows = [row(1, name="Generated Rochester Program", step2_policy="hard", step2_minimum="240")]
    import_programs(text=csv_text(rows, columns), change_reason="Generated batch")
    assert [p.name for p in Program.objects.search("Rochester")] == ["Generated Rochester Program"]
    fitted = Program.objects.with_fit(step2=235).get()
    assert (fitted.fit_step2, fitted.sponsor.code) == ("not_met", "990001")
    history = Program.history.get()
    assert (history.history_type, history.history_change_reason) == ("+", "Generated batch")
    assert history.id == fitted.pk


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
    assert "acgme_id: An ACGME ID is 10 digits." in messages


def test_a_bad_row_late_in_a_long_file_undoes_the_rows_written_before_it(specialty, monkeypatch):
    monkeypatch.setattr("programs.importers.CHUNK_SIZE", 2)
    rows = [row(n) for n in range(1, 6)] + [row(6, state="New York")]
    result = import_programs(text=csv_text(rows))
    assert [(e.line, e.acgme_id) for e in result.errors] == [(7, "6409900006")]
    assert (Program.objects.count(), Sponsor.objects.count()) == (0, 0)


def test_a_long_file_is_written_chunk_by_chunk_with_one_sponsor(specialty, monkeypatch):
    monkeypatch.setattr("programs.importers.CHUNK_SIZE", 2)
    result = import_programs(text=csv_text([row(n) for n in range(1, 6)]))
    assert (result.created, result.sponsors_created) == (5, 1)
    assert Program.objects.filter(sponsor__name="Generated Sponsor for imports").count() == 5


# A long file: each chunk is checked in a worker thread while the one before it is written.


def mixed_file() -> str:
    """Six chunks of two rows: updates, new programs, two new sponsors first
    named in one chunk and named again in later ones, and refused rows in two chunks."""
    rows = [
        row(1, name="Generated Program 1 renamed", **LISTING_SOURCE),
        row(2, **LISTING_SOURCE),
        row(3, sponsor_code="990002", sponsor_name="Generated Second Sponsor", **LISTING_SOURCE),
        row(4, state="New York", **LISTING_SOURCE),
        row(5, sponsor_code="990002", sponsor_name="", **LISTING_SOURCE),
        row(6, sponsor_code="990003", sponsor_name="Generated Third Sponsor", **LISTING_SOURCE),
        row(7, specialty_code="641", **LISTING_SOURCE),
        row(8, sponsor_code="990003", sponsor_name="", **LISTING_SOURCE),
        row(9, **LISTING_SOURCE),
        row(3, **LISTING_SOURCE),
        row(10, sponsor_code="990002", sponsor_name="", **LISTING_SOURCE),
        row(11, sponsor_code="990003", sponsor_name="", **LISTING_SOURCE),
    ]
    return csv_text(rows, SOURCED)


def outcome(result) -> tuple:
    return (
        result.created,
        result.updated,
        result.unchanged,
        result.sponsors_created,
        result.changes,
        [str(e) for e in result.errors],
    )


def test_a_long_file_has_the_outcome_of_one_chunk(specialty, monkeypatch):
    import_programs(text=csv_text([row(1), row(2)]))
    whole = import_programs(text=mixed_file())
    monkeypatch.setattr("programs.importers.CHUNK_SIZE", 2)
    chunked = import_programs(text=mixed_file())
    assert outcome(chunked) == outcome(whole)
    assert [e.line for e in chunked.errors] == [5, 8, 11]
    assert (chunked.created, chunked.updated, chunked.unchanged) == (7, 2, 0)
    assert chunked.sponsors_created == 2


def test_refused_rows_in_a_long_file_write_nothing_and_are_listed_in_order(specialty, monkeypatch):
    monkeypatch.setattr("programs.importers.CHUNK_SIZE", 2)
    import_programs(text=csv_text([row(1), row(2)]))
    result = import_programs(text=mixed_file())
    assert [(e.line, e.acgme_id) for e in result.errors] == [
        (5, "6409900004"),
        (8, "6409900007"),
        (11, "6409900003"),
    ]
    assert Program.objects.count() == 2
    assert Sponsor.objects.count() == 1
    assert Program.objects.get(acgme_id="6409900001").name == "Generated Program 1"


def test_sponsors_new_in_one_chunk_are_created_once_for_every_later_chunk(specialty, monkeypatch):
    monkeypatch.setattr("programs.importers.CHUNK_SIZE", 2)
    rows = [
        row(1),
        row(2, sponsor_code="990002", sponsor_name="Generated Second Sponsor"),
        row(3, sponsor_code="990002", sponsor_name=""),
        row(4),
        row(5, sponsor_code="990002", sponsor_name=""),
    ]
    result = import_programs(text=csv_text(rows))
    assert result.ok
    assert (result.created, result.sponsors_created) == (5, 2)
    counts = dict(Sponsor.objects.annotate(count=Count("programs")).values_list("code", "count"))
    assert counts == {"990001": 2, "990002": 3}


def test_a_dry_run_of_a_long_file_writes_nothing(specialty, monkeypatch):
    monkeypatch.setattr("programs.importers.CHUNK_SIZE", 2)
    result = import_programs(text=csv_text([row(n) for n in range(1, 6)]), dry_run=True)
    assert (result.created, result.sponsors_created) == (5, 1)
    assert (Program.objects.count(), Sponsor.objects.count()) == (0, 0)


def test_progress_is_reported_after_each_chunk_in_order(specialty, monkeypatch):
    monkeypatch.setattr("programs.importers.CHUNK_SIZE", 2)
    reported = []
    result = import_programs(
        text=csv_text([row(n) for n in range(1, 6)]),
        progress=lambda done, total: reported.append((done, total, Program.objects.count())),
    )
    assert result.ok
    # Each chunk is written before its progress is reported.
    assert reported == [(2, 5, 2), (4, 5, 4), (5, 5, 5)]


def test_rows_are_checked_in_another_thread_that_may_not_query(specialty, monkeypatch):
    """The checks run beside the writes, and a query there would go outside the import's
    transaction: it is refused, and the import fails rather than read the wrong rows."""
    monkeypatch.setattr("programs.importers.CHUNK_SIZE", 2)
    threads = set()
    checked = importers._program_from_row

    def recording(*args, **kwargs):
        threads.add(threading.current_thread())
        return checked(*args, **kwargs)

    monkeypatch.setattr("programs.importers._program_from_row", recording)
    assert import_programs(text=csv_text([row(n) for n in range(1, 6)])).ok
    assert threading.main_thread() not in threads

    def querying(*args, **kwargs):
        Sponsor.objects.exists()
        return checked(*args, **kwargs)

    monkeypatch.setattr("programs.importers._program_from_row", querying)
    with pytest.raises(RuntimeError, match="a query while checking"):
        import_programs(text=csv_text([row(n) for n in range(6, 9)]))
    assert Program.objects.count() == 5


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


# A new listing source, with its date, for rows that change a listing fact.
LISTING_SOURCE = {
    "listing_source_label": "Generated ACGME listing, 2026",
    "listing_source_url": "https://example.org/generated-listing",
    "listing_as_of": "2026-07-01",
}
SOURCED = [*MINIMAL, *LISTING_SOURCE]


def test_changed_cell_updates_only_that_program(specialty):
    import_programs(text=csv_text([row(1), row(2)]))
    renamed = row(1, name="Generated Program renamed", **LISTING_SOURCE)
    result = import_programs(text=csv_text([renamed, row(2)], SOURCED))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert result.changes[0].fields == (
        "listing_as_of",
        "listing_source_label",
        "listing_source_url",
        "name",
    )
    assert Program.objects.get(acgme_id="6409900001").name == "Generated Program renamed"


def test_column_absent_from_the_file_leaves_the_field_alone(specialty):
    program = ProgramFactory(
        acgme_id="6409900001", specialty=specialty, sponsors_j1=Tri.YES, city="Generated City"
    )
    changed = row(1, sponsor_code=program.sponsor.code, **LISTING_SOURCE)
    result = import_programs(text=csv_text([changed], SOURCED))
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


def test_a_rule_of_the_model_is_reported_with_its_column_and_message(specialty):
    columns = [*MINIMAL, "step2_policy", "step2_minimum"]
    text = csv_text([row(1, step2_policy="hard", step2_minimum="")], columns)
    result = import_programs(text=text, dry_run=True)
    assert [str(e) for e in result.errors] == [
        "line 2 (6409900001): step2_minimum: A hard cutoff or a preferred minimum needs its "
        "Step 2 CK score (1 to 300); “Not required for interview consideration” and "
        "“Not reported” take none."
    ]


def test_visa_sponsor_refusing_imgs_is_refused(specialty):
    columns = [*MINIMAL, "sponsors_j1", "accepts_imgs"]
    result = import_programs(text=csv_text([row(1, sponsors_j1="yes", accepts_imgs="no")], columns))
    assert "accepts_imgs: A program that sponsors a visa cannot be marked as refusing IMGs." in str(
        result.errors[0]
    )


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("zip_code", "ABCDE", "zip_code: A ZIP code reads 12345 or 12345-6789."),
        ("city", "Generated\x00City", "city: holds a NUL character, which cannot be stored"),
        (
            "address",
            "1 Generated Way\x00",
            "address: holds a NUL character, which cannot be stored",
        ),
        ("city", "x" * 101, "city: Ensure this value has at most 100 characters (it has 101)."),
        ("website", "not a url", "website: Enter a valid URL."),
        ("length_years", "0", "length_years: Training lasts 1 to 10 years."),
    ],
)
def test_the_preview_refuses_what_applying_would_refuse(specialty, column, value, message):
    text = csv_text([row(1, **{column: value})], [*MINIMAL, column])
    preview = import_programs(text=text, dry_run=True)
    assert [e.message for e in preview.errors] == [message]
    assert [e.message for e in import_programs(text=text).errors] == [message]
    assert not Program.objects.exists()


@pytest.mark.parametrize(("cell", "stored"), [("true", True), ("FALSE", False), ("", False)])
def test_flags_read_true_or_false_and_default_to_false(specialty, cell, stored):
    columns = [*MINIMAL, "website", "website_doubted"]
    text = csv_text([row(1, website="https://example.org", website_doubted=cell)], columns)
    assert import_programs(text=text).ok
    assert Program.objects.get().website_doubted is stored


def test_a_flag_that_is_not_true_or_false_is_explained(specialty):
    columns = [*MINIMAL, "website_doubted"]
    result = import_programs(text=csv_text([row(1, website_doubted="maybe")], columns))
    assert [e.message for e in result.errors] == [
        "website_doubted: 'maybe' is not one of: true, false"
    ]


def test_a_value_refused_on_one_row_is_refused_on_every_row_that_holds_it(specialty):
    """A field's check of a value is made once per chunk: the rows after the first with the
    same value are refused as the first is."""
    columns = [*MINIMAL, "website", "zip_code"]
    rows = [
        row(1, website="not an address", zip_code="02114"),
        row(2, website="https://example.org/generated", zip_code="02114"),
        row(3, website="not an address", zip_code="ABCDE"),
    ]
    result = import_programs(text=csv_text(rows, columns))
    assert [(e.line, e.message) for e in result.errors] == [
        (2, "website: Enter a valid URL."),
        (4, "website: Enter a valid URL."),
        (4, "zip_code: A ZIP code reads 12345 or 12345-6789."),
    ]


def test_a_check_resting_on_the_2016_scrape_is_refused_in_a_file(specialty):
    columns = [*MINIMAL, "visa_source_label", "visa_verified_on"]
    text = csv_text(
        [row(1, visa_source_label="FREIDA, 2016", visa_verified_on="2026-11-01")], columns
    )
    (error,) = import_programs(text=text, dry_run=True).errors
    assert error.message.startswith("visa_verified_on: A curator's check needs the current source")


def test_a_new_sponsor_is_checked_before_it_is_created(specialty):
    result = import_programs(
        text=csv_text(
            [row(1, sponsor_code="12345"), row(2, sponsor_code="990002", sponsor_name="")]
        )
    )
    assert [str(e) for e in result.errors] == [
        "line 2 (6409900001): sponsor_code: An ACGME sponsor code is six digits.",
        "line 3 (6409900002): sponsor_code '990002' is new; give its sponsor_name to create it",
    ]


cells = {
    "zip_code": st.sampled_from(["", "02114", "02114-2621", "ABCDE", "0211"]),
    "length_years": st.sampled_from(["", "0", "3", "11", "x"]),
    "step2_policy": st.sampled_from(["", "hard", "preferred", "none", "maybe"]),
    "step2_minimum": st.sampled_from(["", "0", "220", "301"]),
    "comlex_accepted": st.sampled_from(["", "yes", "no"]),
    "comlex_minimum": st.sampled_from(["", "8", "450", "1000"]),
    "graduation_policy": st.sampled_from(["", "limit", "none"]),
    "max_years_since_graduation": st.sampled_from(["", "5", "61"]),
    "usce_policy": st.sampled_from(["", "required", "preferred", "not_required"]),
    "usce_months": st.sampled_from(["", "0", "3", "61"]),
    "sponsors_j1": st.sampled_from(["", "yes", "no"]),
    "sponsors_h1b": st.sampled_from(["", "yes", "no"]),
    "accepts_imgs": st.sampled_from(["", "yes", "no"]),
    "h1b_note": st.sampled_from(["", "Step 3 by April"]),
    "originally_accredited_on": st.sampled_from(["", "2001-07-01", "2020-07-01"]),
    "accreditation_effective_on": st.sampled_from(["", "2010-07-01"]),
    "name": st.sampled_from(["Generated Program", "  ", "Generated \x00"]),
    "accepts_imgs_inferred": st.sampled_from(["", "true", "false"]),
    "step2_minimum_doubted": st.sampled_from(["", "true"]),
    "visa_source_label": st.sampled_from(["", "FREIDA, 2016", "Generated website"]),
    "visa_verified_on": st.sampled_from(["", "2026-11-01"]),
}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=st.fixed_dictionaries(cells))
def test_a_file_that_previews_clean_applies_clean(specialty, values):
    text = csv_text([row(1, **values)], [*MINIMAL, *cells])
    preview = import_programs(text=text, dry_run=True)
    applied = import_programs(text=text)
    assert [str(e) for e in applied.errors] == [str(e) for e in preview.errors]
    assert Program.objects.exists() == preview.ok
    Program.objects.all().delete()


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
            accepts_imgs_inferred=True,
            visa_as_of="2016-02-28",
        ),
        ProgramFactory(
            h1b_note="+Generated note",
            zip_code="02114-2621",
            step2_policy=ScorePolicy.HARD,
            step2_minimum=150,
            step2_minimum_doubted=True,
        ),
    ]
    programs = list(Program.objects.select_related("specialty", "sponsor"))
    result = import_programs(text=exported(programs))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def _stored(model, *, leave_out: tuple[str, ...]) -> list[dict]:
    """Every row of ``model``'s table as the database holds it, generated and search
    columns included, in the order of its first column left in."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in leave_out]
    return list(model._base_manager.order_by(*names[:1]).values(*names))


def test_new_programs_and_sponsors_are_stored_as_saving_them_would_store_them():
    """New rows take another path (COPY on PostgreSQL): what the table, the stored steps,
    the search columns and the history hold must be what saving each program does."""
    for n, values in enumerate(
        [
            {"sponsors_j1": Tri.YES, "accepts_imgs": Tri.YES, "accepts_imgs_inferred": True},
            {"step2_policy": ScorePolicy.HARD, "step2_minimum": 220, "zip_code": "02114-2621"},
            {"address": "1 Generated Way\nSuite 2", "h1b_note": "+Generated note"},
            {"visa_source_label": "Generated", "visa_verified_on": datetime.date(2024, 1, 2)},
        ]
    ):
        ProgramFactory(
            sponsor=SponsorFactory(code=f"99000{n}", name=f"Generated Sponsor {n}", city=""),
            website=f"https://example.org/generated-{n}",
            **values,
        )
    history = Program.history.model
    # The sponsors are made anew, under new keys.
    leave_out = ("id", "sponsor_id", "created_at", "updated_at")
    history_leave_out = (*leave_out, "history_id", "history_date", "history_change_reason")
    sponsors = Program.objects.order_by("acgme_id").values_list("acgme_id", "sponsor__code")
    saved = [
        _stored(Program, leave_out=leave_out),
        _stored(history, leave_out=history_leave_out),
        list(sponsors),
    ]
    text = exported(list(Program.objects.select_related("specialty", "sponsor")))
    Program.objects.all().delete()
    Sponsor.objects.all().delete()
    history.objects.all().delete()

    result = import_programs(text=text, change_reason="Generated batch")

    assert (result.created, result.sponsors_created) == (4, 4)
    assert [
        _stored(Program, leave_out=leave_out),
        _stored(history, leave_out=history_leave_out),
        list(sponsors),
    ] == saved
    assert list(
        Sponsor.history.filter(history_change_reason="Generated batch")
        .order_by("code")
        .values_list("code", "name", "history_type")
    ) == [(f"99000{n}", f"Generated Sponsor {n}", "+") for n in range(4)]


def test_import_records_history_with_user_and_reason(specialty, django_user_model):
    user = django_user_model.objects.create_user("generated-importer", password="x-long-enough-1")
    import_programs(text=csv_text([row(1)]), user=user, change_reason="Generated batch")
    import_programs(
        text=csv_text([row(1, name="Generated Program renamed", **LISTING_SOURCE)], SOURCED),
        user=user,
        change_reason="Generated fix",
    )
    history = Program.objects.get(acgme_id="6409900001").history.order_by("history_date")
    assert [(h.history_type, h.history_user, h.history_change_reason) for h in history] == [
        ("+", user, "Generated batch"),
        ("~", user, "Generated fix"),
    ]


def test_existing_sponsor_is_used_not_renamed(specialty):
    sponsor = SponsorFactory(code="990001", name="Generated Sponsor kept")
    import_programs(text=csv_text([row(1)]))
    sponsor.refresh_from_db()
    assert sponsor.name == "Generated Sponsor kept"
    assert Program.objects.get().sponsor == sponsor


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
    assert "line 4 (6409900003): name: This field cannot be blank." in err.getvalue()
    assert not Program.objects.exists()


# The shipped FAQ entries and guides ---------------------------------------------------


def test_shipped_content_loads_with_sources_and_dates():
    results = load_content()
    assert len(results["guides"].created) == Guide.objects.count() == 7
    assert len(results["faq"].created) == FaqEntry.objects.count() >= 11
    for entry in FaqEntry.objects.all():
        assert entry.is_published
        assert datetime.date(2026, 11, 24) <= entry.last_reviewed_on <= datetime.date(2026, 12, 3)
        assert entry.source_label
        if entry.topic != FaqTopic.THIS_SITE:
            assert entry.source_url.startswith("https://")
    for guide in Guide.objects.all():
        assert guide.is_published
        assert datetime.date(2026, 11, 24) <= guide.last_reviewed_on <= datetime.date(2026, 12, 3)
        assert "](https://" in guide.sources
    assert {t for t in FaqEntry.objects.values_list("topic", flat=True)} == set(FaqTopic.values)


def test_every_shipped_guide_reads_with_a_table_of_contents(client):
    load_content()
    for guide in Guide.objects.all():
        html = client.get(guide.get_absolute_url()).content.decode()
        assert 'aria-labelledby="toc-heading"' in html, guide.slug


def test_load_content_is_idempotent_and_keeps_curator_edits():
    load_content()
    entry = FaqEntry.objects.get(slug="program-signals")
    entry.answer = "Generated curator edit."
    entry.save()
    guide = Guide.objects.get(slug="costs-of-applying")
    guide.is_published = False
    guide.save()
    counts = (FaqEntry.objects.count(), Guide.objects.count())

    results = load_content()

    assert results["faq"].created == results["guides"].created == []
    assert (FaqEntry.objects.count(), Guide.objects.count()) == counts
    assert FaqEntry.objects.get(slug="program-signals").answer == "Generated curator edit."
    assert not Guide.objects.get(slug="costs-of-applying").is_published


def test_load_content_update_overwrites_edits():
    load_content()
    FaqEntry.objects.filter(slug="program-signals").update(answer="Generated curator edit.")
    out = StringIO()
    call_command("load_content", "--update", stdout=out)
    assert FaqEntry.objects.get(slug="program-signals").answer != "Generated curator edit."
    assert "updated" in out.getvalue()


def test_load_content_dry_run_saves_nothing():
    call_command("load_content", "--dry-run", stdout=StringIO())
    assert not FaqEntry.objects.exists()
    assert not Guide.objects.exists()


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_load_content_rejects_a_bad_file_with_a_clear_message(tmp_path):
    (tmp_path / "guides").mkdir()
    write(
        tmp_path / "faq" / "generated-bad.md",
        '+++\nquestion = "Generated?"\ntopic = "no-such-topic"\n+++\nAnswer.\n',
    )
    with pytest.raises(CommandError, match="generated-bad.md"):
        call_command("load_content", "--directory", str(tmp_path), stdout=StringIO())
    assert not FaqEntry.objects.exists()


def test_load_content_rejects_missing_front_matter_and_unknown_guides(tmp_path):
    (tmp_path / "guides").mkdir()
    write(tmp_path / "faq" / "generated-plain.md", "Just text.\n")
    with pytest.raises(CommandError, match="front matter"):
        call_command("load_content", "--directory", str(tmp_path), stdout=StringIO())
    (tmp_path / "faq" / "generated-plain.md").unlink()
    write(
        tmp_path / "faq" / "generated-link.md",
        '+++\nquestion = "Generated?"\ntopic = "visas"\nrelated_guides = ["nope"]\n+++\nA.\n',
    )
    with pytest.raises(CommandError, match="nope"):
        call_command("load_content", "--directory", str(tmp_path), stdout=StringIO())


def test_shipped_directory_is_where_the_loader_looks():
    assert (CONTENT_DIR / "faq").is_dir() and (CONTENT_DIR / "guides").is_dir()


def test_a_changed_value_without_a_new_source_is_refused_and_nothing_changes(specialty):
    import_programs(text=csv_text([row(1, **LISTING_SOURCE)], SOURCED))
    # Same source, same date: the old source would be made to say the new name.
    result = import_programs(
        text=csv_text([row(1, name="Generated Program renamed", **LISTING_SOURCE)], SOURCED)
    )
    assert [str(e) for e in result.errors] == [
        "line 2 (6409900001): listing_as_of: ACGME listing changed (Name), but its source and "
        "date did not: give the source that says the new value and the date it says it "
        "(Generated ACGME listing, 2026 stays in the history)."
    ]
    assert Program.objects.get().name == "Generated Program 1"


def test_a_changed_value_needs_a_dated_source_with_an_address_or_a_statement(specialty):
    import_programs(text=csv_text([row(1)]))
    unsourced = import_programs(text=csv_text([row(1, name="Generated Program renamed")]))
    assert [e.message for e in unsourced.errors] == [
        "listing_source_label: ACGME listing changed (Name): name the source that says the new "
        "value (a website, a document, or “Program statement”).",
        "listing_as_of: ACGME listing changed (Name): give the date the source says it.",
    ]
    statement = {"listing_source_label": "Program statement", "listing_as_of": "2026-11-30"}
    columns = [*MINIMAL, "listing_source_label", "listing_as_of"]
    result = import_programs(
        text=csv_text([row(1, name="Generated Program renamed", **statement)], columns)
    )
    assert not result.errors and result.updated == 1
    program = Program.objects.get()
    assert (program.name, program.listing_source_label) == (
        "Generated Program renamed",
        "Program statement",
    )
    # The old value and its (empty) source stay in the history.
    assert program.history.earliest("history_date").name == "Generated Program 1"


def test_an_archived_source_cannot_say_a_new_value(specialty):
    import_programs(text=csv_text([row(1)]))
    archived = {"listing_source_label": "FREIDA, 2016", "listing_as_of": "2016-02-28"}
    columns = [*MINIMAL, "listing_source_label", "listing_as_of"]
    result = import_programs(
        text=csv_text([row(1, name="Generated Program renamed", **archived)], columns)
    )
    assert "cannot be the source of a new value" in result.errors[0].message
