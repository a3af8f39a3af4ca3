import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from programs import models

PROGRAMS_CSV = Path(settings.BASE_DIR) / "fixtures" / "programs.csv"

# Deleted in this order: each before what it protects.
LOADED_MODELS = [
    models.OutdatedReport,
    models.FaqEntry,
    models.Guide,
    models.ProgramSeasonDates,
    models.Program,
    models.Sponsor,
    models.SpecialtyStatistic,
    models.Season,
]


def _delete_loaded_directory():
    for model in LOADED_MODELS:
        model.objects.all().delete()
    models.Specialty.objects.filter(parent__isnull=False).delete()
    models.Specialty.objects.all().delete()
    for model in [*LOADED_MODELS, models.Specialty]:
        if history := getattr(model, "history", None):
            history.model.objects.all().delete()


@pytest.fixture(scope="module")
def real_directory(django_db_setup, django_db_blocker):
    """The shipped fixtures/, loaded once for a module with `manage.py load_directory`."""
    if not PROGRAMS_CSV.exists():
        pytest.skip("fixtures/programs.csv is not there yet; real-data tests need it")
    with django_db_blocker.unblock():
        try:
            call_command("load_directory", stdout=io.StringIO())
            yield
        finally:
            _delete_loaded_directory()
