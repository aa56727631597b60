"""Track records: past projects, who took part in them, and what they add up to.

Three sources write past projects: a consortium approved on PartnerHub
(`past_project_from_review`, called by the review), an organisation entering
one on its profile (`past_project_add`), and the CSV import
(`import_past_projects`, columns in docs/data-formats.md). The profile shows
`track_record(organisation)`; matching reads the participations as plain data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from matching.features import EXPERIENCED_FROM
from matching.text import normalise
from organisations.importing import _choice_resolver, _country_code
from organisations.models import Experience, Kind, Organisation
from organisations.services import RESERVED_SLUGS, slug_base, unique_slug
from organisations.taxonomy import Programme, Theme
from partnerhub.csvio import ImportResult, RowError, TermResolver, read_rows

from .models import (
    ConsortiumReview,
    ParticipationRole,
    PastParticipation,
    PastProject,
    PastProjectSource,
    ProjectIdea,
    ReviewStatus,
)

__all__ = [
    "PAST_PROJECT_COLUMNS",
    "TrackRecord",
    "import_past_project_rows",
    "import_past_projects",
    "past_project_add",
    "past_project_from_review",
    "past_project_remove",
    "track_record",
]


# --- Approved consortia -------------------------------------------------------------------


def past_project_from_review(review: ConsortiumReview) -> PastProject | None:
    """The past project an approved consortium becomes (once; later calls return it).

    The lead is the coordinator, the members of the snapshot the staff approved
    are partners. An idea with neither a programme nor a call has no programme
    to file the project under and is left out (None).
    """
    if review.status != ReviewStatus.APPROVED:
        return None
    idea = review.idea
    existing = PastProject.objects.filter(idea=idea).first()
    if existing is not None:
        return existing
    programme = idea.programme or (idea.call.programme if idea.call_id else None)
    if programme is None:
        return None
    year = idea.start_date.year if idea.start_date else (review.decided_at or idea.created_at).year
    member_ids = [m["id"] for m in review.snapshot.get("members", [])]
    with transaction.atomic():
        project = PastProject(
            programme=programme,
            action=idea.call.code if idea.call_id else "",
            year=year,
            title=idea.title,
            summary=idea.summary,
            source=PastProjectSource.PARTNERHUB,
            reference=str(idea.pk),
            idea=idea,
        )
        project.full_clean()
        project.save()
        project.themes.set(idea.themes.all())
        partners = Organisation.objects.filter(pk__in=member_ids).exclude(pk=idea.lead_id)
        PastParticipation.objects.bulk_create(
            [
                PastParticipation(
                    past_project=project,
                    organisation_id=idea.lead_id,
                    role=ParticipationRole.COORDINATOR,
                ),
                *(
                    PastParticipation(
                        past_project=project, organisation=partner, role=ParticipationRole.PARTNER
                    )
                    for partner in partners
                ),
            ]
        )
    return project


# --- Entered on the profile ---------------------------------------------------------------


def past_project_add(*, organisation: Organisation, role: str, themes=(), **data) -> PastProject:
    """An organisation states a project it took part in (the fields of PastProject)."""
    if role not in ParticipationRole.values:
        raise ValidationError({"role": _("Choose coordinator or partner.")})
    with transaction.atomic():
        project = PastProject(source=PastProjectSource.PROFILE, **data)
        project.full_clean()
        project.save()
        project.themes.set(themes)
        participation = PastParticipation(
            past_project=project, organisation=organisation, role=role
        )
        participation.full_clean()
        participation.save()
    return project


def past_project_remove(*, organisation: Organisation, pk: int) -> None:
    """Remove a project the organisation entered on its own profile.

    Projects approved on PartnerHub or imported are records of others too:
    only staff change them (in the admin).
    """
    with transaction.atomic():
        # Scoped first (``of`` may need DISTINCT, which FOR UPDATE refuses), then locked.
        mine = PastProject.objects.of(organisation).filter(source=PastProjectSource.PROFILE, pk=pk)
        project = PastProject.objects.select_for_update().filter(pk__in=mine.values("pk")).first()
        if project is None:
            raise ValidationError(_("Only projects entered on this profile can be removed here."))
        project.delete()


# --- The track record shown on the profile ---------------------------------------------------


@dataclass(slots=True)
class TrackRecord:
    projects: list[PastProject] = field(default_factory=list)
    #: (programme, number of projects, first year), most projects first.
    programmes: list[tuple[Programme, int, int]] = field(default_factory=list)
    partners: list[Organisation] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.projects)

    @property
    def country_names(self) -> list[str]:
        """The partners' countries, named in the active language, in alphabetical order."""
        return sorted((str(Country(code).name) for code in self.countries), key=normalise)

    @property
    def experience(self) -> str:
        """The international experience the record shows, as matching reads it
        (`matching.features.EXPERIENCED_FROM`); "" without past projects."""
        if not self.projects:
            return ""
        if len(self.projects) >= EXPERIENCED_FROM:
            return Experience.EXPERIENCED
        return Experience.SOME

    def get_experience_display(self) -> str:
        return Experience(self.experience).label if self.experience else ""


