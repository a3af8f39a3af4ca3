from django.apps import AppConfig


class ApplicantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "applicants"
    verbose_name = "Applicants and accounts"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from applicants import kept, logins, models, signals  # noqa: F401 -- connects receivers
        from applicants.panels import program_panel
        from programs import panels

        panels.register(program_panel)

        # Whatever a person's kept page (applicants.kept) shows of them.
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(kept.user_changed, sender=models.User, dispatch_uid=f"kept-user-{name}")
            for model in (models.Profile, models.ShortlistEntry):
                uid = f"kept-{model._meta.model_name}-{name}"
                signal.connect(kept.row_of_a_user_changed, sender=model, dispatch_uid=uid)
        m2m_changed.connect(
            kept.specialties_changed,
            sender=models.Profile.specialties.through,
            dispatch_uid="kept-profile-specialties",
        )
