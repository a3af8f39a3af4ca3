"""The directory: specialties, sponsors, programs and their IMG policy facts, seasons and
their dates, NRMP statistics, FAQ entries, guides and readers' reports.

Facts a program may not have published are stored so that *unknown* stays distinct from
*no*: tri-state choices default to ``unknown`` and numbers that depend on a policy are only
present when the policy says there is one. The database refuses data that breaks these rules.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from programs.querysets import ProgramQuerySet
from programs.states import REGION_OF_STATE, State

STEP2_RANGE = (1, 300)
COMLEX_RANGE = (9, 999)


class Tri(models.TextChoices):
    """A published yes or no, or nothing known."""

    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not reported"


class Level(models.TextChoices):
    RESIDENCY = "residency", "Residency"
    FELLOWSHIP = "fellowship", "Fellowship"


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

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "specialties"
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{3}$"), name="specialty_code_three_digits"
            ),
            models.CheckConstraint(
                condition=Q(level=Level.FELLOWSHIP) | Q(parent__isnull=True),
                name="specialty_only_fellowships_have_parent",
            ),
            models.CheckConstraint(
                condition=Q(typical_length_years__isnull=True)
                | Q(typical_length_years__range=(1, 10)),
                name="specialty_length_1_to_10",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:specialty", args=[self.slug])


class Sponsor(models.Model):
    """A sponsoring institution, keyed by its ACGME sponsor code."""

    code = models.CharField("ACGME sponsor code", max_length=6, unique=True)
    name = models.CharField(max_length=300)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, choices=State.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6}$"), name="sponsor_code_six_digits"
            ),
        ]

    def __str__(self):
        return self.name


class Accreditation(models.TextChoices):
    CONTINUED = "continued", "Continued Accreditation"
    CONTINUED_WITHOUT_OUTCOMES = (
        "continued_without_outcomes",
        "Continued Accreditation without Outcomes",
    )
    CONTINUED_WITH_WARNING = "continued_with_warning", "Continued Accreditation with Warning"
    INITIAL = "initial", "Initial Accreditation"
    INITIAL_WITH_WARNING = "initial_with_warning", "Initial Accreditation with Warning"
    PROBATIONARY = "probationary", "Probationary Accreditation"
    VOLUNTARY_WITHDRAWAL = "voluntary_withdrawal", "Voluntary Withdrawal"
    WITHDRAWN = "withdrawn", "Accreditation Withdrawn"
    ADMINISTRATIVE_WITHDRAWAL = (
        "administrative_withdrawal",
        "Administrative Withdrawal due to Withdrawn Core or Sponsor",
    )


WITHDRAWN_STATUSES = (
    Accreditation.VOLUNTARY_WITHDRAWAL,
    Accreditation.WITHDRAWN,
    Accreditation.ADMINISTRATIVE_WITHDRAWAL,
)


class Setting(models.TextChoices):
    UNIVERSITY = "university", "University-based"
    COMMUNITY_UNIVERSITY = "community_university", "Community-based, university-affiliated"
    COMMUNITY = "community", "Community-based"
    MILITARY = "military", "Military"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not reported"


class ScorePolicy(models.TextChoices):
    NONE = "none", "No minimum"
    HARD = "hard", "Hard cutoff"
    PREFERRED = "preferred", "Preferred, not required"
    UNKNOWN = "unknown", "Not reported"


class GraduationPolicy(models.TextChoices):
    NONE = "none", "No limit"
    LIMIT = "limit", "Limit in years"
    UNKNOWN = "unknown", "Not reported"


class ExperiencePolicy(models.TextChoices):
    NOT_REQUIRED = "not_required", "Not required"
    REQUIRED = "required", "Required"
    PREFERRED = "preferred", "Preferred"
    UNKNOWN = "unknown", "Not reported"


class EcfmgDeadline(models.TextChoices):
    APPLICATION = "application", "At application"
    RANK_LIST = "rank_list", "By the rank list deadline"
    START = "start", "By the start of training"
    UNKNOWN = "unknown", "Not reported"


class FactGroup(models.TextChoices):
    """Facts that are checked together, each group with its own source and verified date."""

    OVERVIEW = "overview", "Program facts"
    VISA = "visa", "IMGs and visas"
    SCORES = "scores", "Exam scores"
    ELIGIBILITY = "eligibility", "Graduation, clinical experience and ECFMG"


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
    length_years = models.PositiveSmallIntegerField("length of training (years)", null=True)
    filled_positions = models.PositiveIntegerField(
        null=True, blank=True, help_text="Residents on duty across all years (ACGME)."
    )

    # Overview facts.
    website = models.URLField(max_length=500, blank=True)
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
    sponsors_j1 = models.CharField("J-1", max_length=7, choices=Tri.choices, default=Tri.UNKNOWN)
    sponsors_h1b = models.CharField("H-1B", max_length=7, choices=Tri.choices, default=Tri.UNKNOWN)
    h1b_note = models.CharField(
        "H-1B conditions", max_length=300, blank=True, help_text="e.g. Step 3 passed by April."
    )

    # Exam scores.
    step2_policy = models.CharField(
        "Step 2 CK minimum", max_length=10, choices=ScorePolicy.choices, default=ScorePolicy.UNKNOWN
    )
    step2_minimum = models.PositiveSmallIntegerField("Step 2 CK score", null=True, blank=True)
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

    # Where each fact group comes from and when a curator last checked it.
    overview_source_label = models.CharField("program facts: source", max_length=200, blank=True)
    overview_source_url = models.URLField("program facts: source URL", max_length=500, blank=True)
    overview_verified_on = models.DateField("program facts: last verified", null=True, blank=True)
    visa_source_label = models.CharField("IMGs and visas: source", max_length=200, blank=True)
    visa_source_url = models.URLField("IMGs and visas: source URL", max_length=500, blank=True)
    visa_verified_on = models.DateField("IMGs and visas: last verified", null=True, blank=True)
    scores_source_label = models.CharField("exam scores: source", max_length=200, blank=True)
    scores_source_url = models.URLField("exam scores: source URL", max_length=500, blank=True)
    scores_verified_on = models.DateField("exam scores: last verified", null=True, blank=True)
    eligibility_source_label = models.CharField("eligibility: source", max_length=200, blank=True)
    eligibility_source_url = models.URLField("eligibility: source URL", max_length=500, blank=True)
    eligibility_verified_on = models.DateField("eligibility: last verified", null=True, blank=True)
    last_verified_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="The most recent verified date of any fact group; kept by save().",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "is_withdrawn"])

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
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
            models.CheckConstraint(
                condition=Q(acgme_id__regex=r"^[0-9]{10}$"), name="program_acgme_id_ten_digits"
            ),
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="program_state_is_usps_code"
            ),
            models.CheckConstraint(
                condition=Q(zip_code="") | Q(zip_code__regex=r"^[0-9]{5}(-[0-9]{4})?$"),
                name="program_zip_code_format",
            ),
            models.CheckConstraint(condition=Q(name__regex=r"\S"), name="program_name_not_blank"),
            models.CheckConstraint(
                condition=Q(length_years__isnull=True) | Q(length_years__range=(1, 10)),
                name="program_length_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(originally_accredited_on__isnull=True)
                | Q(accreditation_effective_on__isnull=True)
                | Q(originally_accredited_on__lte=models.F("accreditation_effective_on")),
                name="program_accreditation_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(year1_positions__isnull=True) | Q(year1_positions__lte=500),
                name="program_year1_positions_plausible",
            ),
            models.CheckConstraint(
                condition=Q(required_letters__isnull=True) | Q(required_letters__lte=10),
                name="program_required_letters_0_to_10",
            ),
            models.CheckConstraint(
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
            ),
            models.CheckConstraint(
                condition=Q(comlex_minimum__isnull=True)
                | (Q(comlex_minimum__range=COMLEX_RANGE) & ~Q(comlex_accepted=Tri.NO)),
                name="program_comlex_minimum_in_range_and_accepted",
            ),
            models.CheckConstraint(
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
            ),
            models.CheckConstraint(
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
            ),
            models.CheckConstraint(
                condition=Q(h1b_note="") | ~Q(sponsors_h1b=Tri.NO),
                name="program_h1b_note_only_when_not_refused",
            ),
            models.CheckConstraint(
                condition=~Q(sponsors_j1=Tri.YES) & ~Q(sponsors_h1b=Tri.YES)
                | ~Q(accepts_imgs=Tri.NO),
                name="program_visa_implies_not_refusing_imgs",
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
        return reverse("programs:detail", args=[self.acgme_id])

    def newest_verified_date(self) -> datetime.date | None:
        dates = [self.verified_on(group) for group in FactGroup]
        return max((d for d in dates if d), default=None)

    def verified_on(self, group: FactGroup) -> datetime.date | None:
        return getattr(self, f"{group}_verified_on")

    def source(self, group: FactGroup) -> tuple[str, str]:
        return getattr(self, f"{group}_source_label"), getattr(self, f"{group}_source_url")

    def is_stale(self, group: FactGroup | None = None) -> bool:
        """True when a group (or the program as a whole) has not been verified within
        STALE_AFTER_DAYS; a group never verified is stale too."""
        verified = self.verified_on(group) if group else self.last_verified_on
        return verified is None or verified < stale_cutoff()

    @property
    def region(self) -> str:
        return REGION_OF_STATE.get(self.state, "")

    @cached_property
    def is_residency(self) -> bool:
        return self.specialty.level == Level.RESIDENCY


def stale_cutoff(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=settings.STALE_AFTER_DAYS)


class SeasonEvent(models.TextChoices):
    """The official dates of a Match season, in the order they happen."""

    ERAS_OPENS = "eras_opens", "ERAS opens"
    APPLICANTS_SUBMIT = "applicants_submit", "Applicants may submit"
    PROGRAMS_REVIEW = "programs_review", "Programs may review applications"
    NRMP_REGISTRATION = "nrmp_registration", "NRMP registration opens"
    RANK_LIST_DEADLINE = "rank_list_deadline", "Rank order list deadline"
    MATCH_DAY = "match_day", "Match Day"
    TRAINING_STARTS = "training_starts", "Training starts"


class Season(models.Model):
    """One application and Match cycle, e.g. "Match 2027", with its official dates.

    Each date is marked projected until a curator confirms it against the official source.
    """

    name = models.CharField(max_length=50, unique=True)
    match_year = models.PositiveSmallIntegerField(unique=True)
    is_current = models.BooleanField(default=False)

    eras_opens = models.DateField("ERAS opens")
    eras_opens_confirmed = models.BooleanField(default=False)
    applicants_submit = models.DateField("applicants may submit")
    applicants_submit_confirmed = models.BooleanField(default=False)
    programs_review = models.DateField("programs may review")
    programs_review_confirmed = models.BooleanField(default=False)
    nrmp_registration = models.DateField("NRMP registration opens")
    nrmp_registration_confirmed = models.BooleanField(default=False)
    rank_list_deadline = models.DateField()
    rank_list_deadline_confirmed = models.BooleanField(default=False)
    match_day = models.DateField()
    match_day_confirmed = models.BooleanField(default=False)
    training_starts = models.DateField()
    training_starts_confirmed = models.BooleanField(default=False)

    source_label = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-match_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_season"
            ),
            models.CheckConstraint(
                condition=Q(match_year__range=(2000, 2100)), name="season_match_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(eras_opens__lte=models.F("applicants_submit"))
                & Q(applicants_submit__lte=models.F("programs_review"))
                & Q(programs_review__lte=models.F("rank_list_deadline"))
                & Q(nrmp_registration__lte=models.F("rank_list_deadline"))
                & Q(rank_list_deadline__lte=models.F("match_day"))
                & Q(match_day__lte=models.F("training_starts")),
                name="season_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    def events(self) -> list[tuple[SeasonEvent, datetime.date, bool]]:
        """(event, date, confirmed) in date order."""
        rows = [
            (event, getattr(self, event.value), getattr(self, f"{event.value}_confirmed"))
            for event in SeasonEvent
        ]
        return sorted(rows, key=lambda row: row[1])


class ProgramSeasonDates(models.Model):
    """A program's own dates for one season, where it publishes them."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="season_dates")
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="program_dates")
    applications_open = models.DateField(null=True, blank=True)
    application_deadline = models.DateField(null=True, blank=True, db_index=True)
    interviews_start = models.DateField(null=True, blank=True)
    interviews_end = models.DateField(null=True, blank=True)
    source_label = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(blank=True)
    verified_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["season", "program"]
        verbose_name = "program dates"
        verbose_name_plural = "program dates"
        constraints = [
            models.UniqueConstraint(fields=["program", "season"], name="one_dates_row_per_season"),
            models.CheckConstraint(
                condition=Q(applications_open__isnull=True)
                | Q(application_deadline__isnull=True)
                | Q(applications_open__lte=models.F("application_deadline")),
                name="program_dates_open_before_deadline",
            ),
            models.CheckConstraint(
                condition=Q(interviews_start__isnull=True)
                | Q(interviews_end__isnull=True)
                | Q(interviews_start__lte=models.F("interviews_end")),
                name="program_dates_interviews_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.program.name}, {self.season}"


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
    source_label = models.CharField(max_length=200)
    source_url = models.URLField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["nrmp_specialty", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["nrmp_specialty", "year"], name="one_statistic_per_label_and_year"
            ),
            models.CheckConstraint(
                condition=Q(percent_filled__isnull=True) | Q(percent_filled__range=(0, 100)),
                name="statistic_percent_filled_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(year__range=(1952, 2100)), name="statistic_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(step2_median_us_md__isnull=True)
                | Q(step2_median_us_md__range=STEP2_RANGE),
                name="statistic_step2_us_md_in_range",
            ),
            models.CheckConstraint(
                condition=Q(step2_median_non_us_img__isnull=True)
                | Q(step2_median_non_us_img__range=STEP2_RANGE),
                name="statistic_step2_non_us_img_in_range",
            ),
            models.CheckConstraint(
                condition=Q(matched_total__isnull=True)
                | Q(positions_offered__isnull=True)
                | Q(matched_total__lte=models.F("positions_offered")),
                name="statistic_matched_not_above_offered",
            ),
        ]

    def __str__(self):
        return f"{self.nrmp_specialty}, {self.year}"

    @property
    def img_share(self):
        """Share of matched positions that went to IMGs (US and non-US), in percent."""
        if not self.matched_total or self.matched_us_img is None or self.matched_non_us_img is None:
            return None
        return round(100 * (self.matched_us_img + self.matched_non_us_img) / self.matched_total, 1)


class FaqTopic(models.TextChoices):
    ECFMG = "ecfmg", "ECFMG certification and exams"
    VISAS = "visas", "Visas"
    APPLYING = "applying", "Applying and costs"
    MATCH = "match", "The Match"
    EXPERIENCE = "experience", "Clinical experience"
    THIS_SITE = "this_site", "Using this site"


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

    class Meta:
        ordering = ["topic", "order", "question"]
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(question__regex=r"\S") & Q(answer__regex=r"\S"),
                name="faq_question_and_answer_not_blank",
            ),
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

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(title__regex=r"\S") & Q(body__regex=r"\S"),
                name="guide_title_and_body_not_blank",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:guide", args=[self.slug])


class ReportStatus(models.TextChoices):
    NEW = "new", "New"
    FIXED = "fixed", "Fixed"
    DISMISSED = "dismissed", "Dismissed"


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

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(message__regex=r"\S") & LessThanOrEqual(Length("message"), 2000),
                name="report_message_not_blank_and_bounded",
            ),
        ]

    def __str__(self):
        return f"Report on {self.program.acgme_id} ({self.get_status_display()})"
