"""The demo calls' rules, as fixtures/demo/calls.csv carries them from the programme guides.

Pure: the rules are read from the CSV file the demo loads, with no database,
so a rule lost from the file fails here as well as a rule broken in
``projects.eligibility``. Each call gets a consortium that passes and one
that fails each of its rules, with the sentence a coordinator reads, in
English and in Latvian.
"""

import csv
import datetime
from pathlib import Path

import pytest
from django.utils import translation

from projects.eligibility import (
    IdeaPlan,
    Member,
    Rules,
    applicant_problem,
    check,
    describe,
    filling,
    idea_problems,
    partner_problem,
)

DEMO_CALLS = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "calls.csv"
KIND_LABELS = {
    "association": "Association",
    "foundation": "Foundation",
    "community-group": "Community group",
    "municipality": "Municipality",
    "company": "Company",
    "school": "School",
}


def _codes(cell: str) -> frozenset[str]:
    return frozenset(part.strip() for part in cell.split(";") if part.strip())


def _number(cell: str) -> int | None:
    return int(cell) if cell.strip() else None


def _rules(row: dict) -> Rules:
    return Rules(
        min_organisations=int(row["min_organisations"]),
        min_countries=int(row["min_countries"]),
        eligible_countries=_codes(row["eligible_countries"]),
        required_countries=_codes(row["required_countries"]),
        required_group_label=row["required_group_label"],
        allowed_kinds=_codes(row["allowed_kinds"]),
        applicant_countries=_codes(row["applicant_countries"]),
        applicant_kinds=_codes(row["applicant_kinds"]),
        required_each=_codes(row["required_each"]),
        eligible_regions=_codes(row["eligible_regions"]),
        partners_allowed=row["partners_allowed"].strip().lower() != "no",
        min_months=_number(row["min_months"]),
        max_months=_number(row["max_months"]),
        budget_min=_number(row["budget_min"]),
        budget_max=_number(row["budget_max"]),
        lump_sums=tuple(int(amount) for amount in _codes(row["lump_sums"])),
        deadline=datetime.date.fromisoformat(row["deadline"]),
    )


with DEMO_CALLS.open(encoding="utf-8") as _handle:
    CALLS = {row["code"]: _rules(row) for row in csv.DictReader(_handle)}

KA210 = CALLS["KA210-YOU-2027-R1"]
KA220 = CALLS["KA220-YOU-2027-R1"]
ESC51 = CALLS["ESC51-VOL-2027-R1"]
ESC30 = CALLS["ESC30-SOL-2027-R2"]
ACF = CALLS["EEA-ACF-LV-BIL-2027"]
INTERREG = CALLS["INTERREG-LATLIT-2027"]
LEADER = CALLS["LEADER-LV-2027"]
KEKAVA = CALLS["KEKAVA-LIDZBUDZ-2027"]

LV_NGO = Member("Biedrība Kurzemes jaunieši", "LV", "association", region="LV003")
LV_RIGA_NGO = Member("Rīgas jauniešu biedrība", "LV", "association", region="LV006")
LV_MUNICIPALITY = Member("Talsu novada pašvaldība", "LV", "municipality", region="LV003")
LV_SCHOOL = Member("Rīgas 1. pamatskola", "LV", "school", region="LV006")
LT_SCHOOL = Member("Klaipėdos progimnazija", "LT", "school", region="LT023")
LT_VILNIUS_SCHOOL = Member("Vilniaus progimnazija", "LT", "school", region="LT011")
LT_NO_REGION = Member("Šiaulių bendruomenė", "LT", "community-group")
LT_COMPANY = Member("Acme UAB", "LT", "company", region="LT023")
PL_FOUNDATION = Member("Fundacja Razem", "PL", "foundation")
NO_ASSOCIATION = Member("Frivillig Oslo", "NO", "association")
NO_MUNICIPALITY = Member("Hamar kommune", "NO", "municipality")
UA_NGO = Member("Kyiv Youth Hub", "UA", "association")
BY_NGO = Member("Minsk Civic Club", "BY", "association")

DONOR = "a donor state (Norway, Iceland or Liechtenstein)"