def track_record(organisation: Organisation) -> TrackRecord:
    """The organisation's past projects with programmes, partners and their countries.

    Kept on the organisation object, so the parts of one page that show it
    (the track record, the experience panel) share one reading.
    """
    cached = getattr(organisation, "_track_record", None)
    if cached is not None:
        return cached
    organisation._track_record = _read_track_record(organisation)
    return organisation._track_record


def _read_track_record(organisation: Organisation) -> TrackRecord:
    # A consortium formed on PartnerHub links to its idea, where anyone may read it.
    public_idea = ProjectIdea.objects.visible_to(AnonymousUser()).filter(pk=OuterRef("idea_id"))
    projects = list(
        PastProject.objects.of(organisation)
        .select_related("programme", "idea")
        .annotate(idea_public=Exists(public_idea))
        .prefetch_related("participations__organisation")
    )
    counts: Counter[int] = Counter()
    first_year: dict[int, int] = {}
    programmes: dict[int, Programme] = {}
    partners: dict[int, Organisation] = {}
    for project in projects:
        programmes[project.programme_id] = project.programme
        counts[project.programme_id] += 1
        first_year[project.programme_id] = min(
            first_year.get(project.programme_id, project.year), project.year
        )
        project.own_role = ""
        project.others = []
        for participation in project.participations.all():
            if participation.organisation_id == organisation.pk:
                project.own_role = participation.get_role_display()
            else:
                project.others.append(participation.organisation)
                partners[participation.organisation_id] = participation.organisation
    return TrackRecord(
        projects=projects,
        programmes=[
            (programmes[pk], count, first_year[pk])
            for pk, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ],
        partners=sorted(partners.values(), key=lambda o: o.name.lower()),
        countries=sorted({o.country.code for o in partners.values()}),
    )


# --- CSV import -----------------------------------------------------------------------------

PAST_PROJECT_COLUMNS = [
    "project_id",
    "programme",
    "action",
    "year",
    "title",
    "summary",
    "themes",
    "org_name",
    "org_country",
    "org_city",
    "org_kind",
    "role",
]
#: Columns that describe the project: the same on every row of one project_id.
PROJECT_FIELDS = ("programme", "action", "year", "title", "summary", "themes", "link")


def _column(row: dict, name: str) -> str:
    """The name under which the file holds a column, for messages.

    Rows read from another layout (projects/track_record_formats.py) carry the
    real column names in ``_columns``: "Partner 2 country", not "org_country".
    """
    return row.get("_columns", {}).get(name, name)


@dataclass(slots=True)
class _ProjectPlan:
    line: int
    reference: str
    values: dict
    themes: list
    members: dict[tuple[str, str], str] = field(default_factory=dict)  # (name, country) → role
    cells: dict = field(default_factory=dict)


