"""The fixed vocabularies of the directory: the values stored in choice fields, and the
outcomes of matching an applicant against a program's requirements.

Kept apart from the models so that querysets, filters and presenters can use them without
importing the models.
"""

import datetime
import re

from django.db import models

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
    NONE = "none", "Not required for interview consideration"
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
    """Facts that come from one source and are checked together. Each group keeps its source
    (label and URL), the date the source published the facts (``as_of``) and the date a
    curator last checked them against it (``verified_on``): two different things."""

    LISTING = "listing", "ACGME listing"
    OVERVIEW = "overview", "Program facts"
    VISA = "visa", "IMGs and visas"
    SCORES = "scores", "Exam scores"
    ELIGIBILITY = "eligibility", "Graduation, clinical experience and ECFMG"


# Sources kept for the record that a curator's check can never rest on: they are snapshots
# from years ago, so checking facts means naming a current source instead. A label naming
# FREIDA without a year from 2020 on, or the ACGME listing of 2021–22, however spelt, is one.
FREIDA_LABEL = r"freida"
CURRENT_YEAR_LABEL = r"20[2-9][0-9]"
OLD_ACGME_LABEL = r"acgme.*20(21|22)"


def is_archived_source(label: str) -> bool:
    """The same test as the models' rule, for forms that ask for a source before a check."""
    label = label.lower()
    if re.search(OLD_ACGME_LABEL, label):
        return True
    return bool(re.search(FREIDA_LABEL, label)) and not re.search(CURRENT_YEAR_LABEL, label)


# A hard Step 2 CK minimum below this is below any passing score the exam has had for years,
# so it cannot be a real cutoff; such values are shown as doubtful and never decide a fit.
STEP2_DOUBTFUL_BELOW = 194


# The filing dates the H-1B evidence covers: the case numbers of the Department of Labor's
# fiscal 2025, quarter 2 disclosure file run from 24 September 2024 to 24 March 2025.
H1B_EVIDENCE_PERIOD = "September 2024 to March 2025"
H1B_EVIDENCE_FROM = datetime.date(2024, 9, 24)
H1B_EVIDENCE_TO = datetime.date(2025, 3, 24)


class ApplicationService(models.TextChoices):
    """Where applicants send their applications in a season."""

    ERAS = "eras", "ERAS"
    RESIDENCYCAS = "residencycas", "ResidencyCAS"
    SF_MATCH = "sf_match", "SF Match (CAS)"


class FeeKind(models.TextChoices):
    """What an applicant pays for in a season. Application fees are counted per specialty
    (the tiers start again for each one); the others once per season."""

    ERAS_RESIDENCY = "eras_residency", "ERAS, residency applications"
    ERAS_FELLOWSHIP = "eras_fellowship", "ERAS, fellowship applications"
    RESIDENCYCAS = "residencycas", "ResidencyCAS applications"
    USMLE_TRANSCRIPT = "usmle_transcript", "USMLE transcript"
    COMLEX_TRANSCRIPT = "comlex_transcript", "COMLEX transcript"
    ECFMG_TOKEN = "ecfmg_token", "ECFMG token for ERAS (IMGs)"
    NRMP_REGISTRATION = "nrmp_registration", "NRMP Main Residency Match registration"
    NRMP_EXTRA_RANKS = "nrmp_extra_ranks", "NRMP, each program ranked beyond 20"


class SignalKind(models.TextChoices):
    """The kinds of program signal an application service gives: most specialties give one
    kind, some a few gold signals (the strongest) and more silver ones."""

    SIGNAL = "signal", "Signal"
    GOLD = "gold", "Gold signal"
    SILVER = "silver", "Silver signal"


class ApplicantGroup(models.TextChoices):
    """The applicant groups NRMP's Charting Outcomes reports describe."""

    US_MD_SENIOR = "us_md_senior", "US MD seniors"
    NON_US_IMG = "non_us_img", "non-US IMGs"


class MatchKind(models.TextChoices):
    """The matches that place applicants in US programs, each with its own calendar."""

    NRMP_MAIN = "nrmp_main", "NRMP Main Residency Match"
    NRMP_SMS = "nrmp_sms", "NRMP Specialties Matching Service"
    AUA = "aua", "AUA Urology Residency Match"
    SF_MATCH = "sf_match", "SF Match"
    MILITARY = "military", "Military match"


# The matches whose fees NRMP charges (its registration and ranks beyond 20).
NRMP_MATCHES = (MatchKind.NRMP_MAIN, MatchKind.NRMP_SMS)


class EventStatus(models.TextChoices):
    """Whether a date was checked against its named source or is projected from earlier
    years (or, without a date, not published yet)."""

    PROJECTED = "projected", "Projected"
    CONFIRMED = "confirmed", "Confirmed"


class FaqTopic(models.TextChoices):
    ECFMG = "ecfmg", "ECFMG certification and exams"
    VISAS = "visas", "Visas"
    APPLYING = "applying", "Applying and costs"
    MATCH = "match", "The Match"
    EXPERIENCE = "experience", "Clinical experience"
    THIS_SITE = "this_site", "Using this site"


class ReportStatus(models.TextChoices):
    NEW = "new", "New"
    FIXED = "fixed", "Fixed"
    DISMISSED = "dismissed", "Dismissed"


class Verdict(models.TextChoices):
    """Where an applicant stands with a program, from the outcomes of its requirements, best
    first. A requirement failed only by an answer older than STALE_AFTER_DAYS that nothing
    newer confirms gives "not eligible by an old answer"; "not eligible" is kept for facts
    that are current or a curator has checked."""

    ELIGIBLE = "eligible", "Eligible"
    POSSIBLY_ELIGIBLE = "possibly_eligible", "Possibly eligible"
    NOT_ELIGIBLE_BY_OLD_ANSWER = "not_eligible_old", "Not eligible by an old answer"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"


class Outcome(models.TextChoices):
    """How one of a program's requirements compares with what an applicant told us."""

    MET = "met", "Meets it"
    MET_WITH_WARNING = "met_with_warning", "Meets it, below what the program prefers"
    NOT_MET = "not_met", "Does not meet it"
    UNKNOWN = "unknown", "Not reported by the program"
    # The program's answer is doubted, or newer evidence contradicts it: it decides nothing.
    DOUBTFUL = "doubtful", "Rests on an answer in doubt"
    # The rule does not concern applicants like this one.
    NOT_APPLICABLE = "not_applicable", "Does not apply to you"