# call, members, eligible, words in the one `missing` sentence ("" = none), words in problems
# fmt: off
CASES = [
    # KA210: at least 2 organisations from 2 countries of the programme.
    ("ka210-passes", KA210, [LV_NGO, LT_SCHOOL], True, "", []),
    ("ka210-lead-alone", KA210, [LV_NGO], False, "needs 1 more organisation from a country not yet in the consortium", []),
    ("ka210-same-country", KA210, [LV_NGO, LV_SCHOOL], False, "needs 1 more organisation from a country not yet in the consortium", []),
    ("ka210-non-programme-country", KA210, [LV_NGO, BY_NGO], False, "needs 1 more", ["Minsk Civic Club is in Belarus, which is not eligible for this call"]),
    # KA220: at least 3 organisations from 3 countries.
    ("ka220-passes", KA220, [LV_NGO, LT_SCHOOL, PL_FOUNDATION], True, "", []),
    ("ka220-lead-alone", KA220, [LV_NGO], False, "needs 2 more organisations, each from a different country not yet in the consortium", []),
    ("ka220-two-countries", KA220, [LV_NGO, LV_SCHOOL, LT_SCHOOL], False, "needs 1 more organisation from a country not yet in the consortium", []),
    # ESC51: neighbouring partner countries take part as partners, not applicants.
    ("esc51-partner-country-as-partner", ESC51, [LV_NGO, UA_NGO], True, "", []),
    ("esc51-partner-country-as-applicant", ESC51, [UA_NGO, LV_NGO], False, "", ["Kyiv Youth Hub is in Ukraine: only organisations from"]),
    ("esc51-alone", ESC51, [LV_NGO], True, "", []),
    # ESC30: a group of young people carries the project out alone.
    ("esc30-alone", ESC30, [LV_NGO], True, "", []),
    ("esc30-with-partner", ESC30, [LV_NGO, LT_SCHOOL], False, "", ["Klaipėdos progimnazija cannot be a partner: this call takes no partners"]),
    # Active Citizens Fund bilateral: a Latvian NGO applies with a donor-state partner.
    ("acf-passes", ACF, [LV_NGO, NO_MUNICIPALITY], True, "", []),
    ("acf-no-donor", ACF, [LV_NGO], False, f"needs 1 more organisation from {DONOR}", []),
    ("acf-latvian-partner-only", ACF, [LV_NGO, LV_MUNICIPALITY], False, f"needs 1 more organisation from {DONOR}", []),
    ("acf-municipality-applies", ACF, [LV_MUNICIPALITY, NO_ASSOCIATION], False, "needs 1 more organisation", ["Talsu novada pašvaldība (Municipality) cannot apply for this call: only association, community group and foundation can apply"]),
    ("acf-donor-applies", ACF, [NO_ASSOCIATION, LV_NGO], False, f"needs 1 more organisation from {DONOR}", ["Frivillig Oslo is in Norway: only organisations from Latvia can apply"]),
    # Interreg Latvia–Lithuania: one from each country, in the programme area, no companies.
    ("interreg-passes", INTERREG, [LV_NGO, LT_SCHOOL], True, "", []),
    ("interreg-no-lithuanian", INTERREG, [LV_NGO], False, "needs 1 more organisation from Lithuania", []),
    ("interreg-empty", INTERREG, [], False, "needs 2 more organisations, one from Latvia and one from Lithuania", []),
    ("interreg-riga", INTERREG, [LV_RIGA_NGO, LT_SCHOOL], False, "needs 1 more organisation from Latvia", ["Rīgas jauniešu biedrība is in Rīga, outside the programme area: in Latvia this call covers only Kurzeme, Latgale and Zemgale"]),
    ("interreg-vilnius", INTERREG, [LV_NGO, LT_VILNIUS_SCHOOL], False, "needs 1 more organisation from Lithuania", ["Vilniaus progimnazija is in Vilniaus apskritis, outside the programme area"]),
    ("interreg-company", INTERREG, [LV_NGO, LT_COMPANY], False, "needs 1 more organisation from Lithuania", ["Acme UAB (Company) is not an eligible kind of organisation for this call"]),
    # Region not stated: it counts (it may be in the area) but the verdict asks for it.
    ("interreg-region-unknown", INTERREG, [LV_NGO, LT_NO_REGION], False, "", ["Šiaulių bendruomenė has not said in which region of Lithuania it is"]),
    # LEADER and the municipal co-budgeting call: one organisation applies alone.
    ("leader-alone", LEADER, [LV_NGO], True, "", []),
    ("leader-with-partner", LEADER, [LV_NGO, LV_SCHOOL], False, "", ["Rīgas 1. pamatskola cannot be a partner: this call takes no partners"]),
    ("leader-lithuanian-applicant", LEADER, [LT_SCHOOL], False, "needs 1 more organisation", ["Klaipėdos progimnazija is in Lithuania, which is not eligible for this call"]),
    ("kekava-ngo", KEKAVA, [LV_NGO], True, "", []),
    ("kekava-municipality", KEKAVA, [LV_MUNICIPALITY], False, "needs 1 more organisation", ["Talsu novada pašvaldība (Municipality) is not an eligible kind of organisation for this call"]),
]
# fmt: on


