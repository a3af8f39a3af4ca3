"""Password-reset links that work once. Django's die when the password changes; these also
die when first used (its page's button pressed), so a link read from an inbox, a log or a
browser's history after its owner followed it sets no password."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class OnceOnlyResetTokens(PasswordResetTokenGenerator):
    """Django's tokens, signed also over when a link of the account was last used
    (``User.reset_link_opened_at``, set by ``services.open_reset_link``). Until one is
    used they are exactly Django's."""

    def _make_hash_value(self, user, timestamp):
        opened = getattr(user, "reset_link_opened_at", None)
        return super()._make_hash_value(user, timestamp) + (opened.isoformat() if opened else "")


reset_tokens = OnceOnlyResetTokens()
