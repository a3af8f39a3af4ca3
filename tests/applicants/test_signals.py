"""The signal plan on the shortlist: an applicant gives their program signals to saved
programs within each specialty's allowance, is refused one more, is warned about programs
they are not eligible for or that take no signals, sees how many programs the low ERAS price
covers, and nobody else sees any of it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from applicants import services, signal_plan
from applicants.models import ShortlistEntry
from programs.models import FeeBand, SignalAllowance, SpecialtyApplicationService
from tests.factories import ProgramFactory, ProgramSeasonDatesFactory, SpecialtyFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(client, applicant_user, img):
    services.save_profile(user=applicant_user, applicant=img)
    client.force_login(applicant_user)
    return applicant_user


@pytest.fixture
def allowance(season, internal_medicine):
    """Internal medicine: 2 gold and 3 silver signals, from a generated table for the ERAS
    2025 season, not confirmed for the current one."""
    return SignalAllowance.objects.create(
        season=season,
        specialty=internal_medicine,
        gold=2,
        silver=3,
        published_for=2025,
        confirmed=False,
        source_label="Generated signal table",
    )


@pytest.fixture
def saved(applicant, programs):
    return {
        key: services.save_to_shortlist(user=applicant, program=program)
        for key, program in programs.items()
    }


def give(client, entry, kind, **extra):
    url = reverse("applicants:shortlist_signal", args=[entry.pk])
    return client.post(url, {"signal": kind, "next": "/me/shortlist/"}, **extra)


def signals_of(user) -> dict[str, str]:
    return dict(ShortlistEntry.objects.filter(user=user).values_list("program__name", "signal"))


# Within the limit, and one more --------------------------------------------------------------


def test_signals_are_given_within_the_limit_and_one_more_is_refused_keeping_the_rest(
    client, applicant, saved, allowance
):
    assert give(client, saved["eligible"], "gold").status_code == 302
    assert give(client, saved["possibly"], "gold").status_code == 302
    assert give(client, saved["elsewhere"], "silver").status_code == 302

    refused = give(client, saved["not"], "gold")

    assert refused.status_code == 400
    text = visible_text(refused)
    assert "You have no gold signals left in Generated internal medicine: all 2 go to" in text
    assert "Generated Bronx IM, Generated Houston IM" in text
    assert signals_of(applicant) == {
        "Generated Houston IM": "gold",
        "Generated Bronx IM": "gold",
        "Generated Ohio IM": "silver",
        "Generated Miami IM": "",
    }


def test_taking_a_signal_back_frees_it_for_another_program(client, applicant, saved, allowance):
    give(client, saved["eligible"], "gold")
    give(client, saved["possibly"], "gold")
    give(client, saved["eligible"], "")
    assert give(client, saved["not"], "gold").status_code == 302
    assert signals_of(applicant)["Generated Miami IM"] == "gold"
    assert signals_of(applicant)["Generated Houston IM"] == ""


def test_giving_a_program_the_signal_it_already_has_is_not_one_more(
    client, applicant, saved, allowance
):
    give(client, saved["eligible"], "gold")
    give(client, saved["possibly"], "gold")
    assert give(client, saved["possibly"], "gold").status_code == 302


def test_with_htmx_a_refusal_is_said_in_the_swapped_block_and_the_counts_follow(
    client, applicant, saved, allowance
):
    give(client, saved["eligible"], "gold", HTTP_HX_REQUEST="true")
    answer = give(client, saved["possibly"], "gold", HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.lstrip().startswith(f'<div class="entry-signal" id="signal-{saved["possibly"].pk}"')
    assert 'id="signal-plan"' in html and 'hx-swap-oob="true"' in html
    assert "2 of 2 gold signals given" in visible_text(answer)

    refused = give(client, saved["not"], "gold", HTTP_HX_REQUEST="true")
    assert refused.status_code == 400  # swapped in place all the same (base.html)
    assert 'role="alert"' in refused.content.decode()
    assert "no gold signals left" in visible_text(refused)
    assert signals_of(applicant)["Generated Miami IM"] == ""


def test_a_kind_the_specialty_does_not_give_is_refused(client, applicant, saved, allowance):
    refused = give(client, saved["eligible"], "signal")
    assert refused.status_code == 400
    assert "Generated internal medicine signals are gold signals or silver signals" in (
        visible_text(refused)
    )
    assert signals_of(applicant)["Generated Houston IM"] == ""


def test_a_value_that_is_no_kind_is_refused_with_a_message(client, applicant, saved, allowance):
    refused = give(client, saved["eligible"], "platinum")
    assert refused.status_code == 400
    assert "Choose a kind of signal, or none." in visible_text(refused)


def test_the_limit_is_the_services_too(applicant, saved, allowance):
    services.assign_signal(entry=saved["eligible"], kind="gold")
    services.assign_signal(entry=saved["possibly"], kind="gold")
    with pytest.raises(ValidationError) as refused:
        services.assign_signal(entry=saved["not"], kind="gold")
    assert refused.value.code == "limit"
    saved["not"].refresh_from_db()
    assert saved["not"].signal == ""


def test_signals_count_per_specialty(client, applicant, saved, allowance, season):
    surgery = SpecialtyFactory(name="Generated surgery", slug="generated-surgery")
    SignalAllowance.objects.create(
        season=season,
        specialty=surgery,
        gold=1,
        published_for=2025,
        source_label="Generated signal table",
    )
    cut = services.save_to_shortlist(
        user=applicant, program=ProgramFactory(name="Generated Surgery", specialty=surgery)
    )
    give(client, saved["eligible"], "gold")
    give(client, saved["possibly"], "gold")
    assert give(client, cut, "gold").status_code == 302


# What the page says ------------------------------------------------------------------------


def test_the_page_says_the_counts_their_source_and_that_this_seasons_are_not_confirmed(
    client, applicant, saved, allowance
):
    give(client, saved["eligible"], "gold")
    text = visible_text(client.get(reverse("applicants:shortlist")))
    assert "Your program signals for Match 2027" in text
    assert "1 of 2 gold signals given" in text and "0 of 3 silver signals given" in text
    assert "2 gold + 3 silver, from Generated signal table, for the ERAS 2025 season." in text
    assert "The Match 2027 counts are not confirmed" in text


def test_confirmed_counts_do_not_say_they_are_unconfirmed(client, applicant, saved, allowance):
    allowance.confirmed = True
    allowance.save()
    text = visible_text(client.get(reverse("applicants:shortlist")))
    assert "2 gold + 3 silver, from Generated signal table" in text
    assert "counts are not confirmed" not in text


def test_a_specialty_no_source_gives_is_not_known_never_none(client, applicant, saved):
    for entry in saved.values():
        assert give(client, entry, "signal").status_code == 302
    text = visible_text(client.get(reverse("applicants:shortlist")))
    assert "Not known No source here gives how many signals Generated internal medicine has" in (
        text
    )
    assert "(4 so far)" in text
    assert "0 of" not in text
    assert "this one is not checked against a limit" in text


# Warnings ----------------------------------------------------------------------------------


NOT_ELIGIBLE = "You are not eligible for this program by its requirements"
OLD_ANSWER = "By an old answer of the program's you are not eligible"
NO_SIGNALS = "The program says it takes no program signals for Match 2027"


def test_a_signal_to_a_program_one_is_not_eligible_for_is_warned_of(
    client, applicant, saved, allowance
):
    give(client, saved["not"], "silver")
    give(client, saved["eligible"], "silver")
    page = client.get(reverse("applicants:shortlist")).content.decode()
    miami = page.split(f'id="signal-{saved["not"].pk}"')[1].split("</div>")[1]
    houston = page.split(f'id="signal-{saved["eligible"].pk}"')[1].split("</div>")[1]
    assert NOT_ELIGIBLE in miami and "message-warning" in miami
    assert NOT_ELIGIBLE not in houston


def test_a_program_not_eligible_by_an_old_answer_gets_the_softer_word(
    client, applicant, saved, allowance, programs
):
    entry = ShortlistEntry.objects.with_verdict(None).get(pk=saved["not"].pk)
    entry.signal = "silver"
    entry.verdict = "not_eligible_old"
    warnings = signal_plan.signal_plan(applicant).for_entry(entry).warnings
    assert [(w.level, w.text.split(".")[0]) for w in warnings] == [("info", OLD_ANSWER)]


def test_a_program_that_says_it_takes_no_signals_is_warned_of_with_its_source(
    client, applicant, saved, allowance, season, programs
):
    ProgramSeasonDatesFactory(
        program=programs["eligible"],
        season=season,
        takes_signals="no",
        source_label="Generated program statement",
    )
    ProgramSeasonDatesFactory(program=programs["possibly"], season=season)  # unknown
    give(client, saved["eligible"], "silver")
    give(client, saved["possibly"], "silver")
    text = visible_text(client.get(reverse("applicants:shortlist")))
    assert f"{NO_SIGNALS} (Generated program statement)." in text
    assert text.count(NO_SIGNALS) == 1


def test_no_warning_without_a_signal(client, applicant, saved, allowance, season, programs):
    ProgramSeasonDatesFactory(
        program=programs["not"], season=season, takes_signals="no", source_label="Generated"
    )
    text = visible_text(client.get(reverse("applicants:shortlist")))
    assert NOT_ELIGIBLE not in text and NO_SIGNALS not in text


# The low ERAS price ------------------------------------------------------------------------


def test_the_low_eras_band_counts_saved_programs_from_the_fees_bands(
    client, applicant, saved, allowance, shipped_fees, internal_medicine
):
    SpecialtyApplicationService.objects.create(
        specialty=internal_medicine, service="eras", first_match_year=2025, source_label="Gen"
    )
    text = visible_text(client.get(reverse("applicants:shortlist")))
    assert (
        "ERAS: 4 of your 4 saved programs here at the low rate of $11 each (programs 1–30); "
        "26 more before the price rises to $30 each." in text
    )
    band = FeeBand.objects.get(fee__season__is_current=True, fee__kind="eras_residency", first=1)
    band.last, band.amount = 3, 12
    band.save()
    FeeBand.objects.filter(fee=band.fee, first=31).update(first=4)
    text = visible_text(client.get(reverse("applicants:shortlist")))
    assert (
        "ERAS: 3 of your 4 saved programs here at the low rate of $12 each (programs 1–3); "
        "1 beyond it at $30 each." in text
    )


def test_a_specialty_on_another_service_has_no_eras_band(
    client, applicant, saved, allowance, shipped_fees, internal_medicine
):
    SpecialtyApplicationService.objects.create(
        specialty=internal_medicine,
        service="residencycas",
        first_match_year=2025,
        source_label="Gen",
    )
    text = visible_text(client.get(reverse("applicants:shortlist")))
    assert "low rate" not in text
    assert "Applies through ResidencyCAS, priced in its own steps" in text


# Compare -----------------------------------------------------------------------------------


def test_compare_shows_each_programs_signal(client, applicant, saved, allowance, programs):
    give(client, saved["eligible"], "gold")
    outsider = ProgramFactory(name="Generated Unsaved IM")
    ids = ",".join(p.acgme_id for p in (programs["eligible"], programs["possibly"], outsider))
    text = visible_text(client.get(f"{reverse('applicants:compare')}?ids={ids}"))
    assert "Your signal Gold signal" in text
    assert "No signal" in text and "Not on your shortlist" in text


# Privacy -----------------------------------------------------------------------------------


def test_another_user_gets_404_for_anything_of_the_plan(
    client, applicant, saved, allowance, other_user
):
    give(client, saved["eligible"], "gold")
    client.force_login(other_user)
    url = reverse("applicants:shortlist_signal", args=[saved["eligible"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"signal": ""}).status_code == 404
    assert give(client, saved["possibly"], "gold", HTTP_HX_REQUEST="true").status_code == 404
    assert signals_of(applicant)["Generated Houston IM"] == "gold"
    page = client.get(reverse("applicants:shortlist")).content.decode()
    assert "Your program signals" not in page and "Generated Houston IM" not in page
    ids = f"{saved['eligible'].program.acgme_id},{saved['possibly'].program.acgme_id}"
    text = visible_text(client.get(f"{reverse('applicants:compare')}?ids={ids}"))
    assert "Gold signal" not in text


def test_a_visitor_is_sent_to_log_in(client, saved, allowance):
    client.logout()
    response = give(client, saved["eligible"], "gold")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_signal_address_is_never_cached(client, applicant, saved, allowance):
    response = give(client, saved["eligible"], "gold", HTTP_HX_REQUEST="true")
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


# Model rules -------------------------------------------------------------------------------


def test_the_database_refuses_a_signal_that_is_no_kind(applicant, saved):
    with transaction.atomic(), pytest.raises(IntegrityError):
        ShortlistEntry.objects.filter(pk=saved["eligible"].pk).update(signal="platinum")
    entry = saved["eligible"]
    entry.signal = "platinum"
    with pytest.raises(ValidationError) as refused:
        entry.full_clean(exclude=["user", "program"])
    assert "signal" in refused.value.message_dict
