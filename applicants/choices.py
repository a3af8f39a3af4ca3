from django.db import models


class Status(models.TextChoices):
    """Where an application to a saved program stands, in the order it happens."""

    CONSIDERING = "considering", "Considering"
    APPLYING = "applying", "Applying"
    APPLIED = "applied", "Applied"
    INTERVIEW = "interview", "Interview"
    RANKED = "ranked", "Ranked"
    WITHDRAWN = "withdrawn", "Withdrawn"
