"""Generated test data. Every name says it is generated so it can never pass for a real program."""

import csv
import datetime
import io

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from programs import models
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
    eras_opens = factory.LazyAttribute(lambda o: datetime.date(o.match_year - 1, 6, 3))
    applicants_submit = factory.LazyAttribute(lambda o: datetime.date(o.match_year - 1, 9, 2))
    programs_review = factory.LazyAttribute(lambda o: datetime.date(o.match_year - 1, 9, 23))
    nrmp_registration = factory.LazyAttribute(lambda o: datetime.date(o.match_year - 1, 9, 15))
    rank_list_deadline = factory.LazyAttribute(lambda o: datetime.date(o.match_year, 3, 3))
    match_day = factory.LazyAttribute(lambda o: datetime.date(o.match_year, 3, 19))
    training_starts = factory.LazyAttribute(lambda o: datetime.date(o.match_year, 7, 1))


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


def season_around_today(**overrides):
    """A season whose dates fall around today, from 10 days ago to 100 days ahead."""
    today = timezone.localdate()
    days = {
        "eras_opens": -10,
        "applicants_submit": 0,
        "nrmp_registration": 1,
        "programs_review": 5,
        "rank_list_deadline": 30,
        "match_day": 45,
        "training_starts": 100,
    }
    dates = {name: today + datetime.timedelta(days=d) for name, d in days.items()}
    return SeasonFactory(match_year=2040, **{**dates, **overrides})


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
