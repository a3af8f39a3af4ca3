"""Writes that curators make from the admin and from management commands.

Each change is saved through the model so that django-simple-history records it, with the
acting user as its author.
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from programs.models import FactGroup, OutdatedReport, Program, ReportStatus

CURATORS_GROUP = "Curators"


@transaction.atomic
def mark_programs_verified(
    *,
    programs: Iterable[Program],
    user: AbstractBaseUser | None,
    today: datetime.date | None = None,
) -> int:
    """Record that a curator checked every fact group of these programs today.

    Programs already verified today in every group are left alone, so running the action
    twice adds no empty entries to their history. Returns how many programs were changed.
    """
    today = today or timezone.localdate()
    fields = [f"{group}_verified_on" for group in FactGroup]
    marked = 0
    for program in programs:
        if all(program.verified_on(group) == today for group in FactGroup):
            continue
        for field in fields:
            setattr(program, field, today)
        program._history_user = user
        program._change_reason = "Marked verified"
        program.save(update_fields=[*fields, "updated_at"])
        marked += 1
    return marked


@transaction.atomic
def close_reports(
    *,
    reports: Iterable[OutdatedReport],
    status: ReportStatus,
    now: datetime.datetime | None = None,
) -> int:
    """Close readers' reports as fixed or dismissed and stamp when they were reviewed.

    Reports already closed with the same status keep their original review time. Returns how
    many reports changed.
    """
    if status == ReportStatus.NEW:
        raise ValueError("Reports are closed as fixed or dismissed, not reopened here.")
    now = now or timezone.now()
    closed = 0
    for report in reports:
        if report.status == status:
            continue
        report.status = status
        report.reviewed_at = now
        report.save(update_fields=["status", "reviewed_at"])
        closed += 1
    return closed


@transaction.atomic
def create_curator(*, username: str, email: str, password: str) -> AbstractBaseUser:
    """Create a staff account in the Curators group: it may edit the directory, not users.

    The password must pass the project's password validators (ValidationError otherwise).
    """
    User = get_user_model()
    user = User(username=username, email=email, is_staff=True, is_superuser=False)
    validate_password(password, user=user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=CURATORS_GROUP))
    return user
