"""Past projects from the files the EU publishes: the Erasmus+ project results export and CORDIS.

Each reader turns its layout into rows of the plain past-projects CSV
(`track_records.PAST_PROJECT_COLUMNS`) and hands them to the same import, so
the checks, the matching of organisations by name and country, the counts
and "a bad file imports nothing" are those of ``import_past_projects``. What
the readers add is the mapping of the publishers' vocabularies to our codes
(programme, kind of organisation, themes), documented in docs/data-formats.md.

- ``erasmus``: the export of https://erasmus-plus.ec.europa.eu/projects (one
  row per project: the coordinator's columns, then "Partner 1 name", "Partner
  1 country", … for each partner). Several files (one per call year) may be
  imported at once.
- ``cordis``: ``project.csv`` and ``organization.csv`` of the CORDIS open data
  (Horizon 2020, Horizon Europe; `;`-separated), or the zip they come in.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from matching.text import normalise
from organisations.importing import _choice_resolver
from organisations.models import Kind
from partnerhub.csvio import CSVFormatError, ImportResult

from .models import ParticipationRole, PastProject
from .track_records import import_past_project_rows, import_past_projects

__all__ = ["LAYOUTS", "import_layout", "open_files"]

# What a cell may hold at most, as PastProject stores it: longer texts are cut
# (at a word) rather than rejected, since the publishers' summaries have no limit.
TITLE_LENGTH = PastProject._meta.get_field("title").max_length
SUMMARY_LENGTH = PastProject._meta.get_field("summary").max_length
ACTION_LENGTH = PastProject._meta.get_field("action").max_length

Row = tuple[str, int, dict]


def _cut(text: str, length: int) -> str:
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0] + "…"


def _header_key(name: str) -> str:
    """Header names compared as a person reads them: case, spacing and ’ vs ' aside."""
    return " ".join((name or "").replace("’", "'").split()).casefold()


class _Table:
    """One CSV file of a layout: its rows keyed by `_header_key`, and the header as written."""

    def __init__(self, name: str, stream: IO[str] | IO[bytes]):
        if isinstance(stream.read(0), bytes):
            stream = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        self.name = name
        try:
            first = stream.readline()
        except UnicodeDecodeError as error:
            raise CSVFormatError(f"{name}: the file is not UTF-8 text") from error
        # CORDIS writes `;`, the Erasmus+ export `,`: the header says which.
        delimiter = ";" if first.count(";") > first.count(",") else ","
        self._reader = csv.reader(_lines(first, stream), delimiter=delimiter)
        try:
            header = next(self._reader, [])
        except csv.Error as error:
            raise CSVFormatError(f"{name}: {error}") from error
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        self.header = {_header_key(column): column.strip() for column in header if column}
        self._keys = [_header_key(column) for column in header]

    def has(self, *names: str) -> bool:
        return all(_header_key(name) in self.header for name in names)

    def require(self, *names: str) -> None:
        missing = [name for name in names if _header_key(name) not in self.header]
        if missing:
            raise CSVFormatError(f"{self.name}: missing columns: {', '.join(missing)}")

    def column(self, name: str) -> str:
        """The column as the file names it (for messages)."""
        return self.header.get(_header_key(name), name)

    def rows(self) -> Iterator[tuple[int, dict]]:
        try:
            for cells in self._reader:
                if not any(cell.strip() for cell in cells):
                    continue
                row = {key: cell.strip() for key, cell in zip(self._keys, cells, strict=False)}
                yield self._reader.line_num, row
        except UnicodeDecodeError as error:
            raise CSVFormatError(f"{self.name}: the file is not UTF-8 text") from error
        except csv.Error as error:
            raise CSVFormatError(f"{self.name}, line {self._reader.line_num}: {error}") from error


def _lines(first: str, stream: IO[str]) -> Iterator[str]:
    """The lines of ``stream`` with the one already read put back in front."""
    yield first
    yield from stream


def _get(row: dict, name: str) -> str:
    return row.get(_header_key(name), "")


# --- Shared vocabulary ------------------------------------------------------------------------

#: Country codes the EU's files use where ISO 3166 has another.
EU_COUNTRY_CODES = {"EL": "GR", "UK": "GB"}


