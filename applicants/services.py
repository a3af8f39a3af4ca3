"""Writes about people: accounts, the profile a visitor keeps in their session until they
sign up, the shortlist and the private calendar feed. Views, signals and commands all go
through these."""

import secrets
import time

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from applicants import logins
from applicants.matching import Applicant
from applicants.models import CalendarFeed, Profile, ShortlistEntry
from applicants.signal_plan import kind_words, limits
from applicants.tokens import reset_tokens
from programs.models import Program, Season, SignalAllowance, SignalKind, Specialty

SESSION_KEY = "applicant_profile"


def current_applicant(request) -> Applicant | None:
    """The profile of whoever is asking: their account's, or the one kept in their session."""
    if request.user.is_authenticated:
        profile = Profile.objects.filter(user=request.user).with_specialty_ids().first()
        if profile is not None:
            return Applicant.from_profile(profile)
    if data := request.session.get(SESSION_KEY):
        return Applicant.from_data(data)
    return None


@transaction.atomic
def save_profile(*, user: AbstractBaseUser, applicant: Applicant) -> Profile:
    """Create or replace the account's profile with these answers."""
    fields = applicant.to_data()
    specialty_ids = fields.pop("specialty_ids")
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["user"])
    profile.save()
    profile.specialties.set(Specialty.objects.filter(pk__in=specialty_ids))
    return profile


def keep_in_session(request, applicant: Applicant) -> None:
    request.session[SESSION_KEY] = applicant.to_data()


def adopt_session_profile(request, user: AbstractBaseUser) -> None:
    """A visitor who filled the profile and then signs up or logs in keeps it, unless the
    account already has one."""
    data = request.session.pop(SESSION_KEY, None)
    if data and not Profile.objects.filter(user=user).exists():
        save_profile(user=user, applicant=Applicant.from_data(data))


@transaction.atomic
def create_account(*, email: str, password: str) -> AbstractBaseUser:
    """An applicant's account: the email address is also the username."""
    User = get_user_model()
    email = User.objects.normalize_email(email).lower()
    user = User(username=email, email=email)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


SIGN_UP_SESSION_KEY = "pending_sign_up"
SIGN_UP_LINK_DAYS = 3


class SignUpLinkProblem(Exception):
    """A sign-up link that cannot finish a sign-up; the message says why and what to do."""


def begin_sign_up(*, session, email: str, password: str, going_to: str, site: str) -> None:
    """Start an account for ``email``. The asker's side is the same whether or not an
    account already has the address: the password is hashed, the session keeps what the
    emailed link will finish, and one email goes to the address. It holds a link that
    finishes the sign-up in this browser within ``SIGN_UP_LINK_DAYS``, or, when an account
    has the address, says so and where to log in or reset the password. The link holds only
    a random token: without this browser's session it finishes nothing, so a copy of it
    (in a log, say) is no use to anyone."""
    User = get_user_model()
    email = User.objects.normalize_email(email).lower()
    token = secrets.token_urlsafe(32)
    session[SIGN_UP_SESSION_KEY] = {
        "email": email,
        "password": make_password(password),
        "token": token,
        "started": time.time(),
        "next": going_to,
    }
    exists = User.objects.filter(username=email).exists()
    context = {"site": site, "token": token, "days": SIGN_UP_LINK_DAYS}
    send_mail(
        subject="Your Residency Programs account"
        if exists
        else "Finish creating your Residency Programs account",
        message=render_to_string(
            "applicants/email/signup_exists.txt" if exists else "applicants/email/signup.txt",
            context,
        ),
        from_email=None,
        recipient_list=[email],
    )


@transaction.atomic
def finish_sign_up(*, session, token: str) -> tuple[AbstractBaseUser, str]:
    """Create the account a sign-up in this session began, when ``token`` is the one its
    email carried and it is not too old; return it with where the visitor was going.
    Raises ``SignUpLinkProblem`` otherwise. The link works once."""
    pending = session.get(SIGN_UP_SESSION_KEY)
    if not pending or not secrets.compare_digest(pending["token"], token):
        raise SignUpLinkProblem(
            "This link finishes a sign-up begun in another browser, or one already finished. "
            "Open it in the browser you signed up in, or sign up again here."
        )
    del session[SIGN_UP_SESSION_KEY]
    if time.time() - pending["started"] > SIGN_UP_LINK_DAYS * 24 * 60 * 60:
        raise SignUpLinkProblem(
            f"This link is more than {SIGN_UP_LINK_DAYS} days old. Please sign up again."
        )
    User = get_user_model()
    if User.objects.filter(username=pending["email"]).exists():
        raise SignUpLinkProblem("There is already an account with this email. Log in.")
    user = User(username=pending["email"], email=pending["email"], password=pending["password"])
    user.full_clean()
    user.save()
    return user, pending["next"]


