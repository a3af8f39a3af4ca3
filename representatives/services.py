"""Writes about representatives: asking to represent a program, verifying the address,
curators' decisions (mailed to the representative), and proposals, which change the
directory only when a curator approves them. Views and the admin's actions all go through
these.

Every fact a proposal changes goes through the same rules as a curator's edit: the models'
``full_clean`` and ``programs.facts.unsourced_changes`` (a new value needs the source that
says it and the date it says it). Each change is saved through its model, so that
django-simple-history records it with the approving curator as its author.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from programs.facts import BY_GROUP, fact_values, unsourced_changes
from programs.models import FactGroup, Program, ProgramSeasonDates, Season
from representatives.domains import accepted_domains, speaks_for, website_host
from representatives.models import (
    Confirmation,
    Decision,
    ProgramContact,
    Proposal,
    ProposalKind,
    Representative,
)

VERIFY_SALT = "representatives.verify-email"
VERIFY_MAX_AGE = datetime.timedelta(days=3)

# Fields a representative does not propose: the program's identity and its place in the
# ACGME's record, and the curators' own flags, which an approved statement clears.
NOT_PROPOSED = ("acgme_id", "specialty", "sponsor")
CURATOR_FLAGS = (
    "website_doubted",
    "accepts_imgs_inferred",
    "visa_answers_doubted",
    "step2_minimum_doubted",
)
DATE_FIELDS = (
    "applications_open",
    "application_deadline",
    "interviews_start",
    "interviews_end",
    "takes_signals",
)
CONTACT_FIELDS = ("email", "phone", "url")
SOURCE_FIELDS = ("source_label", "source_url", "as_of")

NOTHING_CHANGED = (
    "Nothing here differs from what the site shows. If it is all still true, say so with "
    "“Still true” instead."
)
STATEMENT_SUFFIX = " (program statement)"


def proposable_fields(group: FactGroup) -> tuple[str, ...]:
    """The fields of a fact group a representative may propose, in the admin's order."""
    hidden = (*NOT_PROPOSED, *CURATOR_FLAGS)
    return tuple(name for name in BY_GROUP[group].fields if name not in hidden)


def program_statement(program: Program) -> str:
    """The source a representative's word is recorded under unless they name another."""
    room = 200 - len(STATEMENT_SUFFIX)
    name = program.name if len(program.name) <= room else program.name[: room - 1] + "…"
    return f"{name}{STATEMENT_SUFFIX}"


# --- Asking, and proving the address ---------------------------------------------------------


def domain_problem(program: Program, email: str) -> str | None:
    """Why this address cannot speak for the program, or None when it can (or when the
    program has no website to check it against)."""
    domains = accepted_domains(program.website)
    if not domains or speaks_for(email, program.website):
        return None
    listed = ", ".join(domains[:-1]) + f" or {domains[-1]}" if len(domains) > 1 else domains[0]
    return (
        f"Use your address at {listed} (or below it): only the domain of the program's website "
        f"({website_host(program.website)}) or its institution's shows that you speak for it."
    )


@transaction.atomic
def ask_to_represent(
    *,
    user: AbstractBaseUser,
    program: Program,
    name: str,
    role: str,
    email: str,
    note: str = "",
) -> Representative:
    """Ask, as this account, to represent the program. The address must be at the domain
    of the program's website or a parent of it (ValidationError on ``email`` otherwise);
    without a website the request goes to curators as "domain not verifiable", to be
    verified by other means. Either way a curator decides once the address is verified."""
    email = email.strip().lower()
    if problem := domain_problem(program, email):
        raise ValidationError({"email": problem})
    representative = Representative(
        user=user,
        program=program,
        name=name.strip(),
        role=role.strip(),
        email=email,
        note=note.strip(),
        domain_verifiable=bool(accepted_domains(program.website)),
    )
    representative.full_clean()
    representative.save()
    return representative


def verification_token(representative: Representative) -> str:
    """A signed token naming the request, good for ``VERIFY_MAX_AGE``. It holds no address:
    the link goes in an email and may end up in logs."""
    return signing.TimestampSigner(salt=VERIFY_SALT).sign(str(representative.pk))


