"""The directory: specialties, sponsors, programs and their IMG policy facts, seasons and
their dates, NRMP statistics, FAQ entries, guides and readers' reports.

Facts a program may not have published are stored so that *unknown* stays distinct from
*no*: tri-state choices default to ``unknown`` and numbers that depend on a policy are only
present when the policy says there is one. Each rule is a :class:`~programs.rules.Rule`:
the database refuses data that breaks it, and ``full_clean()`` explains it on the field.
"""

import datetime
import functools

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import DEFERRED, F, Q, Value
from django.db.models.functions import Coalesce, Length, Lower
from django.db.models.lookups import LessThanOrEqual
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from programs.choices import (
    COMLEX_RANGE,
    CURRENT_YEAR_LABEL,
    FREIDA_LABEL,
    OLD_ACGME_LABEL,
    STEP2_RANGE,
    WITHDRAWN_STATUSES,
    Accreditation,
    ApplicantGroup,
    ApplicationService,
    EcfmgDeadline,
    EventStatus,
    ExperiencePolicy,
    FactGroup,
    FaqTopic,
    FeeKind,
    GraduationPolicy,
    Level,
    MatchKind,
    ReportStatus,
    ScorePolicy,
    Setting,
    SignalKind,
    Tri,
)
from programs.freshness import is_stale
from programs.querysets import (
    FaqEntryQuerySet,
    FeeQuerySet,
    GuideQuerySet,
    MatchEventQuerySet,
    OutdatedReportQuerySet,
    ProgramQuerySet,
    ProgramSeasonDatesQuerySet,
    SeasonQuerySet,
    SignalAllowanceQuerySet,
    SpecialtyApplicationServiceQuerySet,
    SpecialtyMatchQuerySet,
    SpecialtyQuerySet,
    SponsorQuerySet,
)
from programs.requirements import STORED_FIELDS, stored_fields
from programs.rules import Rule, not_blank
from programs.states import State

__all__ = [
    "COMLEX_RANGE",
    "ApplicantGroup",
    "ApplicationService",
    "STEP2_RANGE",
    "Accreditation",
    "EcfmgDeadline",
    "ExperiencePolicy",
    "FactGroup",
    "FaqTopic",
    "FeeKind",
    "GraduationPolicy",
    "Level",
    "ReportStatus",
    "ScorePolicy",
    "EventStatus",
    "MatchKind",
    "Setting",
    "SignalKind",
    "Tri",
]


def address(view: str, argument: str) -> str:
    """``reverse(view, args=[argument])`` for a view of one argument that its address holds
    as it is (an ACGME ID, a slug): the address around the argument is worked out once per
    script prefix, where ``reverse`` tries the view's patterns anew for each of a list's
    rows."""
    before, after = _around_argument(view, get_script_prefix(), get_urlconf())
    return f"{before}{argument}{after}"


_ARGUMENT = "argument-of-the-address"  # any converter of an ID or a slug takes it


@functools.lru_cache(maxsize=32)
def _around_argument(view: str, prefix: str, urlconf) -> tuple[str, str]:
    before, _, after = reverse(view, args=[_ARGUMENT], urlconf=urlconf).partition(_ARGUMENT)
    return before, after


