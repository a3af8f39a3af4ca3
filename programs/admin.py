"""The curator admin: every model of the directory, with history on each change.

Curators (staff in the Curators group) edit listings, IMG facts, dates, statistics, FAQ and
guides here; the Curators group's permissions come from migration 0002.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models.functions import Lower
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from programs import services
from programs.admin_import import CsvImportAdminMixin
from programs.choices import is_archived_source
from programs.facts import (
    FACT_GROUPS,
    RELATED,
    FactGroupDefinition,
    changed_groups,
    fact_values,
    unsourced_changes,
)
from programs.freshness import stale_period
from programs.models import (
    ARCHIVED_SOURCE_MESSAGE,
    ChartingOutcome,
    DoubtedProgram,
    EventKind,
    FactGroup,
    FaqEntry,
    Fee,
    FeeBand,
    Guide,
    Match,
    MatchEvent,
    NrmpTrack,
    OutdatedReport,
    Program,
    ProgramMatchResult,
    ProgramPositions,
    ProgramSeasonDates,
    ReportStatus,
    Season,
    SignalAllowance,
    Specialty,
    SpecialtyApplicationService,
    SpecialtyMatch,
    SpecialtyStatistic,
    Sponsor,
    SponsorH1bFilings,
)

# Forms here only label and lay out fields: every rule lives on its model (programs.rules)
# and reaches the form through full_clean, on the field it is about.


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


class LineBreakTextField(forms.CharField):
    """Browsers post line breaks as CRLF; keep LF as stored, so saving an untouched form
    changes nothing and adds no noise to the history."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


TEXT_AS_STORED = {models.TextField: {"form_class": LineBreakTextField}}


class CuratedAdmin(SimpleHistoryAdmin):
    """Every directory model: history on each change, text kept as stored."""

    formfield_overrides = TEXT_AS_STORED


# Programs ------------------------------------------------------------------------------


