from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programs"
    verbose_name = "Directory"

    def ready(self):
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from programs import models, search, shared
        from programs.shared import directory_changed

        request_started.connect(shared.request_started, dispatch_uid="shared-request-started")
        request_finished.connect(shared.request_finished, dispatch_uid="shared-request-finished")
        post_migrate.connect(search.price_trigram_matching, sender=self, dispatch_uid="trgm-cost")

        for model in (
            models.ChartingOutcome,
            models.EventKind,
            models.Match,
            models.MatchEvent,
            models.SpecialtyMatch,
            models.FaqEntry,
            models.Guide,
            models.NrmpTrack,
            models.ProgramMatchResult,
            models.ProgramPositions,
            models.Fee,
            models.FeeBand,
            models.Program,
            models.ProgramSeasonDates,
            models.Season,
            models.Specialty,
            models.SpecialtyApplicationService,
            models.SpecialtyStatistic,
            models.Sponsor,
            models.SponsorH1bFilings,
        ):
            post_save.connect(directory_changed, sender=model, dispatch_uid=f"shared-{model}")
            post_delete.connect(directory_changed, sender=model, dispatch_uid=f"del-{model}")
        m2m_changed.connect(
            directory_changed,
            sender=models.FaqEntry.related_guides.through,
            dispatch_uid="shared-faq-guides",
        )