@pytest.mark.parametrize(
    ("call", "members", "eligible", "missing", "problems"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_demo_call_rules(call, members, eligible, missing, problems):
    with translation.override("en"):
        result = check(members, call, kind_labels=KIND_LABELS)
    assert result.eligible is eligible
    if missing:
        assert len(result.missing) == 1
        assert missing in result.missing[0]
    else:
        assert result.missing == ()
    assert len(result.problems) == len(problems)
    for words, sentence in zip(problems, result.problems, strict=True):
        assert words in sentence


def test_every_demo_call_is_covered():
    covered = {id(case[1]) for case in CASES}
    prefixes = {code.split("-")[0] for code, rules in CALLS.items() if id(rules) in covered}
    assert prefixes >= {"KA210", "KA220", "ESC51", "ESC30", "EEA", "INTERREG", "LEADER", "KEKAVA"}


# --- the same sentences in Latvian ----------------------------------------------------

# fmt: off
LATVIAN = [
    (INTERREG, [LV_NGO], "vajadzīga vēl 1 organizācija, kuras valsts ir Lietuva"),
    (ACF, [LV_NGO], "vajadzīga vēl 1 organizācija, kuras valsts ir donorvalsts (Norvēģija, Islande vai Lihtenšteina)"),
    (INTERREG, [], "vajadzīgas vēl 2 organizācijas, viena, kuras valsts ir Latvija un viena, kuras valsts ir Lietuva"),
]
# fmt: on


@pytest.mark.parametrize(("call", "members", "sentence"), LATVIAN)
def test_missing_sentences_in_latvian(call, members, sentence):
    with translation.override("lv"):
        assert check(members, call).missing == (sentence,)


def test_a_partner_problem_in_latvian():
    with translation.override("lv"):
        problem = partner_problem(LT_SCHOOL, ESC30)
    assert problem == (
        "Klaipėdos progimnazija nevar būt partneris: šis konkurss partnerus nepieņem, "
        "pieteicējs projektu īsteno viens"
    )


# --- who may apply, who may be a partner -------------------------------------------------


def test_applicant_and_partner_problems_differ_for_partner_only_countries():
    assert partner_problem(UA_NGO, ESC51) is None
    assert "only organisations from" in applicant_problem(UA_NGO, ESC51)


def test_a_lead_without_a_region_may_draft_but_is_asked_for_it():
    assert applicant_problem(LT_NO_REGION, INTERREG, require_region=False) is None
    assert "has not said in which region" in applicant_problem(LT_NO_REGION, INTERREG)


def test_a_partner_without_a_region_may_join_and_the_verdict_asks_for_it():
    assert partner_problem(LT_NO_REGION, INTERREG) is None
    assert "has not said in which region" in partner_problem(
        LT_NO_REGION, INTERREG, require_region=True
    )
    assert "outside the programme area" in partner_problem(LT_VILNIUS_SCHOOL, INTERREG)


def test_regions_are_matched_within_coarser_codes():
    rules = Rules(eligible_countries=frozenset({"LV"}), eligible_regions=frozenset({"LV00"}))
    assert partner_problem(LV_NGO, rules) is None


# --- what a further partner fills ------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "members", "fills", "does_not_fill"),
    [
        (KA220, [LV_NGO], {"LT", "CZ", "NO"}, {"LV"}),
        (KA220, [LV_NGO, LT_SCHOOL], {"PL", "EE"}, {"LV", "LT"}),
        (ACF, [LV_NGO], {"NO", "IS", "LI"}, {"LV"}),
        (INTERREG, [LV_NGO], {"LT"}, {"LV"}),
        (INTERREG, [], {"LT", "LV"}, set()),
        (KA210, [LV_NGO, LT_SCHOOL], set(), {"LV", "LT", "PL"}),
        (ESC30, [LV_NGO], set(), {"LV", "LT"}),
        (LEADER, [], set(), {"LV"}),
    ],
)
def test_filling(call, members, fills, does_not_fill):
    found = filling(members, call)
    assert {c for c in fills if found.fills(c)} == fills
    assert {c for c in does_not_fill if found.fills(c)} == set()


# --- the rules in plain words ------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "line"),
    [
        (KA210, "projects last 6 to 24 months"),
        (KA210, "one lump sum of your choice: 30,000\u00a0EUR or 60,000\u00a0EUR"),
        (KA220, "at least 3 organisations from 3 different countries"),
        (
            KA220,
            "one lump sum of your choice: 120,000\u00a0EUR, 250,000\u00a0EUR or 400,000\u00a0EUR",
        ),
        (ESC51, "partners only, not applicants: organisations from Albania, Armenia"),
        (ESC30, "no partners: the applicant carries out the project alone"),
        (ACF, "who may apply: an organisation from Latvia"),
        (ACF, "who may apply: association, community group and foundation"),
        (ACF, f"at least one organisation from {DONOR}"),
        (INTERREG, "at least one organisation from Latvia and one from Lithuania"),
        (INTERREG, "in Latvia, only organisations in Kurzeme, Latgale and Zemgale"),
        (LEADER, "no partners: the applicant carries out the project alone"),
    ],
)
def test_describe(call, line):
    with translation.override("en"):
        lines = describe(call, KIND_LABELS)
    assert any(line in text for text in lines), lines


