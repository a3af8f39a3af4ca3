"""Generated test data. Every name says it is generated so it can never pass for a real program."""

import csv
import datetime
import io

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from programs import models
from programs.choices import ApplicationService, MatchKind
from programs.facts import FACT_GROUPS


class SpecialtyFactory(DjangoModelFactory):
    class Meta:
        model = models.Specialty
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{600 + n % 399:03d}")
    name = factory.Sequence(lambda n: f"Generated specialty {n}")
    slug = factory.Sequence(lambda n: f"generated-specialty-{n}")
    level = models.Level.RESIDENCY
    typical_length_years = 3


class SponsorFactory(DjangoModelFactory):
    class Meta:
        model = models.Sponsor
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Generated Sponsor {n}")
    city = "Springfield"
    state = "IL"


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = models.Program
        django_get_or_create = ("acgme_id",)

    acgme_id = factory.Sequence(lambda n: f"99{n:08d}")
    name = factory.Sequence(lambda n: f"Generated Program {n}")
    specialty = factory.SubFactory(SpecialtyFactory)
    sponsor = factory.SubFactory(SponsorFactory)
    city = "Springfield"
    state = "IL"
    zip_code = "62701"
    length_years = 3
    accreditation_status = models.Accreditation.CONTINUED

    # Every fact group is undated; a dated one names a (generated) source, as the models
    # require of a check.
    for _definition in FACT_GROUPS:
        _label, _url, _as_of, _verified_on = _definition.source_fields
        locals()[_as_of] = locals()[_verified_on] = None
        locals()[_label] = factory.LazyAttribute(
            lambda o, as_of=_as_of, verified_on=_verified_on: (
                "Generated source" if getattr(o, verified_on) or getattr(o, as_of) else ""
            )
        )
    del _definition, _label, _url, _as_of, _verified_on


class SeasonFactory(DjangoModelFactory):
    class Meta:
        model = models.Season
        django_get_or_create = ("match_year",)

    match_year = 2027
    name = factory.LazyAttribute(lambda o: f"Match {o.match_year}")
    is_current = True


MATCH_NAMES = {
    MatchKind.NRMP_MAIN: ("NRMP Main Residency Match", "NRMP Main Match"),
    MatchKind.NRMP_SMS: ("NRMP Specialties Matching Service", "NRMP fellowship match"),
    MatchKind.AUA: ("AUA Urology Residency Match", "AUA Urology Match"),
    MatchKind.SF_MATCH: ("SF Match", "SF Match"),
    MatchKind.MILITARY: ("Military match", "Military match"),
}


class MatchFactory(DjangoModelFactory):
    """The migrations create the five matches; a test that emptied the database gets them
    back by kind."""

    class Meta:
        model = models.Match
        django_get_or_create = ("kind",)

    kind = MatchKind.NRMP_MAIN
    name = factory.LazyAttribute(lambda o: MATCH_NAMES[o.kind][0])
    short_name = factory.LazyAttribute(lambda o: MATCH_NAMES[o.kind][1])
    source_label = "Generated source"


class EventKindFactory(DjangoModelFactory):
    class Meta:
        model = models.EventKind
        django_get_or_create = ("slug",)

    slug = "match_day"
    name = factory.LazyAttribute(lambda o: o.slug.replace("_", " ").capitalize())
    meaning = factory.LazyAttribute(lambda o: f"Generated meaning of {o.slug}.")


class MatchEventFactory(DjangoModelFactory):
    """A Main Match date unless told otherwise; pass ``service=...`` and ``match=None`` for
    an application service's date."""

    class Meta:
        model = models.MatchEvent

    season = factory.SubFactory(SeasonFactory)
    match = factory.SubFactory(MatchFactory)
    kind = factory.SubFactory(EventKindFactory)
    date = factory.LazyAttribute(lambda o: datetime.date(o.season.match_year, 3, 19))
    source_label = "Generated source"
    status = models.EventStatus.PROJECTED
    checked_on = factory.LazyAttribute(
        lambda o: timezone.localdate() if o.status == models.EventStatus.CONFIRMED else None
    )


