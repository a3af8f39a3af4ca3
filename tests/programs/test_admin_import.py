"""The curator's CSV upload in the admin (programs/admin_import.py): upload, preview, apply."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.admin_import import SESSION_KEY
from programs.models import Program
from tests.factories import MINIMAL, csv_text, row

pytestmark = pytest.mark.django_db


def upload(client, text: str, name: str = "generated.csv"):
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(reverse("admin:programs_program_import"), {"file": file})


def test_changelist_links_to_the_import(curator_client):
    response = curator_client.get(reverse("admin:programs_program_changelist"))
    assert reverse("admin:programs_program_import").encode() in response.content
    assert b"Import CSV" in response.content


def test_preview_lists_every_error_and_offers_no_apply(curator_client, specialty):
    response = upload(curator_client, csv_text([row(1, state="Ohio"), row(2), row(3, name="")]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "2 problems found" in content
    assert "&#x27;Ohio&#x27; is not a USPS state code" in content
    assert "name: This field cannot be blank." in content
    assert 'name="apply"' not in content
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("zip_code", "ABCDE", "zip_code: A ZIP code reads 12345 or 12345-6789."),
        ("address", "1 Generated Way\x00", "address: holds a NUL character"),
    ],
)
def test_preview_finds_what_the_database_would_refuse(
    curator_client, specialty, column, value, message
):
    response = upload(curator_client, csv_text([row(1, **{column: value})], [*MINIMAL, column]))
    content = response.content.decode()
    assert "1 problem found" in content
    assert message in content
    assert 'name="apply"' not in content


def test_preview_then_apply_imports_and_returns_to_the_changelist(curator_client, specialty):
    response = upload(curator_client, csv_text([row(1), row(2)]))
    content = response.content.decode()
    assert "Preview of generated.csv" in content
    assert "6409900002" in content
    assert not Program.objects.exists()
    token = curator_client.session[SESSION_KEY]["token"]

    response = curator_client.post(
        reverse("admin:programs_program_import"), {"apply": "Apply", "token": token}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("admin:programs_program_changelist")
    assert "Imported generated.csv: 2 created" in response.content.decode()
    assert Program.objects.count() == 2
    assert SESSION_KEY not in curator_client.session
    assert Program.objects.first().history.first().history_change_reason == (
        "CSV import in the admin: generated.csv"
    )


def test_apply_without_a_preview_is_refused_politely(curator_client):
    response = curator_client.post(
        reverse("admin:programs_program_import"), {"apply": "Apply", "token": "stale"}, follow=True
    )
    assert "That upload has expired" in response.content.decode()
    assert not Program.objects.exists()


def test_non_utf8_upload_gets_a_clear_message(curator_client):
    file = SimpleUploadedFile("generated.csv", "name\nCaf\xe9\n".encode("latin-1"))
    response = curator_client.post(reverse("admin:programs_program_import"), {"file": file})
    assert "The file is not UTF-8 text" in response.content.decode()


def test_staff_without_add_and_change_permission_cannot_import(client, django_user_model):
    viewer = django_user_model.objects.create_user(
        "generated-viewer", password="x-long-enough-1", is_staff=True
    )
    client.force_login(viewer)
    assert client.get(reverse("admin:programs_program_import")).status_code == 403