class Specialty(models.Model):
    code = models.CharField("ACGME code", max_length=3, unique=True)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.RESIDENCY)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subspecialties",
        help_text="The core specialty a fellowship builds on, where there is a single one.",
    )
    typical_length_years = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    objects = SpecialtyQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name"), "code"]
        verbose_name_plural = "specialties"
        constraints = [
            Rule(
                condition=Q(code__regex=r"^[0-9]{3}$"),
                name="specialty_code_three_digits",
                field="code",
                violation_error_message="An ACGME specialty code is three digits, e.g. 140.",
            ),
            Rule(
                condition=Q(level=Level.FELLOWSHIP) | Q(parent__isnull=True),
                name="specialty_only_fellowships_have_parent",
                field="parent",
                violation_error_message="Only a fellowship has a parent specialty.",
            ),
            Rule(
                condition=Q(typical_length_years__isnull=True)
                | Q(typical_length_years__range=(1, 10)),
                name="specialty_length_1_to_10",
                field="typical_length_years",
                violation_error_message="The typical length is 1 to 10 years.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("programs:specialty", self.slug)


class Sponsor(models.Model):
    """A sponsoring institution, keyed by its ACGME sponsor code."""

    code = models.CharField("ACGME sponsor code", max_length=6, unique=True)
    name = models.CharField(max_length=300)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, choices=State.choices, blank=True)
    history = HistoricalRecords()

    objects = SponsorQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name"), "code"]
        constraints = [
            Rule(
                condition=Q(code__regex=r"^[0-9]{6}$"),
                name="sponsor_code_six_digits",
                field="code",
                violation_error_message="An ACGME sponsor code is six digits.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:sponsor", args=[self.code])


def _checked_against_a_current_source(group: FactGroup) -> Rule:
    """A curator's check names what it was checked against, and an archived snapshot (the
    2016 FREIDA scrape, the 2021–22 ACGME listing) cannot make facts look freshly checked,
    however its name is spelt."""
    label = f"{group}_source_label"
    archived = (
        Q(**{f"{label}__iregex": FREIDA_LABEL}) & ~Q(**{f"{label}__iregex": CURRENT_YEAR_LABEL})
    ) | Q(**{f"{label}__iregex": OLD_ACGME_LABEL})
    return Rule(
        condition=Q(**{f"{group}_verified_on__isnull": True})
        | (Q(**{f"{label}__regex": r"\S"}) & ~archived),
        name=f"program_{group}_checked_against_a_current_source",
        field=f"{group}_verified_on",
        violation_error_message=ARCHIVED_SOURCE_MESSAGE,
    )


ARCHIVED_SOURCE_MESSAGE = (
    "A curator's check needs the current source it was checked against: the 2016 FREIDA "
    "scrape and the 2021–22 ACGME listing are kept for the record and cannot be it."
)


def _checked_after_published(group: FactGroup) -> Rule:
    return Rule(
        condition=Q(**{f"{group}_verified_on__isnull": True})
        | Q(**{f"{group}_as_of__isnull": True})
        | Q(**{f"{group}_as_of__lte": F(f"{group}_verified_on")}),
        name=f"program_{group}_checked_after_published",
        field=f"{group}_verified_on",
        violation_error_message="A check cannot come before its source published the facts.",
    )


@functools.lru_cache(maxsize=64)
def _places(field_names: tuple[str, ...]) -> tuple[int | None, ...]:
    """Where each of a program's fields is among the columns a query read (``field_names``),
    or None for one it did not read."""
    at = {name: n for n, name in enumerate(field_names)}
    return tuple(at.get(f.attname) for f in Program._meta.concrete_fields)


class ProgramManager(models.Manager.from_queryset(ProgramQuerySet)):
    def get_queryset(self):
        # Only search reads the stored search columns, and only ``with_fit`` the stored steps
        # of the requirements (in SQL): rows are loaded without them.
        return super().get_queryset().defer("search_document", "search_names", *STORED_FIELDS)


class Program(models.Model):
    acgme_id = models.CharField("ACGME ID", max_length=10, unique=True)
    name = models.CharField(max_length=300)
    specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="programs")
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="programs")

    address = models.TextField(blank=True, help_text="Street address, one line per row.")
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, choices=State.choices, db_index=True)
    zip_code = models.CharField("ZIP code", max_length=10, blank=True)

    accreditation_status = models.CharField(
        max_length=30, choices=Accreditation.choices, default=Accreditation.CONTINUED
    )
    accreditation_effective_on = models.DateField(null=True, blank=True)
    originally_accredited_on = models.DateField(null=True, blank=True)
    is_withdrawn = models.GeneratedField(
        expression=Q(accreditation_status__in=WITHDRAWN_STATUSES),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    length_years = models.PositiveSmallIntegerField(
        "length of training (years)", null=True, blank=True
    )
    filled_positions = models.PositiveIntegerField(
        null=True, blank=True, help_text="Residents on duty across all years (ACGME)."
    )

    # Overview facts.
    website = models.URLField(max_length=500, blank=True)
    website_doubted = models.BooleanField(
        "website doubted",
        default=False,
        help_text="The address is on a domain known to be gone and is being checked.",
    )
    setting = models.CharField(max_length=30, choices=Setting.choices, default=Setting.UNKNOWN)
    year1_positions = models.PositiveSmallIntegerField("year-1 positions", null=True, blank=True)
    participates_in_eras = models.CharField(
        "ERAS participation", max_length=7, choices=Tri.choices, default=Tri.UNKNOWN
    )
    required_letters = models.PositiveSmallIntegerField(null=True, blank=True)

    # IMGs and visas.
    accepts_imgs = models.CharField(
        "accepts IMGs", max_length=7, choices=Tri.choices, default=Tri.UNKNOWN
    )
    accepts_imgs_inferred = models.BooleanField(
        "accepting IMGs is inferred",
        default=False,
        help_text="Ticked when “yes” was inferred from the visa answers rather than stated by "
        "the program; untick once the program states it.",
    )
    # ECFMG, not the program, sponsors residents' J-1 visas: a program accepts J-1 or not.
    sponsors_j1 = models.CharField(
        "accepts J-1 (ECFMG-sponsored)", max_length=7, choices=Tri.choices, default=Tri.UNKNOWN
    )
    sponsors_h1b = models.CharField(
        "sponsors H-1B", max_length=7, choices=Tri.choices, default=Tri.UNKNOWN
    )
    visa_answers_doubted = models.BooleanField(
        "visa answers doubted",
        default=False,
        help_text="The J-1 and H-1B answers look unreliable and are being checked; while "
        "ticked they never count as a refusal.",
    )
    h1b_note = models.CharField(
        "H-1B conditions", max_length=300, blank=True, help_text="e.g. Step 3 passed by April."
    )
    h1b_step3_by = models.DateField(
        "H-1B: Step 3 passed by",
        null=True,
        blank=True,
        help_text="The date the program says an H-1B applicant must have passed Step 3 by.",
    )

    # Exam scores.
    step2_policy = models.CharField(
        "Step 2 CK minimum", max_length=10, choices=ScorePolicy.choices, default=ScorePolicy.UNKNOWN
    )
    step2_minimum = models.PositiveSmallIntegerField("Step 2 CK score", null=True, blank=True)
    step2_minimum_doubted = models.BooleanField(
        "Step 2 CK score doubted",
        default=False,
        help_text="The score looks wrong and is being checked; while ticked it never decides "
        "whether an applicant fits.",
    )
    comlex_accepted = models.CharField(
        "COMLEX Level 2 accepted", max_length=7, choices=Tri.choices, default=Tri.UNKNOWN
    )
    comlex_minimum = models.PositiveSmallIntegerField(
        "COMLEX Level 2 minimum", null=True, blank=True
    )

    # Graduation, clinical experience and ECFMG.
    graduation_policy = models.CharField(
        "years since graduation",
        max_length=10,
        choices=GraduationPolicy.choices,
        default=GraduationPolicy.UNKNOWN,
    )
    max_years_since_graduation = models.PositiveSmallIntegerField(null=True, blank=True)
    usce_policy = models.CharField(
        "US clinical experience",
        max_length=15,
        choices=ExperiencePolicy.choices,
        default=ExperiencePolicy.UNKNOWN,
    )
    usce_months = models.PositiveSmallIntegerField(
        "US clinical experience (months)", null=True, blank=True
    )
    ecfmg_certified_by = models.CharField(
        "ECFMG certification needed",
        max_length=15,
        choices=EcfmgDeadline.choices,
        default=EcfmgDeadline.UNKNOWN,
    )

    # Where each fact group comes from, when that source published it, and when a curator
    # last checked it against that source: a snapshot's date is not a curator's check.
    listing_source_label = models.CharField("ACGME listing: source", max_length=200, blank=True)
    listing_source_url = models.URLField("ACGME listing: source URL", max_length=500, blank=True)
    listing_as_of = models.DateField(
        "ACGME listing: as of",
        null=True,
        blank=True,
        help_text="When the source published these facts.",
    )
    listing_verified_on = models.DateField(
        "ACGME listing: checked by a curator on", null=True, blank=True
    )
    overview_source_label = models.CharField("program facts: source", max_length=200, blank=True)
    overview_source_url = models.URLField("program facts: source URL", max_length=500, blank=True)
    overview_as_of = models.DateField(
        "program facts: as of",
        null=True,
        blank=True,
        help_text="When the source published these facts.",
    )
    overview_verified_on = models.DateField(
        "program facts: checked by a curator on", null=True, blank=True
    )
    visa_source_label = models.CharField("IMGs and visas: source", max_length=200, blank=True)
    visa_source_url = models.URLField("IMGs and visas: source URL", max_length=500, blank=True)
    visa_as_of = models.DateField(
        "IMGs and visas: as of",
        null=True,
        blank=True,
        help_text="When the source published these facts.",
    )
    visa_verified_on = models.DateField(
        "IMGs and visas: checked by a curator on", null=True, blank=True
    )
    scores_source_label = models.CharField("exam scores: source", max_length=200, blank=True)
    scores_source_url = models.URLField("exam scores: source URL", max_length=500, blank=True)
    scores_as_of = models.DateField(
        "exam scores: as of",
        null=True,
        blank=True,
        help_text="When the source published these facts.",
    )
    scores_verified_on = models.DateField(
        "exam scores: checked by a curator on", null=True, blank=True
    )
    eligibility_source_label = models.CharField("eligibility: source", max_length=200, blank=True)
    eligibility_source_url = models.URLField("eligibility: source URL", max_length=500, blank=True)
    eligibility_as_of = models.DateField(
        "eligibility: as of",
        null=True,
        blank=True,
        help_text="When the source published these facts.",
    )
    eligibility_verified_on = models.DateField(
        "eligibility: checked by a curator on", null=True, blank=True
    )
    last_verified_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="The most recent curator's check of any fact group.",
    )

    # What search reads, kept by the database itself on PostgreSQL (migration 0010's
    # triggers, from the program's, sponsor's and specialty's names and the city), so a
    # search is an index lookup. Empty on other databases, whose search reads the names.
    search_document = SearchVectorField(null=True, editable=False)
    search_names = models.TextField(default="", editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(
        excluded_fields=[
            *("updated_at", "is_withdrawn", "search_document", "search_names"),
            *STORED_FIELDS,
        ]
    )

    objects = ProgramManager()

    class Meta:
        ordering = [Lower("name"), "acgme_id"]
        indexes = [
            models.Index(Lower("name"), "acgme_id", name="program_lower_name_order"),
            models.Index(fields=["specialty", "state"]),
            models.Index(fields=["setting"]),
            models.Index(fields=["sponsors_j1"]),
            models.Index(fields=["sponsors_h1b"]),
            models.Index(fields=["accepts_imgs"]),
            models.Index(fields=["step2_policy", "step2_minimum"]),
            models.Index(fields=["graduation_policy", "max_years_since_graduation"]),
            models.Index(fields=["usce_policy", "usce_months"]),
            models.Index(fields=["is_withdrawn"]),
            models.Index(fields=["year1_positions"]),
        ]
        constraints = [
            Rule(
                condition=Q(acgme_id__regex=r"^[0-9]{10}$"),
                name="program_acgme_id_ten_digits",
                field="acgme_id",
                violation_error_message="An ACGME ID is 10 digits.",
            ),
            Rule(
                condition=Q(state__in=State.values),
                name="program_state_is_usps_code",
                field="state",
                violation_error_message="Use a USPS state or territory code, e.g. NY, DC or PR.",
            ),
            Rule(
                condition=Q(zip_code="") | Q(zip_code__regex=r"^[0-9]{5}(-[0-9]{4})?$"),
                name="program_zip_code_format",
                field="zip_code",
                violation_error_message="A ZIP code reads 12345 or 12345-6789.",
            ),
            not_blank("name", name="program_name_not_blank", message="A program needs a name."),
            Rule(
                condition=Q(length_years__isnull=True) | Q(length_years__range=(1, 10)),
                name="program_length_1_to_10",
                field="length_years",
                violation_error_message="Training lasts 1 to 10 years.",
            ),
            Rule(
                condition=Q(originally_accredited_on__isnull=True)
                | Q(accreditation_effective_on__isnull=True)
                | Q(originally_accredited_on__lte=F("accreditation_effective_on")),
                name="program_accreditation_dates_in_order",
                field="originally_accredited_on",
                violation_error_message=(
                    "The original accreditation date must not be after the effective date."
                ),
            ),
            Rule(
                condition=Q(year1_positions__isnull=True) | Q(year1_positions__lte=500),
                name="program_year1_positions_plausible",
                field="year1_positions",
                violation_error_message="A program has at most 500 year-1 positions.",
            ),
            Rule(
                condition=Q(required_letters__isnull=True) | Q(required_letters__lte=10),
                name="program_required_letters_0_to_10",
                field="required_letters",
                violation_error_message="A program asks for 0 to 10 letters.",
            ),
            Rule(
                condition=(
                    Q(step2_policy__in=[ScorePolicy.HARD, ScorePolicy.PREFERRED])
                    & Q(step2_minimum__isnull=False)
                    & Q(step2_minimum__range=STEP2_RANGE)
                )
                | (
                    Q(step2_policy__in=[ScorePolicy.NONE, ScorePolicy.UNKNOWN])
                    & Q(step2_minimum__isnull=True)
                ),
                name="program_step2_minimum_matches_policy",
                field="step2_minimum",
                violation_error_message=(
                    "A hard cutoff or a preferred minimum needs its Step 2 CK score (1 to 300); "
                    "“Not required for interview consideration” and “Not reported” take none."
                ),
            ),
            Rule(
                condition=Q(comlex_minimum__isnull=True) | Q(comlex_minimum__range=COMLEX_RANGE),
                name="program_comlex_minimum_in_range",
                field="comlex_minimum",
                violation_error_message="A COMLEX Level 2 minimum is 9 to 999.",
            ),
            Rule(
                condition=Q(comlex_minimum__isnull=True) | ~Q(comlex_accepted=Tri.NO),
                name="program_comlex_minimum_only_when_accepted",
                field="comlex_minimum",
                violation_error_message=(
                    "A COMLEX Level 2 minimum cannot go with “COMLEX Level 2 accepted: No”."
                ),
            ),
            Rule(
                condition=(
                    Q(graduation_policy=GraduationPolicy.LIMIT)
                    & Q(max_years_since_graduation__isnull=False)
                    & Q(max_years_since_graduation__range=(0, 60))
                )
                | (
                    ~Q(graduation_policy=GraduationPolicy.LIMIT)
                    & Q(max_years_since_graduation__isnull=True)
                ),
                name="program_graduation_limit_matches_policy",
                field="max_years_since_graduation",
                violation_error_message=(
                    "“Limit in years” needs the number of years (0 to 60); other answers take none."
                ),
            ),
            Rule(
                condition=(
                    Q(usce_policy=ExperiencePolicy.REQUIRED)
                    & Q(usce_months__isnull=False)
                    & Q(usce_months__range=(1, 60))
                )
                | (Q(usce_policy=ExperiencePolicy.PREFERRED) & Q(usce_months__isnull=True))
                | (Q(usce_policy=ExperiencePolicy.PREFERRED) & Q(usce_months__range=(1, 60)))
                | (
                    Q(usce_policy__in=[ExperiencePolicy.NOT_REQUIRED, ExperiencePolicy.UNKNOWN])
                    & Q(usce_months__isnull=True)
                ),
                name="program_usce_months_match_policy",
                field="usce_months",
                violation_error_message=(
                    "Required US clinical experience needs its months (1 to 60), preferred may "
                    "give them; “Not required” and “Not reported” take none."
                ),
            ),
            Rule(
                condition=Q(h1b_note="") | ~Q(sponsors_h1b=Tri.NO),
                name="program_h1b_note_only_when_not_refused",
                field="h1b_note",
                violation_error_message="H-1B conditions cannot go with “H-1B: No”.",
            ),
            Rule(
                condition=Q(h1b_step3_by__isnull=True) | ~Q(sponsors_h1b=Tri.NO),
                name="program_h1b_step3_only_when_not_refused",
                field="h1b_step3_by",
                violation_error_message="A Step 3 date for H-1B cannot go with “H-1B: No”.",
            ),
            Rule(
                condition=Q(accepts_imgs_inferred=False) | Q(accepts_imgs=Tri.YES),
                name="program_only_yes_is_inferred",
                field="accepts_imgs_inferred",
                violation_error_message="Only “Accepts IMGs: Yes” can be inferred.",
            ),
            Rule(
                condition=Q(step2_minimum_doubted=False) | Q(step2_minimum__isnull=False),
                name="program_doubted_step2_is_reported",
                field="step2_minimum_doubted",
                violation_error_message="Only a reported Step 2 CK score can be doubted.",
            ),
            Rule(
                condition=Q(visa_answers_doubted=False)
                | ~Q(sponsors_j1=Tri.UNKNOWN)
                | ~Q(sponsors_h1b=Tri.UNKNOWN),
                name="program_doubted_visas_are_reported",
                field="visa_answers_doubted",
                violation_error_message="Only reported visa answers can be doubted.",
            ),
            Rule(
                condition=Q(website_doubted=False) | ~Q(website=""),
                name="program_doubted_website_is_reported",
                field="website_doubted",
                violation_error_message="Only a reported website can be doubted.",
            ),
            *(_checked_against_a_current_source(group) for group in FactGroup),
            *(_checked_after_published(group) for group in FactGroup),
            Rule(
                condition=~Q(sponsors_j1=Tri.YES) & ~Q(sponsors_h1b=Tri.YES)
                | ~Q(accepts_imgs=Tri.NO),
                name="program_visa_implies_not_refusing_imgs",
                field="accepts_imgs",
                violation_error_message=(
                    "A program that sponsors a visa cannot be marked as refusing IMGs."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acgme_id})"

    def save(self, *args, **kwargs):
        self.last_verified_on = self.newest_verified_date()
        if (update_fields := kwargs.get("update_fields")) is not None:
            kwargs["update_fields"] = {*update_fields, "last_verified_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address("programs:detail", self.acgme_id)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        # Programs are read without their stored columns (``ProgramManager``), and Django
        # places the values of a row with some columns deferred by looking each field up in
        # the list of those read: about 30 µs a program. The places are the same for every
        # row of a query, so they are worked out once per list of columns.
        if len(values) != len(cls._meta.concrete_fields):
            values = [DEFERRED if at is None else values[at] for at in _places(tuple(field_names))]
        return super().from_db(db, field_names, values, **kwargs)

    def clean(self):
        """What the database cannot hold as a rule, because it changes with the day: no
        source publishes, and no curator checks, in the future. And an inference follows its
        premise: "accepts IMGs" inferred from a visa only IMGs need is unknown again once no
        such visa is accepted."""
        if self.accepts_imgs_inferred and Tri.YES not in (self.sponsors_j1, self.sponsors_h1b):
            self.accepts_imgs, self.accepts_imgs_inferred = Tri.UNKNOWN, False
        today = timezone.localdate()
        errors = {}
        for group in FactGroup:
            for name in (f"{group}_as_of", f"{group}_verified_on"):
                value = getattr(self, name)
                if isinstance(value, datetime.date) and value > today:
                    errors[name] = "This date is in the future."
        if errors:
            raise ValidationError(errors)

    def newest_verified_date(self) -> datetime.date | None:
        dates = [self.verified_on(group) for group in FactGroup]
        return max((d for d in dates if d), default=None)

    def verified_on(self, group: FactGroup) -> datetime.date | None:
        """When a curator last checked the group's facts against its source."""
        return getattr(self, f"{group}_verified_on")

    def as_of(self, group: FactGroup) -> datetime.date | None:
        """When the group's source published its facts."""
        return getattr(self, f"{group}_as_of")

    def source(self, group: FactGroup) -> tuple[str, str]:
        return getattr(self, f"{group}_source_label"), getattr(self, f"{group}_source_url")

    def facts_date(self, group: FactGroup) -> datetime.date | None:
        """How old the group's facts are: the newer of the curator's check and the date its
        source published them (None when neither is known)."""
        dates = [d for d in (self.verified_on(group), self.as_of(group)) if d]
        return max(dates, default=None)

    def is_stale(self) -> bool:
        """True when no curator has checked any of the program's facts within
        STALE_AFTER_DAYS (or ever)."""
        return is_stale(self.last_verified_on)


# Each requirement's rule reduced to what the program says (``programs.requirements``), which
# ``with_fit`` compares an applicant with: written by the database on every write of a
# program, so never out of date. Added here rather than listed in the class so that a new
# requirement is still written in one place.
for _name, _field in stored_fields().items():
    Program.add_to_class(_name, _field)


class DoubtedProgram(Program):
    """Programs with a reported value that looks wrong: the curators' review list."""

    class Meta:
        proxy = True
        verbose_name = "program with a doubtful fact"
        verbose_name_plural = "doubtful facts to check"


class Season(models.Model):
    """One application and Match cycle, e.g. "Match 2027". Its dates are ``MatchEvent`` rows,
    one per match (or application service) and kind of event."""

    name = models.CharField(max_length=50, unique=True)
    match_year = models.PositiveSmallIntegerField(unique=True)
    is_current = models.BooleanField(default=False)
    source_label = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = SeasonQuerySet.as_manager()

    class Meta:
        ordering = ["-match_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_season",
                violation_error_message="Another season is current; untick it there first.",
                violation_error_code="unique",
            ),
            Rule(
                condition=Q(match_year__range=(2000, 2100)),
                name="season_match_year_plausible",
                field="match_year",
                violation_error_message="A Match year is between 2000 and 2100.",
            ),
        ]

    def __str__(self):
        return self.name


class Match(models.Model):
    """A match that places applicants in programs (the NRMP Main Residency Match, NRMP's
    Specialties Matching Service, the AUA Urology Match, the SF Match, the military match),
    with the source that describes it. Its dates are ``MatchEvent`` rows."""

    kind = models.CharField(max_length=20, choices=MatchKind.choices, unique=True)
    name = models.CharField(max_length=100)
    short_name = models.CharField(
        max_length=40, help_text="How calendars name it in a few words, e.g. “NRMP Main Match”."
    )
    runs = models.TextField(
        "how it runs", blank=True, help_text="Shown to applicants under the match's dates."
    )
    source_label = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name_plural = "matches"
        constraints = [
            not_blank(
                "source_label", name="match_has_a_source", message="Name the match's source."
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_nrmp(self) -> bool:
        return self.kind in (MatchKind.NRMP_MAIN, MatchKind.NRMP_SMS)


class SpecialtyMatch(models.Model):
    """The match a specialty's programs fill their positions through, from one Match on
    (urology: the AUA Urology Match). The match in force for a season is the row with the
    latest ``first_match_year`` not after it; a specialty with none is not recorded."""

    specialty = models.ForeignKey(Specialty, on_delete=models.CASCADE, related_name="matches")
    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="specialties")
    first_match_year = models.PositiveSmallIntegerField(
        "from Match", help_text="The first Match whose positions went through this match."
    )
    source_label = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = SpecialtyMatchQuerySet.as_manager()

    class Meta:
        ordering = ["specialty", "-first_match_year"]
        verbose_name = "specialty's match"
        verbose_name_plural = "specialties' matches"
        constraints = [
            models.UniqueConstraint(
                fields=["specialty", "first_match_year"],
                name="one_match_per_specialty_and_season",
                violation_error_message="The specialty already has a match from that Match.",
            ),
            Rule(
                condition=Q(first_match_year__range=(2000, 2100)),
                name="specialty_match_year_plausible",
                field="first_match_year",
                violation_error_message="A Match year is between 2000 and 2100.",
            ),
            not_blank(
                "source_label",
                name="specialty_match_has_a_source",
                message="Name the source that says which match the specialty uses.",
            ),
        ]

    def __str__(self):
        return f"{self.specialty}: {self.match.short_name} from Match {self.first_match_year}"


class EventKind(models.Model):
    """A kind of date in a season (registration opens, rank order list deadline, a SOAP
    round…), with what it means for an applicant. Curators add kinds in the admin."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    meaning = models.TextField(help_text="What the date means for an applicant.")
    position = models.PositiveSmallIntegerField(
        default=100, help_text="Orders events of the same day: lower comes first."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "kind of event"
        verbose_name_plural = "kinds of event"

    def __str__(self):
        return self.name


class MatchEvent(models.Model):
    """One date of a season: of a match (NRMP Main's rank order list deadline), or of an
    application service (ERAS opens), for all its specialties or for one (a fellowship's
    match in NRMP's Specialties Matching Service). Projected until checked against a named
    source; without a date it is not published yet."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="events")
    match = models.ForeignKey(
        Match, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    service = models.CharField(
        "application service",
        max_length=20,
        choices=ApplicationService.choices,
        blank=True,
        help_text="For an application service's own dates (ERAS opens); leave the match empty.",
    )
    specialty = models.ForeignKey(
        Specialty,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="match_events",
        help_text="Only when the date is one specialty's (a fellowship's own match calendar).",
    )
    kind = models.ForeignKey(EventKind, on_delete=models.PROTECT, related_name="events")
    detail = models.CharField(
        max_length=100, blank=True, help_text="Tells apart events of one kind, e.g. “Round 1”."
    )
    date = models.DateField(
        null=True, blank=True, help_text="Empty while the source has not published it."
    )
    end_date = models.DateField(null=True, blank=True, help_text="For a span, e.g. Match Week.")
    status = models.CharField(
        max_length=10, choices=EventStatus.choices, default=EventStatus.PROJECTED
    )
    source_label = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500, blank=True)
    checked_on = models.DateField(
        null=True, blank=True, help_text="When a curator checked the date against the source."
    )
    notes = models.TextField(blank=True, help_text="Shown to applicants next to the date.")
    history = HistoricalRecords()

    objects = MatchEventQuerySet.as_manager()

    class Meta:
        ordering = ["season", F("date").asc(nulls_last=True), "kind__position", "detail"]
        verbose_name = "season event"
        constraints = [
            Rule(
                condition=(Q(match__isnull=False) & Q(service=""))
                | (Q(match__isnull=True) & ~Q(service="")),
                name="event_of_a_match_or_a_service",
                field="match",
                violation_error_message="Choose a match or an application service, not both.",
            ),
            Rule(
                condition=~Q(status=EventStatus.CONFIRMED)
                | (Q(date__isnull=False) & Q(checked_on__isnull=False)),
                name="confirmed_event_has_date_and_check",
                field="status",
                violation_error_message=(
                    "A confirmed date needs the date and the day it was checked against the "
                    "named source."
                ),
            ),
            Rule(
                condition=Q(end_date__isnull=True)
                | (Q(date__isnull=False) & Q(date__lte=F("end_date"))),
                name="event_ends_after_it_starts",
                field="end_date",
                violation_error_message="An event must not end before it starts.",
            ),
            not_blank(
                "source_label",
                name="event_has_a_source",
                message="Name the source of the date (or of the pattern it is projected from).",
            ),
            models.UniqueConstraint(
                F("season"),
                Coalesce(F("match"), Value(0)),
                F("service"),
                Coalesce(F("specialty"), Value(0)),
                F("kind"),
                F("detail"),
                name="one_event_per_kind_and_detail",
                violation_error_message="The season already has this event.",
            ),
        ]

    def __str__(self):
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.kind.name}{detail}, {self.owner_name}, {self.season}"

    @property
    def owner_name(self) -> str:
        """The match or service the date belongs to, as calendars name it."""
        return self.match.short_name if self.match_id else self.get_service_display()

    @property
    def label(self) -> str:
        return f"{self.kind.name}: {self.detail}" if self.detail else self.kind.name

    @property
    def confirmed(self) -> bool:
        return self.status == EventStatus.CONFIRMED


class ProgramSeasonDates(models.Model):
    """A program's own dates for one season, where it publishes them."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="season_dates")
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="program_dates")
    applications_open = models.DateField(null=True, blank=True)
    application_deadline = models.DateField(null=True, blank=True, db_index=True)
    interviews_start = models.DateField(null=True, blank=True)
    interviews_end = models.DateField(null=True, blank=True)
    takes_signals = models.CharField(
        "takes program signals",
        max_length=8,
        choices=Tri.choices,
        default=Tri.UNKNOWN,
        help_text="Whether the program says it takes program signals this season.",
    )
    source_label = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(blank=True)
    verified_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ProgramSeasonDatesQuerySet.as_manager()

    class Meta:
        ordering = ["season", "program"]
        verbose_name = "program dates"
        verbose_name_plural = "program dates"
        constraints = [
            models.UniqueConstraint(
                fields=["program", "season"],
                name="one_dates_row_per_season",
                violation_error_message="This program already has dates for that season.",
            ),
            Rule(
                condition=Q(applications_open__isnull=True)
                | Q(application_deadline__isnull=True)
                | Q(applications_open__lte=F("application_deadline")),
                name="program_dates_open_before_deadline",
                field="application_deadline",
                violation_error_message="The deadline must not be before applications open.",
            ),
            Rule(
                condition=Q(interviews_start__isnull=True)
                | Q(interviews_end__isnull=True)
                | Q(interviews_start__lte=F("interviews_end")),
                name="program_dates_interviews_in_order",
                field="interviews_end",
                violation_error_message="Interviews must not end before they start.",
            ),
            Rule(
                condition=Q(takes_signals__in=Tri.values),
                name="program_dates_takes_signals_is_a_choice",
                field="takes_signals",
                violation_error_message="Say yes, no, or not reported.",
            ),
        ]

    def __str__(self):
        return f"{self.program.name}, {self.season}"


class SpecialtyApplicationService(models.Model):
    """The service a specialty's programs take applications through, from one season on
    (e.g. emergency medicine: ResidencyCAS from Match 2026). The service in force for a
    season is the row with the latest ``first_match_year`` not after it."""

    specialty = models.ForeignKey(
        Specialty, on_delete=models.CASCADE, related_name="application_services"
    )
    service = models.CharField(max_length=20, choices=ApplicationService.choices)
    first_match_year = models.PositiveSmallIntegerField(
        "from Match", help_text="The first Match whose applications went through this service."
    )
    source_label = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500, blank=True)
    history = HistoricalRecords()

    objects = SpecialtyApplicationServiceQuerySet.as_manager()

    class Meta:
        ordering = ["specialty", "-first_match_year"]
        verbose_name = "application service"
        constraints = [
            models.UniqueConstraint(
                fields=["specialty", "first_match_year"],
                name="one_service_per_specialty_and_season",
                violation_error_message="The specialty already has a service from that Match.",
            ),
            Rule(
                condition=Q(first_match_year__range=(2000, 2100)),
                name="service_match_year_plausible",
                field="first_match_year",
                violation_error_message="A Match year is between 2000 and 2100.",
            ),
            not_blank(
                "source_label",
                name="service_has_a_source",
                message="Name the source that says which service the specialty uses.",
            ),
        ]

    def __str__(self):
        return f"{self.specialty}: {self.get_service_display()} from Match {self.first_match_year}"


class Fee(models.Model):
    """What applicants pay for one thing in one season, as its source publishes it: a price
    for each band of programs (ERAS residency: $11 each for the first 30 in a specialty, $30
    each from the 31st). ResidencyCAS publishes a table per specialty, so its fees name one.
    """

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField(max_length=20, choices=FeeKind.choices)
    specialty = models.ForeignKey(
        Specialty,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fees",
        help_text="Only for a table one specialty's service publishes (ResidencyCAS).",
    )
    confirmed = models.BooleanField(
        "amount confirmed for this season",
        default=False,
        help_text="Leave unticked while the amount is last season's or otherwise unverified.",
    )
    source_label = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500, blank=True)
    as_of = models.DateField(
        "published", null=True, blank=True, help_text="When the source published the amount."
    )
    notes = models.TextField(blank=True, help_text="Shown to applicants next to the fee.")
    history = HistoricalRecords()

    objects = FeeQuerySet.as_manager()

    class Meta:
        ordering = ["season", "kind", "specialty"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "kind"],
                condition=Q(specialty__isnull=True),
                name="one_fee_per_kind_and_season",
                violation_error_message="The season already has this fee.",
            ),
            models.UniqueConstraint(
                fields=["season", "kind", "specialty"],
                name="one_fee_per_kind_specialty_and_season",
                violation_error_message="The season already has this fee for that specialty.",
            ),
            not_blank(
                "source_label",
                name="fee_has_a_source",
                message="Name the source that publishes this fee.",
            ),
        ]

    def __str__(self):
        specialty = f" ({self.specialty})" if self.specialty_id else ""
        return f"{self.get_kind_display()}{specialty}, {self.season}"

    def cost(self, count: int) -> int:
        """What ``count`` programs (or transcripts, or ranks) cost, band by band. Needs the
        bands loaded (``FeeQuerySet.with_bands()``) to avoid a query per call."""
        total = 0
        for band in self.bands.all():
            if count < band.first:
                continue
            if not band.each:
                total += band.amount
                continue
            last = count if band.last is None else min(count, band.last)
            total += band.amount * (last - band.first + 1)
        return total


class FeeBand(models.Model):
    """One band of a fee: programs ``first`` to ``last`` (no end when empty) cost ``amount``
    each, or ``amount`` in all for the band when it is a flat price."""

    fee = models.ForeignKey(Fee, on_delete=models.CASCADE, related_name="bands")
    first = models.PositiveSmallIntegerField("from", help_text="The first program of the band.")
    last = models.PositiveSmallIntegerField(
        "to", null=True, blank=True, help_text="The last program of the band; empty for no end."
    )
    amount = models.PositiveIntegerField("amount (US dollars)")
    each = models.BooleanField(
        "per program", default=True, help_text="Untick for one flat price for the whole band."
    )

    class Meta:
        ordering = ["fee", "first"]
        verbose_name = "band"
        constraints = [
            models.UniqueConstraint(
                fields=["fee", "first"],
                name="one_band_per_start",
                violation_error_message="The fee already has a band starting there.",
            ),
            Rule(
                condition=Q(first__gte=1),
                name="fee_band_starts_at_one_or_more",
                field="first",
                violation_error_message="Bands count from program 1.",
            ),
            Rule(
                condition=Q(last__isnull=True) | Q(last__gte=F("first")),
                name="fee_band_ends_after_it_starts",
                field="last",
                violation_error_message="A band must not end before it starts.",
            ),
        ]

    def __str__(self):
        end = f"–{self.last}" if self.last else "+"
        price = f"${self.amount} each" if self.each else f"${self.amount} in all"
        return f"{self.first}{end}: {price}"


SIGNAL_COUNT_RANGE = (1, 100)


class SignalAllowance(models.Model):
    """How many program signals an applicant has in one specialty for one season, and of
    which kinds, as the application service publishes them (AAMC's table for ERAS). A
    specialty without a row has an allowance nobody here knows, never none. Until the
    season's own counts are published, its rows carry the latest table, unconfirmed."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="signal_allowances")
    specialty = models.ForeignKey(
        Specialty, on_delete=models.CASCADE, related_name="signal_allowances"
    )
    signals = models.PositiveSmallIntegerField(
        "signals of one kind",
        null=True,
        blank=True,
        help_text="For a specialty whose signals are all alike; leave gold and silver empty.",
    )
    gold = models.PositiveSmallIntegerField("gold signals", null=True, blank=True)
    silver = models.PositiveSmallIntegerField("silver signals", null=True, blank=True)
    published_for = models.PositiveSmallIntegerField(
        "counts published for the ERAS season",
        help_text="The season of the table the counts come from, e.g. 2025.",
    )
    confirmed = models.BooleanField(
        "counts confirmed for this season",
        default=False,
        help_text="Leave unticked while the counts are an earlier season's.",
    )
    source_label = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500, blank=True)
    as_of = models.DateField(
        "published", null=True, blank=True, help_text="When the source published the counts."
    )
    notes = models.TextField(blank=True, help_text="Shown to applicants next to the counts.")
    history = HistoricalRecords()

    objects = SignalAllowanceQuerySet.as_manager()

    class Meta:
        ordering = ["season", "specialty"]
        verbose_name = "signal allowance"
        constraints = [
            models.UniqueConstraint(
                fields=["season", "specialty"],
                name="one_signal_allowance_per_specialty_and_season",
                violation_error_message="The season already has signals for that specialty.",
            ),
            Rule(
                condition=Q(signals__isnull=False, gold__isnull=True, silver__isnull=True)
                | Q(signals__isnull=True, gold__isnull=False),
                name="signal_allowance_one_kind_or_gold_and_silver",
                field="signals",
                violation_error_message=(
                    "Give either a number of signals of one kind, or gold signals (and silver "
                    "ones), not both."
                ),
            ),
            *(
                Rule(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__range": SIGNAL_COUNT_RANGE}),
                    name=f"signal_allowance_{name}_plausible",
                    field=name,
                    violation_error_message="Give between 1 and 100 signals.",
                )
                for name in ("signals", "gold", "silver")
            ),
            Rule(
                condition=Q(published_for__range=(2000, 2100)),
                name="signal_allowance_published_for_plausible",
                field="published_for",
                violation_error_message="An ERAS season is between 2000 and 2100.",
            ),
            not_blank(
                "source_label",
                name="signal_allowance_has_a_source",
                message="Name the source that publishes these counts.",
            ),
        ]

    def __str__(self):
        return f"{self.specialty}, {self.season}: {self.counts_text}"

    @property
    def limits(self) -> dict[str, int]:
        """How many of each kind an applicant may send, by ``SignalKind`` value."""
        if self.signals is not None:
            return {SignalKind.SIGNAL: self.signals}
        limits = {SignalKind.GOLD: self.gold}
        if self.silver is not None:
            limits[SignalKind.SILVER] = self.silver
        return {kind: count for kind, count in limits.items() if count is not None}

    @property
    def counts_text(self) -> str:
        words = {SignalKind.SIGNAL: "signals", SignalKind.GOLD: "gold", SignalKind.SILVER: "silver"}
        return " + ".join(f"{count} {words[kind]}" for kind, count in self.limits.items())


class SpecialtyStatistic(models.Model):
    """NRMP Main Residency Match figures for one specialty label and year.

    NRMP's specialty labels (e.g. "Internal Medicine (Categorical)") do not map one to one
    onto ACGME specialties, so the label is kept and the link to a specialty is optional.
    """

    nrmp_specialty = models.CharField("NRMP specialty", max_length=200)
    specialty = models.ForeignKey(
        Specialty, on_delete=models.SET_NULL, null=True, blank=True, related_name="statistics"
    )
    year = models.PositiveSmallIntegerField()
    programs = models.PositiveIntegerField(null=True, blank=True)
    positions_offered = models.PositiveIntegerField(null=True, blank=True)
    percent_filled = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    matched_total = models.PositiveIntegerField(null=True, blank=True)
    matched_us_md = models.PositiveIntegerField("matched US MD seniors", null=True, blank=True)
    matched_us_do = models.PositiveIntegerField("matched US DO seniors", null=True, blank=True)
    matched_us_img = models.PositiveIntegerField("matched US-citizen IMGs", null=True, blank=True)
    matched_non_us_img = models.PositiveIntegerField(
        "matched non-US-citizen IMGs", null=True, blank=True
    )
    unfilled_positions = models.PositiveIntegerField(null=True, blank=True)
    step2_median_us_md = models.PositiveSmallIntegerField(
        "Step 2 CK median, matched US MD seniors", null=True, blank=True
    )
    step2_median_non_us_img = models.PositiveSmallIntegerField(
        "Step 2 CK median, matched non-US IMGs", null=True, blank=True
    )
    positions_scope = models.CharField(
        max_length=20,
        blank=True,
        help_text="Which positions the figures count, e.g. “PGY-1”; empty when all.",
    )
    covers_part_only = models.BooleanField(
        "covers only part of the specialty",
        default=False,
        help_text="Ticked when the NRMP row counts only a small part of the specialty's "
        "programs, so it never heads the specialty's figures.",
    )
    source_label = models.CharField(max_length=200)
    source_url = models.URLField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["nrmp_specialty", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["nrmp_specialty", "year"], name="one_statistic_per_label_and_year"
            ),
            Rule(
                condition=Q(percent_filled__isnull=True) | Q(percent_filled__range=(0, 100)),
                name="statistic_percent_filled_0_to_100",
                field="percent_filled",
                violation_error_message="A share filled is 0 to 100 percent.",
            ),
            Rule(
                condition=Q(year__range=(1952, 2100)),
                name="statistic_year_plausible",
                field="year",
                violation_error_message="The Match has run since 1952.",
            ),
            Rule(
                condition=Q(step2_median_us_md__isnull=True)
                | Q(step2_median_us_md__range=STEP2_RANGE),
                name="statistic_step2_us_md_in_range",
                field="step2_median_us_md",
                violation_error_message="Step 2 CK scores run from 1 to 300.",
            ),
            Rule(
                condition=Q(step2_median_non_us_img__isnull=True)
                | Q(step2_median_non_us_img__range=STEP2_RANGE),
                name="statistic_step2_non_us_img_in_range",
                field="step2_median_non_us_img",
                violation_error_message="Step 2 CK scores run from 1 to 300.",
            ),
            Rule(
                condition=Q(matched_total__isnull=True)
                | Q(positions_offered__isnull=True)
                | Q(matched_total__lte=F("positions_offered")),
                name="statistic_matched_not_above_offered",
                field="matched_total",
                violation_error_message="More matches than positions offered.",
            ),
        ]

    def __str__(self):
        return f"{self.nrmp_specialty}, {self.year}"


class ChartingOutcome(models.Model):
    """How one group of applicants who preferred a specialty fared in one Match, from NRMP's
    Charting Outcomes: Step 2 CK quartiles of those who matched, the median of those who did
    not, the match rate and the applicants per position. Figures NRMP did not publish (too few
    applicants) stay empty."""

    nrmp_specialty = models.CharField("NRMP specialty", max_length=200)
    specialty = models.ForeignKey(
        Specialty,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="charting_outcomes",
    )
    year = models.PositiveSmallIntegerField()
    applicant_group = models.CharField(max_length=20, choices=ApplicantGroup.choices)
    matched = models.PositiveIntegerField("applicants who matched", null=True, blank=True)
    not_matched = models.PositiveIntegerField("applicants who did not", null=True, blank=True)
    step2_q1 = models.PositiveSmallIntegerField(
        "Step 2 CK, matched, lower quartile", null=True, blank=True
    )
    step2_median = models.PositiveSmallIntegerField(
        "Step 2 CK, matched, median", null=True, blank=True
    )
    step2_q3 = models.PositiveSmallIntegerField(
        "Step 2 CK, matched, upper quartile", null=True, blank=True
    )
    step2_not_matched_median = models.PositiveSmallIntegerField(
        "Step 2 CK, not matched, median", null=True, blank=True
    )
    match_rate = models.DecimalField(
        "match rate (percent)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    applicants_per_position = models.DecimalField(
        "applicants (all groups) per position",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    source_label = models.CharField(max_length=300)
    source_url = models.URLField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["nrmp_specialty", "applicant_group", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["nrmp_specialty", "applicant_group", "year"],
                name="one_outcome_per_specialty_group_year",
            ),
            Rule(
                condition=Q(step2_q1__isnull=True)
                | Q(step2_median__isnull=True)
                | Q(step2_q1__lte=F("step2_median")),
                name="outcome_quartiles_in_order",
                field="step2_median",
                violation_error_message="The median must not be below the lower quartile.",
            ),
            Rule(
                condition=Q(step2_q3__isnull=True)
                | Q(step2_median__isnull=True)
                | Q(step2_median__lte=F("step2_q3")),
                name="outcome_upper_quartile_in_order",
                field="step2_q3",
                violation_error_message="The upper quartile must not be below the median.",
            ),
            Rule(
                condition=Q(match_rate__isnull=True) | Q(match_rate__range=(0, 100)),
                name="outcome_match_rate_0_to_100",
                field="match_rate",
                violation_error_message="A match rate is 0 to 100 percent.",
            ),
        ]

    def __str__(self):
        return f"{self.nrmp_specialty}, {self.get_applicant_group_display()}, {self.year}"


class FaqEntry(models.Model):
    question = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=120, unique=True, help_text="The entry's anchor on /faq/; keep it stable."
    )
    answer = models.TextField(help_text="Markdown. Scripts and unsafe HTML are removed.")
    topic = models.CharField(max_length=20, choices=FaqTopic.choices)
    specialty = models.ForeignKey(
        Specialty, on_delete=models.SET_NULL, null=True, blank=True, related_name="faq_entries"
    )
    program = models.ForeignKey(
        Program, on_delete=models.SET_NULL, null=True, blank=True, related_name="faq_entries"
    )
    related_guides = models.ManyToManyField("Guide", blank=True, related_name="faq_entries")
    order = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField("published", default=False)
    last_reviewed_on = models.DateField(null=True, blank=True)
    source_label = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(blank=True)
    history = HistoricalRecords()

    objects = FaqEntryQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "order", Lower("question"), "slug"]
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"
        constraints = [
            not_blank(
                "question", name="faq_question_not_blank", message="An entry needs its question."
            ),
            not_blank("answer", name="faq_answer_not_blank", message="An entry needs its answer."),
        ]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("programs:faq") + f"#{self.slug}"


class Guide(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text="Markdown. Scripts and unsafe HTML are removed.")
    order = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField("published", default=False)
    last_reviewed_on = models.DateField(null=True, blank=True)
    sources = models.TextField(blank=True, help_text="Markdown list of sources with links.")
    history = HistoricalRecords()

    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["order", Lower("title"), "slug"]
        constraints = [
            not_blank("title", name="guide_title_not_blank", message="A guide needs a title."),
            not_blank("body", name="guide_body_not_blank", message="A guide needs a body."),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:guide", args=[self.slug])


class OutdatedReport(models.Model):
    """A reader's note that something on a program's page is wrong or out of date."""

    MESSAGE_MAX = 2000

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="reports")
    message = models.TextField(max_length=MESSAGE_MAX)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.NEW)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewer_note = models.TextField(blank=True)

    objects = OutdatedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(message__regex=r"\S") & LessThanOrEqual(Length("message"), 2000),
                name="report_message_not_blank_and_bounded",
            ),
        ]

    def __str__(self):
        return f"Report on {self.program.acgme_id} ({self.get_status_display()})"


