"""The ACGME listing's judgement calls: repaired ZIP codes, fellowships' parent specialties,
and Georgia's position counts."""

import pytest
from django.conf import settings

from sources import acgme
from sources.tables import BuildReport, read_csv


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("02114-2621", "02114-2621"),
        ("82601", "82601"),
        ("37560001", "03756-0001"),  # Excel dropped the leading zero of a ZIP+4
        ("9365067", "00936-5067"),
        ("77030-", "77030"),
        ("WV", ""),
        ("315-464-4363", ""),
    ],
)
def test_zip_codes_are_repaired_or_dropped(raw, expected):
    assert acgme.normalize_zip(raw) == expected


def test_parenthesised_core_specialty_becomes_the_parent():
    cores = {"anesthesiology": "040", "internal medicine": "140"}
    assert acgme.parent_code("045", "Critical care medicine (Anesthesiology)", cores) == "040"
    assert acgme.parent_code("221", "Female pelvic medicine (OBGYN)", cores) == "220"


def test_multidisciplinary_fellowships_get_no_parent():
    assert acgme.parent_code("520", "Sleep medicine (multidisciplinary)", {}) == ""
    assert acgme.parent_code("186", "Neurodevelopmental disabilities", {}) == ""


def test_internal_medicine_family_comes_from_the_reviewed_table():
    assert acgme.parent_code("141", "Cardiovascular disease", {}) == "140"


def test_georgia_positions_keep_the_programs_of_the_listing(raw_dir):
    programs = read_csv(settings.BASE_DIR / "fixtures" / "programs.csv")
    rows = acgme.build_positions(raw_dir, programs, BuildReport())
    emory = [r for r in rows if r["acgme_id"] == "1401221105"]
    assert [(r["as_of"], r["approved"], r["filled"]) for r in emory][0] == (
        "2024-02-01",
        "177",
        "170",
    )
    assert len({r["acgme_id"] for r in rows}) == 248
