from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programs"
    verbose_name = "Directory"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from programs.models import Program, ProgramSeasonDates, Specialty
        from programs.shared import directory_changed

        for model in (Program, ProgramSeasonDates, Specialty):
            post_save.connect(directory_changed, sender=model, dispatch_uid=f"shared-{model}")
            post_delete.connect(directory_changed, sender=model, dispatch_uid=f"del-{model}")