def _country(cell: str) -> str:
    value = cell.strip()
    return EU_COUNTRY_CODES.get(value.upper(), value)


_OWN_KINDS = _choice_resolver(Kind)


def _kind(cell: str, rules: list[tuple[str, str]]) -> str:
    """Our kind for a publisher's type of organisation: the first rule whose words it
    contains; our own codes and labels as such; anything else "other"."""
    value = normalise(cell.strip())
    if value in _OWN_KINDS:
        return _OWN_KINDS[value]
    for words, kind in rules:
        if _has_words(value, words):
            return kind
    return Kind.OTHER


def _has_words(text: str, words: str) -> bool:
    """Whether ``text`` has ``words`` at the start of a word ("ict" is not in "conflict")."""
    return re.search(r"(?<![\w.])" + re.escape(words), text) is not None


def _themes(cells: list[str], rules: list[tuple[str, str]]) -> str:
    """Our theme codes for the publisher's topics (`;`-joined); topics we have no theme for
    are left out: they describe the project, but not in terms our matching reads."""
    found: list[str] = []
    for cell in cells:
        value = normalise(cell)
        for words, theme in rules:
            if _has_words(value, words) and theme not in found:
                found.append(theme)
    return ";".join(found)


# --- Erasmus+ project results -----------------------------------------------------------------

#: Types of organisation in the Erasmus+ export → our kinds (first match wins).
ERASMUS_KINDS: list[tuple[str, str]] = [
    ("non-governmental", Kind.ASSOCIATION),
    ("youth council", Kind.ASSOCIATION),
    ("european ngo", Kind.ASSOCIATION),
    ("eu-wide network", Kind.ASSOCIATION),
    ("social partner", Kind.ASSOCIATION),
    ("youth organisation", Kind.ASSOCIATION),
    ("foundation", Kind.FOUNDATION),
    ("group of young people", Kind.INFORMAL_GROUP),
    ("higher education", Kind.UNIVERSITY),
    ("vocational", Kind.TRAINING_PROVIDER),
    ("adult education", Kind.TRAINING_PROVIDER),
    ("school", Kind.SCHOOL),
    ("local public body", Kind.MUNICIPALITY),
    ("public body", Kind.PUBLIC_INSTITUTION),
    ("enterprise", Kind.COMPANY),
]

#: Words of the Erasmus+ topics (2014–2020 and 2021–2027 wording) → our themes.
ERASMUS_THEMES: list[tuple[str, str]] = [
    ("inclusion", "inclusion-diversity"),
    ("equity", "inclusion-diversity"),
    ("disabilit", "inclusion-diversity"),
    ("special needs", "inclusion-diversity"),
    ("gender equality", "inclusion-diversity"),
    ("equal opportunities", "inclusion-diversity"),
    ("minorit", "inclusion-diversity"),
    ("migrant", "migrant-integration"),
    ("refugee", "migrant-integration"),
    ("participation", "participation-democracy"),
    ("democra", "participation-democracy"),
    ("citizenship", "participation-democracy"),
    ("civic", "participation-democracy"),
    ("volunteer", "volunteering-solidarity"),
    ("solidarity", "volunteering-solidarity"),
    ("environment", "environment-climate"),
    ("climate", "environment-climate"),
    ("digital", "digital-transformation"),
    ("ict", "digital-transformation"),
    ("health", "health-wellbeing"),
    ("wellbeing", "health-wellbeing"),
    ("well-being", "health-wellbeing"),
    ("cultur", "culture-heritage"),
    ("heritage", "culture-heritage"),
    ("creativ", "culture-heritage"),
    ("entrepreneur", "employability-entrepreneurship"),
    ("employ", "employability-entrepreneurship"),
    ("unemploy", "employability-entrepreneurship"),
    ("labour market", "employability-entrepreneurship"),
    ("career guidance", "employability-entrepreneurship"),
    ("non-formal", "non-formal-learning"),
    ("informal learning", "non-formal-learning"),
    ("community", "community-development"),
    ("rural", "community-development"),
    ("sport", "sport-physical-activity"),
    ("physical activit", "sport-physical-activity"),
    ("leadership", "leadership-skills"),
    ("youth work", "youth-policy"),
    ("youth policy", "youth-policy"),
    ("international cooperation", "internationalisation"),
    ("internationali", "internationalisation"),
    ("capacity", "capacity-building"),
    ("quality improvement", "capacity-building"),
]

