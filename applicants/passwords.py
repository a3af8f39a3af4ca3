"""The longest password an account may have: no one types more, and a login offering a
longer one is refused before it is checked (applicants.forms.BoundedCredentials)."""

from django.core.exceptions import ValidationError

MAXIMUM_LENGTH = 4096


class MaximumLengthValidator:
    def validate(self, password, user=None):
        if len(password) > MAXIMUM_LENGTH:
            raise ValidationError(self.get_help_text(), code="password_too_long")

    def get_help_text(self):
        return f"Your password can’t be longer than {MAXIMUM_LENGTH:,} characters."
