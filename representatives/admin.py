"""The curators' side: requests to represent a program, approved or refused with a reason,
the review queue of what representatives propose, each shown side by side with what the
site holds now, and the queue of programs by applicant interest. Approving applies a
proposal through ``services.approve_proposals``; the Curators group's permissions come from
migrations 0002 and 0003."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from programs.admin import ReadOnlyAdmin
from programs.models import FactGroup
from representatives import presenters, services
from representatives.models import (
    UNDATED_AGE_DAYS,
    Confirmation,
    Decision,
    ProgramContact,
    Proposal,
    Representative,
    ReviewQueue,
)

DECISION_LIST_LIMIT = 100


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the representative. A refusal needs one; for an approval, say how "
        "you verified it when the address could not show it.",
    )


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _day(moment) -> str:
    """The day of a moment where the site is (``TIME_ZONE``), as the admin's lists show it."""
    return f"{timezone.localdate(moment):%B %-d, %Y}"


class DecidingAdmin(SimpleHistoryAdmin):
    """Read-only records that curators decide on with the approve and refuse actions, each
    asking for the reason on a page of its own before anything changes."""

    actions = ("approve", "refuse")
    decide_template = "admin/representatives/decide.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + list(self.readonly_fields)

    @admin.action(description="Approve the selected…", permissions=["change"])
    def approve(self, request, queryset):
        return self._decide(request, queryset, Decision.APPROVED)

    @admin.action(description="Refuse the selected…", permissions=["change"])
    def refuse(self, request, queryset):
        return self._decide(request, queryset, Decision.REFUSED)

    def _decide(self, request, queryset, status: Decision):
        form = DecisionForm(request.POST if "confirm" in request.POST else None)
        rows = list(self.decision_queryset(queryset))
        if form.is_valid():
            try:
                decided = self.apply_decision(
                    rows, status=status, reason=form.cleaned_data["reason"], curator=request.user
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
                rows = list(self.decision_queryset(queryset))  # as saved, not as tried
            else:
                for row in decided:
                    self.log_change(request, row, f"{status.label}: {row.reason}".strip(": "))
                noun = _plural(len(decided), *self.nouns)
                self.message_user(request, f"{status.label}: {noun}.", messages.SUCCESS)
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"{'Approve' if status == Decision.APPROVED else 'Refuse'} "
            f"{self.model._meta.verbose_name_plural}",
            "opts": self.model._meta,
            "form": form,
            "status": status,
            "rows": [self.describe(row) for row in rows[:DECISION_LIST_LIMIT]],
            "count": len(rows),
            "limit": DECISION_LIST_LIMIT,
            "action": "approve" if status == Decision.APPROVED else "refuse",
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, self.decide_template, context)


@admin.register(Representative)
class RepresentativeAdmin(DecidingAdmin):
    nouns = ("request", "requests")
    list_display = (
        "name",
        "program",
        "role",
        "email",
        "domain",
        "address_verified",
        "status",
        "created_at",
    )
    list_filter = ("status", "domain_verifiable", ("email_verified_at", admin.EmptyFieldListFilter))
    list_select_related = ("program",)
    search_fields = ("name", "email", "program__name", "program__acgme_id")
    search_help_text = "Search by name, address, program name or ACGME ID."

    def decision_queryset(self, queryset):
        return queryset.select_related("program")

    def apply_decision(self, rows, *, status, reason, curator):
        return services.decide_requests(
            representatives=rows, status=status, reason=reason, curator=curator
        )

    def describe(self, representative):
        return {
            "title": f"{representative.name} ({representative.role}), {representative.email}",
            "subtitle": f"{representative.program.name} ({representative.program.acgme_id})",
            "warning": ""
            if representative.domain_verifiable
            else "Domain not verifiable: the program lists no website. Verify by other means.",
            "note": representative.note,
            "verified": representative.email_verified_at is not None,
        }

    @admin.display(description="domain")
    def domain(self, representative):
        if representative.domain_verifiable:
            return "At the program's domain"
        return "Domain not verifiable"

    @admin.display(description="address verified", boolean=True, ordering="email_verified_at")
    def address_verified(self, representative):
        return representative.email_verified_at is not None