class NrmpTrack(models.Model):
    """An NRMP program code of a program: the code applicants put on their rank list. A
    program may have several tracks (categorical, preliminary, primary care...)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="nrmp_tracks")
    code = models.CharField("NRMP code", max_length=11, unique=True)
    track_name = models.CharField(max_length=200, blank=True)
    match_rule = models.CharField(
        max_length=60, blank=True, help_text="How the code was joined to the program."
    )
    source_label = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "code"]
        verbose_name = "NRMP track"
        constraints = [
            Rule(
                condition=Q(code__regex=r"^[0-9]{4}[0-9]{3}[A-Z][0-9]{1,3}$"),
                name="nrmp_code_shape",
                field="code",
                violation_error_message="An NRMP code reads like 1261140C0: institution, "
                "specialty, track letter and number.",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def kind(self) -> str:
        """The track type NRMP's letter stands for."""
        return NRMP_TRACK_TYPES.get(self.code[7], "")


NRMP_TRACK_TYPES = {
    "C": "Categorical",
    "M": "Primary care",
    "P": "Preliminary",
    "A": "Advanced",
    "R": "Physician (reserved)",
    "F": "Fellowship",
    "S": "Fellowship",
}


class ProgramMatchResult(models.Model):
    """One NRMP track's positions offered and filled in one Match (NRMP Program Results)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_results")
    nrmp_code = models.CharField("NRMP code", max_length=11)
    year = models.PositiveSmallIntegerField()
    match = models.ForeignKey(
        Match,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
        help_text="The match whose results report the figures.",
    )
    positions_offered = models.PositiveSmallIntegerField()
    matched = models.PositiveSmallIntegerField()
    source_label = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["program", "nrmp_code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["nrmp_code", "year"], name="one_result_per_track_year"),
            Rule(
                condition=Q(matched__lte=F("positions_offered")),
                name="result_matched_not_above_offered",
                field="matched",
                violation_error_message="More matches than positions offered.",
            ),
        ]

    def __str__(self):
        return f"{self.nrmp_code}, {self.year}"


class ProgramPositions(models.Model):
    """A program's ACGME-approved and filled positions on one date (from ACGME's ADS)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="positions")
    as_of = models.DateField()
    approved = models.PositiveSmallIntegerField()
    filled = models.PositiveSmallIntegerField()
    source_label = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["program", "-as_of"]
        verbose_name_plural = "program positions"
        constraints = [
            models.UniqueConstraint(fields=["program", "as_of"], name="one_count_per_program_day"),
        ]

    def __str__(self):
        return f"{self.program_id}: {self.filled} of {self.approved}, {self.as_of}"


