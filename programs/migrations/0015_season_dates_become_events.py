"""The seven dates each season kept in columns become events of the NRMP Main Residency
Match and of ERAS, with their source; the matches and the kinds of event they need are
created; NRMP results name the match that reported them; curators may keep all of it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

MATCHES = [
    (
        "nrmp_main",
        "NRMP Main Residency Match",
        "NRMP Main Match",
        "NRMP, Main Residency Match",
        "https://www.nrmp.org/",
    ),
    (
        "nrmp_sms",
        "NRMP Specialties Matching Service",
        "NRMP fellowship match",
        "NRMP, About the Specialties Matching Service",
        "http://www.nrmp.org/participating-fellowships/specialties-matching-service/",
    ),
    (
        "aua",
        "AUA Urology Residency Match",
        "AUA Urology Match",
        "AUA, Urology and Specialty Matches",
        "https://www.auanet.org/education/auauniversity/for-residents/urology-and-specialty-matches",
    ),
    (
        "sf_match",
        "SF Match",
        "SF Match",
        "Columbia Vagelos, Residency Match Information (early matches)",
        "https://www.vagelos.columbia.edu/education/student-resources/career-planning/residency-match-information",
    ),
    (
        "military",
        "Military match",
        "Military match",
        "University of Maryland SOM, The Match: Timeline and Ranking (early matches)",
        "https://www.medschool.umaryland.edu/osa/residency-application-manual-/the-match-timeline-and-ranking/",
    ),
]

# (slug, name, position, meaning), as fixtures/event_kinds.csv has them.
KINDS = [
    (
        'applications_open',
        'Applications open',
        10,
        (
            'The application season begins: register with the application service (IMGs get '
            'their ERAS token from ECFMG), fill in the application and ask your letter '
            'writers to upload. Nothing reaches programs yet.'
        ),
    ),
    (
        'applicants_submit',
        'Applicants may submit',
        20,
        (
            'The first day you can certify your application and send it to programs. Once '
            'certified, the application itself is locked, so proofread it before this day.'
        ),
    ),
    (
        'programs_review',
        'Programs may review applications',
        30,
        (
            'Programs can open applications for the first time. Everything submitted before '
            'this day arrives together; interview invitations usually start soon after.'
        ),
    ),
    (
        'registration_opens',
        'Match registration opens',
        40,
        (
            'You can register for the match. Applying through an application service does '
            'not register you for a match: both are needed.'
        ),
    ),
    (
        'registration_deadline',
        'Standard registration deadline',
        50,
        (
            'Register by this day to pay the standard fee; registering later costs a late '
            'fee on top of it.'
        ),
    ),
    (
        'rank_list_opens',
        'Rank order lists open',
        60,
        (
            'You can start entering your rank order list. Until the deadline you may change '
            'it as often as you like; only the list certified at the deadline counts.'
        ),
    ),
    (
        'rank_list_deadline',
        'Rank order list certification deadline',
        70,
        (
            'The last moment to certify your rank order list. For the NRMP, IMGs must also '
            'have their exam requirements confirmed by ECFMG by now, or they are withdrawn '
            'from the Match and from SOAP.'
        ),
    ),
    (
        'match_week',
        'Match Week',
        80,
        (
            'On the Monday applicants learn whether they matched; eligible unmatched '
            'applicants then apply to unfilled positions through SOAP, whose offers come in '
            'rounds on the Wednesday and Thursday.'
        ),
    ),
    (
        'soap_round',
        'SOAP offer round',
        85,
        (
            'Programs with unfilled positions send offers to SOAP applicants, who have a '
            'short window to accept one; an accepted offer is binding.'
        ),
    ),
    (
        'match_day',
        'Match Day',
        90,
        (
            'Results are released: applicants learn where they matched.'
        ),
    ),
    (
        'training_starts',
        'Training starts',
        100,
        (
            'Residency begins. Many programs hold orientation in the last weeks of June, and '
            'a contract may ask you to arrive before this date.'
        ),
    ),
]

# Old column -> (kind, owner): an ERAS date or an NRMP Main Match date.
COLUMNS = {
    "eras_opens": ("applications_open", "eras"),
    "applicants_submit": ("applicants_submit", "eras"),
    "programs_review": ("programs_review", "eras"),
    "nrmp_registration": ("registration_opens", "nrmp_main"),
    "rank_list_deadline": ("rank_list_deadline", "nrmp_main"),
    "match_day": ("match_day", "nrmp_main"),
    "training_starts": ("training_starts", "nrmp_main"),
}

MODELS = ("match", "eventkind", "matchevent", "specialtymatch")
CODENAMES = [
    f"{action}_{model}" for model in MODELS for action in ("view", "change", "add", "delete")
]


def forwards(apps, schema_editor):
    Match = apps.get_model("programs", "Match")
    EventKind = apps.get_model("programs", "EventKind")
    MatchEvent = apps.get_model("programs", "MatchEvent")
    Season = apps.get_model("programs", "Season")
    HistoricalSeason = apps.get_model("programs", "HistoricalSeason")
    Result = apps.get_model("programs", "ProgramMatchResult")
    matches = {}
    for kind, name, short_name, label, url in MATCHES:
        matches[kind], _ = Match.objects.get_or_create(
            kind=kind,
            defaults={
                "name": name,
                "short_name": short_name,
                "source_label": label,
                "source_url": url,
            },
        )
    kinds = {}
    for slug, name, position, meaning in KINDS:
        kinds[slug], _ = EventKind.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position, "meaning": meaning}
        )
    for season in Season.objects.all():
        saved = HistoricalSeason.objects.filter(id=season.id).order_by("-history_date").first()
        # A ticked date was confirmed by its last save at the latest.
        checked = saved.history_date.date() if saved else timezone.localdate()
        for column, (slug, owner) in COLUMNS.items():
            confirmed = getattr(season, f"{column}_confirmed")
            # Rows kept from an earlier run (migrated back, then forward) stay as they are.
            MatchEvent.objects.get_or_create(
                season=season,
                match=matches.get(owner),
                service="" if owner in matches else owner,
                specialty=None,
                kind=kinds[slug],
                detail="",
                defaults={
                    "date": getattr(season, column),
                    "status": "confirmed" if confirmed else "projected",
                    "checked_on": checked if confirmed else None,
                    "source_label": season.source_label
                    or "The season's record (source not recorded)",
                    "source_url": season.source_url,
                },
            )
    for label, kind in (("Specialties Matching Service", "nrmp_sms"), ("", "nrmp_main")):
        Result.objects.filter(match=None, source_label__contains=label).update(match=matches[kind])
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name="Curators")
    curators.permissions.add(
        *Permission.objects.filter(content_type__app_label="programs", codename__in=CODENAMES)
    )


def backwards(apps, schema_editor):
    """Put each Main Match and ERAS date back in its column; the other matches' events,
    which the columns cannot hold, are dropped with the tables. The seasons' history rows,
    whose columns these migrations emptied, take the season's dates; those of a season
    since deleted take the day of the change they record, for no date of theirs is left."""
    MatchEvent = apps.get_model("programs", "MatchEvent")
    Season = apps.get_model("programs", "Season")
    HistoricalSeason = apps.get_model("programs", "HistoricalSeason")
    for season in Season.objects.all():
        for column, (slug, owner) in COLUMNS.items():
            owned = {"match__kind": owner} if owner == "nrmp_main" else {"service": owner}
            event = (
                MatchEvent.objects.filter(season=season, kind__slug=slug, specialty=None, **owned)
                .exclude(date=None)
                .first()
            )
            if event:
                setattr(season, column, event.date)
                setattr(season, f"{column}_confirmed", event.status == "confirmed")
        season.save()
    seasons = {season.pk: season for season in Season.objects.all()}
    for row in HistoricalSeason.objects.all():
        season = seasons.get(row.id)
        for column in COLUMNS:
            if getattr(row, column) is None:
                value = getattr(season, column, None) if season else None
                setattr(row, column, value or row.history_date.date())
        row.save()


class Migration(migrations.Migration):
    dependencies = [("programs", "0014_matches_and_season_events")]

    operations = [migrations.RunPython(forwards, backwards)]
