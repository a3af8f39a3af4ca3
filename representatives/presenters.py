"""Proposals as people read them: each changed field's current and proposed value in words,
and the current and proposed source, for the curator's side-by-side review and for the
representative's own list."""

import datetime
from dataclasses import dataclass

from django.utils.text import capfirst

from programs.facts import BY_GROUP, long_date
from programs.models import FactGroup, Program, ProgramSeasonDates
from representatives import services
from representatives.models import ProgramContact, Proposal, ProposalKind

MODELS = {
    ProposalKind.FACTS: Program,
    ProposalKind.DATES: ProgramSeasonDates,
    ProposalKind.CONTACT: ProgramContact,
}

EMPTY = "Not reported"


@dataclass(frozen=True)
class Change:
    label: str
    current: str
    proposed: str


@dataclass(frozen=True)
class ProposalChanges:
    proposal: Proposal
    changes: list[Change]
    current_source: str
    proposed_source: str


def proposal_changes(proposal: Proposal) -> ProposalChanges:
    """The proposal field by field against what the site holds now (read afresh)."""
    target = services.target_of(proposal)
    changes = []
    for name, raw in proposal.values.items():
        field = target._meta.get_field(name)
        changes.append(
            Change(
                label=capfirst(field.verbose_name),
                current=words(field, getattr(target, name) if target.pk else None),
                proposed=words(field, field.to_python(raw)),
            )
        )
    return ProposalChanges(
        proposal=proposal,
        changes=changes,
        current_source=_current_source(proposal, target),
        proposed_source=source_words(proposal.source_label, proposal.source_url, proposal.as_of),
    )


def proposed_words(proposal: Proposal) -> str:
    """The proposed values alone, in a line ("Sponsors H-1B: Yes"), read without a query."""
    model = MODELS[ProposalKind(proposal.kind)]
    parts = []
    for name, raw in proposal.values.items():
        field = model._meta.get_field(name)
        parts.append(f"{capfirst(field.verbose_name)}: {words(field, field.to_python(raw))}")
    return "; ".join(parts)


def words(field, value) -> str:
    """A stored value as a reader says it."""
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return long_date(value)
    return str(value)


def source_words(
    label: str,
    url: str,
    as_of: datetime.date | None,
    verified_on: datetime.date | None = None,
) -> str:
    """ "Generated program (program statement), as of March 2, 2026; checked by a curator on
    March 3, 2026", or "No source recorded"."""
    if not label and not url:
        return "No source recorded"
    text = label or url
    if label and url:
        text += f" ({url})"
    if as_of:
        text += f", as of {long_date(as_of)}"
    if verified_on:
        text += f"; checked by a curator on {long_date(verified_on)}"
    return text


def _current_source(proposal: Proposal, target) -> str:
    if target.pk is None:
        return "Nothing recorded yet"
    if proposal.kind == ProposalKind.FACTS:
        label, url, as_of, verified_on = BY_GROUP[FactGroup(proposal.group)].source_fields
        return source_words(
            getattr(target, label),
            getattr(target, url),
            getattr(target, as_of),
            getattr(target, verified_on),
        )
    return source_words(
        target.source_label, target.source_url, getattr(target, "as_of", None), target.verified_on
    )