class VerificationAgeFilter(admin.SimpleListFilter):
    title = "curator's check"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        period = stale_period()
        return [
            ("recent", f"Checked in the last {period}"),
            ("stale", f"Checked over {period} ago"),
            ("never", "Never checked"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "recent":
                return queryset.recently_verified()
            case "stale":
                return queryset.verified_long_ago()
            case "never":
                return queryset.never_verified()
        return queryset


def _fact_fieldset(definition: FactGroupDefinition):
    label, url, as_of, verified_on = definition.source_fields
    fields = [*definition.layout, (label, url), (as_of, verified_on)]
    options = {"fields": fields}
    if definition is FACT_GROUPS[0]:
        options["description"] = (
            "Each group below records where its facts come from, when that source published "
            "them (“as of”) and the day you last checked them against it. Checking means "
            "naming the current source you checked against: the 2016 FREIDA scrape and the "
            "2021–22 ACGME listing are kept for the record, and cannot be it. Leave a fact as "
            "“Not reported” when the program does not publish it; “No” means the program says "
            "no. Tick “doubted” for a value that looks wrong: it is shown as being checked and "
            "never decides whether an applicant fits."
        )
    return (definition.title, options)


class DoubtFilter(admin.SimpleListFilter):
    title = "doubted facts"
    parameter_name = "doubted"

    def lookups(self, request, model_admin):
        return [(field, label) for field, label in DOUBTS.items()]

    def queryset(self, request, queryset):
        if self.value() in DOUBTS:
            return queryset.filter(**{self.value(): True})
        return queryset


DOUBTS = {
    "step2_minimum_doubted": "Step 2 CK minimum",
    "visa_answers_doubted": "Visa answers",
    "website_doubted": "Website",
}


# Stacked, not tabular: Django's tabular inlines give their fields no labels, which screen
# readers need (axe-core: "Form elements must have labels").


class NrmpTrackInline(admin.StackedInline):
    model = NrmpTrack
    extra = 0
    fields = ("code", "track_name", "match_rule", "source_label")
    verbose_name_plural = "NRMP codes"


class ProgramSeasonDatesInline(admin.StackedInline):
    model = ProgramSeasonDates
    extra = 1
    verbose_name = "dates for a season"
    verbose_name_plural = "Dates per season"
    fields = (
        "season",
        "applications_open",
        "application_deadline",
        "interviews_start",
        "interviews_end",
        "takes_signals",
        "source_label",
        "source_url",
        "verified_on",
    )


class ProgramAdminForm(forms.ModelForm):
    """A program as curators edit it: a changed fact needs the source that says it and the
    date it says it (``programs.facts.unsourced_changes``); a new program needs them for
    every group it fills in."""

    def clean(self):
        data = super().clean()
        old = fact_values(self.instance if self.instance.pk else Program())
        new = {**old, **{name: data[name] for name in old if name in data}}
        for name in RELATED:
            new[name] = getattr(data.get(name), "pk", None)
        problems = unsourced_changes(old, new)
        for name, message in problems.items():
            if name not in self.errors:
                self.add_error(name, message)
        if not problems:
            # The curator who gives a changed fact its source has checked it against it.
            for definition, _changed in changed_groups(old, new):
                checked = definition.source_fields[3]
                if checked in data and data[checked] == old[checked]:
                    data[checked] = timezone.localdate()
        return data


@admin.register(Program)
class ProgramAdmin(CsvImportAdminMixin, CuratedAdmin):
    form = ProgramAdminForm
    list_display = (
        "acgme_id",
        "name",
        "specialty",
        "state_code",
        "last_verified_on",
        "verification",
    )
    list_display_links = ("acgme_id", "name")
    list_select_related = ("specialty",)
    list_filter = (
        VerificationAgeFilter,
        DoubtFilter,
        "specialty__level",
        "specialty",
        "state",
        "setting",
        "sponsors_j1",
        "sponsors_h1b",
        "accepts_imgs",
        ("is_withdrawn", admin.BooleanFieldListFilter),
    )
    search_fields = ("name", "acgme_id", "city", "sponsor__name", "specialty__name")
    search_help_text = "Search by program name, ACGME ID, city, sponsor or specialty."
    autocomplete_fields = ("specialty", "sponsor")
    readonly_fields = ("last_verified_on", "verification_status", "created_at", "updated_at")
    inlines = (ProgramSeasonDatesInline, NrmpTrackInline)
    actions = ("record_check",)
    fieldsets = (
        *(_fact_fieldset(definition) for definition in FACT_GROUPS),
        (
            "Verification",
            {
                "fields": (
                    "verification_status",
                    "last_verified_on",
                    ("created_at", "updated_at"),
                ),
                "description": (
                    "The last check is the newest curator's check of the groups above; "
                    "programs no curator has checked within the period are flagged."
                ),
            },
        ),
    )

    @admin.display(description="state", ordering="state")
    def state_code(self, program):
        return program.state

    @admin.display(description="Verification")
    def verification(self, program):
        if program.last_verified_on is None:
            return format_html('<span class="verification-stale">{}</span>', "Never checked")
        if program.is_stale():
            return format_html(
                '<span class="verification-stale">Not checked for over {}</span>', stale_period()
            )
        return f"Checked within {stale_period()}"

    @admin.display(description="Verification status")
    def verification_status(self, program):
        if program is None or program.pk is None:
            return "Not saved yet."
        if program.last_verified_on is None:
            return self.verification(program)
        return format_html(
            "{} (last checked {})",
            self.verification(program),
            program.last_verified_on.isoformat(),
        )

    @admin.action(description="Record a check of these programs…", permissions=["change"])
    def record_check(self, request, queryset):
        """Asks which fact groups were checked and against what source, shows the programs,
        and records the check only once the curator confirms."""
        form = CheckForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            try:
                checked = services.record_check(
                    programs=queryset.select_related("specialty", "sponsor"),
                    groups=form.cleaned_data["groups"],
                    source_label=form.cleaned_data["source_label"],
                    source_url=form.cleaned_data["source_url"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                for program in checked:
                    self.log_change(request, program, program._change_reason)
                self.message_user(
                    request,
                    f"Recorded the check of {_plural(len(checked), 'program', 'programs')}.",
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Record a curator's check",
            "opts": self.model._meta,
            "form": form,
            "programs": queryset.select_related("specialty")[:CHECK_LIST_LIMIT],
            "count": queryset.count(),
            "limit": CHECK_LIST_LIMIT,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/programs/program/record_check.html", context)


CHECK_LIST_LIMIT = 200


class CheckForm(forms.Form):
    groups = forms.TypedMultipleChoiceField(
        label="Fact groups you checked",
        choices=FactGroup.choices,
        coerce=FactGroup,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only the groups you compared with the source, fact by fact.",
    )
    source_label = forms.CharField(
        label="Checked against",
        max_length=200,
        help_text="e.g. “Program website” or “ACGME ADS, 2026”.",
    )
    source_url = forms.URLField(
        label="Source URL",
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="The page you checked, when there is one.",
    )

    def clean_source_label(self):
        label = self.cleaned_data["source_label"].strip()
        if is_archived_source(label):
            raise forms.ValidationError(ARCHIVED_SOURCE_MESSAGE)
        return label


@admin.register(DoubtedProgram)
class DoubtedProgramAdmin(admin.ModelAdmin):
    """The curators' review list: reported values that look wrong. Each stays "being checked"
    on the site until a curator corrects or confirms it and unticks its doubt."""

    list_display = ("program_link", "doubts", "specialty", "state")
    list_filter = (DoubtFilter, "specialty__level", "state")
    list_select_related = ("specialty",)
    search_fields = ("name", "acgme_id", "sponsor__name")

    def get_queryset(self, request):
        return super().get_queryset(request).doubted()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="program", ordering=Lower("name"))
    def program_link(self, program):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:programs_program_change", args=[program.pk]),
            program,
        )

    @admin.display(description="what looks wrong")
    def doubts(self, program):
        reported = {
            "step2_minimum_doubted": f"Step 2 CK minimum {program.step2_minimum}",
            "visa_answers_doubted": (
                f"J-1 {program.sponsors_j1}, H-1B {program.sponsors_h1b}"
                " (likely unanswered in 2016)"
            ),
            "website_doubted": f"website {program.website} (domain gone)",
        }
        return "; ".join(text for field, text in reported.items() if getattr(program, field))


# The directory's reference data ------------------------------------------------------


@admin.register(Specialty)
class SpecialtyAdmin(CuratedAdmin):
    list_display = ("name", "code", "level", "parent", "program_count")
    list_filter = ("level",)
    list_select_related = ("parent",)
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).with_program_count(include_withdrawn=True)

    @admin.display(description="programs", ordering="program_count")
    def program_count(self, specialty):
        return specialty.program_count


@admin.register(Sponsor)
class SponsorAdmin(CuratedAdmin):
    list_display = ("name", "code", "city", "state", "program_count")
    list_filter = ("state",)
    search_fields = ("name", "code", "city")

    def get_queryset(self, request):
        return super().get_queryset(request).with_program_count(include_withdrawn=True)

    @admin.display(description="programs", ordering="program_count")
    def program_count(self, sponsor):
        return sponsor.program_count


class MatchEventInline(admin.TabularInline):
    model = MatchEvent
    extra = 0
    fields = ("match", "service", "specialty", "kind", "detail", "date", "status", "checked_on")
    autocomplete_fields = ("specialty",)
    show_change_link = True


@admin.register(Season)
class SeasonAdmin(CuratedAdmin):
    list_display = ("name", "match_year", "is_current", "confirmed_dates")
    fieldsets = (
        (None, {"fields": (("name", "match_year"), "is_current")}),
        ("Source", {"fields": (("source_label", "source_url"), "notes")}),
    )
    inlines = [MatchEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_event_counts()

    @admin.display(description="confirmed dates")
    def confirmed_dates(self, season):
        return f"{season.confirmed_events} of {season.event_count}"


@admin.register(Match)
class MatchAdmin(CuratedAdmin):
    list_display = ("name", "kind", "source_label")
    fields = (("name", "short_name"), "kind", "runs", ("source_label", "source_url"))


@admin.register(EventKind)
class EventKindAdmin(CuratedAdmin):
    list_display = ("name", "slug", "position")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(MatchEvent)
class MatchEventAdmin(CuratedAdmin):
    list_display = ("__str__", "date", "status", "checked_on", "source_label")
    list_filter = ("season", "match", "service", "status", "kind")
    list_select_related = ("season", "match", "kind", "specialty")
    search_fields = ("kind__name", "detail", "source_label", "specialty__name")
    autocomplete_fields = ("specialty",)
    date_hierarchy = "date"
    fieldsets = (
        (None, {"fields": ("season", ("match", "service"), "specialty")}),
        ("The date", {"fields": (("kind", "detail"), ("date", "end_date"), "notes")}),
        (
            "Source",
            {
                "fields": (("status", "checked_on"), ("source_label", "source_url")),
                "description": (
                    "Confirm a date only once it matches the named source, with the day you "
                    "checked; until then it shows as projected (and, without a date, as not "
                    "published yet)."
                ),
            },
        ),
    )


@admin.register(SpecialtyMatch)
class SpecialtyMatchAdmin(CuratedAdmin):
    list_display = ("specialty", "match", "first_match_year", "source_label")
    list_filter = ("match", "first_match_year")
    list_select_related = ("specialty", "match")
    search_fields = ("specialty__name", "specialty__code")
    autocomplete_fields = ("specialty",)


@admin.register(ProgramSeasonDates)
class ProgramSeasonDatesAdmin(CuratedAdmin):
    list_display = (
        "program",
        "season",
        "applications_open",
        "application_deadline",
        "interviews_start",
        "interviews_end",
        "takes_signals",
        "verified_on",
    )
    list_filter = ("season", "takes_signals")
    list_select_related = ("program", "season")
    search_fields = ("program__name", "program__acgme_id")
    autocomplete_fields = ("program",)
    date_hierarchy = "application_deadline"


@admin.register(SpecialtyApplicationService)
class SpecialtyApplicationServiceAdmin(CuratedAdmin):
    list_display = ("specialty", "service", "first_match_year", "source_label")
    list_filter = ("service", "first_match_year")
    list_select_related = ("specialty",)
    search_fields = ("specialty__name", "specialty__code")
    autocomplete_fields = ("specialty",)


class FeeBandFormSet(forms.BaseInlineFormSet):
    """Bands follow one another: each starts after the one before it ends."""

    def clean(self):
        super().clean()
        bands = sorted(
            (form.cleaned_data["first"], form.cleaned_data.get("last"))
            for form in self.forms
            if form.cleaned_data.get("first") and not form.cleaned_data.get("DELETE")
        )
        for (_first, last), (after, _last) in zip(bands, bands[1:], strict=False):
            if last is None or after <= last:
                raise ValidationError(
                    "Bands must not overlap: each starts after the one before it ends."
                )


class FeeBandInline(admin.StackedInline):
    model = FeeBand
    formset = FeeBandFormSet
    extra = 1


@admin.register(Fee)
class FeeAdmin(CuratedAdmin):
    list_display = ("kind", "specialty", "season", "bands_text", "confirmed", "source_label")
    list_filter = ("season", "kind", "confirmed")
    list_select_related = ("season", "specialty")
    autocomplete_fields = ("specialty",)
    inlines = [FeeBandInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bands")

    @admin.display(description="bands")
    def bands_text(self, fee):
        return "; ".join(str(band) for band in fee.bands.all())


@admin.register(SignalAllowance)
class SignalAllowanceAdmin(CuratedAdmin):
    list_display = (
        "specialty",
        "season",
        "counts_text",
        "published_for",
        "confirmed",
        "source_label",
    )
    list_filter = ("season", "confirmed", "published_for")
    list_select_related = ("season", "specialty")
    search_fields = ("specialty__name", "specialty__code")
    autocomplete_fields = ("specialty",)
    fieldsets = (
        (None, {"fields": ("season", "specialty")}),
        ("Signals", {"fields": (("signals", "gold", "silver"),)}),
        (
            "Source",
            {
                "fields": (
                    ("published_for", "confirmed"),
                    ("source_label", "source_url"),
                    "as_of",
                    "notes",
                )
            },
        ),
    )

    @admin.display(description="signals")
    def counts_text(self, allowance):
        return allowance.counts_text


@admin.register(NrmpTrack)
class NrmpTrackAdmin(CuratedAdmin):
    list_display = ("code", "program", "track_name", "match_rule")
    list_select_related = ("program",)
    search_fields = ("code", "program__name", "program__acgme_id", "track_name")
    autocomplete_fields = ("program",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records curators read here and change elsewhere: those joined from public data at each
    build (corrected through the build's reviewed tables), and others' records."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgramMatchResult)
class ProgramMatchResultAdmin(ReadOnlyAdmin):
    list_display = ("nrmp_code", "program", "year", "positions_offered", "matched")
    list_filter = ("year",)
    list_select_related = ("program",)
    search_fields = ("nrmp_code", "program__name", "program__acgme_id")


@admin.register(ProgramPositions)
class ProgramPositionsAdmin(ReadOnlyAdmin):
    list_display = ("program", "as_of", "approved", "filled")
    list_select_related = ("program",)
    search_fields = ("program__name", "program__acgme_id")


@admin.register(SponsorH1bFilings)
class SponsorH1bFilingsAdmin(ReadOnlyAdmin):
    list_display = ("sponsor", "filings", "wage_from", "wage_to", "period")
    list_select_related = ("sponsor",)
    search_fields = ("sponsor__name", "employers")


@admin.register(ChartingOutcome)
class ChartingOutcomeAdmin(ReadOnlyAdmin):
    list_display = ("nrmp_specialty", "applicant_group", "year", "step2_median", "match_rate")
    list_filter = ("applicant_group", "year")
    search_fields = ("nrmp_specialty",)


@admin.register(SpecialtyStatistic)
class SpecialtyStatisticAdmin(CuratedAdmin):
    list_display = (
        "nrmp_specialty",
        "year",
        "specialty",
        "positions_offered",
        "percent_filled",
        "matched_total",
        "matched_non_us_img",
    )
    list_filter = ("year",)
    list_select_related = ("specialty",)
    search_fields = ("nrmp_specialty",)
    autocomplete_fields = ("specialty",)
    fieldsets = (
        (None, {"fields": (("nrmp_specialty", "year"), "specialty")}),
        (
            "Positions",
            {
                "fields": (
                    ("programs", "positions_offered"),
                    ("percent_filled", "unfilled_positions"),
                )
            },
        ),
        (
            "Matched applicants",
            {
                "fields": (
                    "matched_total",
                    ("matched_us_md", "matched_us_do"),
                    ("matched_us_img", "matched_non_us_img"),
                )
            },
        ),
        ("Step 2 CK", {"fields": (("step2_median_us_md", "step2_median_non_us_img"),)}),
        ("Source", {"fields": (("source_label", "source_url"),)}),
    )


# Content -------------------------------------------------------------------------------


@admin.register(FaqEntry)
class FaqEntryAdmin(CuratedAdmin):
    list_display = ("question", "topic", "order", "is_published", "last_reviewed_on")
    list_editable = ("order", "is_published")
    list_filter = ("topic", "is_published")
    search_fields = ("question", "answer")
    prepopulated_fields = {"slug": ("question",)}
    autocomplete_fields = ("specialty", "program", "related_guides")
    fieldsets = (
        (None, {"fields": ("question", "slug", "answer", ("topic", "order"), "is_published")}),
        ("Related", {"fields": ("specialty", "program", "related_guides")}),
        ("Review", {"fields": ("last_reviewed_on", ("source_label", "source_url"))}),
    )


@admin.register(Guide)
class GuideAdmin(CuratedAdmin):
    list_display = ("title", "order", "is_published", "last_reviewed_on")
    list_editable = ("order", "is_published")
    list_filter = ("is_published",)
    search_fields = ("title", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body", ("order", "is_published"))}),
        ("Review", {"fields": ("last_reviewed_on", "sources")}),
    )


# Readers' reports ----------------------------------------------------------------------


@admin.register(OutdatedReport)
class OutdatedReportAdmin(admin.ModelAdmin):
    """The review queue for readers' reports: newest first, closed as fixed or dismissed."""

    formfield_overrides = TEXT_AS_STORED

    list_display = ("created_at", "program_link", "excerpt", "status", "reviewed_at")
    list_display_links = ("created_at",)
    list_filter = ("status",)
    list_select_related = ("program",)
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ("program__name", "program__acgme_id", "message")
    ordering = ("-created_at",)
    fields = (
        "program_link",
        "message",
        "email",
        "created_at",
        "status",
        "reviewer_note",
        "reviewed_at",
    )
    readonly_fields = ("program_link", "message", "email", "created_at", "reviewed_at")
    actions = ("mark_fixed", "dismiss")

    def has_add_permission(self, request):
        # Reports come from readers on the program pages.
        return False

    def changelist_view(self, request, extra_context=None):
        new = OutdatedReport.objects.awaiting_review().count()
        extra_context = {
            "title": f"Reports from readers: {new} new",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.reviewed_at = None if obj.status == ReportStatus.NEW else timezone.now()
        super().save_model(request, obj, form, change)

    @admin.display(description="program", ordering="program__name")
    def program_link(self, report):
        program = report.program
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">public page</a>)',
            reverse("admin:programs_program_change", args=[program.pk]),
            program,
            program.get_absolute_url(),
        )

    @admin.display(description="message")
    def excerpt(self, report):
        text = " ".join(report.message.split())
        return text if len(text) <= 120 else text[:119] + "…"

    @admin.action(description="Mark fixed", permissions=["change"])
    def mark_fixed(self, request, queryset):
        closed = services.close_reports(reports=queryset, status=ReportStatus.FIXED)
        self.message_user(request, f"Marked {_plural(closed, 'report', 'reports')} fixed.")

    @admin.action(description="Dismiss", permissions=["change"])
    def dismiss(self, request, queryset):
        closed = services.close_reports(reports=queryset, status=ReportStatus.DISMISSED)
        self.message_user(request, f"Dismissed {_plural(closed, 'report', 'reports')}.")


# A newer ACGME listing, reviewed as a diff before it is applied (programs/admin_listing_update.py).
from programs.admin_listing_update import ListingUpdateAdminMixin  # noqa: E402

admin.site.unregister(Program)


@admin.register(Program)
class ProgramAdmin(ListingUpdateAdminMixin, ProgramAdmin):  # noqa: F811
    pass
