"""The curator admin: every model of the directory, with history on each change.

Curators (staff in the Curators group) edit listings, IMG facts, dates, statistics, FAQ and
guides here; the Curators group's permissions come from migration 0002.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from programs import services
from programs.admin_import import CsvImportAdminMixin
from programs.models import (
    ExperiencePolicy,
    FactGroup,
    FaqEntry,
    GraduationPolicy,
    Guide,
    Level,
    OutdatedReport,
    Program,
    ProgramSeasonDates,
    ReportStatus,
    ScorePolicy,
    Season,
    SeasonEvent,
    Specialty,
    SpecialtyStatistic,
    Sponsor,
    Tri,
)


def stale_period() -> str:
    """STALE_AFTER_DAYS in words: "12 months" for a year, otherwise in days."""
    days = settings.STALE_AFTER_DAYS
    if days % 365 == 0:
        return f"{days // 365 * 12} months"
    return f"{days} days"


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
    title = "verification age"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        period = stale_period()
        return [
            ("recent", f"Verified in the last {period}"),
            ("stale", f"Verified over {period} ago"),
            ("never", "Never verified"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "recent":
                return queryset.recently_verified()
            case "stale":
                return queryset.stale().filter(last_verified_on__isnull=False)
            case "never":
                return queryset.filter(last_verified_on__isnull=True)
        return queryset


FACT_FIELDS = {
    FactGroup.OVERVIEW: [
        "website",
        "setting",
        ("year1_positions", "required_letters"),
        "participates_in_eras",
    ],
    FactGroup.VISA: ["accepts_imgs", ("sponsors_j1", "sponsors_h1b"), "h1b_note"],
    FactGroup.SCORES: [("step2_policy", "step2_minimum"), ("comlex_accepted", "comlex_minimum")],
    FactGroup.ELIGIBILITY: [
        ("graduation_policy", "max_years_since_graduation"),
        ("usce_policy", "usce_months"),
        "ecfmg_certified_by",
    ],
}


def _fact_fieldset(group: FactGroup):
    fields = [
        *FACT_FIELDS[group],
        (f"{group}_source_label", f"{group}_source_url"),
        f"{group}_verified_on",
    ]
    options = {"fields": fields}
    if group == FactGroup.OVERVIEW:
        options["description"] = (
            "Each group below records where its facts come from and the date you last checked "
            "them against that source. Leave a fact as “Not reported” when the program does "
            "not publish it; “No” means the program says no."
        )
    return (group.label, options)


# The admin forms below name no model or fields: the ModelAdmin that uses each one supplies
# them. They only turn what the database's constraints would refuse into clear messages.


class ProgramAdminForm(forms.ModelForm):
    """Explains, field by field, the combinations the database refuses."""

    def clean(self):
        data = super().clean()
        self._check_policy_number(
            "step2_policy",
            "step2_minimum",
            needs_number=(ScorePolicy.HARD, ScorePolicy.PREFERRED),
            allows_number=(),
            missing="Give the Step 2 CK score for a cutoff or a preferred minimum.",
            unexpected="A Step 2 CK score only goes with a hard cutoff or a preferred minimum.",
        )
        self._check_policy_number(
            "graduation_policy",
            "max_years_since_graduation",
            needs_number=(GraduationPolicy.LIMIT,),
            allows_number=(),
            missing="Give the number of years for a graduation limit.",
            unexpected="Years since graduation only go with “Limit in years”.",
        )
        self._check_policy_number(
            "usce_policy",
            "usce_months",
            needs_number=(ExperiencePolicy.REQUIRED,),
            allows_number=(ExperiencePolicy.PREFERRED,),
            missing="Give the months of US clinical experience the program requires.",
            unexpected="Months of US clinical experience only go with required or preferred.",
        )
        if data.get("comlex_minimum") is not None and data.get("comlex_accepted") == Tri.NO:
            self.add_error(
                "comlex_minimum", "A COMLEX minimum cannot go with “COMLEX accepted: No”."
            )
        if data.get("h1b_note") and data.get("sponsors_h1b") == Tri.NO:
            self.add_error("h1b_note", "H-1B conditions only apply when H-1B is not refused.")
        sponsors_visa = Tri.YES in (data.get("sponsors_j1"), data.get("sponsors_h1b"))
        if sponsors_visa and data.get("accepts_imgs") == Tri.NO:
            self.add_error(
                "accepts_imgs", "A program that sponsors a visa cannot be marked as refusing IMGs."
            )
        effective = data.get("accreditation_effective_on")
        original = data.get("originally_accredited_on")
        if effective and original and original > effective:
            self.add_error(
                "originally_accredited_on",
                "The original accreditation date must not be after the effective date.",
            )
        return data

    def _check_policy_number(
        self, policy_field, number_field, *, needs_number, allows_number, missing, unexpected
    ):
        policy = self.cleaned_data.get(policy_field)
        number = self.cleaned_data.get(number_field)
        if policy is None or number_field in self.errors:
            return
        if policy in needs_number and number is None:
            self.add_error(number_field, missing)
        elif policy not in (*needs_number, *allows_number) and number is not None:
            self.add_error(number_field, unexpected)


class ProgramSeasonDatesForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        opens, deadline = data.get("applications_open"), data.get("application_deadline")
        if opens and deadline and opens > deadline:
            self.add_error("application_deadline", "The deadline must not be before opening.")
        start, end = data.get("interviews_start"), data.get("interviews_end")
        if start and end and start > end:
            self.add_error("interviews_end", "Interviews must not end before they start.")
        return data


class ProgramSeasonDatesInline(admin.TabularInline):
    model = ProgramSeasonDates
    form = ProgramSeasonDatesForm
    extra = 1
    verbose_name = "dates for a season"
    verbose_name_plural = "Dates per season"
    fields = (
        "season",
        "applications_open",
        "application_deadline",
        "interviews_start",
        "interviews_end",
        "source_label",
        "source_url",
        "verified_on",
    )


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
    inlines = (ProgramSeasonDatesInline,)
    actions = ("mark_verified_today",)
    fieldsets = (
        (
            "ACGME listing",
            {
                "fields": (
                    ("acgme_id", "name"),
                    ("specialty", "sponsor"),
                    "address",
                    ("city", "state", "zip_code"),
                    "accreditation_status",
                    ("accreditation_effective_on", "originally_accredited_on"),
                    ("length_years", "filled_positions"),
                ),
            },
        ),
        *(_fact_fieldset(group) for group in FactGroup),
        (
            "Verification",
            {
                "fields": (
                    "verification_status",
                    "last_verified_on",
                    ("created_at", "updated_at"),
                ),
                "description": (
                    "The last verified date is the newest date of the groups above; "
                    f"programs not verified for over {stale_period()} are flagged."
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
            return format_html('<span class="verification-stale">{}</span>', "Never verified")
        if program.is_stale():
            return format_html(
                '<span class="verification-stale">Not verified for over {}</span>', stale_period()
            )
        return f"Verified within {stale_period()}"

    @admin.display(description="Verification status")
    def verification_status(self, program):
        if program is None or program.pk is None:
            return "Not saved yet."
        if program.last_verified_on is None:
            return self.verification(program)
        return format_html(
            "{} (last verified {})",
            self.verification(program),
            program.last_verified_on.isoformat(),
        )

    @admin.action(description="Mark verified today", permissions=["change"])
    def mark_verified_today(self, request, queryset):
        programs = list(queryset)
        marked = services.mark_programs_verified(programs=programs, user=request.user)
        message = f"Marked {_plural(marked, 'program', 'programs')} as verified today."
        if already := len(programs) - marked:
            message += f" {_plural(already, 'was', 'were')} already verified today."
        self.message_user(request, message, messages.SUCCESS)


# The directory's reference data ------------------------------------------------------


class SpecialtyAdminForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        if data.get("parent") and data.get("level") != Level.FELLOWSHIP:
            self.add_error("parent", "Only a fellowship has a parent specialty.")
        return data


@admin.register(Specialty)
class SpecialtyAdmin(CuratedAdmin):
    form = SpecialtyAdminForm
    list_display = ("name", "code", "level", "parent", "program_count")
    list_filter = ("level",)
    list_select_related = ("parent",)
    ordering = ("name",)  # the count annotation drops Meta.ordering
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(program_count=Count("programs"))

    @admin.display(description="programs", ordering="program_count")
    def program_count(self, specialty):
        return specialty.program_count


@admin.register(Sponsor)
class SponsorAdmin(CuratedAdmin):
    list_display = ("name", "code", "city", "state", "program_count")
    list_filter = ("state",)
    search_fields = ("name", "code", "city")
    ordering = ("name",)  # the count annotation drops Meta.ordering

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(program_count=Count("programs"))

    @admin.display(description="programs", ordering="program_count")
    def program_count(self, sponsor):
        return sponsor.program_count


class SeasonAdminForm(forms.ModelForm):
    class Meta:
        labels = {f"{event}_confirmed": "confirmed" for event in SeasonEvent}
        widgets = {
            f"{event}_confirmed": forms.CheckboxInput(
                attrs={"aria-label": f"{event.label}: confirmed"}
            )
            for event in SeasonEvent
        }

    # The order the database requires, as (earlier, later) pairs.
    ORDER = [
        (SeasonEvent.ERAS_OPENS, SeasonEvent.APPLICANTS_SUBMIT),
        (SeasonEvent.APPLICANTS_SUBMIT, SeasonEvent.PROGRAMS_REVIEW),
        (SeasonEvent.PROGRAMS_REVIEW, SeasonEvent.RANK_LIST_DEADLINE),
        (SeasonEvent.NRMP_REGISTRATION, SeasonEvent.RANK_LIST_DEADLINE),
        (SeasonEvent.RANK_LIST_DEADLINE, SeasonEvent.MATCH_DAY),
        (SeasonEvent.MATCH_DAY, SeasonEvent.TRAINING_STARTS),
    ]

    def clean(self):
        data = super().clean()
        for earlier, later in self.ORDER:
            first, second = data.get(earlier.value), data.get(later.value)
            if first and second and first > second and later.value not in self.errors:
                self.add_error(later.value, f"{later.label} must not be before {earlier.label}.")
        if data.get("is_current"):
            others = Season.objects.filter(is_current=True).exclude(pk=self.instance.pk)
            if current := others.first():
                self.add_error(
                    "is_current",
                    f"{current} is the current season; untick it there first.",
                )
        return data


@admin.register(Season)
class SeasonAdmin(CuratedAdmin):
    form = SeasonAdminForm
    list_display = ("name", "match_year", "is_current", "confirmed_dates")
    fieldsets = (
        (None, {"fields": (("name", "match_year"), "is_current")}),
        (
            "Official dates",
            {
                "fields": [(event.value, f"{event.value}_confirmed") for event in SeasonEvent],
                "description": (
                    "Tick “confirmed” once a date matches the official AAMC or NRMP source; "
                    "the site shows unticked dates as projected."
                ),
            },
        ),
        ("Source", {"fields": (("source_label", "source_url"), "notes")}),
    )

    @admin.display(description="confirmed dates")
    def confirmed_dates(self, season):
        confirmed = sum(1 for _event, _date, is_confirmed in season.events() if is_confirmed)
        return f"{confirmed} of {len(SeasonEvent)}"


@admin.register(ProgramSeasonDates)
class ProgramSeasonDatesAdmin(CuratedAdmin):
    form = ProgramSeasonDatesForm
    list_display = (
        "program",
        "season",
        "applications_open",
        "application_deadline",
        "interviews_start",
        "interviews_end",
        "verified_on",
    )
    list_filter = ("season",)
    list_select_related = ("program", "season")
    search_fields = ("program__name", "program__acgme_id")
    autocomplete_fields = ("program",)
    date_hierarchy = "application_deadline"


class SpecialtyStatisticForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        matched, offered = data.get("matched_total"), data.get("positions_offered")
        if matched is not None and offered is not None and matched > offered:
            self.add_error("matched_total", "More matches than positions offered.")
        return data


@admin.register(SpecialtyStatistic)
class SpecialtyStatisticAdmin(CuratedAdmin):
    form = SpecialtyStatisticForm
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
        new = OutdatedReport.objects.filter(status=ReportStatus.NEW).count()
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
