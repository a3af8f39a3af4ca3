"""Program representatives: people who speak for a program, shown to by an address at its
domain and approved by a curator, and what they send: proposed facts, the season's dates and
a contact for applicants (each reviewed by a curator before anything on the site changes),
and confirmations that a group of facts is still true."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from programs.models import FactGroup, Program, Season
from programs.rules import Rule, not_blank
from representatives.querysets import (
    ConfirmationQuerySet,
    ProposalQuerySet,
    RepresentativeQuerySet,
)


class Decision(models.TextChoices):
    PENDING = "pending", "Awaiting a curator"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


def _decision_rules(model: str) -> list[Rule]:
    return [
        Rule(
            condition=~Q(status=Decision.REFUSED) | Q(reason__regex=r"\S"),
            name=f"{model}_refusal_says_why",
            field="reason",
            violation_error_message="A refusal says why.",
        ),
        Rule(
            condition=Q(status=Decision.PENDING) | Q(decided_at__isnull=False),
            name=f"{model}_decision_is_dated",
            field="decided_at",
            violation_error_message="A decision records when it was made.",
        ),
    ]


class Representative(models.Model):
    """Someone's request to speak for a program, and once a curator approves it, their
    standing to propose its facts. The address proves the link to the program when it is at
    the program's (or its institution's) domain; without a website the curator verifies by
    other means (``domain_verifiable`` off)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField("your name", max_length=200)
    role = models.CharField(
        "your role at the program", max_length=200, help_text="e.g. Program coordinator."
    )
    email = models.EmailField(
        "your address at the program",
        help_text="We send a link to it to check that it is yours.",
    )
    note = models.TextField("anything the curators should know", max_length=2000, blank=True)
    domain_verifiable = models.BooleanField(
        "address at the program's domain",
        default=True,
        help_text="Off when the program has no website: a curator verifies by other means.",
    )
    email_verified_at = models.DateTimeField("address verified", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField("curator's reason", blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("asked", auto_now_add=True)
    history = HistoricalRecords()

    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "representative"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program"],
                condition=~Q(status=Decision.REFUSED),
                name="one_open_request_per_program",
                violation_error_message="You have already asked to represent this program.",
            ),
            Rule(
                condition=~Q(status=Decision.APPROVED) | Q(email_verified_at__isnull=False),
                name="representative_approved_after_verifying",
                field="status",
                violation_error_message="Only a representative whose address is verified can "
                "be approved.",
            ),
            not_blank("name", name="representative_name_not_blank", message="Give your name."),
            not_blank("role", name="representative_role_not_blank", message="Give your role."),
            *_decision_rules("representative"),
        ]

    def __str__(self):
        return f"{self.name}, {self.program.name}"

    @property
    def is_approved(self) -> bool:
        return self.status == Decision.APPROVED


class ProposalKind(models.TextChoices):
    FACTS = "facts", "Facts"
    DATES = "dates", "Dates for the season"
    CONTACT = "contact", "Contact for applicants"


class Proposal(models.Model):
    """What a representative says should change, waiting for a curator: the changed fields'
    new values (``values``, by field name, as the form gave them) and the source that says
    them. Approved, it is applied by ``services.approve_proposals``; refused, nothing
    changes and the representative reads the reason."""

    representative = models.ForeignKey(
        Representative, on_delete=models.CASCADE, related_name="proposals"
    )
    kind = models.CharField(max_length=10, choices=ProposalKind.choices)
    group = models.CharField("fact group", max_length=20, choices=FactGroup.choices, blank=True)
    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    values = models.JSONField(encoder=DjangoJSONEncoder)
    source_label = models.CharField("source", max_length=200)
    source_url = models.URLField("source URL", max_length=500, blank=True)
    as_of = models.DateField("as of", help_text="The date the source says it.")
    status = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField("curator's reason", blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("proposed", auto_now_add=True)
    history = HistoricalRecords()

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            Rule(
                condition=(Q(kind=ProposalKind.FACTS) & ~Q(group=""))
                | (~Q(kind=ProposalKind.FACTS) & Q(group="")),
                name="proposal_group_only_for_facts",
                field="group",
                violation_error_message="A proposal of facts names its group; others name none.",
            ),
            Rule(
                condition=(Q(kind=ProposalKind.DATES) & Q(season__isnull=False))
                | (~Q(kind=ProposalKind.DATES) & Q(season__isnull=True)),
                name="proposal_season_only_for_dates",
                field="season",
                violation_error_message="Proposed dates name their season; others name none.",
            ),
            not_blank(
                "source_label",
                name="proposal_names_its_source",
                message="Name the source that says it.",
            ),
            *_decision_rules("proposal"),
        ]

    def __str__(self):
        return f"{self.subject} for {self.representative.program.name}"

    @property
    def program(self) -> Program:
        return self.representative.program

    @property
    def subject(self) -> str:
        if self.kind == ProposalKind.FACTS:
            return FactGroup(self.group).label
        if self.kind == ProposalKind.DATES:
            return f"Dates for {self.season}"
        return ProposalKind(self.kind).label


class Confirmation(models.Model):
    """A representative's word that a group of the program's facts is still true this
    season: who, which group, when. It changes no fact and is no curator's check."""

    representative = models.ForeignKey(
        Representative, on_delete=models.CASCADE, related_name="confirmations"
    )
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="+")
    group = models.CharField("fact group", max_length=20, choices=FactGroup.choices)
    confirmed_at = models.DateTimeField(default=timezone.now)

    objects = ConfirmationQuerySet.as_manager()

    class Meta:
        ordering = ["-confirmed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "season", "group"],
                name="one_confirmation_per_group_and_season",
                violation_error_message="This group is already confirmed for the season.",
            )
        ]

    def __str__(self):
        return f"{FactGroup(self.group).label} still true, {self.season}"


class ProgramContact(models.Model):
    """Where applicants reach the program, as its representative gave it and a curator
    approved it."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="applicant_contact"
    )
    email = models.EmailField("email for applicants", blank=True)
    phone = models.CharField("phone for applicants", max_length=40, blank=True)
    url = models.URLField("page for applicants", max_length=500, blank=True)
    source_label = models.CharField("source", max_length=200)
    source_url = models.URLField("source URL", max_length=500, blank=True)
    as_of = models.DateField("as of", null=True, blank=True)
    verified_on = models.DateField("approved on", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["program"]
        verbose_name = "contact for applicants"
        verbose_name_plural = "contacts for applicants"
        constraints = [
            Rule(
                condition=~Q(email="") | ~Q(phone="") | ~Q(url=""),
                name="program_contact_says_something",
                field="email",
                violation_error_message="Give an email address, a phone number or a page.",
            ),
            not_blank(
                "source_label",
                name="program_contact_names_its_source",
                message="Name the source that says it.",
            ),
        ]

    def __str__(self):
        return f"Contact for {self.program.name}"
