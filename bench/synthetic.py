"""Realistic synthetic organisations and ideas for load tests and benchmarks.

Deterministic for a seed: the same seed on an empty database gives the same
names, profiles and ideas. Each organisation gets one or two *profiles*
(youth work, environment, culture, …) from which its fields, themes, target
groups and description are drawn, so an organisation reads coherently;
countries lean toward the Baltic and Nordic region, as the site's users do.

Fast enough for a million organisations (minutes, not hours): organisations
and ideas are written with ``bulk_create`` in batches (no ``save()``, no
signals), the many-to-many rows with one ``executemany`` per relation and
batch straight into the through tables, and the search documents are built
here from the same fields ``save()`` would use, so nothing is read back. The
database's change-log triggers still see every row (``generate_synthetic``
compacts the log afterwards).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import NamedTuple

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from organisations.models import Experience, Kind, Organisation
from organisations.taxonomy import FieldOfActivity, Language, TargetGroup, Theme
from projects import search_index as idea_search
from projects.models import IdeaStatus, ProjectIdea

BATCH = 5_000
#: The share of generated ideas that are open (the rest are drafts); bench/run.py relies on it.
OPEN_SHARE = 0.85

COUNTRY_WEIGHTS = {
    "LV": 16, "LT": 15, "EE": 11, "FI": 8, "SE": 8, "NO": 7, "DK": 5, "IS": 1,
    "PL": 8, "DE": 4, "CZ": 3, "HR": 2, "SK": 1, "SI": 1, "HU": 1, "RO": 1, "BG": 1,
    "ES": 1, "IT": 1, "PT": 1, "NL": 1, "BE": 1, "AT": 1, "FR": 1, "IE": 1, "GR": 1,
}  # fmt: skip

CITIES = {
    "LV": ["Rīga", "Liepāja", "Daugavpils", "Jelgava", "Ventspils", "Valmiera", "Cēsis", "Kuldīga", "Rēzekne", "Talsi"],
    "LT": ["Vilnius", "Kaunas", "Klaipėda", "Šiauliai", "Panevėžys", "Alytus", "Utena", "Telšiai", "Marijampolė"],
    "EE": ["Tallinn", "Tartu", "Pärnu", "Narva", "Viljandi", "Kuressaare", "Rakvere"],
    "FI": ["Helsinki", "Turku", "Tampere", "Oulu", "Joensuu", "Kuopio", "Vaasa"],
    "SE": ["Stockholm", "Göteborg", "Malmö", "Uppsala", "Umeå", "Visby", "Luleå"],
    "NO": ["Oslo", "Bergen", "Trondheim", "Tromsø", "Stavanger", "Bodø"],
    "DK": ["København", "Aarhus", "Odense", "Aalborg", "Esbjerg"],
    "IS": ["Reykjavík", "Akureyri"],
    "PL": ["Gdańsk", "Kraków", "Wrocław", "Białystok", "Lublin", "Olsztyn", "Poznań"],
    "DE": ["Rostock", "Kiel", "Berlin", "Leipzig", "Greifswald"],
    "CZ": ["Brno", "Praha", "Jihlava", "Olomouc"],
    "HR": ["Zagreb", "Split", "Rijeka"],
}  # fmt: skip
_OTHER_CITIES = ["Capital City", "Harbour Town", "Riverside", "Old Town"]

NATIVE_LANGUAGE = {
    "LV": "lv", "LT": "lt", "EE": "et", "FI": "fi", "SE": "sv", "NO": "nb", "DK": "da",
    "IS": "is", "PL": "pl", "DE": "de", "CZ": "cs", "HR": "hr", "SK": "sk", "SI": "sl",
    "HU": "hu", "RO": "ro", "BG": "bg", "ES": "es", "IT": "it", "PT": "pt", "NL": "nl",
    "BE": "nl", "AT": "de", "FR": "fr", "IE": "en", "GR": "el",
}  # fmt: skip

KIND_WEIGHTS = {
    Kind.ASSOCIATION: 30, Kind.FOUNDATION: 8, Kind.COMMUNITY_GROUP: 6, Kind.INFORMAL_GROUP: 3,
    Kind.MUNICIPALITY: 8, Kind.PUBLIC_INSTITUTION: 7, Kind.SCHOOL: 12, Kind.UNIVERSITY: 3,
    Kind.TRAINING_PROVIDER: 5, Kind.SOCIAL_ENTERPRISE: 5, Kind.COMPANY: 2, Kind.OTHER: 1,
}  # fmt: skip

#: Name patterns per kind: {city} and {word}.
NAMES = {
    Kind.ASSOCIATION: ["{word} Association of {city}", "{city} {word} Society", "Association \u201c{word}\u201d"],
    Kind.FOUNDATION: ["{word} Foundation", "{city} Community Foundation", "Foundation for {word}"],
    Kind.COMMUNITY_GROUP: ["{city} Neighbourhood {word} Group", "{word} Circle of {city}"],
    Kind.INFORMAL_GROUP: ["{word} Youth Initiative", "{city} {word} Collective"],
    Kind.MUNICIPALITY: ["{city} Municipality", "Municipality of {city} District"],
    Kind.PUBLIC_INSTITUTION: ["{city} Youth Centre", "{city} {word} Centre", "{city} Public Library"],
    Kind.SCHOOL: ["{city} Secondary School No. {n}", "{city} {word} School", "{city} Gymnasium"],
    Kind.UNIVERSITY: ["University of {city}", "{city} College of {word}"],
    Kind.TRAINING_PROVIDER: ["{word} Training Centre {city}", "{city} Adult Learning Centre"],
    Kind.SOCIAL_ENTERPRISE: ["{word} Social Enterprise", "{city} {word} Workshop"],
    Kind.COMPANY: ["{word} Consulting {city}", "{city} {word} Ltd"],
    Kind.OTHER: ["{city} {word} Network", "{word} Platform"],
}  # fmt: skip
WORDS = [
    "Green", "Bridge", "Horizon", "Open Doors", "Amber", "Northern Light", "Baltic", "Future",
    "Seagull", "Together", "Spark", "Compass", "Roots", "Wings", "Harbour", "Lighthouse",
    "Oak", "River", "Forest", "Step Up", "New Wave", "Sunrise", "Youth Voice", "Kindness",
]  # fmt: skip

Profile = tuple[list[str], list[str], list[str], list[str]]  # fields, themes, groups, phrases

PROFILES: dict[str, Profile] = {
    "youth": (
        ["youth-work", "community-work"],
        ["participation-democracy", "non-formal-learning", "youth-policy", "leadership-skills", "inclusion-diversity"],
        ["young-people", "young-people-fewer-opportunities", "youth-workers-educators"],
        ["runs a youth club and youth exchanges", "trains youth workers in non-formal learning",
         "supports young people to take part in local decisions"],
    ),
    "volunteering": (
        ["youth-work", "social-services", "community-work"],
        ["volunteering-solidarity", "inclusion-diversity", "community-development"],
        ["young-people", "ngo-staff-volunteers", "local-communities"],
        ["coordinates a volunteering centre", "hosts European Solidarity Corps volunteers",
         "matches volunteers with local care homes and shelters"],
    ),
    "environment": (
        ["environment-nature", "adult-education"],
        ["environment-climate", "community-development", "health-wellbeing"],
        ["young-people", "local-communities", "children"],
        ["organises coastal clean-ups and nature camps", "teaches climate action in schools",
         "restores wetlands and forests with volunteers"],
    ),
    "culture": (
        ["culture-arts", "media"],
        ["culture-heritage", "inclusion-diversity", "digital-transformation"],
        ["young-people", "minorities", "local-communities"],
        ["stages community theatre and film workshops", "keeps local heritage and crafts alive",
         "runs a media literacy studio for teenagers"],
    ),
    "social": (
        ["social-services", "health-care"],
        ["inclusion-diversity", "health-wellbeing", "capacity-building"],
        ["people-with-disabilities", "seniors", "young-people-fewer-opportunities"],
        ["supports people with disabilities to live independently", "runs a day centre for families",
         "offers peer support for mental health"],
    ),
    "migration": (
        ["social-services", "adult-education", "community-work"],
        ["migrant-integration", "inclusion-diversity", "employability-entrepreneurship"],
        ["migrants-third-country-nationals", "minorities", "unemployed"],
        ["teaches language courses to newcomers", "helps refugee families settle in",
         "mentors migrants into their first job"],
    ),
    "sport": (
        ["sport", "youth-work"],
        ["sport-physical-activity", "health-wellbeing", "inclusion-diversity"],
        ["young-people", "children", "young-people-fewer-opportunities"],
        ["runs street football and basketball for teenagers", "organises inclusive sport days",
         "trains volunteer coaches"],
    ),
    "school": (
        ["school-education", "youth-work"],
        ["non-formal-learning", "digital-transformation", "internationalisation", "environment-climate"],
        ["children", "young-people", "youth-workers-educators"],
        ["teaches pupils aged 7 to 18", "runs outdoor classrooms and school exchanges",
         "develops digital skills of teachers"],
    ),
    "adult": (
        ["adult-education", "vocational-training"],
        ["employability-entrepreneurship", "digital-transformation", "capacity-building"],
        ["unemployed", "seniors", "youth-workers-educators"],
        ["offers vocational courses for adults", "trains jobseekers in digital skills",
         "runs mentoring for adult educators"],
    ),
    "local": (
        ["local-government", "community-work"],
        ["public-civic-cooperation", "participation-democracy", "community-development", "youth-policy"],
        ["local-communities", "public-officials", "young-people"],
        ["co-budgets projects with residents", "runs the municipal youth council",
         "supports village communities and local NGOs"],
    ),
    "research": (
        ["research", "higher-education"],
        ["capacity-building", "internationalisation", "digital-transformation"],
        ["youth-workers-educators", "public-officials", "ngo-staff-volunteers"],
        ["studies youth policy and participation", "evaluates social programmes",
         "trains researchers and practitioners together"],
    ),
}  # fmt: skip

PROFILE_OF_KIND = {
    Kind.MUNICIPALITY: ["local", "youth", "environment"],
    Kind.PUBLIC_INSTITUTION: ["youth", "culture", "social", "local"],
    Kind.SCHOOL: ["school"],
    Kind.UNIVERSITY: ["research", "adult"],
    Kind.TRAINING_PROVIDER: ["adult", "migration"],
}

IDEA_TITLES = [
    "{topic} exchange between {city} and partners",
    "{topic} for {group}",
    "Learning from each other: {topic}",
    "{city} {topic} lab",
]  # fmt: skip
TOPICS = {
    "youth": "Youth participation", "volunteering": "Volunteering centres",
    "environment": "Green communities", "culture": "Heritage and theatre",
    "social": "Independent living", "migration": "Welcoming newcomers",
    "sport": "Inclusive sport", "school": "Outdoor classrooms", "adult": "Digital skills",
    "local": "Youth councils", "research": "Evidence for youth policy",
}  # fmt: skip


class Lead(NamedTuple):
    """What the ideas need of an organisation made earlier (not the whole model instance)."""

    pk: int
    name: str
    city: str
    country: str


@dataclass
class Generated:
    organisations: int = 0
    ideas: int = 0
    relations: int = 0


def generate(*, organisations: int, ideas: int, seed: int) -> Generated:
    """Create ``organisations`` organisations and ``ideas`` open ideas from ``seed``."""
    rng = random.Random(seed)
    terms = {
        "fields": dict(FieldOfActivity.objects.values_list("code", "pk")),
        "themes": dict(Theme.objects.values_list("code", "pk")),
        "target_groups": dict(TargetGroup.objects.values_list("code", "pk")),
        "languages": dict(Language.objects.values_list("code", "pk")),
    }
    taken_slugs = set(Organisation.objects.values_list("slug", flat=True))
    taken_names = set(Organisation.objects.values_list("name", "country"))
    result = Generated()
    countries, country_w = list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values())
    kinds, kind_w = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    now = timezone.now()
    with transaction.atomic():
        made: list[tuple[Lead, list[str]]] = []
        count = 0
        for start in range(0, organisations, BATCH):
            batch, profiles_of_batch = [], []
            relations: dict[str, list[tuple[int, str]]] = {name: [] for name in terms}
            for _ in range(start, min(start + BATCH, organisations)):
                country = rng.choices(countries, country_w)[0]
                kind = rng.choices(kinds, kind_w)[0]
                city = rng.choice(CITIES.get(country, _OTHER_CITIES))
                choices = PROFILE_OF_KIND.get(kind, list(PROFILES))
                k = 2 if len(choices) > 1 and rng.random() < 0.3 else 1
                profile_names = rng.sample(choices, k=k)
                name = _unique_name(rng, kind, city, country, taken_names)
                slug = _unique_slug(f"{slugify(name)[:60]}-{country.lower()}", taken_slugs)
                fields, themes, groups, phrases = _draw(rng, profile_names)
                languages = _languages(rng, country)
                description = _description(rng, name, city, phrases)
                org = Organisation(
                    name=name,
                    slug=slug,
                    kind=kind,
                    country=country,
                    city=city,
                    description=description,
                    experience=rng.choices(
                        [Experience.NONE, Experience.SOME, Experience.EXPERIENCED], [4, 4, 2]
                    )[0],
                    website=f"https://{slug}.example.org" if rng.random() < 0.7 else "",
                    email=f"info@{slug}.example.org" if rng.random() < 0.6 else "",
                    is_verified=(verified := rng.random() < 0.15),
                    verified_at=now if verified else None,
                )
                # What save() would store (organisations/search_index.py: row fields only).
                org.search_text = org.build_search_text()
                batch.append(org)
                for relation, codes in (
                    ("fields", fields), ("themes", themes),
                    ("target_groups", groups), ("languages", languages),
                ):  # fmt: skip
                    relations[relation].extend((len(batch) - 1, code) for code in codes)
                profiles_of_batch.append(profile_names)
            Organisation.objects.bulk_create(batch, batch_size=BATCH)
            result.relations += _write_relations(batch, relations, terms)
            _age(rng, batch, now)
            made.extend(
                (Lead(org.pk, org.name, org.city, str(org.country)), profile_names)
                for org, profile_names in zip(batch, profiles_of_batch, strict=True)
            )
            count += len(batch)
        result.organisations = count
        result.ideas = _ideas(rng, ideas, made, terms)
    return result


def multiply(copies: int) -> Generated:
    """Copy every organisation and idea (with their taxonomy links) ``copies - 1`` more times.

    For the million-organisation benchmark in minutes rather than an hour of
    Python: ``INSERT … SELECT`` in the database, one statement per table and
    copy. Copy *k* (2, 3, …) of an organisation is named "<name> #k" with slug
    "<slug>-xk" (so names and slugs stay unique); an idea's copy belongs to its
    lead's copy. Profiles, taxonomies, dates and texts are the originals', so
    what matching and search pay per row is what they pay for generated rows.
    Returns what was added.
    """
    result = Generated()
    if copies < 2:
        return result
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        spans = {}
        for model in (Organisation, ProjectIdea):
            table = quote(model._meta.db_table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0), COUNT(*) FROM {table}")  # noqa: S608
            spans[model] = cursor.fetchone()
        org_span, org_count = spans[Organisation]
        idea_span, idea_count = spans[ProjectIdea]
        for k in range(1, copies):
            changed = {
                Organisation: {
                    "id": f"id + {k * org_span}",
                    "name": f"name || ' #{k + 1}'",
                    "slug": f"slug || '-x{k + 1}'",
                },
                ProjectIdea: {
                    "id": f"id + {k * idea_span}",
                    "lead_id": f"lead_id + {k * org_span}",
                    "slug": f"slug || '-x{k + 1}'",
                },
            }
            for model, span in ((Organisation, org_span), (ProjectIdea, idea_span)):
                columns = [field.column for field in model._meta.concrete_fields]
                values = [changed[model].get(column, quote(column)) for column in columns]
                cursor.execute(
                    f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
                    f"({', '.join(quote(c) for c in columns)}) "
                    f"SELECT {', '.join(values)} FROM {quote(model._meta.db_table)} WHERE id <= %s",
                    [span],
                )
                for relation in model._meta.many_to_many:
                    through = relation.remote_field.through
                    owner = through._meta.get_field(relation.m2m_field_name()).column
                    target = through._meta.get_field(relation.m2m_reverse_field_name()).column
                    cursor.execute(
                        f"INSERT INTO {quote(through._meta.db_table)} "  # noqa: S608
                        f"({quote(owner)}, {quote(target)}) "
                        f"SELECT {quote(owner)} + {k * span}, {quote(target)} "
                        f"FROM {quote(through._meta.db_table)} WHERE {quote(owner)} <= %s",
                        [span],
                    )
                    if model is Organisation:
                        result.relations += cursor.rowcount
        # Explicit ids: PostgreSQL's sequences must move past them (SQLite's move by themselves).
        for statement in connection.ops.sequence_reset_sql(no_style(), [Organisation, ProjectIdea]):
            cursor.execute(statement)
    result.organisations = org_count * (copies - 1)
    result.ideas = idea_count * (copies - 1)
    return result


#: How long ago profiles were last updated (days) and how common each age is.
AGES = {1: 2, 7: 3, 30: 4, 90: 4, 180: 3, 365: 3, 540: 2, 730: 1, 900: 1}


def _age(rng, batch, now) -> None:
    """Spread ``updated_at`` over the past as on a real site (bulk_create stamps "now").

    One UPDATE per age; every profile is at least a day old, so a later
    edit is the newest change, as it would be in production.
    """
    ages, weights = list(AGES), list(AGES.values())
    groups: dict[int, list[int]] = {}
    for org in batch:
        groups.setdefault(rng.choices(ages, weights)[0], []).append(org.pk)
    for days, ids in sorted(groups.items()):
        Organisation.objects.filter(pk__in=ids).update(
            updated_at=now - datetime.timedelta(days=days, minutes=rng.randint(0, 600))
        )


def _write_relations(batch, relations, terms) -> int:
    written = 0
    for name, pairs in relations.items():
        ids = terms[name]
        written += _insert_links(
            Organisation,
            name,
            [(batch[index].pk, ids[code]) for index, code in pairs if code in ids],
        )
    return written


def _insert_links(model, relation: str, pairs: list[tuple[int, int]]) -> int:
    """Insert (owner id, term id) rows into ``model.relation``'s through table: one executemany.

    Model instances and ``bulk_create`` cost more than the insert itself here
    (about a million links per 100,000 organisations).
    """
    field = model._meta.get_field(relation)
    through = field.remote_field.through
    quote = connection.ops.quote_name
    owner = quote(through._meta.get_field(field.m2m_field_name()).column)
    target = quote(through._meta.get_field(field.m2m_reverse_field_name()).column)
    sql = f"INSERT INTO {quote(through._meta.db_table)} ({owner}, {target}) VALUES (%s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, pairs)
    return len(pairs)


def _unique_name(rng, kind, city, country, taken) -> str:
    pattern = rng.choice(NAMES[kind])
    base = pattern.format(city=city, word=rng.choice(WORDS), n=rng.randint(1, 40))
    name, n = base, 1
    while (name, country) in taken:
        n += 1
        name = f"{base} {n}"
    taken.add((name, country))
    return name


def _unique_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _draw(rng, profile_names):
    fields: set[str] = set()
    themes: set[str] = set()
    groups: set[str] = set()
    phrases: list[str] = []
    for profile in profile_names:
        f, t, g, p = PROFILES[profile]
        fields.update({f[0], *rng.sample(f, k=rng.randint(0, len(f) - 1))})  # the core field first
        themes.update(rng.sample(t, k=rng.randint(1, min(4, len(t)))))
        groups.update(rng.sample(g, k=rng.randint(1, len(g))))
        phrases.extend(rng.sample(p, k=2))
    if rng.random() < 0.1:  # some list a theme outside their profile
        themes.add(rng.choice([t for p in PROFILES.values() for t in p[1]]))
    if rng.random() < 0.05:  # and a few claim everything
        themes.update(t for p in PROFILES.values() for t in p[1])
    return sorted(fields), sorted(themes), sorted(groups), phrases


def _languages(rng, country) -> list[str]:
    languages = {NATIVE_LANGUAGE.get(country, "en")}
    if rng.random() < 0.85:
        languages.add("en")
    if country in ("LV", "LT", "EE") and rng.random() < 0.4:
        languages.add("ru")
    if rng.random() < 0.1:
        languages.add(rng.choice(["de", "pl", "fr", "sv"]))
    return sorted(languages)


def _description(rng, name, city, phrases) -> str:
    if rng.random() < 0.08:
        return ""  # an unfinished profile
    opening = rng.choice(
        [f"{name} is based in {city}.", f"Founded in {rng.randint(1991, 2022)} in {city}."]
    )
    body = " ".join(f"It {phrase}." for phrase in phrases)
    return f"{opening} {body} We welcome partners who share our values."


def _ideas(rng, count, made, terms) -> int:
    if not count or not made:
        return 0
    today = timezone.localdate()
    languages = {"en": terms["languages"].get("en")}
    ideas, relations = [], []
    labels = {
        "themes": {t.code: t.labels() for t in Theme.objects.all()},
        "target_groups": {t.code: t.labels() for t in TargetGroup.objects.all()},
    }
    vocabulary_of = {
        "themes": "themes",
        "target_groups": "target_groups",
        "fields_sought": "fields",
    }
    slugs = set(ProjectIdea.objects.values_list("slug", flat=True))
    titles: set[tuple[int, str]] = set()
    for _ in range(count):
        lead, profile_names = rng.choice(made)
        profile = profile_names[0]
        fields, themes, groups, phrases = PROFILES[profile]
        title = rng.choice(IDEA_TITLES).format(
            topic=TOPICS[profile],
            city=lead.city,
            group=rng.choice(["young people", "villages", "schools", "newcomers"]),
        )
        n, base = 1, title
        while (lead.pk, title) in titles:
            n += 1
            title = f"{base} ({n})"
        titles.add((lead.pk, title))
        slug = _unique_slug(slugify(title)[:80] or "idea", slugs)
        summary = f"{lead.name} wants to work with partners who {rng.choice(phrases)}."
        sought = sorted({rng.choices(list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values()))[0]
                         for _ in range(rng.randint(0, 3))} - {lead.country})  # fmt: skip
        idea = ProjectIdea(
            lead_id=lead.pk,
            slug=slug,
            title=title,
            summary=summary,
            goals=rng.choice(phrases).capitalize() + ".",
            countries_sought=sought,
            kinds_sought=rng.sample(list(KIND_WEIGHTS), k=rng.randint(0, 2)),
            partners_wanted=rng.randint(1, 4),
            language_id=languages["en"] if rng.random() < 0.8 else None,
            closes_on=today + datetime.timedelta(days=rng.randint(10, 150)),
            status=IdeaStatus.OPEN if rng.random() < OPEN_SHARE else IdeaStatus.DRAFT,
        )
        wanted = {
            "themes": rng.sample(themes, k=rng.randint(0, min(3, len(themes)))),
            "target_groups": rng.sample(groups, k=rng.randint(0, 2)),
            "fields_sought": rng.sample(fields, k=rng.randint(0, 1)),
        }
        # What save() and idea_search.refresh would store: labels of the themes, then
        # of the target groups (LABELLED_SETS order, each by term id), in three languages.
        idea.search_text = idea_search.document(
            idea=idea,
            labels=[
                label
                for name in ("themes", "target_groups")
                for _pk, code in sorted((terms[vocabulary_of[name]][c], c) for c in wanted[name])
                if code in labels[name]
                for label in labels[name][code]
            ],
        )
        ideas.append(idea)
        relations.append(wanted)
    ProjectIdea.objects.bulk_create(ideas, batch_size=BATCH)
    for name, vocabulary in vocabulary_of.items():
        ids = terms[vocabulary]
        _insert_links(
            ProjectIdea,
            name,
            [
                (idea.pk, ids[code])
                for idea, wanted in zip(ideas, relations, strict=True)
                for code in wanted[name]
                if code in ids
            ],
        )
    return len(ideas)