def send_verification(*, representative: Representative, link: str) -> None:
    """Mail the verification link (``link``, absolute, built from ``verification_token``)
    to the address the representative gave."""
    context = {
        "representative": representative,
        "program": representative.program,
        "link": link,
        "days": VERIFY_MAX_AGE.days,
    }
    send_mail(
        subject=f"Confirm your address to represent {representative.program.name}",
        message=render_to_string("representatives/email/verify.txt", context),
        from_email=None,
        recipient_list=[representative.email],
    )


def verify_email(*, token: str, now: datetime.datetime | None = None) -> Representative:
    """Mark the address of the request the token names as verified (once; following the
    link again changes nothing). Raises ``signing.SignatureExpired`` for a link older than
    ``VERIFY_MAX_AGE`` and ``signing.BadSignature`` for one that was altered or names no
    request."""
    pk = signing.TimestampSigner(salt=VERIFY_SALT).unsign(token, max_age=VERIFY_MAX_AGE)
    representative = Representative.objects.filter(pk=pk).select_related("program").first()
    if representative is None:
        raise signing.BadSignature("No such request.")
    if representative.email_verified_at is None:
        representative.email_verified_at = now or timezone.now()
        representative._change_reason = "Address verified"
        representative.save(update_fields=["email_verified_at"])
    return representative


@transaction.atomic
def decide_requests(
    *,
    representatives: Iterable[Representative],
    status: Decision,
    reason: str,
    curator: AbstractBaseUser,
    now: datetime.datetime | None = None,
) -> list[Representative]:
    """Approve or refuse requests to represent a program, with the curator's reason (a
    refusal needs one). Only a request whose address is verified can be approved; the first
    that breaks a rule raises ValidationError naming it, and nothing is saved. Requests
    already so decided are left alone. Returns those that changed."""
    if status == Decision.PENDING:
        raise ValueError("Requests are approved or refused, not reopened here.")
    now = now or timezone.now()
    decided = []
    for representative in representatives:
        if representative.status == status:
            continue
        representative.status = status
        representative.reason = reason.strip()
        representative.decided_at = now
        representative.decided_by = curator
        try:
            representative.full_clean(exclude=["user", "program"])
        except ValidationError as error:
            raise ValidationError(f"{representative}: {' '.join(error.messages)}") from error
        representative._history_user = curator
        representative._change_reason = f"{status.label} by a curator"
        representative.save()
        decided.append(representative)
        _tell(
            representative,
            f"Your request to represent {representative.program.name}: {status.label.lower()}",
            "representatives/email/request_decided.txt",
            {"approved": status == Decision.APPROVED},
        )
    return decided


# --- Proposals -------------------------------------------------------------------------------


def propose_facts(
    *,
    representative: Representative,
    group: FactGroup,
    values: Mapping[str, Any],
    source_label: str,
    source_url: str = "",
    as_of: datetime.date | None,
) -> Proposal:
    """Propose new values for one fact group of the representative's program. Only the
    fields that differ from the site are kept. Refused (ValidationError, by the program's
    field names) when nothing differs, when the new values break a rule of the program, or
    when the source or its date is missing: approving it must be able to succeed."""
    group = FactGroup(group)
    program = Program.objects.get(pk=representative.program_id)
    changed = _changed(program, proposable_fields(group), values)
    candidate = Program.objects.get(pk=program.pk)
    _apply_facts(
        candidate, group, changed, source_label, source_url, as_of, today=timezone.localdate()
    )
    return _proposal(
        representative, ProposalKind.FACTS, changed, source_label, source_url, as_of, group=group
    )


def propose_dates(
    *,
    representative: Representative,
    season: Season,
    values: Mapping[str, Any],
    source_label: str,
    source_url: str = "",
    as_of: datetime.date | None,
) -> Proposal:
    """Propose the program's own dates for a season (applications open, deadline,
    interviews from and until) and whether it takes program signals that season, refused
    like ``propose_facts``."""
    program = representative.program
    current = ProgramSeasonDates.objects.filter(program=program, season=season).first()
    changed = _changed(current or ProgramSeasonDates(), DATE_FIELDS, values)
    candidate = current or ProgramSeasonDates(program=program, season=season)
    _apply_dates(candidate, changed, source_label, source_url, as_of, today=timezone.localdate())
    return _proposal(
        representative, ProposalKind.DATES, changed, source_label, source_url, as_of, season=season
    )


