"""Hand-written matching cases: who would an experienced coordinator pick?

Each case is a lead organisation with a project idea, a pool of plausible
organisations and the one or two an experienced partnership coordinator
would contact first. The pools hold near-misses on purpose: the right theme
in a country the call does not fund, the right country and sector with other
goals, a stale or unverified twin, a big organisation that ticks every box.

The ideas follow the kind of work in the seed projects (Daugavpils youth
department and a Leszno volunteering network, the Klaipėda district and
Liepāja NGO-capacity exchange, the Ķekava NGO platform and a Norwegian
college, Intelekta parks and a Hamar NGO) and the usual calls: Erasmus+
youth and school partnerships, European Solidarity Corps, EEA and Norway
Grants, Interreg, LEADER and municipal programmes. The organisations beyond
the seed projects, and every profile's wording, are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from matching import text as texts
from matching.features import Member, need_for
from matching.scoring import Candidate, Need
from projects.eligibility import Rules

TODAY = date(2025, 3, 1)

SECTOR_OF_KIND = {
    "association": "ngo",
    "foundation": "ngo",
    "community-group": "ngo",
    "informal-group": "ngo",
    "municipality": "public",
    "public-institution": "public",
    "school": "education",
    "university": "education",
    "training-provider": "education",
    "social-enterprise": "private",
    "company": "private",
    "other": "other",
}

DONOR_STATES = frozenset({"NO", "IS", "LI"})


@dataclass(frozen=True)
class QualityCase:
    name: str
    need: Need
    pool: tuple[Candidate, ...]
    expected: frozenset[int]


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Term statistics over the cases' organisations, as the site keeps them over
#: all of its organisations (set once every organisation below is written).
CORPUS = texts.Corpus()
#: Each organisation's text stems, to weigh them once CORPUS is known.
ORG_STEMS: dict[str, list[str]] = {}
ORGS: dict[str, Candidate] = {}


def org(
    slug: str,
    name: str,
    kind: str,
    country: str,
    *,
    fields: str = "",
    themes: str = "",
    groups: str = "",
    languages: str = "en",
    experience: str = "some",
    verified: bool = False,
    updated: str = "2024-10-01",
    completeness: float = 0.7,
    text: str = "",
) -> None:
    assert slug not in ORGS, slug
    ORGS[slug] = Candidate(
        id=len(ORGS) + 1,
        slug=slug,
        name=name,
        kind=kind,
        sector=SECTOR_OF_KIND[kind],
        country=country,
        fields=_codes(fields),
        themes=_codes(themes),
        target_groups=_codes(groups),
        languages=_codes(languages),
        experience=experience,
        verified=verified,
        updated_on=date.fromisoformat(updated),
        completeness=completeness,
    )
    ORG_STEMS[slug] = texts.text_stems(text)


def idea(
    lead: str,
    *,
    partners: str = "",
    text: str,
    themes: str = "",
    groups: str = "",
    fields_sought: str = "",
    kinds_sought: str = "",
    countries_sought: str = "",
    language: str | None = "en",
    eligible_countries: str = "",
    allowed_kinds: str = "",
    min_countries: int = 1,
    min_organisations: int | None = None,
    required_countries: frozenset[str] = frozenset(),
    required_group_label: str = "",
    call: Rules | None = None,
) -> Need:
    """The Need of an idea, built by ``matching.features.need_for`` as the site builds it.

    ``call`` gives the call's rules outright (the programme guides' calls
    below); otherwise they are made from the keyword rules, and an idea with
    no rule at all aims at no call.
    """
    members = [ORGS[slug] for slug in [lead, *partners.split()]]
    if call is None and (
        eligible_countries or allowed_kinds or min_countries > 1 or required_countries
    ):
        call = Rules(
            min_organisations=min_organisations or min_countries,
            min_countries=min_countries,
            eligible_countries=_codes(eligible_countries),
            allowed_kinds=_codes(allowed_kinds),
            required_countries=required_countries,
            required_group_label=required_group_label,
        )
    lead_org, *partner_orgs = members
    return need_for(
        lead=Member(lead_org.id, lead_org.name, lead_org.country, lead_org.kind),
        lead_experience=lead_org.experience,
        partners=[Member(m.id, m.name, m.country, m.kind) for m in partner_orgs],
        rules=call,
        themes=_codes(themes),
        target_groups=_codes(groups),
        fields_sought=_codes(fields_sought),
        kinds_sought=_codes(kinds_sought),
        countries_sought=_codes(countries_sought),
        language=language,
        texts=(text,),
        corpus=CORPUS,
    )


# Calls as the programme guides state them (fixtures/demo/calls.csv carries the same).
# fmt: off
ERASMUS_COUNTRIES = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
    "MK", "RS", "TR",
})
# fmt: on
KA210 = Rules(min_organisations=2, min_countries=2, eligible_countries=ERASMUS_COUNTRIES)
KA220 = Rules(min_organisations=3, min_countries=3, eligible_countries=ERASMUS_COUNTRIES)
ACTIVE_CITIZENS_BILATERAL = Rules(
    min_organisations=2,
    min_countries=2,
    eligible_countries=frozenset({"LV"}) | DONOR_STATES,
    applicant_countries=frozenset({"LV"}),
    applicant_kinds=frozenset({"association", "foundation", "community-group"}),
    required_countries=DONOR_STATES,
    allowed_kinds=frozenset(
        {
            "association",
            "foundation",
            "community-group",
            "municipality",
            "public-institution",
            "university",
        }
    ),
)
INTERREG_LV_LT = Rules(
    min_organisations=2,
    min_countries=2,
    eligible_countries=frozenset({"LV", "LT"}),
    required_each=frozenset({"LV", "LT"}),
    allowed_kinds=frozenset(
        {
            "association",
            "foundation",
            "community-group",
            "municipality",
            "public-institution",
            "school",
            "university",
            "training-provider",
        }
    ),
)


CASES: list[QualityCase] = []


def case(name: str, need: Need, *, pool: str, expected: str) -> None:
    expected_slugs = expected.split()
    slugs = pool.split()
    assert set(expected_slugs) <= set(slugs), name
    assert 10 <= len(slugs) <= 20, (name, len(slugs))
    CASES.append(
        QualityCase(
            name=name,
            need=need,
            pool=tuple(ORGS[slug] for slug in slugs),
            expected=frozenset(ORGS[slug].id for slug in expected_slugs),
        )
    )


# --- Organisations ---------------------------------------------------------------
# Latvia

org(
    "daugavpils-youth",
    "Daugavpils City Council, Youth Department",
    "municipality",
    "LV",
    fields="youth-work local-government",
    themes="participation-democracy volunteering-solidarity non-formal-learning youth-policy",
    groups="young-people young-people-fewer-opportunities youth-workers-educators",
    languages="lv ru en",
    experience="some",
    verified=True,
    updated="2024-11-20",
    completeness=0.9,
    text="Daugavpils pilsētas domes Jaunatnes nodaļa: jaunatnes politika, jauniešu līdzdalība, brīvprātīgais darbs, neformālā izglītība, atbalsts jaunatnes organizācijām.",
)
org(
    "liepaja-city",
    "Liepāja City Municipality",
    "municipality",
    "LV",
    fields="local-government community-work",
    themes="capacity-building public-civic-cooperation community-development internationalisation",
    groups="ngo-staff-volunteers public-officials local-communities",
    languages="lv en lt",
    experience="experienced",
    verified=True,
    updated="2025-01-10",
    completeness=0.9,
    text="Liepāja city municipality supports NGOs through an NGO centre, small grants and an NGO incubator; long cooperation with Klaipėda district across the border.",
)
org(
    "liepaja-ngo-centre",
    "Liepāja NGO Centre",
    "association",
    "LV",
    fields="community-work adult-education",
    themes="capacity-building participation-democracy volunteering-solidarity",
    groups="ngo-staff-volunteers local-communities",
    languages="lv en",
    experience="some",
    updated="2024-06-01",
    completeness=0.7,
    text="Consultations and training for NGOs in Liepāja and Kurzeme: project writing, volunteering, community initiatives.",
)
org(
    "kuldiga-municipality",
    "Kuldīga Municipality",
    "municipality",
    "LV",
    fields="local-government culture-arts",
    themes="culture-heritage community-development capacity-building",
    groups="local-communities public-officials",
    languages="lv en",
    experience="some",
    verified=True,
    updated="2024-09-15",
    completeness=0.8,
    text="Kuldīga municipality: cultural heritage of the old town, tourism, community development in rural parishes.",
)
org(
    "rezekne-municipality",
    "Rēzekne City Municipality",
    "municipality",
    "LV",
    fields="local-government",
    themes="community-development youth-policy",
    groups="young-people local-communities",
    languages="lv ru en",
    experience="some",
    updated="2023-05-01",
    completeness=0.6,
    text="Rēzekne city services for residents, youth policy and international volunteers in Latgale.",
)
org(
    "jelgava-municipality",
    "Jelgava State City Municipality",
    "municipality",
    "LV",
    fields="local-government youth-work",
    themes="youth-policy participation-democracy public-civic-cooperation",
    groups="young-people public-officials",
    languages="lv en",
    experience="some",
    verified=True,
    updated="2024-12-01",
    completeness=0.8,
    text="Jelgava youth affairs: youth council, participatory budgeting pilot, youth centres.",
)
org(
    "gulbene-youth",
    "Gulbene Youth Centre",
    "public-institution",
    "LV",
    fields="youth-work",
    themes="volunteering-solidarity non-formal-learning inclusion-diversity",
    groups="young-people young-people-fewer-opportunities",
    languages="lv en",
    experience="experienced",
    verified=True,
    updated="2024-10-10",
    completeness=0.9,
    text="Gulbene youth centre hosts more than fifteen European Solidarity Corps volunteers every year from all over Europe.",
)
org(
    "daugavkrasts",
    "Partnership Daugavkrasts",
    "association",
    "LV",
    fields="community-work adult-education",
    themes="capacity-building public-civic-cooperation community-development leadership-skills volunteering-solidarity",
    groups="ngo-staff-volunteers local-communities",
    languages="lv en",
    experience="some",
    verified=True,
    updated="2024-08-20",
    completeness=0.9,
    text="Biedrība Partnerība Daugavkrasts: LEADER vietējā rīcības grupa, NVO sadarbības platforma Ķekavas novadā, kopienu līdzdalība, līderības apmācības.",
)
org(
    "intelekta-parks",
    "Intelekta parks",
    "association",
    "LV",
    fields="adult-education research",
    themes="migrant-integration capacity-building inclusion-diversity non-formal-learning",
    groups="migrants-third-country-nationals ngo-staff-volunteers",
    languages="lv ru en",
    experience="some",
    verified=True,
    updated="2024-07-01",
    completeness=0.8,
    text="Daugavpils Universitātes mūžizglītības biedrība: trešo valstu valstspiederīgo integrācija, mūžizglītība, zinātnes komunikācija Latgalē.",
)
org(
    "jaunatne-smaidam",
    "Jaunatne smaidam",
    "association",
    "LV",
    fields="youth-work",
    themes="inclusion-diversity non-formal-learning participation-democracy",
    groups="young-people young-people-fewer-opportunities",
    languages="lv en",
    experience="some",
    updated="2024-11-01",
    completeness=0.7,
    text="Youth association running youth exchanges and outdoor non-formal learning for young people with fewer opportunities.",
)
org(
    "valdemarpils-school",
    "Valdemārpils Secondary School",
    "school",
    "LV",
    fields="school-education",
    themes="environment-climate digital-transformation",
    groups="children young-people youth-workers-educators",
    languages="lv en",
    experience="none",
    verified=True,
    updated="2024-09-01",
    completeness=0.7,
    text="Small rural secondary school by lake Engure: nature studies, eco-school programme, digital lessons.",
)
org(
    "ligatne-sport",
    "Līgatne Sports Centre",
    "public-institution",
    "LV",
    fields="sport",
    themes="sport-physical-activity inclusion-diversity health-wellbeing",
    groups="young-people people-with-disabilities",
    languages="lv en",
    experience="none",
    verified=True,
    updated="2024-10-05",
    completeness=0.7,
    text="Municipal sports centre: adaptive sport, swimming and outdoor activities for people with disabilities.",
)
org(
    "social-innovation-centre",
    "Social Innovation Centre",
    "association",
    "LV",
    fields="adult-education business-support",
    themes="employability-entrepreneurship inclusion-diversity digital-transformation",
    groups="unemployed young-people-fewer-opportunities",
    languages="lv en ru",
    experience="experienced",
    verified=True,
    updated="2024-12-15",
    completeness=0.9,
    text="Social entrepreneurship training, mentoring for unemployed young people, digital skills.",
)
org(
    "kefa",
    "Association Kēfa",
    "association",
    "LV",
    fields="social-services youth-work",
    themes="inclusion-diversity health-wellbeing",
    groups="young-people-fewer-opportunities children",
    languages="lv ru",
    experience="none",
    updated="2023-02-01",
    completeness=0.4,
    text="Christian youth association: support for families and children at risk in Riga.",
)
org(
    "valka-municipality",
    "Valka Municipality",
    "municipality",
    "LV",
    fields="local-government culture-arts",
    themes="culture-heritage community-development youth-policy",
    groups="young-people local-communities",
    languages="lv et en",
    experience="some",
    verified=True,
    updated="2024-11-11",
    completeness=0.8,
    text="Valka and Valga: one town, two countries. Cross-border culture, heritage and youth cooperation.",
)
org(
    "vidzeme-university",
    "Vidzeme University of Applied Sciences",
    "university",
    "LV",
    fields="higher-education research",
    themes="public-civic-cooperation digital-transformation capacity-building",
    groups="public-officials youth-workers-educators",
    languages="lv en",
    experience="experienced",
    verified=True,
    updated="2024-12-01",
    completeness=0.9,
    text="Research on public administration, governance and regional development; courses for municipal staff.",
)
org(
    "media-lab-lv",
    "Media Literacy Lab Latvia",
    "association",
    "LV",
    fields="media youth-work",
    themes="participation-democracy youth-policy digital-transformation",
    groups="young-people youth-workers-educators",
    languages="lv en",
    experience="some",
    verified=True,
    updated="2024-10-20",
    completeness=0.8,
    text="Media literacy workshops for young people, fact-checking clubs, disinformation and democracy.",
)
org(
    "mind-youth-lv",
    "Youth Mental Health Association",
    "association",
    "LV",
    fields="social-services health-care youth-work",
    themes="health-wellbeing inclusion-diversity",
    groups="young-people young-people-fewer-opportunities",
    languages="lv en",
    experience="some",
    verified=True,
    updated="2024-12-20",
    completeness=0.8,
    text="Peer support and crisis counselling for young people, mental health first aid training for youth workers.",
)
org(
    "ogre-youth-lv",
    "Ogre Youth Initiative Group",
    "informal-group",
    "LV",
    fields="youth-work",
    themes="participation-democracy youth-policy",
    groups="young-people",
    languages="lv",
    experience="none",
    updated="2024-05-01",
    completeness=0.4,
    text="Young people from Ogre organising youth debates and local events.",
)
org(
    "riga-tech-company",
    "Baltic Digital Solutions SIA",
    "company",
    "LV",
    fields="business-support",
    themes="digital-transformation employability-entrepreneurship",
    groups="unemployed",
    languages="lv en ru",
    experience="some",
    updated="2024-03-01",
    completeness=0.6,
    text="IT company: digital training, e-learning platforms, coding bootcamps.",
)
org(
    "kekava-municipality",
    "Ķekava Municipality",
    "municipality",
    "LV",
    fields="local-government",
    themes="participation-democracy public-civic-cooperation community-development",
    groups="local-communities public-officials",
    languages="lv en",
    experience="some",
    verified=True,
    updated="2024-12-05",
    completeness=0.8,
    text="Ķekava municipality: co-budgeting competition, residents' councils, NGO cooperation platform.",
)
org(
    "zemgale-lag",
    "Zemgale Rural Partnership",
    "association",
    "LV",
    fields="community-work",
    themes="community-development culture-heritage",
    groups="local-communities",
    languages="lv en",
    experience="some",
    updated="2024-04-01",
    completeness=0.6,
    text="LEADER local action group for rural communities and small producers in Zemgale.",
)

# Lithuania

org(
    "klaipeda-district",
    "Klaipėda District Municipality",
    "municipality",
    "LT",
    fields="local-government community-work",
    themes="capacity-building public-civic-cooperation community-development",
    groups="ngo-staff-volunteers local-communities public-officials",
    languages="lt en",
    experience="some",
    verified=True,
    updated="2024-12-01",
    completeness=0.9,
    text="Klaipėdos rajono savivaldybė: NVO gebėjimų stiprinimas, bendruomenių centrai, bendradarbiavimas su Liepoja.",
)
org(
    "dauparai-community",
    "Dauparai Community Multifunctional Centre",
    "community-group",
    "LT",
    fields="community-work",
    themes="community-development volunteering-solidarity",
    groups="local-communities seniors",
    languages="lt",
    experience="none",
    updated="2024-06-01",
    completeness=0.5,
    text="Dauparų bendruomenės daugiafunkcis centras: bendruomenės renginiai, savanorystė, paslaugos senjorams.",
)
org(
    "siauliai-city",
    "Šiauliai City Municipality",
    "municipality",
    "LT",
    fields="local-government",
    themes="capacity-building community-development",
    groups="public-officials local-communities",
    languages="lt en",
    experience="experienced",
    verified=True,
    updated="2024-10-01",
    completeness=0.8,
    text="Šiauliai city: support to NGOs, community development, participatory budgeting.",
)
org(
    "joniskis-community",
    "Joniškis Rural Community Union",
    "community-group",
    "LT",
    fields="community-work culture-arts",
    themes="community-development culture-heritage",
    groups="local-communities seniors",
    languages="lt lv",
    experience="none",
    updated="2024-08-01",
    completeness=0.6,
    text="Joniškio kaimo bendruomenės: kultūros paveldas, amatai, kaimo turizmas prie Latvijos sienos.",
)
org(
    "lt-volunteer-centre",
    "Lithuanian Volunteer Centre",
    "association",
    "LT",
    fields="youth-work community-work",
    themes="volunteering-solidarity capacity-building participation-democracy",
    groups="young-people ngo-staff-volunteers",
    languages="lt en",
    experience="experienced",
    verified=True,
    updated="2024-11-01",
    completeness=0.9,
    text="National volunteering network: training volunteer coordinators, quality label for organisations hosting volunteers.",
)
org(
    "kaunas-gymnasium",
    "Kaunas Saulė Gymnasium",
    "school",
    "LT",
    fields="school-education",
    themes="environment-climate non-formal-learning",
    groups="children young-people youth-workers-educators",
    languages="lt en",
    experience="some",
    verified=True,
    updated="2024-11-15",
    completeness=0.8,
    text="Eco-school gymnasium: climate education, school garden, pupils' environmental projects with partner schools.",
)
org(
    "vilnius-university",
    "Vilnius University",
    "university",
    "LT",
    fields="higher-education research",
    themes="environment-climate digital-transformation internationalisation",
    groups="young-people youth-workers-educators",
    languages="lt en",
    experience="experienced",
    verified=True,
    updated="2025-01-20",
    completeness=1.0,
    text="Research university: climate research, teacher education, international student mobility.",
)
org(
    "lt-para-sport",
    "Lithuanian Adaptive Sports Club Banga",
    "association",
    "LT",
    fields="sport social-services",
    themes="sport-physical-activity inclusion-diversity health-wellbeing",
    groups="people-with-disabilities young-people",
    languages="lt en",
    experience="experienced",
    verified=True,
    updated="2024-12-10",
    completeness=0.9,
    text="Adaptive sport club: wheelchair basketball, swimming for people with disabilities, coaches' training.",
)
org(
    "lt-basketball-club",
    "Kaunas Youth Basketball Club",
    "association",
    "LT",
    fields="sport",
    themes="sport-physical-activity health-wellbeing",
    groups="young-people children",
    languages="lt en",
    experience="some",
    updated="2024-09-01",
    completeness=0.7,
    text="Basketball training for children and young people, tournaments.",
)
org(
    "lt-disability-forum",
    "Lithuanian Disability Forum",
    "association",
    "LT",
    fields="social-services",
    themes="inclusion-diversity participation-democracy",
    groups="people-with-disabilities",
    languages="lt en",
    experience="experienced",
    verified=True,
    updated="2024-11-20",
    completeness=0.9,
    text="Umbrella organisation advocating the rights of people with disabilities.",
)
org(
    "lt-roma-ngo",
    "Roma Community Centre",
    "association",
    "LT",
    fields="social-services youth-work",
    themes="inclusion-diversity migrant-integration",
    groups="minorities young-people-fewer-opportunities children",
    languages="lt ru en",
    experience="some",
    verified=True,
    updated="2024-10-01",
    completeness=0.8,
    text="Roma community centre in Vilnius: education support for Roma children, anti-discrimination.",
)
org(
    "lt-refugee-youth",
    "Vilnius Refugee Youth Initiative",
    "association",
    "LT",
    fields="youth-work social-services",
    themes="migrant-integration inclusion-diversity non-formal-learning",
    groups="migrants-third-country-nationals young-people",
    languages="lt en ru",
    experience="some",
    verified=True,
    updated="2024-12-01",
    completeness=0.8,
    text="Non-formal learning and language clubs for young refugees and migrants in Vilnius.",
)
org(
    "lt-media-youth",
    "Youth Media Literacy Lithuania",
    "association",
    "LT",
    fields="media youth-work",
    themes="participation-democracy youth-policy digital-transformation",
    groups="young-people",
    languages="lt en",
    experience="some",
    verified=True,
    updated="2024-11-01",
    completeness=0.8,
    text="Youth association on media literacy, disinformation and young people's participation in democracy.",
)
org(
    "lt-green-youth",
    "Green Youth Lithuania",
    "association",
    "LT",
    fields="environment-nature youth-work",
    themes="environment-climate participation-democracy",
    groups="young-people",
    languages="lt en",
    experience="some",
    verified=True,
    updated="2024-12-01",
    completeness=0.8,
    text="Young people for climate action: youth exchanges, clean-ups, climate advocacy around the Baltic Sea.",
)
org(
    "lt-library-digital",
    "Panevėžys County Library",
    "public-institution",
    "LT",
    fields="adult-education culture-arts",
    themes="digital-transformation non-formal-learning",
    groups="seniors local-communities",
    languages="lt en",
    experience="none",
    verified=True,
    updated="2024-10-01",
    completeness=0.7,
    text="Public library: digital skills courses for seniors, reading clubs, community events.",
)
org(
    "lt-vet-school",
    "Alytus Vocational Training Centre",
    "training-provider",
    "LT",
    fields="vocational-training",
    themes="employability-entrepreneurship internationalisation",
    groups="young-people unemployed",
    languages="lt en",
    experience="some",
    verified=True,
    updated="2024-11-01",
    completeness=0.8,
    text="Vocational training for young people: construction, catering, IT; apprenticeships and VET mobility.",
)
org(
    "lt-public-health",
    "Kaunas District Public Health Bureau",
    "public-institution",
    "LT",
    fields="health-care",
    themes="health-wellbeing",
    groups="young-people children",
    languages="lt en",
    experience="some",
    verified=True,
    updated="2024-12-01",
    completeness=0.8,
    text="Public health bureau: mental health promotion for pupils and young people, prevention programmes.",
)

# Estonia

org(
    "valga-municipality",
    "Valga Municipality",
    "municipality",
    "EE",
    fields="local-government culture-arts",
    themes="culture-heritage community-development youth-policy",
    groups="young-people local-communities",
    languages="et lv en",
    experience="some",
    verified=True,
    updated="2024-10-15",
    completeness=0.8,
    text="Valga and Valka twin town: cross-border culture, heritage, youth and tourism cooperation.",
)
org(
    "valga-museum",
    "Valga Museum",
    "public-institution",
    "EE",
    fields="culture-arts",
    themes="culture-heritage non-formal-learning",
    groups="children local-communities",
    languages="et en",
    experience="none",
    updated="2024-03-01",
    completeness=0.6,
    text="Museum of the border town of Valga: local heritage, education programmes for schools.",
)
org(
    "parnu-municipality",
    "Pärnu City Government",
    "municipality",
    "EE",
    fields="local-government",
    themes="capacity-building community-development",
    groups="public-officials local-communities",
    languages="et en",
    experience="experienced",
    verified=True,
    updated="2024-11-01",
    completeness=0.8,
    text="Pärnu city: NGO support, community development, seaside tourism.",
)
org(
    "ee-youth-council",
    "Estonian National Youth Council",
    "association",
    "EE",
    fields="youth-work",
    themes="participation-democracy youth-policy leadership-skills",
    groups="young-people youth-workers-educators",
    languages="et en",
    experience="experienced",
    verified=True,
    updated="2024-12-01",
    completeness=0.9,
    text="Umbrella of youth organisations and youth councils: youth participation, democracy education, media literacy.",
)
org(
    "ee-adult-centre",
    "Tartu Folk High School",
    "training-provider",
    "EE",
    fields="adult-education",
    themes="non-formal-learning digital-transformation",
    groups="seniors unemployed",
    languages="et en ru",
    experience="experienced",
    verified=True,
    updated="2024-11-15",
    completeness=0.9,
    text="Folk high school: adult education, digital courses for seniors, evening courses.",
)
org(
    "ee-lag-harju",
    "Harju Partnership LAG",
    "association",
    "EE",
    fields="community-work",
    themes="community-development culture-heritage capacity-building",
    groups="local-communities",
    languages="et en",
    experience="experienced",
    verified=True,
    updated="2024-09-01",
    completeness=0.8,
    text="LEADER local action group: rural communities, local food, village movement, cooperation projects with other LAGs.",
)
org(
    "ee-municipality-saue",
    "Saue Rural Municipality",
    "municipality",
    "EE",
    fields="local-government",
    themes="community-development",
    groups="local-communities",
    languages="et",
    experience="none",
    updated="2024-05-01",
    completeness=0.5,
    text="Rural municipality near Tallinn: village life, schools, local services.",
)
org(
    "ee-youth-outdoor",
    "Estonian Outdoor Youth Club",
    "association",
    "EE",
    fields="youth-work sport environment-nature",
    themes="inclusion-diversity non-formal-learning environment-climate",
    groups="young-people young-people-fewer-opportunities",
    languages="et en",
    experience="experienced",
    verified=True,
    updated="2024-12-01",
    completeness=0.9,
    text="Outdoor education and hiking camps, inclusion of young people with fewer opportunities, youth exchanges.",
)
org(
    "ee-social-enterprise",
    "Tallinn Social Kitchen",
    "social-enterprise",
    "EE",
    fields="vocational-training business-support",
    themes="employability-entrepreneurship inclusion-diversity",
    groups="unemployed young-people-fewer-opportunities",
    languages="et en ru",
    experience="some",
    verified=True,
    updated="2024-10-01",
    completeness=0.8,
    text="Social enterprise café training unemployed young people as cooks; social entrepreneurship mentoring.",
)
org(
    "ee-sports-club",
    "Tallinn Sports Club Kalev",
    "association",
    "EE",
    fields="sport",
    themes="sport-physical-activity health-wellbeing",
    groups="young-people children",
    languages="et en",
    experience="some",
    updated="2024-07-01",
    completeness=0.7,
    text="Sports club: athletics, swimming and ball games for children and young people.",
)
org(
    "ee-mental-health",
    "Peaasi Mental Health NGO",
    "association",
    "EE",
    fields="health-care youth-work",
    themes="health-wellbeing",
    groups="young-people youth-workers-educators",
    languages="et en ru",
    experience="experienced",
    verified=True,
    updated="2024-12-01",
    completeness=0.9,
    text="Mental health education for young people in schools, peer support, training for youth workers.",
)

# Poland

org(
    "fcat-leszno",
    "Fundacja Centrum Aktywności Twórczej",
    "foundation",
    "PL",
    fields="youth-work community-work",
    themes="volunteering-solidarity non-formal-learning participation-democracy capacity-building",
    groups="young-people youth-workers-educators ngo-staff-volunteers",
    languages="pl en",
    experience="experienced",
    verified=True,
    updated="2024-12-01",
    completeness=0.9,
    text="Leszno: coordinating an international volunteering centre and network with the city for more than ten years; European Solidarity Corps volunteers, youth workers.",
)
org(
    "leszno-city",
    "Leszno City Hall",
    "municipality",
    "PL",
    fields="local-government",
    themes="volunteering-solidarity youth-policy",
    groups="young-people",
    languages="pl",
    experience="some",
    verified=True,
    updated="2024-08-01",
    completeness=0.7,
    text="Miasto Leszno: polityka młodzieżowa, centrum wolontariatu prowadzone przez fundację.",
)
org(
    "pl-sport-club",
    "KS Sokół Poznań",
    "association",
    "PL",
    fields="sport",
    themes="sport-physical-activity health-wellbeing",
    groups="young-people children",
    languages="pl",
    experience="none",
    updated="2023-09-01",
    completeness=0.5,
    text="Klub sportowy: piłka nożna i lekkoatletyka dla dzieci i młodzieży.",
)
org(
    "pl-eco-ngo",
    "Fundacja Zielone Miasto",
    "foundation",
    "PL",
    fields="environment-nature",
    themes="environment-climate volunteering-solidarity",
    groups="local-communities young-people",
    languages="pl en",
    experience="some",
    verified=True,
    updated="2024-10-01",
    completeness=0.8,
    text="Urban greening, tree-planting with volunteers, climate education.",
)
org(
    "pl-volunteer-lublin",
    "Stowarzyszenie Centrum Wolontariatu Lublin",
    "association",
    "PL",
    fields="youth-work social-services",
    themes="volunteering-solidarity inclusion-diversity capacity-building",
    groups="young-people ngo-staff-volunteers seniors",
    languages="pl en",
    experience="experienced",
    verified=False,
    updated="2022-06-01",
    completeness=0.6,
    text="Volunteering centre: training volunteers, matching volunteers with NGOs, volunteering in hospices.",
)
org(
    "pl-hr-company",
    "HumanWorks Sp. z o.o.",
    "company",
    "PL",
    fields="business-support",
    themes="volunteering-solidarity employability-entrepreneurship leadership-skills",
    groups="unemployed",
    languages="pl en",
    experience="some",
    updated="2024-10-01",
    completeness=0.8,
    text="HR consultancy: corporate volunteering programmes and leadership training.",
)
org(
    "pl-u3a",
    "University of the Third Age Association Kraków",
    "association",
    "PL",
    fields="adult-education",
    themes="digital-transformation non-formal-learning health-wellbeing",
    groups="seniors",
    languages="pl en",
    experience="some",
    verified=True,
    updated="2024-11-01",
    completeness=0.8,
    text="University of the Third Age: lectures, digital skills courses and smartphone clubs for seniors.",
)
org(
    "pl-participation",
    "Fundacja Pracownia Partycypacji",
    "foundation",
    "PL",
    fields="community-work research",
    themes="participation-democracy public-civic-cooperation capacity-building",
    groups="public-officials local-communities",
    languages="pl en",
    experience="experienced",
    verified=True,
    updated="2024-12-01",
    completeness=0.9,
    text="Participatory budgeting and citizen panels: guiding municipalities, training officials, evaluating civic budgets.",
)
org(
    "pl-gdynia-city",
    "Gdynia City Hall",
    "municipality",
    "PL",
    fields="local-government",
    themes="participation-democracy public-civic-cooperation",
    groups="local-communities public-officials",
    languages="pl en",
    experience="experienced",
    verified=True,
    updated="2024-10-01",
    completeness=0.8,
    text="Gdynia civic budget since 2014, district councils, senior and youth councils.",
)
org(
    "pl-migrant-youth",
    "Fundacja Ocalenie Młodzi",
    "foundation",
    "PL",
    fields="youth-work social-services",
    themes="migrant-integration inclusion-diversity",
    groups="migrants-third-country-nationals young-people",
    languages="pl en uk ru",
    experience="experienced",
    verified=True,
    updated="2024-12-01",
    completeness=0.9,
    text="Integration of young migrants and refugees: language, mentoring, youth clubs in Warsaw.",
)
org(
    "pl-school-climate",
    "Primary School No 5 Gdańsk",
    "school",
    "PL",
    fields="school-education",
    themes="environment-climate",
    groups="children",
    languages="pl en",
    experience="some",
    verified=True,
    updated="2024-11-01",
    completeness=0.8,
    text="Primary school: climate lessons, school garden, eTwinning projects on the environment.",
)

# Nordic countries

org(
    "hgu-college",
    "Green Development College",
    "university",
    "NO",
    fields="higher-education adult-education",
    themes="public-civic-cooperation volunteering-solidarity capacity-building community-development",
    groups="ngo-staff-volunteers public-officials local-communities",
    languages="nb en",
    experience="experienced",
    verified=True,
    updated="2024-10-01",
    completeness=0.9,
    text="College for green development: teaching co-creation between public and civil society, the Norwegian volunteering method, community initiatives.",
)
org(
    "uio",
    "University of Oslo",
    "university",
    "NO",
    fields="higher-education research",
    themes="internationalisation digital-transformation environment-climate",
    groups="young-people",
    languages="nb en",
    experience="experienced",
    verified=True,
    updated="2025-01-15",
    completeness=1.0,
    text="Research university: natural sciences, medicine, humanities, international research projects.",
)
org(
    "hamar-venner",
    "Omsorgsfulle Venner Hamar",
    "association",
    "NO",
    fields="social-services community-work",
    themes="migrant-integration inclusion-diversity volunteering-solidarity",
    groups="migrants-third-country-nationals local-communities",
    languages="nb en",
    experience="some",
    verified=True,
    updated="2024-09-01",
    completeness=0.8,
    text="Volunteers in Hamar welcoming immigrants: language cafés, friendship families, integration through nature and culture.",
)
org(
    "hamar-naturskole",
    "Hamar Nature School",
    "school",
    "NO",
    fields="school-education environment-nature",
    themes="environment-climate migrant-integration",
    groups="children young-people",
    languages="nb en",
    experience="some",
    verified=True,
    updated="2024-06-01",
    completeness=0.7,
    text="Nature school teaching children respect, participation and integration through outdoor learning.",
)
org(
    "no-refugee-council",
    "Norwegian Refugee Aid Foundation",
    "foundation",
    "NO",
    fields="social-services",
    themes="migrant-integration",
    groups="migrants-third-country-nationals",
    languages="nb en",
    experience="experienced",
    verified=True,
    updated="2025-01-01",
    completeness=1.0,
    text="Large humanitarian foundation: emergency aid for refugees worldwide.",
)
org(
    "no-municipality-hamar",
    "Hamar Municipality",
    "municipality",
    "NO",
    fields="local-government",
    themes="migrant-integration public-civic-cooperation",
    groups="migrants-third-country-nationals public-officials",
    languages="nb",
    experience="experienced",
    verified=True,
    updated="2024-10-01",
    completeness=0.8,
    text="Municipality: introduction programme for refugees, volunteer centre, cooperation with civil society.",
)
org(
    "no-folk-high-school",
    "Ringsaker Folk High School",
    "training-provider",
    "NO",
    fields="adult-education",
    themes="non-formal-learning leadership-skills",
    groups="young-people",
    languages="nb en",
    experience="some",
    updated="2023-11-01",
    completeness=0.6,
    text="Folk high school: one-year courses in outdoor life, music and leadership.",
)
org(
    "no-youth-council",
    "Norwegian Children and Youth Council",
    "association",
    "NO",
    fields="youth-work",
    themes="participation-democracy youth-policy leadership-skills",
    groups="young-people",
    languages="nb en",
    experience="experienced",
    verified=True,
    updated="2024-11-01",
    completeness=0.9,
    text="Umbrella for youth organisations: youth participation, local youth councils, democracy.",
)
org(
    "no-roma-ngo",
    "Romano Kher Oslo",
    "association",
    "NO",
    fields="social-services culture-arts",
    themes="inclusion-diversity culture-heritage",
    groups="minorities young-people-fewer-opportunities",
    languages="nb en",
    experience="some",
    verified=True,
    updated="2024-09-01",
    completeness=0.8,
    text="Roma culture house in Oslo: education support, Roma youth, anti-discrimination work.",
)
org(
    "is-reykjanesbaer",
    "Reykjanesbær Municipality",
    "municipality",
    "IS",
    fields="local-government youth-work",
    themes="youth-policy participation-democracy migrant-integration",
    groups="young-people public-officials",
    languages="is en",
    experience="experienced",
    verified=True,
    updated="2024-11-01",
    completeness=0.9,
    text="Icelandic municipality with an active youth council and youth participation in local decisions; many residents of foreign origin.",
)
org(
    "is-youth-ngo",
    "Icelandic Youth Association UMFÍ",
    "association",
    "IS",
    fields="youth-work sport",
    themes="sport-physical-activity volunteering-solidarity",
    groups="young-people",
    languages="is en",
    experience="experienced",
    verified=True,
    updated="2024-10-01",
    completeness=0.8,
    text="Youth and sports movement of Iceland: volunteering, youth camps, sport for all.",
)
org(
    "is-migrant-ngo",
    "Reykjavík Multicultural Centre",
    "association",
    "IS",
    fields="social-services adult-education",
    themes="migrant-integration inclusion-diversity",
    groups="migrants-third-country-nationals",
    languages="is en pl",
    experience="some",
    verified=False,
    updated="2022-03-01",
    completeness=0.5,
    text="Counselling and Icelandic courses for immigrants.",
)
org(
    "fi-omnia",
    "Omnia Vocational College Espoo",
    "training-provider",
    "FI",
    fields="vocational-training adult-education",
    themes="employability-entrepreneurship internationalisation digital-transformation",
    groups="young-people unemployed",
    languages="fi sv en",
    experience="experienced",
    verified=True,
    updated="2024-12-01",
    completeness=1.0,
    text="Vocational college: apprenticeships, VET mobility for students and teachers, entrepreneurship education.",
)
org(
    "fi-social-enterprise",
    "Vamos Social Enterprise Helsinki",
    "social-enterprise",
    "FI",
    fields="youth-work vocational-training",
    themes="employability-entrepreneurship inclusion-diversity",
    groups="young-people-fewer-opportunities unemployed",
    languages="fi en",
    experience="experienced",
    verified=True,
    updated="2024-11-01",
    completeness=0.9,
    text="Coaching unemployed young people into work and education; social enterprise running youth workshops.",
)
org(
    "fi-leader",
    "Leader Pohjois-Satakunta",
    "association",
    "FI",
    fields="community-work",
    themes="community-development culture-heritage",
    groups="local-communities",
    languages="fi en",
    experience="experienced",
    verified=True,
    updated="2024-10-01",
    completeness=0.8,
    text="LEADER local action group: village development, local food, transnational cooperation between LAGs.",
)
org(
    "fi-nature-league",
    "Finnish Nature League Youth",
    "association",
    "FI",
    fields="environment-nature youth-work",
    themes="environment-climate participation-democracy",
    groups="young-people",
    languages="fi sv en",
    experience="experienced",
    verified=True,
    updated="2024-12-01",
    completeness=0.9,
    text="Youth nature conservation: climate action camps, youth exchanges on climate and biodiversity.",
)
org(
    "fi-agri-company",
    "Satakunta Farm Produce Oy",
    "company",
    "FI",
    fields="business-support",
    themes="community-development employability-entrepreneurship",
    groups="local-communities",
    languages="fi",
    experience="none",
    updated="2024-02-01",
    completeness=0.5,
    text="Farm produce wholesale, local food logistics.",
)
org(
    "se-field-biologists",
    "Young Field Biologists Sweden",
    "association",
    "SE",
    fields="environment-nature youth-work",
    themes="environment-climate participation-democracy non-formal-learning",
    groups="young-people",
    languages="sv en",
    experience="experienced",
    verified=True,
    updated="2024-11-01",
    completeness=0.9,
    text="Youth environmental association: nature camps, climate activism, youth exchanges around the Baltic Sea.",
)
org(
    "se-municipality-env",
    "Kalmar Municipality Environment Office",
    "municipality",
    "SE",
    fields="local-government environment-nature",
    themes="environment-climate",
    groups="local-communities",
    languages="sv en",
    experience="experienced",
    verified=True,
    updated="2024-10-01",
    completeness=0.8,
    text="Municipal environment office: climate plan, Baltic Sea protection.",
)
org(
    "se-sports-company",
    "Nordic Fitness AB",
    "company",
    "SE",
    fields="sport business-support",
    themes="sport-physical-activity health-wellbeing",
    groups="young-people",
    languages="sv en",
    experience="some",
    updated="2024-09-01",
    completeness=0.7,
    text="Gyms and fitness coaching.",
)

# Central and Southern Europe

org(
    "cz-youth-ngo",
    "Mladí Brno",
    "association",
    "CZ",
    fields="youth-work",
    themes="inclusion-diversity non-formal-learning participation-democracy",
    groups="young-people young-people-fewer-opportunities",
    languages="cs en",
    experience="some",
    verified=True,
    updated="2024-10-01",
    completeness=0.8,
    text="Youth NGO: youth exchanges, non-formal learning and outdoor activities for young people with fewer opportunities.",
)
org(
    "cz-school",
    "Basic School Tábor",
    "school",
    "CZ",
    fields="school-education",
    themes="environment-climate digital-transformation",
    groups="children",
    languages="cs en",
    experience="some",
    verified=True,
    updated="2024-12-01",
    completeness=0.8,
    text="Basic school: climate education, eco-school, school partnerships with pupils from other countries.",
)
org(
    "cz-disability-sport",
    "Czech Adaptive Sport Union",
    "association",
    "CZ",
    fields="sport social-services",
    themes="sport-physical-activity inclusion-diversity",
    groups="people-with-disabilities",
    languages="cs en",
    experience="some",
    verified=True,
    updated="2024-11-01",
    completeness=0.8,
    text="Adaptive sport for people with disabilities: sitting volleyball, boccia, para-swimming.",
)
org(
    "hr-youth-outdoor",
    "Udruga Mladi Zagreb",
    "association",
    "HR",
    fields="youth-work environment-nature",
    themes="inclusion-diversity non-formal-learning",
    groups="young-people-fewer-opportunities young-people",
    languages="hr en",
    experience="experienced",
    verified=True,
    updated="2024-12-01",
    completeness=0.9,
    text="Outdoor non-formal learning camps and youth exchanges for young people with fewer opportunities.",
)
org(
    "hr-school",
    "Gymnasium Split",
    "school",
    "HR",
    fields="school-education",
    themes="culture-heritage internationalisation",
    groups="young-people",
    languages="hr en it",
    experience="some",
    verified=True,
    updated="2024-09-01",
    completeness=0.7,
    text="Secondary school: classical languages, heritage of Split, school exchanges.",
)
org(
    "de-company",
    "EventReise GmbH",
    "company",
    "DE",
    fields="business-support",
    themes="non-formal-learning internationalisation",
    groups="young-people",
    languages="de en",
    experience="experienced",
    updated="2024-06-01",
    completeness=0.7,
    text="Travel agency for youth groups, language trips and event organisation.",
)
org(
    "de-migrant-youth",
    "Jugend Brücke Berlin e.V.",
    "association",
    "DE",
    fields="youth-work social-services",
    themes="migrant-integration inclusion-diversity non-formal-learning",
    groups="migrants-third-country-nationals young-people",
    languages="de en ar",
    experience="experienced",
    verified=True,
    updated="2024-11-01",
    completeness=0.9,
    text="Youth work with young refugees and migrants in Berlin: mentoring, youth clubs, international youth exchanges.",
)
org(
    "de-volunteering",
    "Freiwilligenagentur Leipzig",
    "association",
    "DE",
    fields="community-work",
    themes="volunteering-solidarity capacity-building",
    groups="ngo-staff-volunteers",
    languages="de en",
    experience="experienced",
    verified=True,
    updated="2024-10-01",
    completeness=0.8,
    text="Volunteering agency: brokering volunteers, training volunteer managers, municipal volunteering strategy.",
)
org(
    "es-esc-sending",
    "Asociación Juventud Activa Valencia",
    "association",
    "ES",
    fields="youth-work",
    themes="volunteering-solidarity inclusion-diversity non-formal-learning",
    groups="young-people young-people-fewer-opportunities",
    languages="es en",
    experience="experienced",
    verified=True,
    updated="2024-12-01",
    completeness=0.9,
    text="Sending and supporting organisation for European Solidarity Corps volunteers; preparation and mentoring of young volunteers.",
)
org(
    "es-university",
    "University of Valencia",
    "university",
    "ES",
    fields="higher-education research",
    themes="internationalisation",
    groups="young-people",
    languages="es en",
    experience="experienced",
    verified=True,
    updated="2025-01-01",
    completeness=1.0,
    text="University: Erasmus student mobility, research.",
)
org(
    "es-language-school",
    "Valencia Language Academy SL",
    "company",
    "ES",
    fields="adult-education",
    themes="non-formal-learning internationalisation",
    groups="young-people",
    languages="es en",
    experience="some",
    updated="2024-08-01",
    completeness=0.7,
    text="Spanish courses for foreigners, language travel.",
)
org(
    "it-esc",
    "Associazione Giovani in Europa",
    "association",
    "IT",
    fields="youth-work community-work",
    themes="volunteering-solidarity participation-democracy",
    groups="young-people",
    languages="it en",
    experience="experienced",
    verified=True,
    updated="2024-10-01",
    completeness=0.8,
    text="Youth association sending Italian young people as European Solidarity Corps volunteers.",
)
org(
    "fr-youth-centre",
    "Maison des Jeunes Lyon",
    "public-institution",
    "FR",
    fields="youth-work culture-arts",
    themes="culture-heritage non-formal-learning",
    groups="young-people",
    languages="fr en",
    experience="some",
    verified=True,
    updated="2024-09-01",
    completeness=0.7,
    text="Municipal youth house: cultural activities, youth projects.",
)
org(
    "pt-esc",
    "Associação Mais Jovem Porto",
    "association",
    "PT",
    fields="youth-work",
    themes="volunteering-solidarity inclusion-diversity",
    groups="young-people young-people-fewer-opportunities",
    languages="pt en",
    experience="none",
    verified=False,
    updated="2022-01-01",
    completeness=0.4,
    text="Youth association in Porto interested in volunteering projects.",
)

# Generalists: organisations that tick nearly every box. They exist on every
# partner-search platform, and a good ranking does not let breadth alone win.

org(
    "eu-projects-lt",
    "EuroProjektai UAB",
    "company",
    "LT",
    fields="business-support adult-education youth-work community-work",
    themes="inclusion-diversity participation-democracy volunteering-solidarity capacity-building migrant-integration "
    "environment-climate digital-transformation employability-entrepreneurship non-formal-learning "
    "community-development youth-policy internationalisation",
    groups="young-people young-people-fewer-opportunities ngo-staff-volunteers local-communities unemployed seniors",
    languages="lt en ru pl",
    experience="experienced",
    updated="2025-02-01",
    completeness=1.0,
    text="We prepare and manage EU projects for any organisation: Erasmus+, Interreg, EEA and Norway Grants, "
    "European Solidarity Corps. Partner search, applications, reporting.",
)
org(
    "baltic-ngo-network",
    "Baltic NGO Network",
    "association",
    "LV",
    fields="community-work youth-work adult-education",
    themes="inclusion-diversity participation-democracy volunteering-solidarity capacity-building "
    "environment-climate non-formal-learning community-development youth-policy public-civic-cooperation",
    groups="young-people ngo-staff-volunteers local-communities public-officials seniors",
    languages="lv en ru lt",
    experience="experienced",
    verified=True,
    updated="2025-01-15",
    completeness=0.9,
    text="Network of NGOs in the Baltic states: capacity building, civic participation, youth, environment, "
    "international projects of every kind.",
)
org(
    "youth-for-europe-pl",
    "Stowarzyszenie Młodzi dla Europy",
    "association",
    "PL",
    fields="youth-work adult-education",
    themes="inclusion-diversity participation-democracy volunteering-solidarity non-formal-learning "
    "environment-climate digital-transformation health-wellbeing culture-heritage sport-physical-activity "
    "leadership-skills youth-policy",
    groups="young-people young-people-fewer-opportunities youth-workers-educators people-with-disabilities",
    languages="pl en",
    experience="experienced",
    verified=True,
    updated="2024-12-20",
    completeness=0.9,
    text="Youth exchanges and training courses on any topic for young people from all over Europe.",
)
org(
    "nordic-civil-network",
    "Nordic Civil Society Network",
    "association",
    "NO",
    fields="community-work adult-education youth-work",
    themes="inclusion-diversity participation-democracy volunteering-solidarity capacity-building "
    "migrant-integration public-civic-cooperation community-development leadership-skills",
    groups="ngo-staff-volunteers local-communities migrants-third-country-nationals young-people public-officials",
    languages="nb en",
    experience="experienced",
    verified=True,
    updated="2025-01-10",
    completeness=0.9,
    text="Partner search and capacity building for Norwegian and Central European NGOs in EEA and Norway Grants.",
)
org(
    "ee-euro-youth",
    "Euroopa Noored MTÜ",
    "association",
    "EE",
    fields="youth-work",
    themes="inclusion-diversity participation-democracy volunteering-solidarity non-formal-learning "
    "environment-climate health-wellbeing youth-policy leadership-skills",
    groups="young-people young-people-fewer-opportunities youth-workers-educators",
    languages="et en ru",
    experience="experienced",
    verified=True,
    updated="2024-12-01",
    completeness=0.9,
    text="Youth exchanges, training courses and volunteering projects with partners from all over Europe.",
)


# --- Cases ------------------------------------------------------------------------

# Every organisation is written: weigh their texts over all of them, as the
# site does over its organisations (matching.text.Corpus), before any idea.
CORPUS = texts.Corpus(ORG_STEMS.values())
for _slug, _stems in ORG_STEMS.items():
    ORGS[_slug] = replace(ORGS[_slug], terms=texts.vector(_stems, CORPUS))


case(
    "Daugavpils youth department: a Polish volunteering network to learn from",
    idea(
        "daugavpils-youth",
        text="Small-scale partnership - big step forward. Learning from the Leszno international volunteering "
        "network how a city and an NGO coordinate volunteers, to involve less active young people and "
        "support local NGOs with little international experience.",
        themes="volunteering-solidarity participation-democracy capacity-building inclusion-diversity",
        groups="young-people-fewer-opportunities youth-workers-educators ngo-staff-volunteers",
        kinds_sought="foundation association",
        countries_sought="PL",
        min_countries=2,
    ),
    pool="youth-for-europe-pl eu-projects-lt "
    "fcat-leszno leszno-city pl-sport-club pl-eco-ngo pl-volunteer-lublin pl-hr-company "
    "gulbene-youth lt-volunteer-centre cz-youth-ngo de-volunteering pl-u3a es-esc-sending "
    "rezekne-municipality pt-esc",
    expected="fcat-leszno",
)

case(
    "Klaipėda district: NGO capacity exchange with Liepāja (Interreg LV–LT)",
    idea(
        "klaipeda-district",
        text="NGO Capacity: strengthening NGOs and internationalising their work in Liepāja city and "
        "Klaipėda district; NGO growth incubator, exchange of experience between municipalities and "
        "communities on both sides of the border.",
        themes="capacity-building public-civic-cooperation community-development internationalisation",
        groups="ngo-staff-volunteers local-communities public-officials",
        fields_sought="local-government community-work",
        kinds_sought="municipality",
        countries_sought="LV",
        eligible_countries="LV LT",
        min_countries=2,
    ),
    pool="baltic-ngo-network eu-projects-lt "
    "liepaja-city liepaja-ngo-centre kuldiga-municipality rezekne-municipality jelgava-municipality "
    "siauliai-city dauparai-community parnu-municipality daugavkrasts kekava-municipality "
    "zemgale-lag valka-municipality",
    expected="liepaja-city",
)

case(
    "Partnership Daugavkrasts: co-creation know-how from a Norwegian college (Active Citizens Fund)",
    idea(
        "daugavkrasts",
        text="NGO cooperation platform in Ķekava county: leadership training for NGO leaders, co-creation "
        "between the public and the civic sector, the Norwegian volunteering method for community initiatives.",
        themes="public-civic-cooperation capacity-building volunteering-solidarity leadership-skills",
        groups="ngo-staff-volunteers local-communities public-officials",
        fields_sought="adult-education higher-education",
        kinds_sought="university training-provider",
        countries_sought="NO",
        required_countries=DONOR_STATES,
        required_group_label="a donor state",
        min_countries=2,
    ),
    pool="nordic-civil-network "
    "hgu-college uio no-folk-high-school no-municipality-hamar hamar-venner is-youth-ngo "
    "vidzeme-university de-volunteering fi-leader no-youth-council ee-adult-centre pl-participation",
    expected="hgu-college",
)

case(
    "Intelekta parks: migrant integration practice from a Norwegian NGO (Active Citizens Fund)",
    idea(
        "intelekta-parks",
        text="Capacity for growth: learning from a Norwegian NGO how volunteers integrate immigrants and "
        "third-country nationals, and building it into the association's development strategy.",
        themes="migrant-integration capacity-building inclusion-diversity volunteering-solidarity",
        groups="migrants-third-country-nationals ngo-staff-volunteers",
        kinds_sought="association foundation",
        countries_sought="NO",
        required_countries=DONOR_STATES,
        required_group_label="a donor state",
        min_countries=2,
    ),
    pool="nordic-civil-network eu-projects-lt "
    "hamar-venner hamar-naturskole no-refugee-council no-municipality-hamar is-migrant-ngo "
    "uio no-youth-council no-roma-ngo pl-migrant-youth de-migrant-youth lt-refugee-youth "
    "is-youth-ngo hgu-college",
    expected="hamar-venner",
)

case(
    "Jaunatne smaidam: Erasmus+ youth exchange on inclusion through outdoor learning",
    idea(
        "jaunatne-smaidam",
        text="Youth exchange: outdoor non-formal learning camp where young people with fewer "
        "opportunities from three countries build confidence through hiking and teamwork.",
        themes="inclusion-diversity non-formal-learning environment-climate",
        groups="young-people-fewer-opportunities young-people",
        fields_sought="youth-work",
        min_countries=3,
    ),
    pool="ee-euro-youth youth-for-europe-pl "
    "hr-youth-outdoor cz-youth-ngo ee-youth-outdoor hr-school de-company ee-sports-club "
    "kefa gulbene-youth pl-eco-ngo fr-youth-centre pt-esc se-sports-company ogre-youth-lv",
    expected="hr-youth-outdoor ee-youth-outdoor",
)

case(
    "Valdemārpils school: Erasmus+ school partnership on climate education",
    idea(
        "valdemarpils-school",
        text="School partnership: pupils measure their school's climate footprint, run a school garden "
        "and exchange eco-school lessons with partner schools.",
        themes="environment-climate digital-transformation",
        groups="children young-people",
        fields_sought="school-education",
        kinds_sought="school",
        min_countries=2,
    ),
    pool="eu-projects-lt "
    "kaunas-gymnasium cz-school pl-school-climate vilnius-university hr-school lt-green-youth "
    "se-municipality-env pl-eco-ngo uio lt-basketball-club hamar-naturskole riga-tech-company",
    expected="kaunas-gymnasium cz-school",
)

case(
    "Joniškis communities: rural heritage across the LV–LT border (Interreg)",
    idea(
        "joniskis-community",
        text="Kaimo bendruomenės abipus sienos: kultūros paveldas, amatai ir kaimo turizmas kartu su "
        "Latvijos kaimo bendruomenėmis Zemgalėje.",
        themes="community-development culture-heritage",
        groups="local-communities seniors",
        countries_sought="LV",
        eligible_countries="LV LT",
        language="lt",
        min_countries=2,
    ),
    pool="baltic-ngo-network eu-projects-lt "
    "zemgale-lag kuldiga-municipality daugavkrasts dauparai-community liepaja-ngo-centre "
    "valka-municipality ee-lag-harju fi-leader jelgava-municipality kefa siauliai-city "
    "riga-tech-company",
    expected="zemgale-lag",
)

case(
    "Partnership Daugavkrasts: LEADER cooperation with a Nordic or Estonian LAG",
    idea(
        "daugavkrasts",
        text="LEADER transnational cooperation between local action groups: village development, local "
        "food and small producers, exchange visits between rural communities.",
        themes="community-development culture-heritage capacity-building",
        groups="local-communities",
        fields_sought="community-work",
        kinds_sought="association",
        countries_sought="EE FI SE",
        min_countries=2,
    ),
    pool="baltic-ngo-network "
    "ee-lag-harju fi-leader ee-municipality-saue fi-agri-company zemgale-lag parnu-municipality "
    "joniskis-community dauparai-community se-municipality-env ee-adult-centre kuldiga-municipality "
    "liepaja-ngo-centre",
    expected="ee-lag-harju fi-leader",
)

case(
    "Gulbene youth centre: sending organisations for ESC volunteers",
    idea(
        "gulbene-youth",
        text="European Solidarity Corps volunteering project: hosting volunteers from Spain, Italy and "
        "Portugal in the youth centre; partners prepare and mentor the volunteers before they come.",
        themes="volunteering-solidarity inclusion-diversity non-formal-learning",
        groups="young-people young-people-fewer-opportunities",
        kinds_sought="association",
        countries_sought="ES IT PT",
        min_countries=2,
    ),
    pool="youth-for-europe-pl ee-euro-youth "
    "es-esc-sending it-esc pt-esc es-university es-language-school fr-youth-centre "
    "hr-youth-outdoor de-company cz-youth-ngo fcat-leszno lt-volunteer-centre kefa",
    expected="es-esc-sending it-esc",
)

case(
    "Roma Community Centre Vilnius: a Norwegian partner on Roma youth inclusion (EEA)",
    idea(
        "lt-roma-ngo",
        text="Roma youth inclusion: education support and anti-discrimination work with Roma children "
        "and young people, learning from Roma organisations in Norway.",
        themes="inclusion-diversity culture-heritage capacity-building",
        groups="minorities young-people-fewer-opportunities",
        kinds_sought="association foundation",
        countries_sought="NO",
        required_countries=DONOR_STATES,
        required_group_label="a donor state",
        min_countries=2,
    ),
    pool="nordic-civil-network "
    "no-roma-ngo no-refugee-council hamar-venner no-youth-council is-migrant-ngo uio "
    "no-municipality-hamar hamar-naturskole is-youth-ngo hgu-college kefa de-migrant-youth",
    expected="no-roma-ngo",
)

case(
    "Panevėžys library: digital skills for seniors (Erasmus+ adult education)",
    idea(
        "lt-library-digital",
        text="Digital skills for seniors: volunteers teach older people smartphones, e-services and "
        "online safety in libraries and clubs.",
        themes="digital-transformation non-formal-learning",
        groups="seniors",
        countries_sought="PL EE LV",
        min_countries=2,
    ),
    pool="eu-projects-lt baltic-ngo-network "
    "pl-u3a ee-adult-centre riga-tech-company vilnius-university pl-volunteer-lublin "
    "dauparai-community social-innovation-centre cz-school uio kuldiga-municipality "
    "fi-omnia lt-vet-school",
    expected="pl-u3a ee-adult-centre",
)

case(
    "Līgatne sports centre: adaptive sport for people with disabilities (Erasmus+ sport)",
    idea(
        "ligatne-sport",
        text="Small-scale partnership in sport: adaptive sport and swimming for people with "
        "disabilities, training coaches and volunteers.",
        themes="sport-physical-activity inclusion-diversity health-wellbeing",
        groups="people-with-disabilities young-people",
        fields_sought="sport",
        min_countries=2,
    ),
    pool="youth-for-europe-pl "
    "lt-para-sport cz-disability-sport lt-basketball-club ee-sports-club pl-sport-club "
    "lt-disability-forum se-sports-company is-youth-ngo kefa mind-youth-lv hr-youth-outdoor",
    expected="lt-para-sport cz-disability-sport",
)

case(
    "Social Innovation Centre: coaching unemployed young people into work (Erasmus+)",
    idea(
        "social-innovation-centre",
        text="Social entrepreneurship for unemployed young people: coaching, youth workshops and social "
        "enterprises as a step into work.",
        themes="employability-entrepreneurship inclusion-diversity",
        groups="unemployed young-people-fewer-opportunities",
        fields_sought="vocational-training youth-work",
        kinds_sought="social-enterprise training-provider",
        countries_sought="FI EE",
        min_countries=2,
    ),
    pool="eu-projects-lt "
    "fi-social-enterprise ee-social-enterprise fi-omnia riga-tech-company pl-hr-company "
    "lt-vet-school es-language-school ee-adult-centre fi-agri-company de-company kefa",
    expected="fi-social-enterprise ee-social-enterprise",
)

case(
    "Valka municipality: twin-town culture and youth with Valga (Interreg EE–LV)",
    idea(
        "valka-municipality",
        text="Valka and Valga, one town in two countries: shared cultural heritage events and a joint "
        "youth programme across the border.",
        themes="culture-heritage youth-policy community-development",
        groups="young-people local-communities",
        kinds_sought="municipality public-institution",
        countries_sought="EE",
        eligible_countries="EE LV",
        min_countries=2,
    ),
    pool="baltic-ngo-network ee-euro-youth "
    "valga-municipality valga-museum parnu-municipality ee-municipality-saue ee-youth-council "
    "ee-lag-harju kuldiga-municipality rezekne-municipality fr-youth-centre ee-sports-club "
    "hr-school",
    expected="valga-municipality valga-museum",
)

case(
    "Youth Media Literacy Lithuania: youth exchange on disinformation and democracy",
    idea(
        "lt-media-youth",
        text="Young people against disinformation: media literacy workshops, fact-checking and youth "
        "participation in democracy in the Baltic states.",
        themes="participation-democracy youth-policy digital-transformation",
        groups="young-people youth-workers-educators",
        fields_sought="media youth-work",
        countries_sought="LV EE FI",
        min_countries=3,
    ),
    pool="ee-euro-youth youth-for-europe-pl baltic-ngo-network "
    "media-lab-lv ee-youth-council no-youth-council ogre-youth-lv jelgava-municipality "
    "riga-tech-company fi-nature-league vidzeme-university ee-youth-outdoor lt-green-youth "
    "cz-youth-ngo",
    expected="media-lab-lv ee-youth-council",
)

case(
    "Jelgava: youth participation councils with an Icelandic municipality (EEA local development)",
    idea(
        "jelgava-municipality",
        text="Youth councils that decide: young people's participation in municipal decisions, learning "
        "from a municipality in a donor state.",
        themes="youth-policy participation-democracy public-civic-cooperation",
        groups="young-people public-officials",
        kinds_sought="municipality",
        countries_sought="IS NO",
        required_countries=DONOR_STATES,
        required_group_label="a donor state",
        min_countries=2,
    ),
    pool="nordic-civil-network "
    "is-reykjanesbaer no-municipality-hamar is-youth-ngo no-youth-council is-migrant-ngo "
    "uio hgu-college ee-youth-council valga-municipality pl-gdynia-city siauliai-city",
    expected="is-reykjanesbaer",
)

case(
    "Alytus VET centre: apprenticeships and VET mobility with a Finnish college",
    idea(
        "lt-vet-school",
        text="VET mobility and apprenticeships: students and teachers learn work-based learning and "
        "entrepreneurship education at a partner vocational college.",
        themes="employability-entrepreneurship internationalisation",
        groups="young-people",
        fields_sought="vocational-training",
        kinds_sought="training-provider school",
        countries_sought="FI",
        min_countries=2,
    ),
    pool="eu-projects-lt "
    "fi-omnia fi-social-enterprise ee-adult-centre vilnius-university es-university "
    "de-company riga-tech-company no-folk-high-school fi-agri-company social-innovation-centre",
    expected="fi-omnia",
)

case(
    "Vilnius Refugee Youth Initiative: youth work with young migrants (Erasmus+)",
    idea(
        "lt-refugee-youth",
        text="Mentoring and youth clubs for young refugees and migrants: youth workers share "
        "methods of non-formal learning and integration.",
        themes="migrant-integration inclusion-diversity non-formal-learning",
        groups="migrants-third-country-nationals young-people youth-workers-educators",
        fields_sought="youth-work",
        countries_sought="DE PL",
        min_countries=2,
    ),
    pool="nordic-civil-network youth-for-europe-pl "
    "de-migrant-youth pl-migrant-youth no-refugee-council is-migrant-ngo hamar-venner "
    "intelekta-parks de-company de-volunteering cz-youth-ngo pl-volunteer-lublin lt-roma-ngo",
    expected="de-migrant-youth pl-migrant-youth",
)

case(
    "Green Youth Lithuania: Baltic Sea climate action youth exchange",
    idea(
        "lt-green-youth",
        text="Youth exchange for climate action around the Baltic Sea: nature camp, clean-up of the "
        "coast and young people's climate advocacy.",
        themes="environment-climate participation-democracy non-formal-learning",
        groups="young-people",
        kinds_sought="association",
        countries_sought="SE FI DE",
        min_countries=3,
    ),
    pool="ee-euro-youth youth-for-europe-pl "
    "se-field-biologists fi-nature-league se-municipality-env pl-eco-ngo kaunas-gymnasium "
    "uio fi-agri-company de-company ee-youth-outdoor hamar-naturskole se-sports-company",
    expected="se-field-biologists fi-nature-league",
)

case(
    "Ogre youth initiative group: a first youth exchange, with experienced partners",
    idea(
        "ogre-youth-lv",
        text="Our first youth exchange: young people debate local democracy and youth participation.",
        themes="participation-democracy youth-policy",
        groups="young-people",
        min_countries=2,
    ),
    pool="ee-euro-youth youth-for-europe-pl baltic-ngo-network "
    "ee-youth-council no-youth-council lt-media-youth media-lab-lv pt-esc cz-youth-ngo "
    "jelgava-municipality lt-basketball-club de-company es-university",
    expected="ee-youth-council lt-media-youth",
)

case(
    "Kaunas District Public Health Bureau: youth mental health with Baltic NGOs",
    idea(
        "lt-public-health",
        text="Mental health of young people: peer support, mental health first aid for youth workers "
        "and prevention in schools.",
        themes="health-wellbeing inclusion-diversity",
        groups="young-people youth-workers-educators",
        fields_sought="health-care youth-work",
        countries_sought="LV EE",
        min_countries=2,
    ),
    pool="youth-for-europe-pl ee-euro-youth "
    "mind-youth-lv ee-mental-health kefa ee-sports-club lt-basketball-club ligatne-sport "
    "se-sports-company riga-tech-company kaunas-gymnasium jaunatne-smaidam lt-disability-forum",
    expected="mind-youth-lv ee-mental-health",
)

case(
    "Ķekava municipality: learning participatory budgeting from Poland (municipal programme)",
    idea(
        "kekava-municipality",
        text="Co-budgeting in Ķekava: learning how Polish cities run civic budgets, involve residents "
        "and evaluate the results.",
        themes="participation-democracy public-civic-cooperation",
        groups="local-communities public-officials",
        fields_sought="local-government community-work",
        countries_sought="PL",
        min_countries=2,
    ),
    pool="youth-for-europe-pl baltic-ngo-network "
    "pl-participation pl-gdynia-city leszno-city fcat-leszno pl-eco-ngo pl-sport-club "
    "siauliai-city jelgava-municipality pl-hr-company pl-u3a vidzeme-university daugavkrasts",
    expected="pl-participation pl-gdynia-city",
)

case(
    "Daugavpils youth department: a second partner for an ongoing volunteering project",
    idea(
        "daugavpils-youth",
        partners="fcat-leszno",
        text="Volunteering network for less active young people: a third partner who trains volunteer "
        "coordinators and runs a quality label for hosting organisations.",
        themes="volunteering-solidarity capacity-building participation-democracy",
        groups="young-people ngo-staff-volunteers",
        fields_sought="youth-work community-work",
        kinds_sought="association",
        min_countries=3,
    ),
    pool="baltic-ngo-network ee-euro-youth youth-for-europe-pl "
    "lt-volunteer-centre de-volunteering pl-volunteer-lublin leszno-city gulbene-youth "
    "es-esc-sending it-esc pt-esc pl-hr-company lt-basketball-club kefa",
    expected="lt-volunteer-centre de-volunteering",
)


# --- Gaps a call still needs ---------------------------------------------------------
# Written from the programme guides: the partner a coordinator contacts first
# is one that makes the consortium eligible. A same-country organisation that
# shares every theme does not help a consortium that lacks a country, so the
# expected partners below are the best of those that fill the gap.

case(
    "KA220 youth, Latvian lead alone: two partners from other countries, Lithuania and Norway sought",
    idea(
        "jaunatne-smaidam",
        text="Inclusive youth work: youth workers from three countries exchange methods that reach "
        "young people with fewer opportunities and involve them in local decisions.",
        themes="inclusion-diversity non-formal-learning participation-democracy",
        groups="young-people-fewer-opportunities youth-workers-educators",
        kinds_sought="association",
        countries_sought="LT NO",
        call=KA220,
    ),
    pool="baltic-ngo-network mind-youth-lv media-lab-lv ogre-youth-lv gulbene-youth "
    "lt-disability-forum no-youth-council cz-youth-ngo lt-basketball-club no-roma-ngo "
    "riga-tech-company kefa",
    expected="lt-disability-forum no-youth-council",
)

case(
    "Active Citizens Fund bilateral, Latvian NGO: a donor-state partner for migrant integration",
    idea(
        "intelekta-parks",
        text="Newcomers and local NGOs: a study visit and a joint seminar with a donor-state "
        "organisation that has integrated refugees through volunteering.",
        themes="migrant-integration inclusion-diversity capacity-building",
        groups="migrants-third-country-nationals ngo-staff-volunteers",
        call=ACTIVE_CITIZENS_BILATERAL,
    ),
    pool="social-innovation-centre baltic-ngo-network daugavkrasts liepaja-ngo-centre "
    "lt-refugee-youth de-migrant-youth pl-migrant-youth hamar-venner no-refugee-council "
    "is-migrant-ngo no-municipality-hamar riga-tech-company",
    expected="hamar-venner no-refugee-council",
)

case(
    "Active Citizens Fund bilateral: a Latvian partner is already there, the donor state is not",
    idea(
        "daugavkrasts",
        partners="kekava-municipality",
        text="A joint plan for an NGO support platform, learning from a Norwegian college that "
        "trains volunteers and civil society staff.",
        themes="capacity-building public-civic-cooperation community-development",
        groups="ngo-staff-volunteers local-communities",
        call=ACTIVE_CITIZENS_BILATERAL,
    ),
    pool="liepaja-ngo-centre vidzeme-university liepaja-city baltic-ngo-network pl-participation "
    "hgu-college no-municipality-hamar is-reykjanesbaer nordic-civil-network lt-volunteer-centre",
    expected="hgu-college nordic-civil-network",
)

case(
    "Interreg Latvia–Lithuania, Lithuanian district lead: the Latvian partner it still needs",
    idea(
        "klaipeda-district",
        text="A cross-border NGO growth incubator: mentoring, small grants and joint training for "
        "community organisations on both sides of the border.",
        themes="capacity-building public-civic-cooperation community-development",
        groups="ngo-staff-volunteers local-communities public-officials",
        countries_sought="LV",
        call=INTERREG_LV_LT,
    ),
    pool="lt-volunteer-centre siauliai-city dauparai-community joniskis-community eu-projects-lt "
    "liepaja-ngo-centre liepaja-city daugavkrasts riga-tech-company parnu-municipality ee-lag-harju",
    expected="liepaja-ngo-centre liepaja-city",
)

case(
    "Interreg Latvia–Lithuania, Latvian municipality lead: a Lithuanian partner for heritage",
    idea(
        "kuldiga-municipality",
        text="Living heritage of border villages: community groups on both sides document crafts "
        "and run joint festivals.",
        themes="culture-heritage community-development",
        groups="local-communities",
        call=INTERREG_LV_LT,
    ),
    pool="valka-municipality zemgale-lag rezekne-municipality joniskis-community dauparai-community "
    "siauliai-city valga-museum fi-leader eu-projects-lt lt-basketball-club",
    expected="joniskis-community",
)

case(
    "Interreg Latvia–Lithuania, Lithuanian village community lead: Latvian NGOs, not companies",
    idea(
        "dauparai-community",
        text="Volunteering in small communities: exchange of volunteer coordinators between "
        "village centres near the border.",
        themes="community-development volunteering-solidarity",
        groups="local-communities ngo-staff-volunteers",
        call=INTERREG_LV_LT,
    ),
    pool="lt-volunteer-centre klaipeda-district joniskis-community eu-projects-lt riga-tech-company "
    "liepaja-ngo-centre daugavkrasts zemgale-lag de-volunteering pl-volunteer-lublin",
    expected="liepaja-ngo-centre",
)

case(
    "KA210 school, Latvian school alone: one school abroad, Norway, Estonia, Finland or Lithuania",
    idea(
        "valdemarpils-school",
        text="Outdoor science lessons: pupils measure the local climate and compare results with "
        "a partner school abroad.",
        themes="environment-climate digital-transformation",
        groups="pupils teachers",
        kinds_sought="school",
        countries_sought="NO EE FI LT",
        call=KA210,
    ),
    pool="vidzeme-university valka-municipality ligatne-sport kaunas-gymnasium hamar-naturskole "
    "cz-school pl-school-climate se-municipality-env riga-tech-company uio",
    expected="kaunas-gymnasium hamar-naturskole",
)

case(
    "KA220 youth, Latvian lead with a Lithuanian partner: the third country",
    idea(
        "media-lab-lv",
        partners="lt-media-youth",
        text="Media literacy clubs for bilingual youth: young people fact-check local news and "
        "discuss it with peers abroad.",
        themes="participation-democracy youth-policy digital-transformation",
        groups="young-people youth-workers-educators",
        countries_sought="EE FI",
        call=KA220,
    ),
    pool="ogre-youth-lv jelgava-municipality lt-green-youth lt-disability-forum ee-youth-council "
    "no-youth-council cz-youth-ngo fi-nature-league vidzeme-university kaunas-gymnasium",
    expected="ee-youth-council",
)

case(
    "KA210 adult education, Lithuanian library alone: a partner from another country",
    idea(
        "lt-library-digital",
        text="Digital skills for seniors in libraries: volunteers teach smartphones and e-services.",
        themes="digital-transformation non-formal-learning",
        groups="seniors adult-learners",
        call=KA210,
    ),
    pool="lt-media-youth vilnius-university lt-vet-school lt-public-health ee-adult-centre pl-u3a "
    "fi-omnia de-company es-language-school riga-tech-company",
    expected="ee-adult-centre pl-u3a",
)

case(
    "KA220 youth, Estonian lead with a Latvian partner: a third country for outdoor inclusion",
    idea(
        "ee-youth-outdoor",
        partners="jaunatne-smaidam",
        text="Outdoor learning for young people with fewer opportunities: hikes, camps and "
        "environmental projects run by youth workers.",
        themes="inclusion-diversity non-formal-learning environment-climate",
        groups="young-people-fewer-opportunities youth-workers-educators",
        call=KA220,
    ),
    pool="ee-euro-youth ee-youth-council gulbene-youth baltic-ngo-network hr-youth-outdoor "
    "cz-youth-ngo pl-eco-ngo lt-green-youth de-company se-sports-company",
    expected="hr-youth-outdoor lt-green-youth",
)

case(
    "KA210 youth, Polish lead alone: Latvia or Lithuania sought, Polish twins do not help",
    idea(
        "youth-for-europe-pl",
        text="Young volunteers from small towns: a first exchange on how to start a volunteering "
        "club.",
        themes="volunteering-solidarity participation-democracy inclusion-diversity",
        groups="young-people young-people-fewer-opportunities",
        countries_sought="LV LT",
        call=KA210,
    ),
    pool="pl-volunteer-lublin fcat-leszno leszno-city pl-eco-ngo pl-hr-company "
    "daugavpils-youth liepaja-ngo-centre lt-volunteer-centre gulbene-youth lt-basketball-club",
    expected="lt-volunteer-centre liepaja-ngo-centre",
)
