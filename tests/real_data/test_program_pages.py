"""The directory's pages on the shipped data (fixtures/, loaded once for the package)."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from programs.listing import PAGE_SIZE
from programs.models import Program
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

LIST = reverse("programs:list")
MGH_INTERNAL_MEDICINE = "1402411169"


def listed(client, query):
    response = client.get(LIST, query)
    assert response.status_code == 200
    return response


def all_ids(client, query):
    response = client.get(reverse("programs:export"), query)
    rows = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    return {row["acgme_id"] for row in rows}


def test_internal_medicine_in_texas_sponsoring_h1b_keeps_only_known_yeses(client):
    query = {"specialty": "internal-medicine", "state": "TX", "visa": "h1b"}
    in_texas = Program.objects.open_to_applicants().filter(
        specialty__slug="internal-medicine", state="TX"
    )
    expected = set(in_texas.filter(sponsors_h1b="yes").values_list("acgme_id", flat=True))
    assert in_texas.exclude(sponsors_h1b="yes").exists()  # the filter has something to drop
    assert all_ids(client, query) == expected
    assert listed(client, query).context["paginator"].count == len(expected)


def test_internal_medicine_in_texas_sponsoring_j1(client):
    query = {"specialty": "internal-medicine", "state": "TX", "visa": "j1"}
    ids = all_ids(client, query)
    programs = Program.objects.filter(acgme_id__in=ids)
    assert ids
    assert set(programs.values_list("sponsors_j1", flat=True)) == {"yes"}
    assert set(programs.values_list("state", "specialty__slug")) == {("TX", "internal-medicine")}
    unknown = Program.objects.filter(
        specialty__slug="internal-medicine", state="TX", sponsors_j1="unknown"
    )
    assert unknown.exists() and not ids & set(unknown.values_list("acgme_id", flat=True))


def test_a_misspelt_search_finds_massachusetts_general(client):
    response = listed(client, {"q": "Massachusets General", "specialty": "internal-medicine"})
    found = [p.acgme_id for p in response.context["page"].object_list]
    assert MGH_INTERNAL_MEDICINE in found
    if connection.vendor == "postgresql":
        assert found[0] == MGH_INTERNAL_MEDICINE


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking needs PostgreSQL")
def test_search_ranks_the_exact_program_first(client):
    response = listed(client, {"q": "Massachusetts General Hospital internal medicine"})
    assert response.context["page"].object_list[0].acgme_id == MGH_INTERNAL_MEDICINE


def test_plain_search_finds_a_city(client):
    response = listed(client, {"q": "Houston", "specialty": "internal-medicine"})
    programs = response.context["page"].object_list
    assert "Houston" in {p.city for p in programs}
    for p in programs:
        assert "houston" in f"{p.name} {p.sponsor.name} {p.city}".lower()


def test_program_with_freida_facts_shows_them_with_their_source(client):
    response = client.get(reverse("programs:detail", args=[MGH_INTERNAL_MEDICINE]))
    page = re.sub(r"\s+", " ", response.content.decode())
    assert "Massachusetts General Hospital Program" in page
    text = visible_text(response)
    assert "As of Feb 2016 (FREIDA, 2016); not checked by a curator since." in text
    assert "verified" not in page.lower().replace("unverified", "")
    assert "May be outdated" in page
    assert "Inferred: it accepts a visa only IMGs need." in page
    assert "Source: NRMP, " in page


def test_program_without_freida_facts_reads_not_reported(client):
    program = (
        Program.objects.open_to_applicants()
        .filter(visa_source_label="", scores_source_label="")
        .first()
    )
    response = client.get(program.get_absolute_url())
    page = re.sub(r"\s+", " ", response.content.decode())
    visa = page[page.index('id="visa"') : page.index("</section>", page.index('id="visa"'))]
    assert (
        'Accepts J-1 (ECFMG-sponsored)</dt> <dd><span class="badge badge-unknown">Not reported'
        in visa
    )
    assert "Source: not recorded." in visa
    assert "As of Jun 2022 (ACGME, 2021–22); not checked by a curator since." in visible_text(
        response
    )


def test_sort_by_positions_on_real_data(client):
    response = listed(client, {"specialty": "internal-medicine", "sort": "-positions"})
    positions = [p.year1_positions for p in response.context["page"].object_list]
    known = [p for p in positions if p is not None]
    assert known == sorted(known, reverse=True)


def test_pagination_keeps_filters_on_real_data(client):
    response = listed(client, {"state": "CA", "page": "2"})
    assert response.context["page"].number == 2
    assert {p.state for p in response.context["page"].object_list} == {"CA"}
    assert "?state=CA&amp;page=3" in response.content.decode()


def test_real_pages_answer(client, django_assert_max_num_queries):
    for url in ["/", LIST, "/specialties/", "/specialties/internal-medicine/", "/states/TX/"]:
        with django_assert_max_num_queries(9):
            assert client.get(url).status_code == 200


def test_names_sort_without_regard_to_case():
    names = list(Program.objects.filter(name__regex=r"^(Abbott|AMITA)").values_list("name"))
    starts = [name[:5] for (name,) in names]
    assert starts == sorted(starts, key=str.lower)
    assert starts[0] == "Abbot" and starts[-1] == "AMITA"


def test_list_pages_neither_repeat_nor_skip_programs_that_share_a_name(client):
    programs = list(
        Program.objects.open_to_applicants().residencies().values_list("acgme_id", "name")
    )
    # The first page boundary that falls between two programs of the same name.
    boundary = next(
        i
        for i in range(PAGE_SIZE, len(programs), PAGE_SIZE)
        if programs[i - 1][1].lower() == programs[i][1].lower()
    )
    page = boundary // PAGE_SIZE
    shown = []
    for number in (page, page + 1):
        response = listed(client, {"sort": "name", "page": str(number)})
        shown += [p.acgme_id for p in response.context["page"].object_list]
    assert len(set(shown)) == len(shown)
    expected = programs[(page - 1) * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    assert shown == [acgme_id for acgme_id, _ in expected]


def test_an_emergency_medicine_page_says_residencycas_not_the_2016_eras_answer(client):
    program = Program.objects.filter(
        specialty__code="110", participates_in_eras="yes", is_withdrawn=False
    ).first()
    page = re.sub(r"\s+", " ", client.get(program.get_absolute_url()).content.decode())
    assert "Application service</dt> <dd>ResidencyCAS" in page
    assert "Took applications through ERAS (2016)" in page
    assert "The specialty has applied through ResidencyCAS since." in page
    assert "Takes applications through ERAS" not in page
    row = client.get(LIST, {"specialty": "emergency-medicine"}).content.decode()
    assert "Applies through ResidencyCAS" in row


def test_a_program_of_an_institution_with_h1b_filings_shows_them_as_evidence(client):
    program = Program.objects.open_to_applicants().filter(sponsor__code="418024").first()
    page = re.sub(r"\s+", " ", client.get(program.get_absolute_url()).content.decode())
    assert "filed <strong>88 H-1B applications</strong>" in page
    assert "not a promise by this program" in page
    sponsor = client.get(reverse("programs:sponsor", args=["418024"]))
    assert "88 H-1B applications" in sponsor.content.decode()
    filed = listed(client, {"h1b_filed": "1", "state": "PA"})
    assert {p.sponsor.code for p in filed.context["page"].object_list} <= {
        code
        for code in Program.objects.filter(
            state="PA", sponsor__h1b_filings__isnull=False
        ).values_list("sponsor__code", flat=True)
    }
    assert filed.context["paginator"].count > 0


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("obgyn", "Obstetrics and gynecology"),
        ("jon hopkins", "Johns Hopkins"),
        ("1402411169", "Massachusetts General Hospital Program"),
    ],
)
def test_searches_find_what_a_reader_means(client, q, expected):
    programs = listed(client, {"q": q}).context["page"].object_list
    assert programs
    assert expected in f"{programs[0].name} {programs[0].specialty.name} {programs[0].sponsor.name}"


def test_a_fellowship_search_at_the_residency_level_offers_the_fellowships(client):
    response = listed(client, {"q": "cardiology"})
    hint = response.context["fellowship_hint"]
    assert response.context["paginator"].count == 0
    assert hint.count > 100
    assert "level=fellowship" in hint.url
    fellowships = listed(client, {"q": "cardiology", "level": "fellowship"})
    assert fellowships.context["paginator"].count == hint.count


def test_the_faq_finds_h1b_however_it_is_written(client):
    for q in ("h1b", "H-1B", "H1B"):
        page = client.get(reverse("programs:faq"), {"q": q}).content.decode()
        assert "H-1B" in page and "No entries match" not in page


def _apply_section(client, program) -> str:
    page = visible_text(client.get(program.get_absolute_url()))
    start = page.index("How to apply")
    return page[start : page.index("dates for Match 2027", start)]


def test_a_urology_page_shows_the_aua_matchs_dates_and_no_main_match_date(client):
    urology = Program.objects.open_to_applicants().filter(specialty__code="480").first()
    section = _apply_section(client, urology)
    assert "Match AUA Urology Residency Match for every urology program" in section
    assert "(AUA Urology Match): Date not published yet" in section
    assert "(NRMP Main Match)" not in section
    assert "March 19, 2027" not in section and "March 3, 2027" not in section
    assert "(ERAS)" in section  # urology applies through ERAS


def test_an_sms_fellowship_page_shows_its_own_match_and_no_main_match_date(client):
    cardiology = Program.objects.open_to_applicants().filter(specialty__code="141").first()
    section = _apply_section(client, cardiology)
    assert "Match NRMP Specialties Matching Service" in section
    assert "(NRMP fellowship match): Date not published yet" in section
    assert "(NRMP Main Match)" not in section


def test_a_main_match_page_says_which_dates_passed_unconfirmed(client):
    medicine = Program.objects.get(acgme_id=MGH_INTERNAL_MEDICINE)
    section = _apply_section(client, medicine)
    today = timezone.localdate()
    registration = "Passed (was projected)" if today > datetime.date(2026, 9, 15) else "Projected"
    assert f"(NRMP Main Match): September 15, 2026 {registration}" in section
    match_day = "Passed (was projected)" if today > datetime.date(2027, 3, 19) else "Projected"
    assert f"(NRMP Main Match): March 19, 2027 {match_day}" in section
    assert "Round 4" in section and "AUA" not in section


def test_an_allergy_programs_history_names_the_specialties_matching_service(client):
    program = (
        Program.objects.filter(specialty__code="020", match_results__isnull=False)
        .distinct()
        .first()
    )
    page = visible_text(client.get(program.get_absolute_url()))
    assert "Results of the NRMP Specialties Matching Service." in page
    assert "Main Residency Match" not in page[page.index("This program in the Match") :]
