"""Writes about people: accounts, and the profile a visitor keeps in their session until
they sign up. Views, signals and commands all go through these."""

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from applicants.matching import Applicant
from applicants.models import Profile
from programs.models import Specialty

SESSION_KEY = "applicant_profile"


def current_applicant(request) -> Applicant | None:
    """The profile of whoever is asking: their account's, or the one kept in their session."""
    if request.user.is_authenticated:
        profile = Profile.objects.filter(user=request.user).prefetch_related("specialties").first()
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


def address_behind_proxy(request) -> str | None:
    """The caller's address when a proxy forwards the request: the last address the proxy
    appended to X-Forwarded-For (earlier ones are the caller's to forge)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if last := forwarded.split(",")[-1].strip():
        return last
    return request.META.get("REMOTE_ADDR")


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


@transaction.atomic
def delete_account(*, user: AbstractBaseUser) -> None:
    """Delete the account and everything personal with it: the profile, by cascade, and any
    record of failed logins under its email address."""
    AccessAttempt.objects.filter(username=user.get_username()).delete()
    user.delete()
