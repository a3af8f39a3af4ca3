"""Pages for people who speak for a program. Asking needs an account (the applicants' own
sign-up and login); a program's page here answers only its approved representatives, 404 to
anyone else. Nothing here shows anything about applicants. Never cached."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programs.facts import FACT_GROUPS, FactGroupDefinition
from programs.models import FactGroup, Program, ProgramSeasonDates, Season
from programs.presenters import FactSection, dates_section, program_facts
from representatives import forms, limits, services
from representatives.domains import accepted_domains
from representatives.models import (
    Confirmation,
    Decision,
    ProgramContact,
    Proposal,
    Representative,
)

TOO_OFTEN = "We have had several {what} in the last hour. Please try again later."


@never_cache
@require_GET
def start(request):
    """What representatives can do, and the asker's own requests and programs."""
    representations = []
    if request.user.is_authenticated:
        representations = Representative.objects.of(request.user)
    return render(request, "representatives/start.html", {"representations": representations})


@never_cache
@require_GET
def find(request):
    """The ACGME ID typed on the start page, to the program's request form."""
    acgme_id = request.GET.get("acgme_id", "").strip()
    if not Program.objects.filter(acgme_id=acgme_id).exists():
        messages.error(request, "No program has that ACGME ID: it is the 10 digits on its page.")
        return redirect("representatives:start")
    return redirect("representatives:ask", acgme_id=acgme_id)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ask(request, acgme_id):
    program = get_object_or_404(Program.objects.select_related("specialty"), acgme_id=acgme_id)
    form = forms.AskForm(request.POST or None)
    context = {"program": program, "form": form, "domains": accepted_domains(program.website)}
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if limits.too_many_requests(request) or limits.too_many_emails(request, email):
            form.add_error(None, TOO_OFTEN.format(what="requests or emails from your address"))
            return render(request, "representatives/ask.html", context, status=429)
        try:
            representative = services.ask_to_represent(
                user=request.user, program=program, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            _send_link(request, representative)
            return redirect("representatives:start")
    return render(request, "representatives/ask.html", context)


@never_cache
@login_required
@require_POST
def resend(request, pk):
    """The verification link again, for the asker's own request whose address is not
    verified yet."""
    representative = get_object_or_404(
        Representative.objects.of(request.user),
        pk=pk,
        status=Decision.PENDING,
        email_verified_at__isnull=True,
    )
    if limits.too_many_emails(request, representative.email):
        messages.error(request, TOO_OFTEN.format(what="verification emails"))
        context = {"representations": Representative.objects.of(request.user)}
        return render(request, "representatives/start.html", context, status=429)
    _send_link(request, representative)
    return redirect("representatives:start")


@never_cache
@require_GET
def verify(request, token):
    """The emailed link: whoever follows it has the address, logged in or not."""
    try:
        representative = services.verify_email(token=token)
    except signing.SignatureExpired:
        return render(request, "representatives/verify.html", {"expired": True}, status=410)
    except signing.BadSignature:
        return render(request, "representatives/verify.html", {"broken": True}, status=400)
    return render(request, "representatives/verify.html", {"representative": representative})


# --- An approved representative's program ---------------------------------------------------


@never_cache
@login_required
@require_GET
def program_page(request, acgme_id):
    return _workbench(request, _representative(request, acgme_id))


@never_cache
@login_required
@require_POST
def propose_facts(request, acgme_id, group):
    representative = _representative(request, acgme_id)
    if group not in FactGroup.values:
        raise Http404
    group = FactGroup(group)
    form = forms.facts_form(group, representative.program, request.POST)
    if form.is_valid():
        try:
            services.propose_facts(
                representative=representative,
                group=group,
                values=form.proposed(),
                **form.source(),
            )
        except ValidationError as error:
            form.add_errors(error, prefix=f"{group}_")
        else:
            messages.success(request, f"Sent: a curator will review “{group.label}”.")
            return redirect(_anchor(acgme_id, "proposals"))
    return _workbench(request, representative, bound={group.value: form}, status=400)


@never_cache
@login_required
@require_POST
def confirm(request, acgme_id, group):
    representative = _representative(request, acgme_id)
    season = Season.objects.current()
    if group not in FactGroup.values or season is None:
        raise Http404
    services.confirm_still_true(
        representative=representative, group=FactGroup(group), season=season
    )
    messages.success(request, f"Recorded: “{FactGroup(group).label}” is still true.")
    return redirect(_anchor(acgme_id, f"group-{group}"))


@never_cache
@login_required
@require_POST
def propose_dates(request, acgme_id):
    representative = _representative(request, acgme_id)
    season = Season.objects.current()
    if season is None:
        raise Http404
    program = representative.program
    current = ProgramSeasonDates.objects.for_program(program, season)
    form = forms.dates_form(program, current, request.POST)
    if form.is_valid():
        try:
            services.propose_dates(
                representative=representative,
                season=season,
                values=form.proposed(),
                **form.source(),
            )
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, f"Sent: a curator will review your dates for {season}.")
            return redirect(_anchor(acgme_id, "proposals"))
    return _workbench(request, representative, bound={"dates": form}, status=400)