ERASMUS_REQUIRED = (
    "Project Identifier",
    "Programme",
    "Project Title",
    "Coordinating organisation name",
    "Coordinator's country",
)
#: The year column is "Call year" (older exports: "Funding Year").
ERASMUS_YEAR = ("Call year", "Funding Year")
ERASMUS_ACTION = re.compile(r"-((?:KA|ESC)\d{2,3})(?:-([A-Z]{2,4}))?-")
_PARTNER = re.compile(r"^partner (\d+) name$")
_POSTCODE = re.compile(r"^(?:[A-Z]{1,3}\s*-?\s*)?\d[\d\s-]*\s+")


def _erasmus_programme(cell: str) -> str:
    value = normalise(cell)
    if "solidarity" in value:
        return "european-solidarity-corps"
    if "erasmus" in value:
        return "erasmus-plus"
    return cell  # the import names it as unknown


def _erasmus_action(identifier: str, action_type: str, key_action: str) -> str:
    found = ERASMUS_ACTION.search(identifier)
    if found:
        return "-".join(part for part in found.groups() if part)
    return _cut(action_type or key_action, ACTION_LENGTH)


def _town(address: str, region: str) -> str:
    """The town of an address "street, postcode town" (or the region when there is none)."""
    for part in reversed(address.split(",")):
        town = _POSTCODE.sub("", part.strip()).strip()
        if re.search(r"[^\W\d_]", town) and not re.search(r"\d", town):
            return _cut(town, 100)
    return _cut(region, 100)


def erasmus_rows(files: list[tuple[str, IO]]) -> Iterator[Row]:
    """Rows of the plain layout from Erasmus+ project results exports."""
    several = len(files) > 1
    for name, stream in files:
        table = _Table(name, stream)
        table.require(*ERASMUS_REQUIRED)
        year_column = next((c for c in ERASMUS_YEAR if table.has(c)), None)
        if year_column is None:
            raise CSVFormatError(f"{name}: missing columns: {ERASMUS_YEAR[0]}")
        partners = sorted(
            int(found.group(1))
            for key in table.header
            if (found := _PARTNER.match(key)) and table.has(f"Partner {found.group(1)} country")
        )
        source = Path(name).name if several else ""
        project_columns = {
            "project_id": table.column("Project Identifier"),
            "programme": table.column("Programme"),
            "year": table.column(year_column),
            "title": table.column("Project Title"),
            "summary": table.column("Project Summary"),
            "themes": table.column("Topics"),
            "action": table.column("Action Type"),
            "link": table.column("Results Platform Project Card"),
        }
        for line, row in table.rows():
            card = _get(row, "Results Platform Project Card")
            project = {
                "project_id": _get(row, "Project Identifier"),
                "programme": _erasmus_programme(_get(row, "Programme")),
                "action": _erasmus_action(
                    _get(row, "Project Identifier"),
                    _get(row, "Action Type"),
                    _get(row, "Key Action"),
                ),
                "year": _get(row, year_column),
                "title": _cut(_get(row, "Project Title"), TITLE_LENGTH),
                "summary": _cut(_get(row, "Project Summary"), SUMMARY_LENGTH),
                "themes": _themes(_get(row, "Topics").split(";"), ERASMUS_THEMES),
                "link": card if card.startswith(("https://", "http://")) else "",
            }
            members = [
                (
                    ParticipationRole.COORDINATOR,
                    "Coordinating organisation name",
                    "Coordinating organisation type",
                    "Coordinator's country",
                    "Coordinator's address",
                    "Coordinator's region",
                )
            ] + [
                (
                    ParticipationRole.PARTNER,
                    f"Partner {n} name",
                    f"Partner {n} organisation type",
                    f"Partner {n} country",
                    f"Partner {n} address",
                    f"Partner {n} region",
                )
                for n in partners
            ]
            listed: set[tuple[str, str]] = set()
            for role, name_col, kind_col, country_col, address_col, region_col in members:
                org_name = " ".join(_get(row, name_col).split())
                if not org_name and role == ParticipationRole.PARTNER:
                    continue
                # An organisation listed twice in one project (it happens) counts once.
                key = (org_name, _country(_get(row, country_col)))
                if key in listed:
                    continue
                listed.add(key)
                yield (
                    source,
                    line,
                    {
                        **project,
                        "org_name": org_name,
                        "org_country": key[1],
                        "org_city": _town(_get(row, address_col), _get(row, region_col)),
                        "org_kind": _kind(_get(row, kind_col), ERASMUS_KINDS),
                        "role": role,
                        "_columns": {
                            **project_columns,
                            "org_name": table.column(name_col),
                            "org_country": table.column(country_col),
                            "org_city": table.column(address_col),
                            "org_kind": table.column(kind_col),
                        },
                    },
                )


