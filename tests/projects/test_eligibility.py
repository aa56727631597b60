"""Eligibility of a consortium against the rules of real call types, with no database."""

import os

import django
from django.conf import ENVIRONMENT_VARIABLE, settings

# Under pytest-django (DJANGO_SETTINGS_MODULE set) the project settings are used;
# run alone (`-p no:django`), the module needs only translation and country names.
if not settings.configured and not os.environ.get(ENVIRONMENT_VARIABLE):
    settings.configure(USE_I18N=False, INSTALLED_APPS=["django_countries"])
    django.setup()

import pytest  # noqa: E402
from django.utils import translation  # noqa: E402

from projects.eligibility import Member, Rules, check, describe  # noqa: E402

# Erasmus+ programme countries: the EU27 and the associated third countries.
# fmt: off
EU = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
})
# fmt: on
ERASMUS_COUNTRIES = EU | {"IS", "LI", "NO", "MK", "RS", "TR"}
DONOR_STATES = frozenset({"NO", "IS", "LI"})
DONOR_LABEL = "a donor state (Norway, Iceland or Liechtenstein)"
KINDS = frozenset(
    {
        "association",
        "foundation",
        "community-group",
        "informal-group",
        "municipality",
        "public-institution",
        "school",
        "university",
        "training-provider",
        "social-enterprise",
        "company",
        "other",
    }
)

KA210 = Rules(min_organisations=2, min_countries=2, eligible_countries=ERASMUS_COUNTRIES)
KA220 = Rules(min_organisations=3, min_countries=3, eligible_countries=ERASMUS_COUNTRIES)
ESC_SOLIDARITY = Rules(min_organisations=1, min_countries=1)
EEA_BILATERAL = Rules(
    min_organisations=2,
    min_countries=2,
    eligible_countries=frozenset({"LV"}) | DONOR_STATES,
    required_countries=DONOR_STATES,
    required_group_label=DONOR_LABEL,
)
INTERREG_LV_LT = Rules(
    min_organisations=2,
    min_countries=2,
    eligible_countries=frozenset({"LV", "LT"}),
    allowed_kinds=KINDS - {"company"},
)
LEADER = Rules(min_organisations=1, min_countries=1, eligible_countries=frozenset({"LV"}))

LEAD = Member("Jauniešu centrs Kurzeme", "LV", "association")
LV_MUNICIPALITY = Member("Talsu novada pašvaldība", "LV", "municipality")
LV_SCHOOL = Member("Rīgas 1. pamatskola", "LV", "school")
LT_SCHOOL = Member("Vilniaus progimnazija", "LT", "school")
LT_COMPANY = Member("Acme UAB", "LT", "company")
PL_FOUNDATION = Member("Fundacja Razem", "PL", "foundation")
NO_ASSOCIATION = Member("Frivillig Oslo", "NO", "association")
IS_FOUNDATION = Member("Reykjavík Youth Foundation", "IS", "foundation")
BY_ASSOCIATION = Member("Minsk Civic Club", "BY", "association")

NEW_COUNTRY_1 = "needs 1 more organisation from a country not yet in the consortium"
NEW_COUNTRIES_2 = (
    "needs 2 more organisations, each from a different country not yet in the consortium"
)
DONOR_1 = f"needs 1 more organisation from {DONOR_LABEL}"

