from django.apps import AppConfig


class ApplicantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "applicants"
    verbose_name = "Applicants and accounts"

    def ready(self):
        from applicants import logins, signals  # noqa: F401 -- connects the receivers
        from applicants.panels import program_panel
        from programs import panels

        panels.register(program_panel)
