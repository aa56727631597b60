"""The partner directory's search, filters, sort and facet counts.

Every state lives in the query string (`?q=…&country=LV&country=LT&theme=…`),
so a search can be bookmarked and shared. Taxonomy filters take codes, accept
several values and match ANY of them; different filters combine with AND.

A value that is not valid (`?country=XX`, `?theme=<script>`, `?sort=bogus`) is
dropped before filtering and reported in `ignored`, so the page still answers
with the rest of the search instead of an error or an empty list.

Facet counts are *disjunctive*: the count next to a value is the number of
results you would get by adding that value to the current search, i.e. it is
computed over the results filtered by all the *other* filters. That keeps the
counts useful inside a filter with ANY-of semantics (ticking a second country
widens the search, and its count says by how much).

The words go to the database's full-text index (``partnerhub.search``: one
query for the ids and relevance of every match); filters, facet counts and
sorting run over the process's facet index (``directory.DirectoryIndex``),
so a page costs the same few queries at 100 or 100,000 organisations.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import django_filters
import numpy as np
from django.db import connection
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from partnerhub import search
from partnerhub.facets import Facet, FacetOption
from partnerhub.search import normalise

from .directory import Columns, Vocabulary, bit_counts, directory_index
from .models import SECTOR_OF_KIND, Experience, Kind, Organisation, Sector, kinds_in_sector
from .taxonomy import FieldOfActivity, Language, Programme, TargetGroup, Theme

# URL parameter → (Organisation many-to-many field, term model).
TAXONOMY_FILTERS = {
    "field": ("fields", FieldOfActivity),
    "theme": ("themes", Theme),
    "target_group": ("target_groups", TargetGroup),
    "language": ("languages", Language),
    "programme": ("programmes", Programme),
}

SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("name", _("Name")),
    ("updated", _("Recently updated")),
    ("completeness", _("Most complete profile")),
]

VERIFIED_CHOICES = [("yes", _("Verified")), ("no", _("Not verified yet"))]
HAS_IDEAS_CHOICES = [("yes", _("Has open project ideas"))]


_public_facets_cache: tuple[Columns, dict] | None = None


def _public_facets(columns: Columns, count) -> dict[str, dict[str, int]]:
    """The facet counts of the plain directory as a visitor sees it, once per snapshot.

    Every anonymous visitor without words or filters sees the same counts; a new
    snapshot of the index (any change: patched copy-on-write, or rebuilt) counts
    again. About 6 ms of the page's 34 at 100,000 organisations.
    """
    global _public_facets_cache
    cached = _public_facets_cache
    if cached is not None and cached[0] is columns:
        return cached[1]
    counts = count()
    _public_facets_cache = (columns, counts)
    return counts


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_nothing")
    country = django_filters.MultipleChoiceFilter(
        label=_("Country"), method="filter_nothing", field_name="country"
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind of organisation"), choices=Kind.choices, method="filter_nothing"
    )
    sector = django_filters.MultipleChoiceFilter(
        label=_("Sector"), choices=Sector.choices, method="filter_nothing"
    )
    field = django_filters.MultipleChoiceFilter(
        label=_("Field of activity"), field_name="fields", method="filter_nothing"
    )
    theme = django_filters.MultipleChoiceFilter(
        label=_("Theme"), field_name="themes", method="filter_nothing"
    )
    target_group = django_filters.MultipleChoiceFilter(
        label=_("Target group"), field_name="target_groups", method="filter_nothing"
    )
    language = django_filters.MultipleChoiceFilter(
        label=_("Working language"), field_name="languages", method="filter_nothing"
    )
    experience = django_filters.MultipleChoiceFilter(
        label=_("International experience"), choices=Experience.choices, method="filter_nothing"
    )
    verified = django_filters.MultipleChoiceFilter(
        label=_("Verification"), choices=VERIFIED_CHOICES, method="filter_nothing"
    )
    programme = django_filters.MultipleChoiceFilter(
        label=_("Programme"), field_name="programmes", method="filter_nothing"
    )
    has_ideas = django_filters.MultipleChoiceFilter(
        label=_("Project ideas"), choices=HAS_IDEAS_CHOICES, method="filter_nothing"
    )
    # From past projects (the track record), not the self-declared "programmes".
    experience_in = django_filters.MultipleChoiceFilter(
        label=_("Has experience in programme"), method="filter_nothing"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort order"), choices=SORT_CHOICES, method="filter_nothing", empty_label=None
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, even to an empty query string, so the default sort and
        # the facets go through the same path as any search.
        super().__init__(QueryDict() if data is None else data, *args, **kwargs)
        # One query per vocabulary: these give the filters their valid codes
        # and the sidebar its labels.
        self.terms = {
            name: list(model.objects.order_by("position", "code"))
            for name, (_field, model) in TAXONOMY_FILTERS.items()
        }
        for name, terms in self.terms.items():
            self.filters[name].extra["choices"] = [(term.code, term.label) for term in terms]
        self.filters["country"].extra["choices"] = [(code, name) for code, name in countries]
        self.filters["experience_in"].extra["choices"] = self._choices("programme")
        self.ignored: list[str] = []
        if self.is_bound:
            self.data = self._without_invalid_values(self.data)

    # -- input --------------------------------------------------------------

    def _without_invalid_values(self, data):
        data = data.copy()
        if "country" in data:
            data.setlist("country", [value.upper() for value in data.getlist("country")])
        for name, filter_ in self.filters.items():
            if name == "q" or name not in data:
                continue
            field = filter_.field
            values = data.getlist(name)
            valid = [value for value in values if value and field.valid_value(value)]
            for value in values:
                if value and value not in valid:
                    self.ignored.append(
                        _("“%(value)s” is not a valid %(filter)s and was ignored.")
                        % {"value": value[:40], "filter": str(filter_.label).lower()}
                    )
            if isinstance(filter_, django_filters.ChoiceFilter):
                valid = valid[:1]
            data.setlist(name, valid)
        return data

    @property
    def query(self) -> search.Query:
        return search.parse(self.form.cleaned_data.get("q", "") if self.is_valid() else "")

    def filter_nothing(self, queryset, name, value):
        return queryset  # every filter is applied by `result`, over the facet index

    @property
    def qs(self):
        """The page's organisations, in order, loaded a page at a time (see ``Results``)."""
        result = self.result
        labels = {term.code: term.label for term in self.terms["programme"]}
        programmes = [labels.get(code, code) for code in result.programme_codes]
        return Results(self.queryset, result.ids, result.past_programmes, programmes)

    # -- the search ----------------------------------------------------------

    @cached_property
    def result(self) -> DirectoryResult:
        columns, vocabulary = directory_index.current()
        data = self.form.cleaned_data if self.is_valid() else {}
        base = self._visible(columns)
        score = None
        query = self.query
        if query:
            score, matched = self._text(columns, vocabulary, query)
            base &= matched
        masks = self._masks(columns, vocabulary, data)
        selected = base.copy()
        for mask in masks.values():
            selected &= mask
        sort = data.get("sort") or "relevance"
        if sort == "relevance" and score is not None:
            positions = np.flatnonzero(selected)
            ids, updated = columns.ids[positions], columns.updated[positions]
            ordered = positions[np.lexsort((ids, -updated, -score[positions]))]
        else:
            ordered = columns.ordered(selected, sort)  # relevance without words: most recent
        if query or masks or self._sees_more_than_the_public():
            facets = self._facets(columns, vocabulary, base, masks)
        else:
            facets = _public_facets(columns, lambda: self._facets(columns, vocabulary, base, masks))
        return DirectoryResult(
            ids=columns.ids[ordered],
            facets=facets,
            track_records=bool(columns.past_programmes.any()),
            past_programmes=columns.past_programmes[ordered],
            programme_codes=tuple(vocabulary.codes["programmes"]),
        )

    @staticmethod
    def _text(columns: Columns, vocabulary: Vocabulary, query: search.Query):
        """Every term in the name, the taxonomy labels or the text; scored 10 / 4 / 1 per term.

        Name and text are matched by the database's full-text index in one
        statement; the labels (in three languages) through the codes each row
        carries, from the facet index.
        """
        n = len(columns.ids)
        sql, params = search.hits_sql(connection.vendor, Organisation._meta.db_table, query)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            hits = {tag: search.id_array(ids) for tag, ids in cursor.fetchall()}

        def mask(tag: int) -> np.ndarray:
            found = np.zeros(n, dtype=bool)
            ids = hits.get(tag, np.empty(0, dtype=np.int64))
            positions = np.searchsorted(columns.ids, ids)
            known = positions < n
            known[known] &= columns.ids[positions[known]] == ids[known]
            found[positions[known]] = True
            return found

        matched = np.ones(n, dtype=bool)
        score = np.zeros(n, dtype=np.float64)
        for i, term in enumerate(query.terms):
            in_name, in_text = mask(2 * i), mask(2 * i + 1)
            in_labels = vocabulary.label_hits(columns, term.stems)
            matched &= in_name | in_text | in_labels
            score += (
                search.WEIGHT_NAME * in_name
                + search.WEIGHT_LABELS * in_labels
                + search.WEIGHT_BODY * in_text
            )
        return score, matched

    def _sees_more_than_the_public(self) -> bool:
        user = getattr(self.request, "user", None)
        return user is not None and user.is_authenticated

    def _visible(self, columns: Columns) -> np.ndarray:
        """What ``Organisation.objects.visible_to(user)`` holds, as a mask."""
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            return np.ones(len(columns.ids), dtype=bool)
        visible = columns.public.copy()
        if user is not None and user.is_authenticated:
            mine = np.fromiter(
                Organisation.objects.member_of(user).values_list("pk", flat=True), dtype=np.int64
            )
            visible |= np.isin(columns.ids, mine)
        return visible

    def _masks(self, columns: Columns, vocabulary: Vocabulary, data) -> dict[str, np.ndarray]:
        """One boolean mask per filter in use."""
        masks: dict[str, np.ndarray] = {}

        def among(column, values, wanted) -> np.ndarray:
            index = {value: i for i, value in enumerate(values)}
            return np.isin(column, [index[w] for w in wanted if w in index])

        if data.get("country"):
            masks["country"] = among(columns.country, vocabulary.countries, data["country"])
        if data.get("kind"):
            masks["kind"] = among(columns.kind, vocabulary.kinds, data["kind"])
        if data.get("sector"):
            kinds = [kind for sector in data["sector"] for kind in kinds_in_sector(sector)]
            masks["sector"] = among(columns.kind, vocabulary.kinds, kinds)
        if data.get("experience"):
            masks["experience"] = among(
                columns.experience, vocabulary.experiences, data["experience"]
            )
        verified = set(data.get("verified") or ())
        if len(verified) == 1:
            masks["verified"] = columns.verified if "yes" in verified else ~columns.verified
        for name, (relation, _model) in TAXONOMY_FILTERS.items():
            if data.get(name):
                wanted = self._bits(vocabulary, relation, data[name])
                held = columns.masks[relation]
                if name == "programme":
                    held = held | columns.idea_programmes
                masks[name] = (held & wanted) != 0
        if data.get("has_ideas"):
            masks["has_ideas"] = columns.open_ideas
        if data.get("experience_in"):
            # From past projects (the facet index's column), not the declared programmes.
            wanted = self._bits(vocabulary, "programmes", data["experience_in"])
            masks["experience_in"] = (columns.past_programmes & wanted) != 0
        return masks

    @staticmethod
    def _bits(vocabulary: Vocabulary, relation: str, codes) -> np.uint64:
        position = {code: i for i, code in enumerate(vocabulary.codes[relation])}
        wanted = 0
        for code in codes:
            if code in position:
                wanted |= 1 << position[code]
        return np.uint64(wanted)

    # -- facets -------------------------------------------------------------

    def _facets(self, columns, vocabulary, base, masks) -> dict[str, dict[str, int]]:
        """Counts per value of every filter, each over the results of all the other filters."""

        def others(excluded: str) -> np.ndarray:
            mask = base.copy()
            for name, other in masks.items():
                if name != excluded:
                    mask &= other
            return mask

        def scalar(column, values, excluded) -> dict[str, int]:
            counts = np.bincount(column[others(excluded)], minlength=len(values))
            return {value: int(n) for value, n in zip(values, counts, strict=False) if n}

        counts = {
            "country": scalar(columns.country, vocabulary.countries, "country"),
            "kind": scalar(columns.kind, vocabulary.kinds, "kind"),
            "experience": scalar(columns.experience, vocabulary.experiences, "experience"),
        }
        sectors: dict[str, int] = {}
        for kind, n in scalar(columns.kind, vocabulary.kinds, "sector").items():
            sector = str(SECTOR_OF_KIND.get(kind, Sector.OTHER))
            sectors[sector] = sectors.get(sector, 0) + n
        counts["sector"] = sectors
        verified = columns.verified[others("verified")]
        counts["verified"] = {"yes": int(verified.sum()), "no": int((~verified).sum())}
        counts["has_ideas"] = {"yes": int(columns.open_ideas[others("has_ideas")].sum())}
        codes = vocabulary.codes["programmes"]
        per_bit = bit_counts(columns.past_programmes[others("experience_in")], len(codes))
        counts["experience_in"] = {
            code: int(n) for code, n in zip(codes, per_bit, strict=True) if n
        }
        for name, (relation, _model) in TAXONOMY_FILTERS.items():
            mask = others(name)
            held = columns.masks[relation][mask]
            if name == "programme":
                held = held | columns.idea_programmes[mask]
            codes = vocabulary.codes[relation]
            per_bit = bit_counts(held, len(codes))
            counts[name] = {code: int(n) for code, n in zip(codes, per_bit, strict=True) if n}
        return counts

    def _selected(self, name: str) -> set[str]:
        return set(self.data.getlist(name)) if self.is_bound else set()

    def _facet(self, name: str, choices, counts: dict[str, int], *, hide_empty=False) -> Facet:
        selected = self._selected(name)
        options = [
            FacetOption(str(value), str(label), counts.get(str(value), 0), str(value) in selected)
            for value, label in choices
            if not hide_empty or counts.get(str(value)) or str(value) in selected
        ]
        return Facet(name, str(self.filters[name].label), options, open=name == "country")

    def facets(self) -> list[Facet]:
        """Every filter with its values and counts, from the facet index (no query)."""
        counts = self.result.facets
        country_choices = sorted(
            (
                (code, countries.name(code))
                for code in set(counts["country"]) | self._selected("country")
            ),
            key=lambda pair: normalise(str(pair[1])),
        )
        facets = [
            self._facet("country", country_choices, counts["country"]),
            self._facet("has_ideas", HAS_IDEAS_CHOICES, counts["has_ideas"]),
            self._facet(
                "programme", self._choices("programme"), counts["programme"], hide_empty=True
            ),
            self._facet("sector", Sector.choices, counts["sector"], hide_empty=True),
            self._facet("kind", Kind.choices, counts["kind"], hide_empty=True),
        ]
        if self.result.track_records or self._selected("experience_in"):
            # Shown once there are past projects to filter by (the track record).
            experience_in = self._facet(
                "experience_in",
                self._choices("programme"),
                counts["experience_in"],
                hide_empty=True,
            )
            # "Erasmus+" alone would read as the programme filter's chip.
            chip = str(_("experience in %(value)s"))
            facets.insert(3, replace(experience_in, chip=chip))
        for name in ("field", "theme", "target_group", "language"):
            facets.append(
                self._facet(name, self._choices(name), counts[name], hide_empty=name == "language")
            )
        facets.append(self._facet("experience", Experience.choices, counts["experience"]))
        facets.append(self._facet("verified", VERIFIED_CHOICES, counts["verified"]))
        return facets

    def _choices(self, name: str) -> list[tuple[str, str]]:
        return [(term.code, term.label) for term in self.terms[name]]


