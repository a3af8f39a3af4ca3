"""Curators may keep application services and NRMP tracks, see the other imported records,
and work through the review list of doubtful facts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED_MODELS = {
    "specialtyapplicationservice": ("view", "change", "add", "delete"),
    "nrmptrack": ("view", "change", "add", "delete"),
    "programmatchresult": ("view",),
    "programpositions": ("view",),
    "sponsorh1bfilings": ("view",),
    "doubtedprogram": ("view",),
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; curators need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name="Curators")
    codenames = [
        f"{action}_{model}" for model, actions in CURATED_MODELS.items() for action in actions
    ]
    curators.permissions.add(
        *Permission.objects.filter(content_type__app_label="programs", codename__in=codenames)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        f"{action}_{model}" for model, actions in CURATED_MODELS.items() for action in actions
    ]
    for curators in Group.objects.filter(name="Curators"):
        curators.permissions.remove(
            *Permission.objects.filter(content_type__app_label="programs", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("programs", "0006_sources_checks_services_and_data")]

    operations = [migrations.RunPython(grant, revoke)]
