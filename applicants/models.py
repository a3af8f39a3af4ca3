"""People: the site's accounts, and an applicant's profile, which programs are matched
against (``applicants.matching``)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from applicants.choices import Status
from applicants.querysets import ProfileQuerySet, ShortlistEntryQuerySet
from programs.models import Program, SignalKind, Specialty
from programs.rules import Rule

STEP2_RANGE = (1, 300)
COMLEX_RANGE = (9, 999)


class User(AbstractUser):
    """The site's account: applicants, curators and staff alike. Applicants sign up with
    their email address, which is also their username."""

    # Part of every password-reset link's signature (applicants.tokens): opening a link
    # sets it, so the link, and any other sent before it, works once.
    reset_link_opened_at = models.DateTimeField(null=True, blank=True, editable=False)


class ApplicantType(models.TextChoices):
    US_MD = "us_md", "US MD student or graduate"
    US_DO = "us_do", "US DO student or graduate"
    US_IMG = "us_img", "IMG who is a US citizen or permanent resident"
    NON_US_IMG = "non_us_img", "IMG who is not a US citizen or permanent resident"


IMG_TYPES = (ApplicantType.US_IMG, ApplicantType.NON_US_IMG)


class VisaNeed(models.TextChoices):
    NONE = "none", "None: I do not need a visa"
    J1 = "j1", "J-1 (sponsored by ECFMG)"
    H1B = "h1b", "H-1B (sponsored by the program)"
    EITHER = "either", "Either J-1 or H-1B"


class Profile(models.Model):
    """What an applicant tells us about themselves, once; every program is matched against
    it. Seen by its owner alone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    applicant_type = models.CharField("you are", max_length=12, choices=ApplicantType)
    graduation_year = models.PositiveSmallIntegerField(
        "year you graduated (or will graduate) from medical school"
    )
    step2_score = models.PositiveSmallIntegerField(
        "USMLE Step 2 CK score", null=True, blank=True, help_text="Leave empty if you have none."
    )
    comlex2_score = models.PositiveSmallIntegerField(
        "COMLEX Level 2-CE score", null=True, blank=True, help_text="For DO applicants."
    )
    step3_passed = models.BooleanField(
        "I have passed USMLE Step 3",
        default=False,
        help_text="A program can file an H-1B petition only once you have passed it.",
    )
    ecfmg_certified = models.BooleanField("I am ECFMG-certified", default=False)
    visa_needed = models.CharField("visa you need for residency", max_length=8, choices=VisaNeed)
    usce_months = models.PositiveSmallIntegerField(
        "months of US clinical experience",
        default=0,
        help_text="Hands-on experience in US clinics or hospitals.",
    )
    specialties = models.ManyToManyField(
        Specialty, related_name="+", verbose_name="specialties you are applying in"
    )
    states = models.JSONField(
        "states you prefer", default=list, blank=True, help_text="Leave empty for anywhere."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        constraints = [
            Rule(
                condition=Q(step2_score__isnull=True) | Q(step2_score__range=STEP2_RANGE),
                name="profile_step2_in_range",
                field="step2_score",
                violation_error_message="Step 2 CK scores run from 1 to 300.",
            ),
            Rule(
                condition=Q(comlex2_score__isnull=True) | Q(comlex2_score__range=COMLEX_RANGE),
                name="profile_comlex_in_range",
                field="comlex2_score",
                violation_error_message="COMLEX Level 2-CE scores run from 9 to 999.",
            ),
            Rule(
                condition=Q(usce_months__lte=120),
                name="profile_usce_plausible",
                field="usce_months",
                violation_error_message="Give at most 120 months.",
            ),
            Rule(
                condition=Q(graduation_year__range=(1950, 2100)),
                name="profile_graduation_year_plausible",
                field="graduation_year",
                violation_error_message="Give the year you graduated, e.g. 2020.",
            ),
        ]

    def __str__(self):
        return f"Profile of {self.user}"


NOTES_MAX_LENGTH = 4000


class ShortlistEntry(models.Model):
    """A program an applicant saved, with where their application stands, their own notes
    and the signal they plan to send it (the limits per specialty are
    ``applicants.signal_plan``'s). Seen by its owner alone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shortlist"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CONSIDERING)
    notes = models.TextField(
        "your notes",
        blank=True,
        max_length=NOTES_MAX_LENGTH,
        help_text="Private: only you see them.",
    )
    signal = models.CharField(
        "your signal",
        max_length=8,
        choices=SignalKind.choices,
        blank=True,
        help_text="The program signal you plan to send this program, within your allowance.",
    )
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShortlistEntryQuerySet.as_manager()

    class Meta:
        ordering = ["added_at"]
        verbose_name_plural = "shortlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program"],
                name="one_entry_per_program",
                violation_error_message="This program is already on your shortlist.",
            ),
            Rule(
                condition=Q(signal__in=["", *SignalKind.values]),
                name="shortlist_signal_is_a_kind",
                field="signal",
                violation_error_message="Choose a kind of signal, or none.",
            ),
        ]

    def __str__(self):
        return f"{self.program} on the shortlist of {self.user}"

    @property
    def holds_writing(self) -> bool:
        """Whether the applicant has written anything on the entry (a status past
        considering, notes, or a signal planned), which taking it off the shortlist would
        lose."""
        return self.status != Status.CONSIDERING or bool(self.notes.strip()) or bool(self.signal)


class CalendarFeed(models.Model):
    """The secret address of an applicant's private calendar feed. Calendar apps cannot log
    in, so the token alone opens the feed; making a new one closes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"
