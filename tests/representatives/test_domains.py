import pytest

from representatives.domains import accepted_domains, speaks_for


def test_a_program_site_accepts_its_own_domain_and_each_parent():
    assert accepted_domains("https://im.med.example.edu/residency") == [
        "im.med.example.edu",
        "med.example.edu",
        "example.edu",
    ]


@pytest.mark.parametrize(
    "email",
    ["x@im.med.example.edu", "x@med.example.edu", "x@example.edu", "X@Mail.Example.EDU"],
)
def test_an_address_at_the_site_its_parents_or_below_them_speaks_for_the_program(email):
    assert speaks_for(email, "https://im.med.example.edu/residency")


@pytest.mark.parametrize(
    "email",
    [
        "x@example.com",
        "x@gmail.com",
        "x@notexample.edu",  # ends with the domain's letters, not under it
        "x@example.edu.attacker.test",
        "x@edu",
    ],
)
def test_an_address_elsewhere_does_not(email):
    assert not speaks_for(email, "https://im.med.example.edu/residency")


def test_www_is_not_part_of_the_domain():
    assert accepted_domains("http://www.riverside.org/") == ["riverside.org"]


def test_public_suffixes_and_webmail_are_never_accepted():
    assert accepted_domains("https://hospital.nhs.uk/") == ["hospital.nhs.uk"]
    assert accepted_domains("https://medicine.example.co.uk/") == [
        "medicine.example.co.uk",
        "example.co.uk",
    ]
    assert accepted_domains("https://sites.gmail.com/program") == ["sites.gmail.com"]


def test_no_website_or_an_address_by_number_cannot_be_checked():
    assert accepted_domains("") == []
    assert accepted_domains("http://192.0.2.7/program") == []
    assert not speaks_for("x@example.edu", "")