@dataclass(frozen=True)
class DirectoryResult:
    ids: np.ndarray  # the matching organisations' ids, in display order
    facets: dict[str, dict[str, int]]  # filter → value → count
    #: Whether any organisation has past projects (the experience filter is shown then).
    track_records: bool = False
    #: Per result (as ``ids``), the bits of the programmes of its past projects, in the
    #: order of ``programme_codes``: the cards say where an organisation has worked.
    past_programmes: np.ndarray | None = None
    programme_codes: tuple[str, ...] = ()


class Results:
    """The ordered results as a sequence a Paginator can slice: only a page is ever loaded.

    Each page is read through the view's scoped queryset, so the facet index
    can never show a row the visitor may not see.
    """

    model = Organisation

    def __init__(self, queryset, ids: np.ndarray, past_programmes=None, programmes=()) -> None:
        self.queryset = queryset
        self.ids = ids
        self.past_programmes = past_programmes
        self.programmes = list(programmes)  # labels, in the bit order of past_programmes

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        wanted = [int(pk) for pk in self.ids[index]]
        rows = {row.pk: row for row in self.queryset.filter(pk__in=wanted)}
        if self.past_programmes is not None:
            for pk, bits in zip(wanted, self.past_programmes[index].tolist(), strict=True):
                if pk in rows:
                    rows[pk].past_programmes = [
                        label for bit, label in enumerate(self.programmes) if bits >> bit & 1
                    ]
        return [rows[pk] for pk in wanted if pk in rows]