def propose_contact(
    *,
    representative: Representative,
    values: Mapping[str, Any],
    source_label: str,
    source_url: str = "",
    as_of: datetime.date | None,
) -> Proposal:
    """Propose where applicants reach the program (email, phone, page), refused like
    ``propose_facts``."""
    program = representative.program
    current = ProgramContact.objects.filter(program=program).first()
    changed = _changed(current or ProgramContact(), CONTACT_FIELDS, values)
    candidate = current or ProgramContact(program=program)
    _apply_contact(candidate, changed, source_label, source_url, as_of, today=timezone.localdate())
    return _proposal(representative, ProposalKind.CONTACT, changed, source_label, source_url, as_of)


@transaction.atomic
def confirm_still_true(
    *,
    representative: Representative,
    group: FactGroup,
    season: Season,
    now: datetime.datetime | None = None,
) -> Confirmation:
    """Record the representative's word that a fact group is still true this season (once
    per group and season; confirming again moves the time). Changes no fact."""
    confirmation, _created = Confirmation.objects.update_or_create(
        representative=representative,
        season=season,
        group=FactGroup(group),
        defaults={"confirmed_at": now or timezone.now()},
    )
    return confirmation


@transaction.atomic
def approve_proposals(
    *,
    proposals: Iterable[Proposal],
    curator: AbstractBaseUser,
    today: datetime.date | None = None,
) -> list[Proposal]:
    """Apply pending proposals, in the order given: each changed field takes its proposed
    value, the group (or the dates, or the contact) takes the proposal's source and date,
    and the curator's check is today. The history names the curator, with "Proposed by
    representative <name>" as the reason. The first proposal the rules refuse raises
    ValidationError naming it, and nothing is applied. Returns those applied."""
    today = today or timezone.localdate()
    now = timezone.now()
    approved = []
    for proposal in proposals:
        if proposal.status != Decision.PENDING:
            continue
        target = target_of(proposal)
        args = (proposal.values, proposal.source_label, proposal.source_url, proposal.as_of)
        try:
            match proposal.kind:
                case ProposalKind.FACTS:
                    _apply_facts(target, FactGroup(proposal.group), *args, today=today)
                case ProposalKind.DATES:
                    _apply_dates(target, *args, today=today)
                case ProposalKind.CONTACT:
                    _apply_contact(target, *args, today=today)
        except ValidationError as error:
            raise ValidationError(f"{proposal}: {' '.join(error.messages)}") from error
        target._history_user = curator
        target._change_reason = f"Proposed by representative {proposal.representative.name}"[:100]
        target.save()
        _decide(proposal, Decision.APPROVED, "", curator, now)
        approved.append(proposal)
    _tell_of_proposals(approved)
    return approved


@transaction.atomic
def refuse_proposals(
    *,
    proposals: Iterable[Proposal],
    curator: AbstractBaseUser,
    reason: str,
) -> list[Proposal]:
    """Refuse pending proposals with the reason the representative will read; nothing in
    the directory changes. Returns those refused."""
    now = timezone.now()
    refused = []
    for proposal in proposals:
        if proposal.status != Decision.PENDING:
            continue
        _decide(proposal, Decision.REFUSED, reason, curator, now)
        refused.append(proposal)
    _tell_of_proposals(refused)
    return refused


# --- Telling representatives ------------------------------------------------------------------


def _tell(representative: Representative, subject: str, template: str, context: dict) -> None:
    """Mail the representative about a curator's decision, once the decision is saved."""
    context = {
        **context,
        "representative": representative,
        "program": representative.program,
        "link": settings.SITE_URL + reverse("representatives:start"),
    }
    message = render_to_string(template, context)
    transaction.on_commit(
        lambda: send_mail(
            subject=subject,
            message=message,
            from_email=None,
            recipient_list=[representative.email],
        )
    )


