"""Email printed to the console (``EMAIL_URL=consolemail://``, the default of ``make run``)
as a person reads it: headers, then each text part decoded. Django's console backend prints
the encoded message, where a link longer than a mail line (a sign-up's, a password reset's)
is cut by quoted-printable soft breaks and cannot be opened as printed."""

from django.core.mail.backends import console


class EmailBackend(console.EmailBackend):
    def write_message(self, message):
        msg = message.message()
        headers = "".join(
            f"{name}: {value}\n"
            for name, value in msg.items()
            if not name.lower().startswith(("content-", "mime-"))
        )
        texts = [part.get_content() for part in msg.walk() if part.get_content_maintype() == "text"]
        self.stream.write(headers + "\n" + "\n".join(texts).rstrip("\n") + "\n")
        self.stream.write("-" * 79 + "\n")
