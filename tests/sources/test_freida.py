"""FREIDA 2016's answers: what each becomes, what is doubted, and which row wins."""

import pytest

from programs.models import ScorePolicy, Setting, Tri
from sources import freida

J1 = freida.FREIDA_COLUMNS["j1"]
H1B = freida.FREIDA_COLUMNS["h1b"]
STEP2_REQUIRED = freida.FREIDA_COLUMNS["step2_required"]
STEP2_MINIMUM = freida.FREIDA_COLUMNS["step2_minimum"]
STEP1_MINIMUM = freida.FREIDA_STEP_PREFIX + "Step 1 Minimum Score"


def test_freida_visa_answers_map_and_no_answer_stays_unknown():
    facts = freida.freida_facts({J1: "Yes", H1B: "No Answer"})
    assert facts["visa"] == {
        "sponsors_j1": Tri.YES,
        "accepts_imgs": Tri.YES,
        "accepts_imgs_inferred": "true",
    }


def test_a_refused_visa_never_becomes_a_refusal_of_imgs():
    facts = freida.freida_facts({J1: "No", H1B: "No"})
    assert facts["visa"] == {"sponsors_j1": Tri.NO, "sponsors_h1b": Tri.NO}
    assert "accepts_imgs" not in facts["visa"]


def test_step2_minimum_becomes_a_hard_cutoff_and_step1_is_never_taken():
    facts = freida.freida_facts({STEP2_REQUIRED: "Yes", STEP2_MINIMUM: "220", STEP1_MINIMUM: "230"})
    assert facts["scores"] == {"step2_policy": ScorePolicy.HARD, "step2_minimum": "220"}
    assert "230" not in str(facts)


def test_a_step2_minimum_below_any_recent_passing_score_is_doubted():
    low = freida.freida_facts({STEP2_REQUIRED: "Yes", STEP2_MINIMUM: "123"})
    assert low["scores"]["step2_minimum_doubted"] == "true"
    passing = freida.freida_facts({STEP2_REQUIRED: "Yes", STEP2_MINIMUM: "194"})
    assert "step2_minimum_doubted" not in passing["scores"]


IMG_OPTIONS = [freida.FREIDA_COLUMNS[k] for k in ("j1", "h1b", "f1", "citizen", "resident")]


def test_no_to_every_img_option_even_citizenship_makes_the_visa_answers_doubtful():
    facts = freida.freida_facts(dict.fromkeys(IMG_OPTIONS, "No"))
    assert facts["visa"]["visa_answers_doubted"] == "true"
    citizens_welcome = freida.freida_facts(
        {**dict.fromkeys(IMG_OPTIONS, "No"), IMG_OPTIONS[3]: "Yes"}
    )
    assert "visa_answers_doubted" not in citizens_welcome["visa"]


@pytest.mark.parametrize(
    ("url", "retired"),
    [
        ("http://www.northshorelij.com/residency", "northshorelij.com"),
        ("http://njms.umdnj.edu/gme", "umdnj.edu"),
        ("http://www.massgeneral.org/medicine", ""),
        ("http://notnorthshorelij.com/", ""),
    ],
)
def test_websites_on_retired_domains_are_doubted(url, retired):
    assert freida.retired_domain(url) == retired
    website = freida.FREIDA_COLUMNS["website"]
    facts = freida.freida_facts({website: url})
    assert (facts["overview"].get("website_doubted") == "true") == bool(retired)


def test_freida_facts_are_dated_as_of_2016_never_checked():
    program = {}
    freida.apply_freida(program, {"visa": {"sponsors_j1": Tri.YES}}, "https://example.org")
    assert program["visa_as_of"] == "2016-02-28"
    assert "visa_verified_on" not in program


def test_step2_required_without_a_score_stays_unknown():
    assert freida.freida_facts({STEP2_REQUIRED: "Yes"}) == {}


def test_program_setting_maps_to_the_setting_choices():
    column = freida.FREIDA_COLUMNS["setting"]
    facts = freida.freida_facts({column: "Community-based university affiliated hospital"})
    assert facts["overview"]["setting"] == Setting.COMMUNITY_UNIVERSITY


def test_duplicate_freida_rows_keep_the_fullest_then_the_first():
    sparse = {"Program Id": "1402411169", J1: "Yes"}
    full = {"Program Id": "1402411169", J1: "Yes", H1B: "No"}
    later_equal = {"Program Id": "1402411169", J1: "No", H1B: "Yes"}
    assert freida.pick_freida_rows([sparse, full, later_equal])["1402411169"] is full