def _tell_of_proposals(proposals: list[Proposal]) -> None:
    """One mail per representative, naming each of their proposals just decided."""
    by_representative: dict[int, list[Proposal]] = {}
    for proposal in proposals:
        by_representative.setdefault(proposal.representative_id, []).append(proposal)
    for decided in by_representative.values():
        representative = decided[0].representative
        _tell(
            representative,
            f"A curator reviewed your proposals for {representative.program.name}",
            "representatives/email/proposals_decided.txt",
            {"proposals": decided},
        )


def target_of(proposal: Proposal):
    """The row a proposal changes, read afresh (a new one when it does not exist yet)."""
    program = proposal.representative.program
    match proposal.kind:
        case ProposalKind.FACTS:
            return Program.objects.get(pk=program.pk)
        case ProposalKind.DATES:
            return ProgramSeasonDates.objects.filter(
                program=program, season=proposal.season
            ).first() or ProgramSeasonDates(program=program, season=proposal.season)
    return ProgramContact.objects.filter(program=program).first() or ProgramContact(program=program)


def _changed(current, names: Iterable[str], values: Mapping[str, Any]) -> dict[str, Any]:
    """The proposed values that differ from ``current``'s, by field name, as JSON holds
    them; ValidationError when none does."""
    changed = {}
    for name in names:
        if name not in values:
            continue
        field = current._meta.get_field(name)
        if field.to_python(values[name]) != getattr(current, name):
            changed[name] = values[name]
    if not changed:
        raise ValidationError(NOTHING_CHANGED)
    return changed


def _set_values(target, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        setattr(target, name, target._meta.get_field(name).to_python(value))


def _apply_facts(program, group, values, source_label, source_url, as_of, *, today) -> None:
    """Set the values and the group's source on the program, as approving would, and check
    them: ``unsourced_changes`` and ``full_clean`` (ValidationError by field name)."""
    definition = BY_GROUP[group]
    old = fact_values(program)
    _set_values(program, values)
    for flag in CURATOR_FLAGS:
        if flag in definition.fields:
            setattr(program, flag, False)  # the program's own word settles a doubt
    label, url, as_of_field, verified_on = definition.source_fields
    setattr(program, label, source_label.strip())
    setattr(program, url, source_url.strip())
    setattr(program, as_of_field, as_of)
    setattr(program, verified_on, today)
    if problems := unsourced_changes(old, fact_values(program)):
        raise ValidationError(problems)
    program.full_clean(exclude=["specialty", "sponsor"], validate_unique=False)


def _apply_dates(row, values, source_label, source_url, as_of, *, today) -> None:
    _require_source(source_label, as_of)
    _set_values(row, values)
    row.source_label, row.source_url, row.verified_on = source_label.strip(), source_url, today
    row.full_clean(exclude=["program", "season"], validate_unique=False)


def _apply_contact(contact, values, source_label, source_url, as_of, *, today) -> None:
    _require_source(source_label, as_of)
    _set_values(contact, values)
    contact.source_label, contact.source_url = source_label.strip(), source_url
    contact.as_of, contact.verified_on = as_of, today
    contact.full_clean(exclude=["program"], validate_unique=False)


def _require_source(source_label: str, as_of: datetime.date | None) -> None:
    """The dates and the contact, like facts, say who says them and when."""
    problems = {}
    if not source_label.strip():
        problems["source_label"] = (
            "Name the source that says it (a website, a document, or the program's statement)."
        )
    if as_of is None:
        problems["as_of"] = "Give the date the source says it."
    elif as_of > timezone.localdate():
        problems["as_of"] = "This date is in the future."
    if problems:
        raise ValidationError(problems)


def _proposal(
    representative, kind, values, source_label, source_url, as_of, *, group="", season=None
) -> Proposal:
    proposal = Proposal(
        representative=representative,
        kind=kind,
        group=group,
        season=season,
        values={name: _as_json(value) for name, value in values.items()},
        source_label=source_label.strip(),
        source_url=source_url.strip(),
        as_of=as_of,
    )
    proposal.full_clean(exclude=["representative"])
    proposal.save()
    return proposal


def _as_json(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _decide(proposal: Proposal, status: Decision, reason: str, curator, now) -> None:
    proposal.status = status
    proposal.reason = reason.strip()
    proposal.decided_at = now
    proposal.decided_by = curator
    proposal.full_clean(exclude=["representative", "season"])
    proposal._history_user = curator
    proposal.save()