@never_cache
@login_required
@require_POST
def propose_contact(request, acgme_id):
    representative = _representative(request, acgme_id)
    program = representative.program
    current = ProgramContact.objects.filter(program=program).first()
    form = forms.contact_form(program, current, request.POST)
    if form.is_valid():
        try:
            services.propose_contact(
                representative=representative, values=form.proposed(), **form.source()
            )
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, "Sent: a curator will review the contact.")
            return redirect(_anchor(acgme_id, "proposals"))
    return _workbench(request, representative, bound={"contact": form}, status=400)


@dataclass
class GroupPanel:
    """One fact group on a representative's page: what the site shows, the form to change
    it, and whether it was confirmed this season."""

    definition: FactGroupDefinition
    section: FactSection
    form: forms.ProposalForm
    confirmed: Confirmation | None
    pending: int


def _workbench(request, representative: Representative, *, bound=None, status=200):
    bound = bound or {}
    program = Program.objects.select_related("specialty", "sponsor").get(
        pk=representative.program_id
    )
    season = Season.objects.current()
    sections = {section.slug: section for section in program_facts(program).sections}
    confirmations = Confirmation.objects.by_group(program, season)
    proposals = list(Proposal.objects.of_program(program))
    groups = [
        GroupPanel(
            definition=definition,
            section=sections[definition.group.value],
            form=bound.get(definition.group.value) or forms.facts_form(definition.group, program),
            confirmed=confirmations.get(definition.group.value),
            pending=sum(
                1 for p in proposals if p.group == definition.group and p.status == Decision.PENDING
            ),
        )
        for definition in FACT_GROUPS
    ]
    dates = ProgramSeasonDates.objects.for_program(program, season) if season else None
    contact = ProgramContact.objects.filter(program=program).first()
    context = {
        "representative": representative,
        "program": program,
        "season": season,
        "groups": groups,
        "dates": dates,
        "dates_section": dates_section(dates, season),
        "dates_form": bound.get("dates") or forms.dates_form(program, dates),
        "contact": contact,
        "contact_form": bound.get("contact") or forms.contact_form(program, contact),
        "proposals": proposals,
    }
    return render(request, "representatives/program.html", context, status=status)


def _representative(request, acgme_id: str) -> Representative:
    """The asker's approved representation of this program; 404 for anyone else."""
    return get_object_or_404(Representative.objects.approved_for(request.user, acgme_id))


def _anchor(acgme_id: str, fragment: str) -> str:
    return reverse("representatives:program", args=[acgme_id]) + f"#{fragment}"


def _send_link(request, representative: Representative) -> None:
    token = services.verification_token(representative)
    link = request.build_absolute_uri(reverse("representatives:verify", args=[token]))
    services.send_verification(representative=representative, link=link)
    messages.success(
        request,
        f"We sent a link to {representative.email}. Follow it within "
        f"{services.VERIFY_MAX_AGE.days} days to verify the address; a curator then reviews "
        "your request.",
    )


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)