# id, rules, members, eligible, organisations_needed, countries_needed,
# required_group_missing, words in `missing`, words in `problems`
# fmt: off
CASES = [
    # Erasmus+ KA210 small-scale partnership: 2 organisations from 2 countries.
    ("ka210-lead-alone", KA210, [LEAD], False, 1, 1, False, [NEW_COUNTRY_1], []),
    ("ka210-satisfied", KA210, [LEAD, LT_SCHOOL], True, 0, 0, False, [], []),
    ("ka210-satisfied-with-same-country-third", KA210, [LEAD, LV_SCHOOL, PL_FOUNDATION], True, 0, 0, False, [], []),
    ("ka210-same-country-partner", KA210, [LEAD, LV_MUNICIPALITY], False, 1, 1, False, [NEW_COUNTRY_1], []),
    (
        "ka210-ineligible-country",
        KA210,
        [LEAD, BY_ASSOCIATION],
        False, 1, 1, False,
        [NEW_COUNTRY_1],
        ["Minsk Civic Club is in Belarus, which is not eligible for this call"],
    ),
    ("ka210-donor-state-counts-as-associated", KA210, [LEAD, NO_ASSOCIATION], True, 0, 0, False, [], []),
    ("ka210-empty", KA210, [], False, 2, 2, False, ["needs 2 more organisations, each from a different country"], []),
    # Erasmus+ KA220 cooperation partnership: 3 organisations from 3 countries.
    ("ka220-lead-alone", KA220, [LEAD], False, 2, 2, False, [NEW_COUNTRIES_2], []),
    ("ka220-one-short", KA220, [LEAD, LT_SCHOOL], False, 1, 1, False, [NEW_COUNTRY_1], []),
    ("ka220-satisfied", KA220, [LEAD, LT_SCHOOL, PL_FOUNDATION], True, 0, 0, False, [], []),
    # Enough organisations, but all Latvian: two more are still needed.
    ("ka220-two-short-in-countries-not-orgs", KA220, [LEAD, LV_MUNICIPALITY, LV_SCHOOL], False, 2, 2, False, [NEW_COUNTRIES_2], []),
    ("ka220-one-short-in-countries-not-orgs", KA220, [LEAD, LV_SCHOOL, LT_SCHOOL], False, 1, 1, False, [NEW_COUNTRY_1], []),
    (
        "ka220-ineligible-country",
        KA220,
        [LEAD, LT_SCHOOL, BY_ASSOCIATION],
        False, 1, 1, False,
        [NEW_COUNTRY_1],
        ["Minsk Civic Club is in Belarus"],
    ),
    ("ka220-empty", KA220, [], False, 3, 3, False, ["needs 3 more organisations, each from a different country"], []),
    # European Solidarity Corps solidarity project: one organisation is enough.
    ("esc-lead-alone", ESC_SOLIDARITY, [LEAD], True, 0, 0, False, [], []),
    ("esc-same-country-partner", ESC_SOLIDARITY, [LEAD, LV_SCHOOL], True, 0, 0, False, [], []),
    ("esc-any-country", ESC_SOLIDARITY, [BY_ASSOCIATION], True, 0, 0, False, [], []),
    ("esc-empty", ESC_SOLIDARITY, [], False, 1, 1, False, ["needs 1 more organisation"], []),
    # EEA and Norway Grants bilateral: a Latvian and a donor-state organisation.
    ("eea-lead-alone-donor-missing", EEA_BILATERAL, [LEAD], False, 1, 1, True, [DONOR_1], []),
    ("eea-donor-present", EEA_BILATERAL, [LEAD, NO_ASSOCIATION], True, 0, 0, False, [], []),
    ("eea-donor-lead", EEA_BILATERAL, [NO_ASSOCIATION, LEAD], True, 0, 0, False, [], []),
    ("eea-two-donor-states", EEA_BILATERAL, [NO_ASSOCIATION, IS_FOUNDATION], True, 0, 0, False, [], []),
    # Two organisations are there, but neither is from a donor state.
    ("eea-same-country-donor-missing", EEA_BILATERAL, [LEAD, LV_MUNICIPALITY], False, 1, 1, True, [DONOR_1], []),
    (
        "eea-ineligible-country-donor-missing",
        EEA_BILATERAL,
        [LEAD, LT_SCHOOL],
        False, 1, 1, True,
        [DONOR_1],
        ["Vilniaus progimnazija is in Lithuania, which is not eligible for this call"],
    ),
    (
        "eea-empty",
        EEA_BILATERAL,
        [],
        False, 2, 2, True,
        [f"needs 2 more organisations, each from a different country, one of them from {DONOR_LABEL}"],
        [],
    ),
    # Interreg Latvia–Lithuania: both countries, no companies.
    ("interreg-lead-alone", INTERREG_LV_LT, [LEAD], False, 1, 1, False, [NEW_COUNTRY_1], []),
    ("interreg-satisfied", INTERREG_LV_LT, [LEAD, LT_SCHOOL], True, 0, 0, False, [], []),
    ("interreg-same-country-partner", INTERREG_LV_LT, [LEAD, LV_MUNICIPALITY], False, 1, 1, False, [NEW_COUNTRY_1], []),
    (
        "interreg-ineligible-kind",
        INTERREG_LV_LT,
        [LEAD, LT_COMPANY],
        False, 1, 1, False,
        [NEW_COUNTRY_1],
        ["Acme UAB (company) is not an eligible kind of organisation for this call"],
    ),
    (
        "interreg-ineligible-country",
        INTERREG_LV_LT,
        [LEAD, PL_FOUNDATION],
        False, 1, 1, False,
        [NEW_COUNTRY_1],
        ["Fundacja Razem is in Poland, which is not eligible"],
    ),
    # A company as lead counts for nothing: both organisations are still needed.
    (
        "interreg-ineligible-lead",
        INTERREG_LV_LT,
        [LT_COMPANY],
        False, 2, 2, False,
        ["needs 2 more organisations, each from a different country"],
        ["Acme UAB (company) is not an eligible kind"],
    ),
    ("interreg-empty", INTERREG_LV_LT, [], False, 2, 2, False, ["needs 2 more organisations, each from a different country"], []),
    # LEADER local development: one Latvian organisation.
    ("leader-lead-alone", LEADER, [LEAD], True, 0, 0, False, [], []),
    ("leader-same-country-partner", LEADER, [LEAD, LV_MUNICIPALITY], True, 0, 0, False, [], []),
    # Nothing is missing, yet the Lithuanian partner has to leave before the idea is eligible.
    (
        "leader-ineligible-country",
        LEADER,
        [LEAD, LT_SCHOOL],
        False, 0, 0, False,
        [],
        ["Vilniaus progimnazija is in Lithuania, which is not eligible for this call"],
    ),
    ("leader-ineligible-lead", LEADER, [LT_SCHOOL], False, 1, 1, False, ["needs 1 more organisation"], ["is in Lithuania"]),
    ("leader-empty", LEADER, [], False, 1, 1, False, ["needs 1 more organisation"], []),
]
# fmt: on


