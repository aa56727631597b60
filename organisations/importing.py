"""Organisations in and out of CSV (columns and rules in shared taxonomy.md / docs/data-formats.md).

An organisation is identified by its name and country: importing a row for one
that exists updates it. Every row is validated (with the model's own
`full_clean`) before anything is written; one bad row stops the whole import
unless `skip_invalid` is set. Rows that change nothing are not saved, so
importing the same file twice leaves every profile (and its `updated_at`) alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django_countries import countries

from matching.text import normalise
from partnerhub.csvio import ImportResult, RowError, TermResolver, join_multi, read_rows, write_rows

from .models import Experience, Kind, Organisation
from .services import unique_slug
from .taxonomy import FieldOfActivity, Language, TargetGroup, Theme

COLUMNS = [
    "name",
    "kind",
    "country",
    "city",
    "website",
    "email",
    "description",
    "fields",
    "themes",
    "target_groups",
    "languages",
    "experience",
    "oid",
]

# CSV column → (Organisation many-to-many field, term model).
TAXONOMY_COLUMNS = {
    "fields": FieldOfActivity,
    "themes": Theme,
    "target_groups": TargetGroup,
    "languages": Language,
}

SCALAR_FIELDS = ("kind", "city", "website", "email", "description", "experience", "oid", "region")
#: Columns a file may leave out (older files); an absent column leaves the value as it is.
OPTIONAL_COLUMNS = ["region"]

SITE_LANGUAGES = ("en", "lv", "lt")


def _choice_resolver(choices: type) -> dict[str, str]:
    """normalised code or label (in any site language) → code."""
    keys: dict[str, str] = {}
    for code in choices.values:
        keys[normalise(code)] = code
    for language in SITE_LANGUAGES:
        with translation.override(language):
            for code, label in choices.choices:
                keys.setdefault(normalise(str(label)), code)
    return keys


def _country_code(cell: str) -> str | None:
    value = cell.strip()
    if len(value) == 2 and value.upper() in dict(countries):
        return value.upper()
    for language in SITE_LANGUAGES:
        code = countries.by_name(value, language=language)
        if code:
            return code
    return None


def _website(cell: str) -> str:
    # As the profile form does: "www.example.org" means https://www.example.org.
    if cell and "://" not in cell:
        return f"https://{cell}"
    return cell


@dataclass(slots=True)
class _Plan:
    line: int
    organisation: Organisation
    terms: dict[str, list] = field(default_factory=dict)
    is_new: bool = False
    changed: bool = False


class _Importer:
    def __init__(self) -> None:
        self.kinds = _choice_resolver(Kind)
        self.experiences = _choice_resolver(Experience)
        self.resolvers = {
            column: TermResolver(model.objects.all()) for column, model in TAXONOMY_COLUMNS.items()
        }
        self.existing = {
            (organisation.name, organisation.country.code): organisation
            for organisation in Organisation.objects.prefetch_related(*TAXONOMY_COLUMNS)
        }
        self.seen_keys: dict[tuple[str, str], int] = {}
        self.seen_oids: dict[str, int] = {}

    def plan(self, line: int, row: dict) -> _Plan:
        """What importing `row` would do; raises ValidationError with every problem in it."""
        problems: list[str] = []
        name = row.get("name", "")
        country = _country_code(row.get("country", ""))
        if row.get("country") and country is None:
            problems.append(f"country: unknown country “{row['country']}”")
        kind = self.kinds.get(normalise(row.get("kind", "")))
        if row.get("kind") and kind is None:
            problems.append(f"kind: unknown kind “{row['kind']}”")
        experience_cell = row.get("experience", "")
        experience = self.experiences.get(normalise(experience_cell)) if experience_cell else "none"
        if experience is None:
            problems.append(f"experience: unknown value “{experience_cell}”")

        terms = {}
        for column, resolver in self.resolvers.items():
            found, unknown = resolver.resolve(row.get(column, ""))
            if unknown:
                problems.append(f"{column}: unknown {', '.join(f'“{v}”' for v in unknown)}")
            terms[column] = found

        key = (name, country or "")
        existing = self.existing.get(key)
        organisation = existing or Organisation(name=name, country=country or "")
        before = {attr: getattr(organisation, attr) for attr in SCALAR_FIELDS}
        organisation.kind = kind or row.get("kind", "")
        organisation.city = row.get("city", "")
        organisation.website = _website(row.get("website", ""))
        organisation.email = row.get("email", "")
        organisation.description = row.get("description", "")
        organisation.experience = experience or ""
        organisation.oid = row.get("oid", "").upper()
        if "region" in row:
            # A NUTS code from organisations/data/regions.csv; Organisation.clean
            # checks it belongs to the organisation's country.
            organisation.region = row["region"].upper()

        if name and country and key in self.seen_keys:
            problems.append(
                f"the same organisation (name and country) is already on line {self.seen_keys[key]}"
            )
        if organisation.oid and organisation.oid in self.seen_oids:
            problems.append(
                f"oid: {organisation.oid} is already used on line {self.seen_oids[organisation.oid]}"
            )

        try:
            # The slug is made when a new organisation is saved.
            organisation.full_clean(exclude=["slug", "country"] if country is None else ["slug"])
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                prefix = "" if field_name == "__all__" else f"{field_name}: "
                problems.extend(f"{prefix}{message}" for message in messages)
        if problems:
            raise ValidationError(problems)

        self.seen_keys[key] = line
        if organisation.oid:
            self.seen_oids[organisation.oid] = line
        plan = _Plan(line=line, organisation=organisation, terms=terms, is_new=existing is None)
        if existing is not None:
            after = {attr: getattr(organisation, attr) for attr in SCALAR_FIELDS}
            plan.changed = before != after or any(
                {term.pk for term in getattr(existing, column).all()} != {term.pk for term in found}
                for column, found in terms.items()
            )
        return plan


def import_organisations(
    stream: IO[str] | IO[bytes], *, skip_invalid: bool = False
) -> ImportResult:
    """Create or update organisations from CSV rows; see the module docstring for the rules.

    Raises partnerhub.csvio.CSVFormatError when the file itself is unreadable.
    """
    result = ImportResult()
    importer = _Importer()
    plans: list[_Plan] = []
    for line, row in read_rows(stream, COLUMNS):
        try:
            plans.append(importer.plan(line, row))
        except ValidationError as error:
            result.errors.append(RowError(line, "; ".join(error.messages)))
    result.rejected = len(result.errors)
    if result.errors and not skip_invalid:
        result.aborted = True
        return result

    with transaction.atomic():
        taken: set[str] = set()
        for plan in plans:
            organisation = plan.organisation
            if plan.is_new:
                organisation.slug = unique_slug(organisation.name, taken=taken)
                taken.add(organisation.slug)
            elif not plan.changed:
                result.unchanged += 1
                continue
            organisation.save()
            for column, terms in plan.terms.items():
                getattr(organisation, column).set(terms)
            if plan.is_new:
                result.created += 1
            else:
                result.updated += 1
    return result


def export_row(organisation: Organisation) -> dict[str, str]:
    row = {
        "name": organisation.name,
        "country": organisation.country.code,
        **{attr: getattr(organisation, attr) for attr in SCALAR_FIELDS},
    }
    for column in TAXONOMY_COLUMNS:
        row[column] = join_multi(term.code for term in getattr(organisation, column).all())
    return row


def export_organisations(queryset, stream: IO[str]) -> int:
    """Write `queryset` as import CSV (codes, not labels); returns the number of rows."""
    organisations = queryset.prefetch_related(*TAXONOMY_COLUMNS).order_by("country", "name")
    return write_rows(
        stream,
        COLUMNS + OPTIONAL_COLUMNS,
        (export_row(o) for o in organisations.iterator(chunk_size=500)),
    )