def clear_failed_logins(*, user: AbstractBaseUser) -> None:
    """Lift a login pause on the account: its owner has just proved who they are (by
    setting a new password through the emailed link)."""
    AccessAttempt.objects.filter(username=user.get_username()).delete()
    logins.clear_account_failures(user.get_username())


@transaction.atomic
def open_reset_link(*, user: AbstractBaseUser, token: str) -> str | None:
    """Spend an emailed password-reset link: when ``token`` is still good, mark the account's
    links opened (which kills this one and any sent before it) and return a new token for
    the opener's session to finish with; otherwise None. Two openings of one link at once
    are taken one after the other, so only the first gets a token."""
    account = get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if account is None or not reset_tokens.check_token(account, token):
        return None
    account.reset_link_opened_at = timezone.now()
    account.save(update_fields=["reset_link_opened_at"])
    return reset_tokens.make_token(account)


@transaction.atomic
def delete_account(*, user: AbstractBaseUser) -> None:
    """Delete the account and everything personal with it: the profile, shortlist, notes and
    calendar address, by cascade, and any record of failed logins under its email address."""
    clear_failed_logins(user=user)
    user.delete()


def save_to_shortlist(*, user: AbstractBaseUser, program: Program) -> ShortlistEntry:
    """Put the program on the user's shortlist; saving it twice keeps the first entry."""
    entry, _created = ShortlistEntry.objects.get_or_create(user=user, program=program)
    return entry


class WouldLoseWriting(Exception):
    """Removing the entry would delete what the applicant wrote on it, and they have not
    said it may go."""

    def __init__(self, entry: ShortlistEntry):
        super().__init__(f"{entry.program} holds a status or notes")
        self.entry = entry


@transaction.atomic
def remove_from_shortlist(
    *, user: AbstractBaseUser, program: Program, discard_writing: bool = False
) -> ShortlistEntry | None:
    """Take the program off the shortlist and return the entry removed (None when it was not
    saved). An entry holding what the applicant wrote (``ShortlistEntry.holds_writing``)
    goes, status and notes with it, only with ``discard_writing``: otherwise nothing is
    deleted and ``WouldLoseWriting`` says what would be lost, for the caller to ask."""
    entry = ShortlistEntry.objects.select_for_update().filter(user=user, program=program).first()
    if entry is None:
        return None
    if entry.holds_writing and not discard_writing:
        raise WouldLoseWriting(entry)
    entry.delete()
    return entry


def update_entry(*, entry: ShortlistEntry, status: str, notes: str) -> ShortlistEntry:
    entry.status = status
    entry.notes = notes
    entry.full_clean(exclude=["user", "program"])
    entry.save(update_fields=["status", "notes", "updated_at"])
    return entry


@transaction.atomic
def assign_signal(*, entry: ShortlistEntry, kind: str) -> ShortlistEntry:
    """Plan to send the entry's program a signal of ``kind`` ("" for none), within the
    allowance of its specialty for the current season. Refused with ValidationError (and
    nothing changed) for a kind the specialty does not give or one more than it allows."""
    if kind:
        specialty = entry.program.specialty
        # Lock the owner's entries of the specialty: two requests cannot both take the last
        # signal of a kind.
        same = ShortlistEntry.objects.filter(
            user_id=entry.user_id, program__specialty=specialty
        ).exclude(pk=entry.pk)
        taken = list(
            same.filter(signal=kind)
            .select_for_update(of=("self",))
            .select_related("program")
            .order_by("program__name")
        )
        season = Season.objects.current()
        allowance = SignalAllowance.objects.filter(season=season, specialty=specialty).first()
        allowed = limits(allowance)
        if kind not in allowed:
            kinds = " or ".join(kind_words(k, 2) for k in allowed)
            raise ValidationError(
                f"{specialty.name} signals are {kinds}; a {SignalKind(kind).label.lower()} "
                "is not one of them.",
                code="kind",
            )
        limit = allowed[kind]
        if limit is not None and len(taken) >= limit:
            names = ", ".join(e.program.name for e in taken[:3])
            more = f" and {len(taken) - 3} more" if len(taken) > 3 else ""
            raise ValidationError(
                f"You have no {kind_words(kind, 2)} left in {specialty.name}: all {limit} go "
                f"to {names}{more}. Take one back from one of them first; nothing was "
                "changed.",
                code="limit",
            )
    entry.signal = kind
    entry.full_clean(exclude=["user", "program"])
    entry.save(update_fields=["signal", "updated_at"])
    return entry


@transaction.atomic
def new_calendar_feed(*, user: AbstractBaseUser) -> CalendarFeed:
    """A new secret address for the user's calendar feed; the old one stops working."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not created:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token", "created_at"])
    return feed


def close_calendar_feed(*, user: AbstractBaseUser) -> None:
    """Stop the feed: its address answers 404 from now on."""
    CalendarFeed.objects.filter(user=user).delete()