# --- an idea against its call ---------------------------------------------------------------

TODAY = datetime.date(2026, 12, 1)


def test_the_idea_from_the_issue_breaks_every_rule_it_should():
    plan = IdeaPlan(
        lead=LV_NGO,
        start_date=datetime.date(2020, 1, 1),
        duration_months=60,
        budget=1_000_000,
        partners_wanted=0,
        closes_on=datetime.date(2027, 3, 20),
        countries_sought=frozenset({"AF", "US"}),
    )
    with translation.override("en"):
        errors = idea_problems(plan, KA220, today=TODAY)
    assert errors["start_date"][0] == "The planned start must be in the future."
    assert "starts after its deadline" in errors["start_date"][1]
    assert "projects last 12 to 36 months" in errors["duration_months"][0]
    assert "120,000\u00a0EUR, 250,000\u00a0EUR or 400,000\u00a0EUR" in errors["budget"][0]
    assert errors["partners_wanted"] == ["This call needs at least 2 partners besides the lead."]
    assert errors["closes_on"][0].startswith(
        "Partner applications must close by the call's deadline"
    )
    assert errors["countries_sought"] == [
        "Afghanistan and United States of America are not eligible for this call."
    ]
    assert "lead" not in errors


def test_an_idea_that_keeps_the_rules_has_no_problems():
    plan = IdeaPlan(
        lead=LV_NGO,
        start_date=datetime.date(2027, 9, 1),
        duration_months=24,
        budget=250_000,
        partners_wanted=2,
        closes_on=datetime.date(2027, 2, 15),
        countries_sought=frozenset({"LT", "NO"}),
    )
    assert idea_problems(plan, KA220, today=TODAY) == {}


@pytest.mark.parametrize(
    ("call", "plan", "field", "words"),
    [
        (KA210, IdeaPlan(budget=45_000), "budget", "set the budget to one of them"),
        (KA210, IdeaPlan(duration_months=3), "duration_months", "6 to 24 months"),
        (ESC30, IdeaPlan(partners_wanted=1), "partners_wanted", "set the partners wanted to 0"),
        (ESC30, IdeaPlan(), "call", "cannot be opened for partner applications"),
        (ACF, IdeaPlan(lead=LV_MUNICIPALITY, partners_wanted=1), "lead", "cannot apply"),
        (
            INTERREG,
            IdeaPlan(partners_wanted=1, countries_sought=frozenset({"EE"})),
            "countries_sought",
            "Estonia is not eligible",
        ),
    ],
)
def test_each_idea_rule(call, plan, field, words):
    with translation.override("en"):
        errors = idea_problems(plan, call, today=TODAY)
    assert any(words in message for message in errors[field]), errors


def test_an_idea_without_a_call_only_needs_a_future_start():
    assert idea_problems(IdeaPlan(start_date=TODAY), None, today=TODAY) == {
        "start_date": ["The planned start must be in the future."]
    }
    assert idea_problems(IdeaPlan(partners_wanted=0), None, today=TODAY) == {}
