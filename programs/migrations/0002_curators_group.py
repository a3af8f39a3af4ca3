"""The Curators group: may edit listings, dates, statistics, FAQ and guides, never users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED_MODELS = {
    "specialty": ("view", "change", "add"),
    "sponsor": ("view", "change", "add"),
    "program": ("view", "change", "add"),
    "season": ("view", "change", "add"),
    "programseasondates": ("view", "change", "add", "delete"),
    "specialtystatistic": ("view", "change", "add", "delete"),
    "faqentry": ("view", "change", "add", "delete"),
    "guide": ("view", "change", "add", "delete"),
    "outdatedreport": ("view", "change"),
}


def create_curators(apps, schema_editor):
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
    curators.permissions.set(
        Permission.objects.filter(content_type__app_label="programs", codename__in=codenames)
    )


def remove_curators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Curators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_curators, remove_curators)]