class SponsorH1bFilings(models.Model):
    """What the US Department of Labor's H-1B disclosure data shows about an institution:
    Labor Condition Applications it filed for residents and fellows in one period. Evidence
    about the institution, never a program's own policy; its absence proves nothing."""

    sponsor = models.OneToOneField(Sponsor, on_delete=models.CASCADE, related_name="h1b_filings")
    filings = models.PositiveSmallIntegerField(help_text="LCAs for residents and fellows.")
    specialties = models.TextField(
        blank=True, help_text="Specialties the job titles name, “; ” between."
    )
    wage_from = models.PositiveIntegerField("lowest offered yearly wage", null=True, blank=True)
    wage_to = models.PositiveIntegerField("highest offered yearly wage", null=True, blank=True)
    employers = models.CharField(
        max_length=1000, blank=True, help_text="The employers named on the applications."
    )
    period = models.CharField(max_length=60, help_text="e.g. “October 2024 to March 2025”.")
    filed_from = models.DateField(
        "first filing", null=True, blank=True, help_text="The first day of the period."
    )
    filed_to = models.DateField(
        "last filing",
        null=True,
        blank=True,
        help_text="The last day of the period: evidence newer than any answer dated before it.",
    )
    source_label = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["sponsor"]
        verbose_name = "H-1B filings"
        verbose_name_plural = "H-1B filings"
        constraints = [
            Rule(
                condition=Q(filings__gte=1),
                name="h1b_filings_at_least_one",
                field="filings",
                violation_error_message="Record an institution only when it filed.",
            ),
            Rule(
                condition=Q(wage_from__isnull=True)
                | Q(wage_to__isnull=True)
                | Q(wage_from__lte=F("wage_to")),
                name="h1b_wages_in_order",
                field="wage_to",
                violation_error_message="The highest wage must not be below the lowest.",
            ),
        ]

    def __str__(self):
        return f"{self.sponsor}: {self.filings} H-1B applications, {self.period}"


class SuggestionStatus(models.TextChoices):
    NEW = "new", "New: to review"
    ADDED = "added", "Added through the program form"
    DISMISSED = "dismissed", "Dismissed"


class ProgramSuggestion(models.Model):
    """A program known only from the NRMP code list (about 2024), not from the ACGME listing
    the site holds: offered to curators, who add it through the program form with its
    listing source, or dismiss it. A suggestion never becomes a program by itself."""

    nrmp_code = models.CharField("NRMP code", max_length=9, unique=True)
    track_name = models.CharField(max_length=200)
    institution_name = models.CharField(max_length=200)
    state = models.CharField(max_length=2, choices=State.choices)
    specialty = models.ForeignKey(
        Specialty,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="program_suggestions",
    )
    reason = models.TextField(help_text="Why no listed program seems to be this one.")
    source_label = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.NEW
    )

    class Meta:
        ordering = ["state", "institution_name", "nrmp_code"]
        verbose_name = "program known from the NRMP code list (about 2024)"
        verbose_name_plural = "programs known from the NRMP code list (about 2024)"

    def __str__(self):
        return f"{self.track_name}, {self.institution_name} ({self.nrmp_code})"
