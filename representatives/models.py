"""Program representatives: people who speak for a program, shown to by an address at its
domain and approved by a curator, and what they send: proposed facts, the season's dates and
a contact for applicants (each reviewed by a curator before anything on the site changes),
and confirmations that a group of facts is still true."""

import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from simple_history.models import HistoricalRecords

from applicants.models import Profile, ShortlistEntry
from programs.models import FactGroup, Program, Season
from programs.querysets import ProgramQuerySet
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


class DecidedByCurator(models.Model):
    """A request a curator approves or refuses, saying why when refusing."""

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

    class Meta:
        abstract = True


class Representative(DecidedByCurator):
    """Someone's request to speak for a program, and once a curator approves it, their
    standing to propose its facts. The address proves the link to the program when it is at
    the program's (or its institution's) domain; without a website the curator verifies by
    other means (``domain_verifiable`` off)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField(max_length=200)
    role = models.CharField(
        "role at the program", max_length=200, help_text="e.g. Program coordinator."
    )
    email = models.EmailField(
        "address at the program",
        help_text="We send a link to it to check that it is yours.",
    )
    note = models.TextField("note to the curators", max_length=2000, blank=True)
    domain_verifiable = models.BooleanField(
        "address at the program's domain",
        default=True,
        help_text="Off when the program has no website: a curator verifies by other means.",
    )
    email_verified_at = models.DateTimeField("address verified", null=True, blank=True)
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


class Proposal(DecidedByCurator):
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


# The groups whose facts decide whether an applicant may apply: what the queue dates.
DECIDING_GROUPS = (FactGroup.VISA, FactGroup.SCORES, FactGroup.ELIGIBILITY)
# An undated group counts as this old (a century): older than any dated one, so it comes
# first. (Ten years was younger than the 2016 answers once they turned ten.)
UNDATED_AGE_DAYS = 36500


def _count(queryset) -> Coalesce:
    """The number of rows of ``queryset`` (correlated by ``OuterRef``), as a subquery."""
    counted = queryset.order_by().values(_one=Value(1)).annotate(n=Func(F("pk"), function="COUNT"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0, output_field=IntegerField())


class DaysSince(Func):
    """Whole days from the date expression to ``today``."""

    output_field = IntegerField()

    def __init__(self, expression, *, today: datetime.date):
        super().__init__(expression, Value(today, output_field=DateField()))

    def as_sql(self, compiler, connection, **extra):
        (then, then_params), (today, today_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        if connection.vendor == "sqlite":
            sql = f"CAST(julianday({today}) - julianday({then}) AS INTEGER)"
        else:
            sql = f"({today} - {then})"
        return sql, (*today_params, *then_params)


class ListHolds(Func):
    """Whether a JSON list (a profile's states) holds the value."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        (items, items_params), (value, value_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        if connection.vendor == "sqlite":
            sql = f"EXISTS (SELECT 1 FROM json_each({items}) WHERE value = {value})"
        else:
            sql = f"({items} @> jsonb_build_array({value}))"
        return sql, (*items_params, *value_params)


class ReviewQueueQuerySet(ProgramQuerySet):
    def by_priority(self, *, today: datetime.date | None = None):
        """Programs not withdrawn, where a curator's hour helps applicants most first.

        ``priority = interest × age``:

        - ``interest`` is the number of applicant profiles that match the program (its
          specialty among theirs, its state among theirs or theirs empty) plus the number of
          shortlist entries that hold it;
        - ``age`` is the number of days since the oldest of its deciding fact groups (visa,
          scores, eligibility) was dated: each group's ``verified_on``, else its ``as_of``;
          a group with neither counts as ``UNDATED_AGE_DAYS`` (a century) old.

        Each row also carries what its representatives did this season: whether one is
        approved, which groups they confirmed, how many proposals wait. Only counts of
        applicants are read, never who they are."""
        today = today or timezone.localdate()
        program = OuterRef("pk")
        matching_profiles = Profile.objects.filter(specialties=OuterRef("specialty")).filter(
            Q(states=[]) | Q(ListHolds(F("states"), OuterRef("state")))
        )
        dated = {
            group: Coalesce(F(f"{group}_verified_on"), F(f"{group}_as_of"))
            for group in DECIDING_GROUPS
        }
        undated = Q()
        for group in DECIDING_GROUPS:
            undated |= Q(**{f"{group}_verified_on__isnull": True, f"{group}_as_of__isnull": True})
        return (
            self.filter(is_withdrawn=False)
            .select_related("specialty")
            .annotate(
                profile_count=_count(matching_profiles),
                shortlist_count=_count(ShortlistEntry.objects.filter(program=program)),
                interest=F("profile_count") + F("shortlist_count"),
                oldest_fact_on=Least(*dated.values()),
                has_undated_fact=ExpressionWrapper(undated, output_field=BooleanField()),
            )
            .annotate(
                age=Case(
                    When(
                        Q(has_undated_fact=True) | Q(oldest_fact_on__isnull=True),
                        then=Value(UNDATED_AGE_DAYS),
                    ),
                    default=DaysSince(F("oldest_fact_on"), today=today),
                    output_field=IntegerField(),
                ),
            )
            .annotate(
                priority=F("interest") * F("age"),
                has_representative=Exists(
                    Representative.objects.approved().filter(program=program)
                ),
                **{
                    f"confirmed_{group}": Exists(
                        Confirmation.objects.filter(
                            representative__program=program, season__is_current=True, group=group
                        )
                    )
                    for group in FactGroup
                },
                pending_proposals=_count(
                    Proposal.objects.pending().filter(representative__program=program)
                ),
            )
            .order_by("-priority", "name", "pk")
        )


class ReviewQueue(Program):
    """Programs as the curators' queue by applicant interest sees them: a view of the
    directory, read through ``ReviewQueueQuerySet.by_priority`` in the admin; it stores
    nothing of its own."""

    objects = ReviewQueueQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = "Review queue: where applicants look"
        verbose_name_plural = "Review queue: where applicants look"
