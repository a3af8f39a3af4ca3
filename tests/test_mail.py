"""Email printed to the console, as `make run` sends it, can be read and its links opened as
printed."""

import io

from django.core.mail import EmailMessage

from residency_site.mail import EmailBackend

LINK = "http://127.0.0.1:8000/accounts/signup/" + "A1b2-C3d4_" * 6 + "/"


def test_a_long_link_is_printed_whole_on_its_line():
    stream = io.StringIO()
    EmailBackend(stream=stream).send_messages(
        [
            EmailMessage(
                subject="Finish creating your Residency Programs account",
                body=f"To finish, open this link:\n{LINK}\n\nThank you — the site.",
                to=["applicant@example.com"],
            )
        ]
    )
    printed = stream.getvalue()
    assert LINK in printed.splitlines()
    assert "Thank you — the site." in printed
    assert "To: applicant@example.com" in printed
    assert "Subject: Finish creating your Residency Programs account" in printed