# --- CORDIS -----------------------------------------------------------------------------------

#: CORDIS activity types → our kinds (as bench/quality.py reads them).
CORDIS_KINDS: list[tuple[str, str]] = [
    ("hes", Kind.UNIVERSITY),
    ("prc", Kind.COMPANY),
    ("pub", Kind.PUBLIC_INSTITUTION),
    ("oth", Kind.ASSOCIATION),
]

#: The framework programme as people name it, for the action ("Horizon 2020 RIA").
CORDIS_FRAMEWORKS = {"H2020": "Horizon 2020", "HORIZON": "Horizon Europe", "FP7": "FP7"}

#: Parts of the framework programmes (legalBasis) → our themes.
CORDIS_THEMES: list[tuple[str, str]] = [
    ("h2020-eu.3.1.", "health-wellbeing"),
    ("h2020-eu.3.5.", "environment-climate"),
    ("h2020-eu.3.6.", "inclusion-diversity"),
    ("h2020-eu.2.1.1.", "digital-transformation"),
    ("h2020-eu.2.3.", "employability-entrepreneurship"),
    ("h2020-eu.5.", "participation-democracy"),
    ("horizon.2.1", "health-wellbeing"),
    ("horizon.2.2", "culture-heritage"),
    ("horizon.2.4", "digital-transformation"),
    ("horizon.2.5", "environment-climate"),
    ("horizon.2.6", "environment-climate"),
]

CORDIS_PROJECT_REQUIRED = ("acronym", "title", "objective", "frameworkProgramme", "startDate")
CORDIS_ORGANISATION_REQUIRED = ("projectID", "name", "country", "city", "activityType", "role")
#: CORDIS's programme is not one of ours: its projects are filed under "other".
CORDIS_PROGRAMME = "other"
CORDIS_LINK = "https://cordis.europa.eu/project/id/{id}"


def cordis_rows(files: list[tuple[str, IO]]) -> Iterator[Row]:
    """Rows of the plain layout from CORDIS ``project.csv`` and ``organization.csv``."""
    projects_table = organisations_table = None
    for name, stream in files:
        table = _Table(name, stream)
        if table.has("projectID", "organisationID"):
            organisations_table = table
        elif table.has("objective") or table.has("frameworkProgramme"):
            projects_table = table
        else:
            raise CSVFormatError(f"{name}: neither a CORDIS project.csv nor an organization.csv")
    if projects_table is None or organisations_table is None:
        raise CSVFormatError("CORDIS needs both project.csv and organization.csv")
    projects_table.require(*CORDIS_PROJECT_REQUIRED)
    id_column = "id" if projects_table.has("id") else "projectID"
    projects_table.require(id_column)
    organisations_table.require(*CORDIS_ORGANISATION_REQUIRED)

    projects: dict[str, tuple[int, dict]] = {}
    for line, row in projects_table.rows():
        projects[_get(row, id_column)] = (line, _cordis_project(row, id_column))
    source = Path(organisations_table.name).name
    in_projects = Path(projects_table.name).name
    for line, row in organisations_table.rows():
        project_id = _get(row, "projectID")
        found = projects.get(project_id)
        organisation = {
            "org_name": " ".join(_get(row, "name").split()),
            "org_country": _country(_get(row, "country")),
            "org_city": _cut(_city_case(_get(row, "city")), 100),
            "org_kind": _kind(_get(row, "activityType"), CORDIS_KINDS),
            "role": (
                ParticipationRole.COORDINATOR
                if _get(row, "role").casefold() == "coordinator"
                else ParticipationRole.PARTNER
            ),
        }
        if found is None:
            yield (
                source,
                line,
                {
                    "project_id": f"CORDIS-{project_id}",
                    **organisation,
                    "_error": f"projectID: project “{project_id}” is not in {in_projects}",
                },
            )
            continue
        project_line, project = found
        where = f"{in_projects}, line {project_line}"
        yield (
            source,
            line,
            {
                **project,
                **organisation,
                "_columns": {
                    "project_id": "projectID",
                    "programme": f"frameworkProgramme ({where})",
                    "year": f"startDate ({where})",
                    "title": f"title ({where})",
                    "summary": f"objective ({where})",
                    "action": f"fundingScheme ({where})",
                    "link": f"id ({where})",
                    "org_name": "name",
                    "org_country": "country",
                    "org_city": "city",
                    "org_kind": "activityType",
                },
            },
        )


