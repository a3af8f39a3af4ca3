"""Create a curator login: a staff account in the Curators group, never a superuser."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import exceptions
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from programs.services import create_curator

PASSWORD_ENV = "CURATOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a curator: a staff account in the Curators group that may edit the directory "
        "in /admin/ but not users. Asks for username, email and password; for scripts, pass "
        f"--username, --email and --noinput with the password in ${PASSWORD_ENV}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username")
        parser.add_argument("--email", default=None)
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Ask nothing: take --username, --email and ${PASSWORD_ENV}.",
        )

    def handle(self, *args, username, email, interactive, **options):
        if interactive:
            try:
                username = self._ask_username(username)
                email = self._ask_email(email)
                password = self._ask_password(username, email)
            except (EOFError, KeyboardInterrupt) as stop:
                raise CommandError("Cancelled; no curator was created.") from stop
        else:
            username, email, password = self._from_arguments(username, email)

        try:
            user = create_curator(username=username, email=email, password=password)
        except exceptions.ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Curator “{user.get_username()}” created. Log in at /admin/ to edit the directory."
            )
        )

    def _from_arguments(self, username, email):
        password = os.environ.get(PASSWORD_ENV, "")
        missing = [
            name
            for name, value in (("--username", username), (f"${PASSWORD_ENV}", password))
            if not value
        ]
        if missing:
            raise CommandError(f"With --noinput, give {' and '.join(missing)}.")
        if self._exists(username):
            raise CommandError(self._exists_message(username))
        email = email or ""
        if email:
            try:
                validate_email(email)
            except exceptions.ValidationError as error:
                raise CommandError(f"Email: {error.messages[0]}") from error
        return username, email, password

    def _ask_username(self, username):
        User = get_user_model()
        field = User._meta.get_field(User.USERNAME_FIELD)
        while True:
            if not username:
                username = input("Username: ").strip()
            if not username:
                self.stderr.write("A username is required.")
            elif self._exists(username):
                self.stderr.write(self._exists_message(username))
            else:
                try:
                    field.clean(username, None)
                except exceptions.ValidationError as error:
                    self.stderr.write("; ".join(error.messages))
                else:
                    return username
            username = None

    def _ask_email(self, email):
        while True:
            if email is None:
                email = input("Email address (optional): ").strip()
            if not email:
                return ""
            try:
                validate_email(email)
            except exceptions.ValidationError as error:
                self.stderr.write(error.messages[0])
                email = None
            else:
                return email

    def _ask_password(self, username, email):
        User = get_user_model()
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords did not match; try again.")
                continue
            try:
                validate_password(password, user=User(username=username, email=email))
            except exceptions.ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            return password

    @staticmethod
    def _exists(username):
        User = get_user_model()
        return User._default_manager.filter(**{User.USERNAME_FIELD: username}).exists()

    @staticmethod
    def _exists_message(username):
        return (
            f"A user named “{username}” already exists. Choose another username, or use "
            f"`manage.py changepassword {username}` to reset that user's password."
        )
