from django.apps import AppConfig


class RepresentativesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "representatives"
    verbose_name = "Program representatives"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from programs import panels
        from programs.shared import directory_changed
        from representatives.models import ProgramContact
        from representatives.panels import program_panel

        panels.register(program_panel)
        # The contact is on the program's page, which is rendered once per change of the
        # directory (programs.fragments): a new or removed contact is such a change.
        post_save.connect(directory_changed, sender=ProgramContact, dispatch_uid="shared-contact")
        post_delete.connect(directory_changed, sender=ProgramContact, dispatch_uid="shared-contact")
