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
def record_check(
    *,
    programs: Iterable[Program],
    groups: Iterable[FactGroup],
    source_label: str,
    source_url: str = "",
    user: AbstractBaseUser | None,
    today: datetime.date | None = None,
) -> list[Program]:
    """Record that a curator checked these fact groups of these programs against a source
    today: each group now rests on that source, as of today.

    The models' rules apply (``full_clean``): an archived snapshot such as the 2016 FREIDA
    scrape cannot be named as the source, so old facts cannot be made to look fresh; the
    first program refused raises ValidationError and nothing is saved. Groups already
    checked today against the same source are left alone. Each program's history names the
    curator, the groups and the source. Returns the programs that changed.
    """
    today = today or timezone.localdate()
    groups = [FactGroup(group) for group in groups]
    stamp = {"source_label": source_label.strip(), "source_url": source_url.strip()}
    stamp |= {"as_of": today, "verified_on": today}
    fields = [f"{group}_{name}" for group in groups for name in stamp]
    # The history keeps the source's label and URL with the record; the reason says what.
    reason = f"Checked {', '.join(g.label for g in groups)} against {stamp['source_label']}"
    checked = []
    for program in programs:
        values = {f"{group}_{name}": value for group in groups for name, value in stamp.items()}
        if all(getattr(program, field) == value for field, value in values.items()):
            continue
        for field, value in values.items():
            setattr(program, field, value)
        program.full_clean(exclude=["specialty", "sponsor"], validate_unique=False)
        program._history_user = user
        program._change_reason = reason[:100]  # the history's reason column holds 100
        program.save(update_fields=[*fields, "updated_at"])
        checked.append(program)
    return checked


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
