"""The review queue by applicant interest, a view of the programs, which curators may see."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; curators need this one now.
    app_config = apps.get_app_config("representatives")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name="Curators")
    curators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="representatives", codename="view_reviewqueue"
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for curators in Group.objects.filter(name="Curators"):
        curators.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="representatives", codename="view_reviewqueue"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0012_search_words_split_at_slashes"),
        ("representatives", "0002_curators_review_representatives"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReviewQueue",
            fields=[],
            options={
                "verbose_name": "Review queue: where applicants look",
                "verbose_name_plural": "Review queue: where applicants look",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("programs.program",),
        ),
        migrations.RunPython(grant, revoke),
    ]