class SpecialtyMatchFactory(DjangoModelFactory):
    class Meta:
        model = models.SpecialtyMatch

    specialty = factory.SubFactory(SpecialtyFactory)
    match = factory.SubFactory(MatchFactory)
    first_match_year = 2020
    source_label = "Generated source"


# The Main Match's and ERAS's dates of a season, as days after 1 January of the Match year
# before it: (kind, owner, days).
MAIN_SEASON = [
    ("applications_open", ApplicationService.ERAS),
    ("applicants_submit", ApplicationService.ERAS),
    ("programs_review", ApplicationService.ERAS),
    ("registration_opens", MatchKind.NRMP_MAIN),
    ("rank_list_deadline", MatchKind.NRMP_MAIN),
    ("match_day", MatchKind.NRMP_MAIN),
    ("training_starts", MatchKind.NRMP_MAIN),
]


def season_event(season, slug: str, date, *, owner=MatchKind.NRMP_MAIN, **fields):
    """One date of ``season``: of a match (a ``MatchKind``) or an application service."""
    if owner in MatchKind.values:
        where = {"match": MatchFactory(kind=owner), "service": ""}
    else:
        where = {"match": None, "service": owner}
    return MatchEventFactory(
        season=season, kind=EventKindFactory(slug=slug), date=date, **where, **fields
    )


class ProgramSeasonDatesFactory(DjangoModelFactory):
    class Meta:
        model = models.ProgramSeasonDates

    program = factory.SubFactory(ProgramFactory)
    season = factory.SubFactory(SeasonFactory)


class SpecialtyStatisticFactory(DjangoModelFactory):
    class Meta:
        model = models.SpecialtyStatistic

    nrmp_specialty = factory.Sequence(lambda n: f"Generated NRMP specialty {n}")
    year = 2024
    source_label = "Generated for tests"


class GuideFactory(DjangoModelFactory):
    class Meta:
        model = models.Guide

    title = factory.Sequence(lambda n: f"Generated guide {n}")
    slug = factory.Sequence(lambda n: f"generated-guide-{n}")
    body = "## First part\n\nGenerated text.\n"
    is_published = True


class FaqEntryFactory(DjangoModelFactory):
    class Meta:
        model = models.FaqEntry

    question = factory.Sequence(lambda n: f"Generated question {n}?")
    slug = factory.Sequence(lambda n: f"generated-question-{n}")
    answer = "Generated answer."
    topic = models.FaqTopic.THIS_SITE
    is_published = True


AROUND_TODAY = {
    "applications_open": -10,
    "applicants_submit": 0,
    "registration_opens": 1,
    "programs_review": 5,
    "rank_list_deadline": 30,
    "match_day": 45,
    "training_starts": 100,
}


def season_around_today(*, confirmed=(), **fields):
    """A season whose Main Match and ERAS dates fall around today, from 10 days ago to 100
    days ahead; the kinds named in ``confirmed`` are confirmed."""
    today = timezone.localdate()
    season = SeasonFactory(match_year=2040, **fields)
    for slug, owner in MAIN_SEASON:
        status = models.EventStatus.CONFIRMED if slug in confirmed else models.EventStatus.PROJECTED
        season_event(
            season,
            slug,
            today + datetime.timedelta(days=AROUND_TODAY[slug]),
            owner=owner,
            status=status,
        )
    return season


# Generated program CSV, in the import format (fixtures/README.md). Rows use the specialty
# code 640, which the ``csv_specialty`` fixture creates.

MINIMAL = ["acgme_id", "name", "specialty_code", "sponsor_code", "sponsor_name", "state"]


def csv_text(rows: list[dict[str, str]], columns: list[str] = MINIMAL) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def row(n: int, **values) -> dict[str, str]:
    return {
        "acgme_id": f"64099{n:05d}",
        "name": f"Generated Program {n}",
        "specialty_code": "640",
        "sponsor_code": "990001",
        "sponsor_name": "Generated Sponsor for imports",
        "state": "NY",
        **values,
    }