@pytest.mark.parametrize(
    (
        "rules",
        "members",
        "eligible",
        "organisations",
        "countries",
        "group_missing",
        "missing",
        "problems",
    ),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_check_call_types(
    rules: Rules,
    members: list[Member],
    eligible: bool,
    organisations: int,
    countries: int,
    group_missing: bool,
    missing: list[str],
    problems: list[str],
) -> None:
    result = check(members, rules)

    assert result.eligible is eligible
    assert result.organisations_needed == organisations
    assert result.countries_needed == countries
    assert result.required_group_missing is group_missing
    # One sentence says everything that is missing, so its parts cannot contradict each other.
    assert len(result.missing) == (1 if organisations else 0)
    for words in missing:
        assert words in result.missing[0]
    assert len(result.problems) == len(problems)
    for words, sentence in zip(problems, result.problems, strict=True):
        assert words in sentence


def test_empty_consortium_does_not_speak_of_countries_not_yet_in_it() -> None:
    for rules in (KA210, KA220, ESC_SOLIDARITY, EEA_BILATERAL, INTERREG_LV_LT, LEADER):
        assert "not yet in the consortium" not in " ".join(check([], rules).missing)


def test_single_country_needed_among_several_organisations() -> None:
    rules = Rules(min_organisations=4, min_countries=2)

    result = check([LEAD], rules)

    assert (result.organisations_needed, result.countries_needed) == (3, 1)
    assert result.missing == (
        "needs 3 more organisations, at least 1 of them from a country not yet in the consortium",
    )


def test_several_countries_needed_among_more_organisations() -> None:
    result = check([LEAD], Rules(min_organisations=5, min_countries=3))

    assert result.missing == (
        "needs 4 more organisations, at least 2 of them from different countries not yet in the consortium",
    )


def test_more_countries_than_organisations_required_asks_for_the_countries() -> None:
    result = check([LEAD], Rules(min_organisations=2, min_countries=3))

    assert (result.organisations_needed, result.countries_needed) == (2, 2)
    assert result.missing == (NEW_COUNTRIES_2,)


@pytest.mark.parametrize(
    ("rules", "sentence"),
    [
        pytest.param(
            Rules(
                min_organisations=3,
                required_countries=DONOR_STATES,
                required_group_label=DONOR_LABEL,
            ),
            f"needs 2 more organisations, at least one of them from {DONOR_LABEL}",
            id="no-country-needed",
        ),
        pytest.param(
            Rules(
                min_organisations=3,
                min_countries=2,
                required_countries=DONOR_STATES,
                required_group_label=DONOR_LABEL,
            ),
            f"needs 2 more organisations, at least one of them from {DONOR_LABEL}",
            id="donor-brings-the-country",
        ),
        pytest.param(
            Rules(
                min_organisations=3,
                min_countries=3,
                required_countries=DONOR_STATES,
                required_group_label=DONOR_LABEL,
            ),
            f"needs 2 more organisations, each from a different country not yet in the consortium, one of them from {DONOR_LABEL}",
            id="each-new-country",
        ),
        pytest.param(
            Rules(
                min_organisations=4,
                min_countries=3,
                required_countries=DONOR_STATES,
                required_group_label=DONOR_LABEL,
            ),
            f"needs 3 more organisations, at least 2 of them from different countries not yet in the consortium, one of them from {DONOR_LABEL}",
            id="some-new-countries",
        ),
    ],
)
def test_donor_partner_is_one_of_the_organisations_needed(rules: Rules, sentence: str) -> None:
    result = check([LEAD], rules)

    assert result.required_group_missing
    assert result.missing == (sentence,)


def test_missing_donor_needs_an_organisation_even_when_the_numbers_are_met() -> None:
    rules = Rules(
        min_organisations=2, required_countries=DONOR_STATES, required_group_label=DONOR_LABEL
    )

    result = check([LEAD, LV_MUNICIPALITY], rules)

    assert not result.eligible
    assert (result.organisations_needed, result.countries_needed) == (1, 0)
    assert result.missing == (DONOR_1,)


def test_donor_from_ineligible_kind_does_not_count() -> None:
    rules = Rules(
        min_organisations=2,
        min_countries=2,
        required_countries=DONOR_STATES,
        required_group_label=DONOR_LABEL,
        allowed_kinds=frozenset({"association", "municipality"}),
    )

    result = check([LEAD, IS_FOUNDATION], rules)

    assert not result.eligible
    assert result.required_group_missing
    assert result.missing == (DONOR_1,)
    assert result.problems == (
        "Reykjavík Youth Foundation (foundation) is not an eligible kind of organisation for this call",
    )


@pytest.mark.parametrize(
    ("required", "words"),
    [
        (
            DONOR_STATES,
            "needs 1 more organisation from a donor state (Norway, Iceland or Liechtenstein)",
        ),
        (frozenset({"NO"}), "needs 1 more organisation from Norway"),
    ],
)
def test_unlabelled_group_is_named_by_its_countries(required: frozenset[str], words: str) -> None:
    result = check([LEAD], Rules(min_organisations=2, min_countries=2, required_countries=required))

    assert result.missing == (words,)


def test_member_breaking_both_rules_gets_a_problem_for_each() -> None:
    result = check([LEAD, Member("Belaruskali", "BY", "company")], INTERREG_LV_LT)

    assert result.problems == (
        "Belaruskali is in Belarus, which is not eligible for this call",
        "Belaruskali (company) is not an eligible kind of organisation for this call",
    )


def test_kind_labels_name_the_kind_in_problems() -> None:
    result = check([LT_COMPANY], INTERREG_LV_LT, kind_labels={"company": "Company"})

    assert result.problems == (
        "Acme UAB (Company) is not an eligible kind of organisation for this call",
    )


def test_unknown_country_code_is_shown_as_given() -> None:
    result = check([Member("Somewhere NGO", "XK", "association")], LEADER)

    assert result.problems == ("Somewhere NGO is in XK, which is not eligible for this call",)


def test_country_codes_are_compared_case_insensitively() -> None:
    rules = Rules(min_organisations=2, min_countries=2, eligible_countries=frozenset({"lv", "LT"}))

    result = check([Member("Lead", "lv", "association"), Member("Partner", " LT", "school")], rules)

    assert result.eligible
    assert result.problems == ()


@pytest.mark.skipif(not settings.USE_I18N, reason="translations are switched off in this run")
def test_country_names_follow_the_active_language() -> None:
    with translation.override("lv"):
        result = check([LEAD, BY_ASSOCIATION], KA210)

    assert "Baltkrievija" in result.problems[0]


@pytest.mark.parametrize(
    ("rules", "lines"),
    [
        pytest.param(
            KA210,
            [
                "at least 2 organisations from 2 different countries",
                "eligible countries: Austria, Belgium",
            ],
            id="ka210",
        ),
        pytest.param(KA220, ["at least 3 organisations from 3 different countries"], id="ka220"),
        pytest.param(ESC_SOLIDARITY, ["at least 1 organisation: no partner is required"], id="esc"),
        pytest.param(
            EEA_BILATERAL,
            [
                "at least 2 organisations from 2 different countries",
                f"at least one organisation from {DONOR_LABEL}",
                "eligible countries: Iceland, Latvia, Liechtenstein, Norway",
            ],
            id="eea",
        ),
        pytest.param(
            INTERREG_LV_LT,
            [
                "at least 2 organisations from 2 different countries",
                "eligible countries: Latvia, Lithuania",
                "eligible kinds of organisation: association, community-group, foundation",
            ],
            id="interreg",
        ),
        pytest.param(
            LEADER,
            ["at least 1 organisation: no partner is required", "eligible countries: Latvia"],
            id="leader",
        ),
        pytest.param(
            Rules(min_organisations=2, min_countries=3),
            ["at least 3 organisations from 3 different countries"],
            id="countries-raise-organisations",
        ),
        pytest.param(Rules(min_organisations=4), ["at least 4 organisations"], id="any-country"),
    ],
)
def test_describe_states_the_rules(rules: Rules, lines: list[str]) -> None:
    described = describe(rules)

    for words in lines:
        assert any(line.startswith(words) for line in described), (words, described)


def test_describe_states_only_the_rules_a_call_has() -> None:
    assert describe(ESC_SOLIDARITY) == ["at least 1 organisation: no partner is required"]
    assert len(describe(INTERREG_LV_LT)) == 3


def test_describe_names_kinds_by_their_labels() -> None:
    rules = Rules(allowed_kinds=frozenset({"association", "municipality"}))

    lines = describe(rules, {"association": "Association", "municipality": "Municipality"})

    assert lines[-1] == "eligible kinds of organisation: Association, Municipality"


def test_describe_interreg_does_not_list_companies() -> None:
    assert "company" not in describe(INTERREG_LV_LT)[-1].split(", ")