def _city_case(city: str) -> str:
    """CORDIS writes many towns in capitals: "RIGA" → "Riga"."""
    return city.title() if city.isupper() else city


def _cordis_project(row: dict, id_column: str) -> dict:
    framework = _get(row, "frameworkProgramme")
    scheme = _get(row, "fundingScheme").removeprefix("HORIZON-")
    acronym, title = _get(row, "acronym"), _get(row, "title")
    identifier = _get(row, id_column)
    return {
        "project_id": f"CORDIS-{identifier}",
        "programme": CORDIS_PROGRAMME if framework else "",
        "action": _cut(f"{CORDIS_FRAMEWORKS.get(framework, framework)} {scheme}", ACTION_LENGTH),
        "year": _get(row, "startDate")[:4],
        "title": _cut(f"{acronym}: {title}" if acronym else title, TITLE_LENGTH),
        "summary": _cut(_get(row, "objective"), SUMMARY_LENGTH),
        "themes": _themes(_get(row, "legalBasis").split(";"), CORDIS_THEMES),
        "link": CORDIS_LINK.format(id=identifier) if identifier.isdigit() else "",
    }


# --- Entry points -----------------------------------------------------------------------------

LAYOUTS = {"erasmus": erasmus_rows, "cordis": cordis_rows}


def import_layout(
    layout: str, files: list[tuple[str, IO]], *, skip_invalid: bool = False
) -> ImportResult:
    """Import past projects from ``files`` (name, stream) in one of the layouts, or in our
    own (``csv``: one file, the columns of docs/data-formats.md)."""
    if layout == "csv":
        if len(files) != 1:
            raise CSVFormatError("the csv format reads one file")
        return import_past_projects(files[0][1], skip_invalid=skip_invalid)
    return import_past_project_rows(LAYOUTS[layout](files), skip_invalid=skip_invalid)


#: The files a layout reads from a zip (CORDIS zips hold a dozen other tables).
ZIP_MEMBERS = {"cordis": ("project.csv", "organization.csv")}


@contextlib.contextmanager
def open_files(
    paths: list[str], zip_members: tuple[str, ...] = ()
) -> Iterator[list[tuple[str, IO[str]]]]:
    """The files to import, opened as UTF-8 text; a zip stands for the CSV files in it
    (those named in ``zip_members`` only, when given)."""
    with contextlib.ExitStack() as stack:
        files: list[tuple[str, IO[str]]] = []
        for path in paths:
            if path.lower().endswith(".zip"):
                try:
                    archive = stack.enter_context(zipfile.ZipFile(path))
                except zipfile.BadZipFile as error:
                    raise CSVFormatError(f"{path}: not a zip file") from error
                for member in archive.namelist():
                    base = Path(member).name.lower()
                    if base.endswith(".csv") and (not zip_members or base in zip_members):
                        raw = stack.enter_context(archive.open(member))
                        files.append(
                            (member, io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
                        )
                continue
            stream = stack.enter_context(open(path, encoding="utf-8-sig", newline=""))  # noqa: SIM115
            files.append((path, stream))
        yield files
