from django.apps import AppConfig


class RepresentativesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "representatives"
    verbose_name = "Program representatives"

    def ready(self):
        from programs import panels
        from representatives.panels import program_panel

        panels.register(program_panel)
