from django.apps import AppConfig


class ApplicantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "applicants"
    verbose_name = "Applicants and accounts"