class _PastProjectImporter:
    def __init__(self) -> None:
        self.programmes = TermResolver(Programme.objects.all())
        self.themes = TermResolver(Theme.objects.all())
        self.kinds = _choice_resolver(Kind)
        known = list(Organisation.objects.only("pk", "name", "country", "slug"))
        self.organisations = {(o.name, o.country.code): o for o in known}
        self.slugs = {o.slug for o in known} | RESERVED_SLUGS
        self.new_organisations: dict[tuple[str, str], Organisation] = {}
        self.plans: dict[str, _ProjectPlan] = {}

    def project(self, line: int, row: dict, problems: list[str]) -> _ProjectPlan | None:
        reference = row["project_id"]
        if not reference:
            problems.append(f"{_column(row, 'project_id')}: required")
            return None
        cells = {name: row.get(name, "") for name in PROJECT_FIELDS}
        plan = self.plans.get(reference)
        if plan is not None:
            different = [name for name in PROJECT_FIELDS if cells[name] != plan.cells[name]]
            if different:
                names = ", ".join(_column(row, name) for name in different)
                problems.append(f"{names}: differs from line {plan.line} of the same project")
            return plan
        programmes, unknown = self.programmes.resolve(cells["programme"])
        if unknown or len(programmes) != 1:
            problems.append(
                f"{_column(row, 'programme')}: unknown programme “{cells['programme']}”"
            )
        themes, unknown_themes = self.themes.resolve(cells["themes"])
        if unknown_themes:
            problems.append(
                f"{_column(row, 'themes')}: unknown {', '.join(f'“{v}”' for v in unknown_themes)}"
            )
        try:
            year = int(cells["year"])
        except ValueError:
            problems.append(f"{_column(row, 'year')}: not a year “{cells['year']}”")
            year = None
        project = PastProject(
            programme=programmes[0] if len(programmes) == 1 else None,
            action=cells["action"],
            year=year,
            title=cells["title"],
            summary=cells["summary"],
            link=cells["link"],
            source=PastProjectSource.IMPORT,
            reference=reference,
        )
        try:
            project.full_clean(
                exclude=[
                    name
                    for name, bad in (("programme", not programmes), ("year", year is None))
                    if bad
                ],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                problems.extend(f"{_column(row, name)}: {message}" for message in messages)
        if problems:
            return None
        values = {name: getattr(project, name) for name in ("action", "year", "title", "summary")}
        values["programme"] = project.programme
        if "link" in row:
            # Only layouts that have a link set it; the plain CSV leaves links as they are.
            values["link"] = project.link
        plan = _ProjectPlan(
            line=line, reference=reference, values=values, themes=themes, cells=cells
        )
        self.plans[reference] = plan
        return plan

    def organisation(self, row: dict, problems: list[str]) -> tuple[str, str] | None:
        name = row["org_name"]
        country = _country_code(row["org_country"])
        if not name:
            problems.append(f"{_column(row, 'org_name')}: required")
        if country is None:
            problems.append(
                f"{_column(row, 'org_country')}: unknown country “{row['org_country']}”"
            )
        if problems:
            return None
        key = (name, country)
        if key in self.organisations or key in self.new_organisations:
            return key
        kind = self.kinds.get(normalise(row["org_kind"]))
        if kind is None:
            problems.append(
                f"{_column(row, 'org_kind')}: unknown kind “{row['org_kind']}” "
                "(needed for a new organisation)"
            )
            return None
        organisation = Organisation(name=name, country=country, city=row["org_city"], kind=kind)
        try:
            # The country is checked above and (name, country) is known to be new; the
            # field's and constraints' own checks would cost a query or a scan of every
            # country per new organisation (minutes for a CORDIS file).
            organisation.full_clean(
                exclude=["slug", "country"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                problems.extend(
                    f"{_column(row, 'org_' + field_name)}: {message}" for message in messages
                )
            return None
        self.new_organisations[key] = organisation
        return key

    def row(self, line: int, row: dict) -> None:
        problems: list[str] = []
        role = row["role"].lower()
        if role not in ParticipationRole.values:
            problems.append(
                f"{_column(row, 'role')}: “{row['role']}” is neither coordinator nor partner"
            )
        plan = self.project(line, row, problems)
        key = self.organisation(row, problems)
        if plan is not None and key is not None and not problems:
            if key in plan.members:
                problems.append("the same organisation is already in this project")
            elif role == ParticipationRole.COORDINATOR and any(
                r == ParticipationRole.COORDINATOR for r in plan.members.values()
            ):
                problems.append("the project already has a coordinator")
        if problems:
            raise ValidationError(problems)
        plan.members[key] = role


def import_past_projects(
    stream: IO[str] | IO[bytes], *, skip_invalid: bool = False
) -> ImportResult:
    """Create or update past projects (one per project_id) and their participants.

    Organisations are found by name and country, as `import_organisations`
    does, and created (with the row's city and kind) when missing. Every row is
    checked before anything is written: one bad row imports nothing unless
    `skip_invalid` is set, and then the whole project it belongs to is left out.
    Importing the same file again changes nothing. Counts are of projects.
    """
    rows = (("", line, row) for line, row in read_rows(stream, PAST_PROJECT_COLUMNS))
    return import_past_project_rows(rows, skip_invalid=skip_invalid)


def import_past_project_rows(
    rows: Iterable[tuple[str, int, dict]], *, skip_invalid: bool = False
) -> ImportResult:
    """The import of `import_past_projects` for rows in its columns, from any layout.

    Each item is (file name or "", line, row). A row may also hold ``link``,
    ``_columns`` (our column → the file's, for messages) and ``_error`` (a
    problem the layout's reader found: the row is rejected with it).
    """
    result = ImportResult()
    importer = _PastProjectImporter()
    bad_projects: set[str] = set()
    # A line of a layout may hold several participants: its problems are told once.
    problems: dict[tuple[str, int], list[str]] = {}
    for source, line, row in rows:
        try:
            if row.get("_error"):
                raise ValidationError(row["_error"])
            importer.row(line, row)
        except ValidationError as error:
            told = problems.setdefault((source, line), [])
            told.extend(message for message in error.messages if message not in told)
            bad_projects.add(row["project_id"])
    result.errors = [
        RowError(line, "; ".join(messages), source) for (source, line), messages in problems.items()
    ]
    result.rejected = len(result.errors)
    if result.errors and not skip_invalid:
        result.aborted = True
        return result

    plans = [plan for ref, plan in importer.plans.items() if ref not in bad_projects]
    with transaction.atomic():
        taken: set[str] = set()
        organisations = dict(importer.organisations)
        used = {key for plan in plans for key in plan.members}
        for key, organisation in importer.new_organisations.items():
            if key not in used:
                continue
            # Most names make a slug nobody has: no need to ask the database for each.
            slug = slug_base(organisation.name)
            if slug in importer.slugs or slug in taken:
                slug = unique_slug(organisation.name, taken=taken)
            organisation.slug = slug
            taken.add(slug)
            organisation.save()
            organisations[key] = organisation
        existing = {
            p.reference: p
            for p in PastProject.objects.filter(
                source=PastProjectSource.IMPORT, reference__in=[plan.reference for plan in plans]
            ).prefetch_related("themes", "participations")
        }
        for plan in plans:
            members = {organisations[key].pk: role for key, role in plan.members.items()}
            project = existing.get(plan.reference)
            if project is None:
                project = PastProject(
                    source=PastProjectSource.IMPORT, reference=plan.reference, **plan.values
                )
                project.save()
                project.themes.set(plan.themes)
                _set_participants(project, members, {})
                result.created += 1
                continue
            before = {p.organisation_id: p.role for p in project.participations.all()}
            changed_fields = [
                name for name, value in plan.values.items() if getattr(project, name) != value
            ]
            themes_changed = {t.pk for t in project.themes.all()} != {t.pk for t in plan.themes}
            if not changed_fields and not themes_changed and before == members:
                result.unchanged += 1
                continue
            for name in changed_fields:
                setattr(project, name, plan.values[name])
            project.save()
            if themes_changed:
                project.themes.set(plan.themes)
            _set_participants(project, members, before)
            result.updated += 1
    return result


def _set_participants(project: PastProject, members: dict[int, str], before: dict[int, str]):
    gone = [pk for pk in before if pk not in members]
    if gone:
        project.participations.filter(organisation_id__in=gone).delete()
    PastParticipation.objects.bulk_create(
        PastParticipation(past_project=project, organisation_id=pk, role=role)
        for pk, role in members.items()
        if pk not in before
    )
    for pk, role in members.items():
        if pk in before and before[pk] != role:
            project.participations.filter(organisation_id=pk).update(role=role)
