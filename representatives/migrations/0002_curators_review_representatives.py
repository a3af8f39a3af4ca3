"""Curators see and decide representatives' requests and proposals, see their
confirmations, and keep the contacts for applicants."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED_MODELS = {
    "representative": ("view", "change"),
    "proposal": ("view", "change"),
    "confirmation": ("view",),
    "programcontact": ("view", "change"),
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; curators need them now.
    app_config = apps.get_app_config("representatives")
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
        *Permission.objects.filter(
            content_type__app_label="representatives", codename__in=codenames
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for curators in Group.objects.filter(name="Curators"):
        curators.permissions.remove(
            *Permission.objects.filter(content_type__app_label="representatives")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("representatives", "0001_initial"),
        ("programs", "0002_curators_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
