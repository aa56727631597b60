"""CSV import of funding calls and project ideas, and export of ideas.

Every row is validated before anything is written: a bad row is reported
with its line number and reason, and unless ``skip_invalid`` is set nothing
is imported at all. Rows are matched to what exists (calls by code, ideas by
title and lead), so importing the same file twice changes nothing, and a
row that changes nothing is not saved (its ``updated_at`` stays).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django_countries import countries

from organisations.models import REGION_CHOICES, Kind, Organisation
from organisations.taxonomy import FieldOfActivity, Language, Programme, TargetGroup, Theme
from partnerhub.csvio import (
    ImportResult,
    RowError,
    TermResolver,
    join_multi,
    read_rows,
    split_multi,
    write_rows,
)

from .models import Call, IdeaStatus, ProjectIdea, today
from .services import unique_idea_slug, validate_idea

__all__ = [
    "CALL_COLUMNS",
    "CALL_TRANSLATION_COLUMNS",
    "IDEA_COLUMNS",
    "export_ideas",
    "import_calls",
    "import_ideas",
]

CALL_COLUMNS = [
    "code",
    "programme",
    "title",
    "description",
    "deadline",
    "link",
    "min_organisations",
    "min_countries",
    "eligible_countries",
    "required_countries",
    "required_group_label",
    "allowed_kinds",
    "budget_min",
    "budget_max",
    "lump_sums",
]
#: Call columns a file may leave out (older files): each then keeps its default.
OPTIONAL_CALL_COLUMNS = [
    "applicant_countries",
    "applicant_kinds",
    "required_each",
    "eligible_regions",
    "partners_allowed",
    "min_months",
    "max_months",
]
#: The title and description in Latvian and Lithuanian, optional too; a file without
#: one of these columns leaves what the call has (an English-only file keeps translations).
CALL_TRANSLATION_COLUMNS = ["title_lv", "title_lt", "description_lv", "description_lt"]

IDEA_COLUMNS = [
    "title",
    "lead",
    "lead_country",
    "summary",
    "goals",
    "themes",
    "target_groups",
    "programme",
    "call",
    "countries_sought",
    "kinds_sought",
    "fields_sought",
    "partners_wanted",
    "language",
    "closes_on",
    "status",
]

SITE_LANGUAGES = ("en", "lv", "lt")


class RowInvalid(Exception):
    """One row cannot be imported; the message says why, for the row report."""


@dataclass(frozen=True, slots=True)
class _Choice:
    """A TextChoices value dressed as a taxonomy term, so TermResolver can find it by label."""

    code: str
    names: tuple[str, ...]

    def labels(self) -> tuple[str, ...]:
        return self.names


def _kind_resolver() -> TermResolver:
    labels: dict[str, list[str]] = {str(kind): [] for kind in Kind.values}
    for language in SITE_LANGUAGES:
        with translation.override(language):
            for kind, label in Kind.choices:
                labels[str(kind)].append(str(label))
    return TermResolver(_Choice(code, tuple(names)) for code, names in labels.items())


def _country_codes(cell: str, column: str) -> list[str]:
    """ISO codes from a `;`-separated cell of codes or English country names."""
    codes, unknown = [], []
    for value in split_multi(cell):
        code = countries.alpha2(value) or countries.by_name(value)
        if code:
            if code not in codes:
                codes.append(code)
        else:
            unknown.append(value)
    if unknown:
        raise RowInvalid(f"{column}: unknown country {', '.join(unknown)}")
    return codes


def _terms(resolver: TermResolver, cell: str, column: str) -> list:
    found, unknown = resolver.resolve(cell)
    if unknown:
        raise RowInvalid(f"{column}: unknown value {', '.join(unknown)}")
    return found


def _one_term(resolver: TermResolver, cell: str, column: str, *, required: bool = False):
    if not cell:
        if required:
            raise RowInvalid(f"{column}: required")
        return None
    found, unknown = resolver.resolve(cell)
    if unknown or len(found) != 1:
        raise RowInvalid(f"{column}: unknown value {cell}")
    return found[0]


def _date(cell: str, column: str, *, required: bool = True) -> datetime.date | None:
    if not cell:
        if required:
            raise RowInvalid(f"{column}: required (YYYY-MM-DD)")
        return None
    try:
        return datetime.date.fromisoformat(cell)
    except ValueError as error:
        raise RowInvalid(f"{column}: {cell!r} is not a date (YYYY-MM-DD)") from error


def _integer(cell: str, column: str, *, default: int | None = None) -> int | None:
    if not cell:
        return default
    try:
        value = int(cell)
    except ValueError as error:
        raise RowInvalid(f"{column}: {cell!r} is not a whole number") from error
    if value < 0:
        raise RowInvalid(f"{column}: must be 0 or more")
    return value


def _messages(error: ValidationError) -> str:
    """A ValidationError as one line: `field: message; field: message`."""
    if hasattr(error, "error_dict"):
        parts = []
        for name, messages in error.message_dict.items():
            prefix = "" if name == "__all__" else f"{name}: "
            parts.extend(f"{prefix}{message}" for message in messages)
        return "; ".join(parts)
    return "; ".join(str(message) for message in error.messages)


def _codes(values: Iterable) -> set[str]:
    return {getattr(value, "code", value) for value in values}


@dataclass(slots=True)
class _Plan:
    """What one valid row will do once every row has been checked."""

    line: int
    instance: object
    changed: bool
    many: dict[str, list] = field(default_factory=dict)


def _run(
    stream: IO,
    columns: list[str],
    plan_row: Callable[[int, dict], _Plan],
    apply: Callable[[_Plan], None],
    *,
    skip_invalid: bool,
) -> ImportResult:
    result = ImportResult()
    plans: list[_Plan] = []
    for line, row in read_rows(stream, columns):
        try:
            plans.append(plan_row(line, row))
        except RowInvalid as error:
            result.errors.append(RowError(line, str(error)))
        except ValidationError as error:
            result.errors.append(RowError(line, _messages(error)))
    result.rejected = len(result.errors)
    if result.errors and not skip_invalid:
        result.aborted = True
        return result
    with transaction.atomic():
        for plan in plans:
            if plan.instance.pk is None:
                apply(plan)
                result.created += 1
            elif plan.changed:
                apply(plan)
                result.updated += 1
            else:
                result.unchanged += 1
    return result


# Calls ---------------------------------------------------------------------------------


def import_calls(stream: IO, *, skip_invalid: bool = False) -> ImportResult:
    """Create or update calls from CSV (columns: CALL_COLUMNS), identified by their code.

    A new call whose deadline has passed is refused; an existing one keeps its
    historic deadline.
    """
    programmes = TermResolver(Programme.objects.all())
    kinds = _kind_resolver()
    existing = {call.code: call for call in Call.objects.all()}
    seen: set[str] = set()

    def plan_row(line: int, row: dict) -> _Plan:
        code = row["code"]
        if not code:
            raise RowInvalid("code: required")
        if code in seen:
            raise RowInvalid(f"code: {code} appears twice in the file")
        seen.add(code)
        values = {
            "programme": _one_term(programmes, row["programme"], "programme", required=True),
            "title": row["title"],
            "description": row["description"],
            "deadline": _date(row["deadline"], "deadline"),
            "link": row["link"],
            "min_organisations": _integer(row["min_organisations"], "min_organisations", default=1),
            "min_countries": _integer(row["min_countries"], "min_countries", default=1),
            "eligible_countries": _country_codes(row["eligible_countries"], "eligible_countries"),
            "required_countries": _country_codes(row["required_countries"], "required_countries"),
            "required_group_label": row["required_group_label"],
            "allowed_kinds": [t.code for t in _terms(kinds, row["allowed_kinds"], "allowed_kinds")],
            "budget_min": _integer(row["budget_min"], "budget_min"),
            "budget_max": _integer(row["budget_max"], "budget_max"),
            "lump_sums": row["lump_sums"],
            "applicant_countries": _country_codes(
                row.get("applicant_countries", ""), "applicant_countries"
            ),
            "applicant_kinds": [
                t.code for t in _terms(kinds, row.get("applicant_kinds", ""), "applicant_kinds")
            ],
            "required_each": _country_codes(row.get("required_each", ""), "required_each"),
            "eligible_regions": _regions(row.get("eligible_regions", "")),
            "partners_allowed": _yes_no(row.get("partners_allowed", ""), "partners_allowed"),
            "min_months": _integer(row.get("min_months", ""), "min_months"),
            "max_months": _integer(row.get("max_months", ""), "max_months"),
        }
        values.update(
            {name: row[name] for name in CALL_TRANSLATION_COLUMNS if row.get(name) is not None}
        )
        call = existing.get(code)
        if call is None:
            call = Call(code=code)
            if values["deadline"] < today():
                raise RowInvalid("deadline: a new call cannot have a deadline in the past")
            changed = True
        else:
            changed = _call_differs(call, values)
        for name, value in values.items():
            setattr(call, name, value)
        call.full_clean()
        return _Plan(line, call, changed)

    def apply(plan: _Plan) -> None:
        plan.instance.save()

    return _run(stream, CALL_COLUMNS, plan_row, apply, skip_invalid=skip_invalid)


def _regions(cell: str) -> list[str]:
    """NUTS codes from a `;`-separated cell; each must be a region the site lists."""
    codes = [code.upper() for code in split_multi(cell)]
    unknown = [code for code in codes if code not in dict(REGION_CHOICES)]
    if unknown:
        raise RowInvalid(f"eligible_regions: unknown NUTS region {', '.join(unknown)}")
    return list(dict.fromkeys(codes))


def _yes_no(cell: str, column: str, *, default: bool = True) -> bool:
    value = cell.strip().lower()
    if not value:
        return default
    if value in ("yes", "true", "1", "y"):
        return True
    if value in ("no", "false", "0", "n"):
        return False
    raise RowInvalid(f"{column}: {cell!r} is not yes or no")


_LIST_COLUMNS = (
    "eligible_countries",
    "required_countries",
    "allowed_kinds",
    "applicant_countries",
    "applicant_kinds",
    "required_each",
    "eligible_regions",
)


def _call_differs(call: Call, values: dict) -> bool:
    for name, value in values.items():
        current = getattr(call, name)
        if name in _LIST_COLUMNS:
            if _codes(current) != set(value):
                return True
        elif name == "programme":
            if call.programme_id != value.pk:
                return True
        elif current != value:
            return True
    return False


# Ideas ---------------------------------------------------------------------------------


def import_ideas(stream: IO, *, skip_invalid: bool = False) -> ImportResult:
    """Create or update project ideas from CSV (columns: IDEA_COLUMNS).

    An idea is identified by its title and lead (the organisation's name, with
    ``lead_country`` telling apart two organisations of the same name). A
    taxonomy cell holds codes or labels in any site language. Refused rows:
    unknown lead, call or term; a call whose country or kind rules exclude
    the lead; a closing date in the past for a draft or open idea (allowed for
    closed and archived ones, and for an existing idea whose date is unchanged).
    """
    resolvers = {
        "themes": TermResolver(Theme.objects.all()),
        "target_groups": TermResolver(TargetGroup.objects.all()),
        "fields_sought": TermResolver(FieldOfActivity.objects.all()),
    }
    programmes = TermResolver(Programme.objects.all())
    languages = TermResolver(Language.objects.all())
    kinds = _kind_resolver()
    calls = {call.code.upper(): call for call in Call.objects.select_related("programme")}
    organisations: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.all():
        organisations.setdefault(organisation.name.casefold(), []).append(organisation)
    existing = {
        (idea.lead_id, idea.title): idea
        for idea in ProjectIdea.objects.prefetch_related("themes", "target_groups", "fields_sought")
    }
    seen: set[tuple[int, str]] = set()

    def find_lead(name: str, country: str) -> Organisation:
        if not name:
            raise RowInvalid("lead: required")
        matches = organisations.get(name.casefold(), [])
        if country:
            matches = [o for o in matches if o.country.code == country.upper()]
        if not matches:
            where = f" in {country}" if country else ""
            raise RowInvalid(f"lead: no organisation named {name!r}{where}")
        if len(matches) > 1:
            raise RowInvalid(f"lead: several organisations are named {name!r}; set lead_country")
        return matches[0]

    def plan_row(line: int, row: dict) -> _Plan:
        title = row["title"]
        if not title:
            raise RowInvalid("title: required")
        lead = find_lead(row["lead"], row["lead_country"])
        key = (lead.pk, title)
        if key in seen:
            raise RowInvalid(f"title: {title!r} by {lead.name} appears twice in the file")
        seen.add(key)
        call = None
        if row["call"]:
            call = calls.get(row["call"].upper())
            if call is None:
                raise RowInvalid(f"call: there is no call with the code {row['call']}")
        programme = _one_term(programmes, row["programme"], "programme")
        if programme is None and call is not None:
            programme = call.programme
        status = row["status"].lower() or IdeaStatus.DRAFT
        if status not in IdeaStatus.values:
            raise RowInvalid(
                f"status: {row['status']!r} is not one of {', '.join(IdeaStatus.values)}"
            )
        language = _one_term(languages, row["language"], "language")
        values = {
            "summary": row["summary"],
            "goals": row["goals"],
            "programme": programme,
            "call": call,
            "countries_sought": _country_codes(row["countries_sought"], "countries_sought"),
            "kinds_sought": [t.code for t in _terms(kinds, row["kinds_sought"], "kinds_sought")],
            "partners_wanted": _integer(row["partners_wanted"], "partners_wanted", default=1),
            "language": language,
            "closes_on": _date(row["closes_on"], "closes_on"),
            "status": status,
        }
        many = {name: _terms(resolver, row[name], name) for name, resolver in resolvers.items()}

        idea = existing.get(key)
        if idea is None:
            idea = ProjectIdea(lead=lead, title=title)
            changed = True
            keeps_date = False
        else:
            changed = _idea_differs(idea, values, many)
            keeps_date = idea.closes_on == values["closes_on"]
        for name, value in values.items():
            setattr(idea, name, value)
        # An idea that closed itself keeps its historic date on re-import.
        validate_idea(idea, new=idea.pk is None, check_closing_date=not keeps_date)
        return _Plan(line, idea, changed, many)

    def apply(plan: _Plan) -> None:
        idea = plan.instance
        if idea.pk is None:
            idea.slug = unique_idea_slug(idea.title)
        idea.save()
        for name, terms in plan.many.items():
            getattr(idea, name).set(terms)

    return _run(stream, IDEA_COLUMNS, plan_row, apply, skip_invalid=skip_invalid)


def _idea_differs(idea: ProjectIdea, values: dict, many: dict[str, list]) -> bool:
    for name, value in values.items():
        current = getattr(idea, name)
        if name in ("countries_sought", "kinds_sought"):
            if _codes(current) != set(value):
                return True
        elif name in ("programme", "call", "language"):
            if getattr(idea, f"{name}_id") != (value.pk if value is not None else None):
                return True
        elif current != value:
            return True
    return any(
        {term.pk for term in getattr(idea, name).all()} != {term.pk for term in terms}
        for name, terms in many.items()
    )


def export_ideas(queryset, stream: IO[str]) -> int:
    """Write ideas as CSV in the import format; returns the number of rows written.

    Taxonomy cells hold codes, so the file imports back unchanged in any language.
    """
    ideas = queryset.select_related("lead", "call", "programme", "language").prefetch_related(
        "themes", "target_groups", "fields_sought"
    )

    def rows():
        for idea in ideas:
            yield {
                "title": idea.title,
                "lead": idea.lead.name,
                "lead_country": idea.lead.country.code,
                "summary": idea.summary,
                "goals": idea.goals,
                "themes": join_multi(t.code for t in idea.themes.all()),
                "target_groups": join_multi(t.code for t in idea.target_groups.all()),
                "programme": idea.programme.code if idea.programme else "",
                "call": idea.call.code if idea.call else "",
                "countries_sought": join_multi(c.code for c in idea.countries_sought),
                "kinds_sought": join_multi(idea.kinds_sought),
                "fields_sought": join_multi(t.code for t in idea.fields_sought.all()),
                "partners_wanted": idea.partners_wanted,
                "language": idea.language.code if idea.language else "",
                "closes_on": idea.closes_on.isoformat(),
                "status": idea.status,
            }

    return write_rows(stream, IDEA_COLUMNS, rows())