@admin.register(Proposal)
class ProposalAdmin(DecidingAdmin):
    """The review queue: what representatives propose, side by side with the site."""

    nouns = ("proposal", "proposals")
    list_display = ("subject", "program", "proposed_by", "created_at", "status", "summary")
    list_filter = ("status", "kind", "group")
    search_fields = (
        "representative__program__name",
        "representative__program__acgme_id",
        "representative__name",
    )
    search_help_text = "Search by program name, ACGME ID or representative."
    readonly_fields = ("side_by_side",)

    class Media:
        css = {"all": ["representatives/admin.css"]}

    fields = (
        "side_by_side",
        "representative",
        "kind",
        "group",
        "season",
        "source_label",
        "source_url",
        "as_of",
        "status",
        "reason",
        "decided_at",
        "decided_by",
        "created_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).for_review()

    def decision_queryset(self, queryset):
        return queryset.for_review().order_by("created_at")

    def apply_decision(self, rows, *, status, reason, curator):
        if status == Decision.APPROVED:
            return services.approve_proposals(proposals=rows, curator=curator)
        return services.refuse_proposals(proposals=rows, curator=curator, reason=reason)

    def describe(self, proposal):
        return {
            "title": f"{proposal.subject}, {proposal.program.name} ({proposal.program.acgme_id})",
            "subtitle": f"Proposed by {proposal.representative.name}, "
            f"{proposal.representative.role}, on {_day(proposal.created_at)}",
            "changes": presenters.proposal_changes(proposal),
            "status": proposal.get_status_display(),
        }

    @admin.display(description="program", ordering="representative__program__name")
    def program(self, proposal):
        return proposal.program.name

    @admin.display(description="proposed by", ordering="representative__name")
    def proposed_by(self, proposal):
        return proposal.representative.name

    @admin.display(description="what would change")
    def summary(self, proposal):
        return presenters.proposed_words(proposal)

    @admin.display(description="side by side")
    def side_by_side(self, proposal):
        return render_to_string(
            "admin/representatives/_changes.html",
            {"changes": presenters.proposal_changes(proposal)},
        )


@admin.register(Confirmation)
class ConfirmationAdmin(ReadOnlyAdmin):
    """Representatives' word that a group is still true: a record, never a curator's check."""

    list_display = ("program", "group", "season", "representative", "confirmed_at")
    list_filter = ("season", "group")
    list_select_related = ("representative__program", "season")
    search_fields = ("representative__program__name", "representative__program__acgme_id")

    @admin.display(description="program", ordering="representative__program__name")
    def program(self, confirmation):
        return confirmation.representative.program.name


@admin.register(ProgramContact)
class ProgramContactAdmin(SimpleHistoryAdmin):
    list_display = ("program", "email", "phone", "url", "verified_on")
    list_select_related = ("program",)
    search_fields = ("program__name", "program__acgme_id", "email")
    autocomplete_fields = ("program",)

    def has_add_permission(self, request):
        return False


class HasRepresentativeFilter(admin.SimpleListFilter):
    title = "approved representative"
    parameter_name = "represented"

    def lookups(self, request, model_admin):
        return [("yes", "Has one"), ("no", "Has none")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(has_representative=self.value() == "yes")
        return queryset


@admin.register(ReviewQueue)
class ReviewQueueAdmin(ReadOnlyAdmin):
    """Programs in the order a curator's hour helps applicants most: those many applicants
    look at whose deciding facts are oldest first (``ReviewQueueQuerySet.by_priority``).
    Read-only; it counts applicants and never names one."""

    description = (
        "Priority = interest × age. Interest: applicant profiles this program matches (its "
        "specialty among theirs, its state among theirs or none chosen) plus shortlists that "
        "hold it. Age: days since the oldest of its visa, scores and eligibility facts was "
        f"dated (verified, else as of); an undated group counts as {UNDATED_AGE_DAYS} days. "
        "Withdrawn programs are left out."
    )
    change_list_template = "admin/representatives/reviewqueue/change_list.html"
    list_display = (
        "program",
        "specialty_name",
        "state",
        "interest_counts",
        "oldest_fact",
        "priority",
        "represented",
        "confirmed_this_season",
        "pending",
    )
    list_display_links = None
    list_filter = ("specialty__level", HasRepresentativeFilter, "state")
    search_fields = ("name", "acgme_id")
    search_help_text = "Search by program name or ACGME ID."
    list_per_page = 50
    show_full_result_count = False
    actions = None

    def get_queryset(self, request):
        return ReviewQueue.objects.by_priority()

    def get_ordering(self, request):
        return ("-priority", "name")  # annotations, which the ``ordering`` option refuses

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"description": self.description, **(extra_context or {})}
        )

    @admin.display(description="program", ordering="name")
    def program(self, program):
        url = reverse("admin:programs_program_change", args=[program.pk])
        return format_html('<a href="{}">{}</a> ({})', url, program.name, program.acgme_id)

    @admin.display(description="specialty", ordering="specialty__name")
    def specialty_name(self, program):
        return program.specialty.name

    @admin.display(description="interest (profiles / shortlists)", ordering="interest")
    def interest_counts(self, program):
        return f"{program.interest} ({program.profile_count} / {program.shortlist_count})"

    @admin.display(description="oldest deciding fact", ordering="oldest_fact_on")
    def oldest_fact(self, program):
        if program.has_undated_fact or program.oldest_fact_on is None:
            return "Undated"
        return f"{program.oldest_fact_on:%B %-d, %Y}"

    @admin.display(description="priority", ordering="priority")
    def priority(self, program):
        return program.priority

    @admin.display(description="approved representative", boolean=True)
    def represented(self, program):
        return program.has_representative

    @admin.display(description="confirmed this season")
    def confirmed_this_season(self, program):
        groups = [group.label for group in FactGroup if getattr(program, f"confirmed_{group}")]
        return ", ".join(groups) or "Nothing"

    @admin.display(description="proposals waiting", ordering="pending_proposals")
    def pending(self, program):
        return program.pending_proposals
