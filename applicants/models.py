from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The site's account: applicants, curators and staff alike."""
