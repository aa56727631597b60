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
widens the search, and its count says by how much). One aggregate query per
facet.
"""

from __future__ import annotations

import re

import django_filters
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from matching.text import normalise
from partnerhub.facets import Facet, FacetOption

from .models import SECTOR_OF_KIND, Experience, Kind, Organisation, Sector, kinds_in_sector
from .taxonomy import FieldOfActivity, Language, TargetGroup, Theme

# URL parameter → (Organisation many-to-many field, term model).
TAXONOMY_FILTERS = {
    "field": ("fields", FieldOfActivity),
    "theme": ("themes", Theme),
    "target_group": ("target_groups", TargetGroup),
    "language": ("languages", Language),
}

SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("updated", _("Recently updated")),
    ("name", _("Name")),
]

VERIFIED_CHOICES = [("yes", _("Verified")), ("no", _("Not verified yet"))]

# More words than this say nothing more; the cap keeps one query bounded.
MAX_SEARCH_WORDS = 8
_WORD = re.compile(r"[^\W_]+")


def search_words(query: str) -> list[str]:
    """Normalised words of a search: "Liepāja, jaunieši" → ["liepaja", "jauniesi"]."""
    return _WORD.findall(normalise(query or ""))[:MAX_SEARCH_WORDS]


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    country = django_filters.MultipleChoiceFilter(
        label=_("Country"), method="filter_in", field_name="country"
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind of organisation"), choices=Kind.choices, method="filter_in"
    )
    sector = django_filters.MultipleChoiceFilter(
        label=_("Sector"), choices=Sector.choices, method="filter_sector"
    )
    field = django_filters.MultipleChoiceFilter(
        label=_("Field of activity"), field_name="fields", method="filter_terms"
    )
    theme = django_filters.MultipleChoiceFilter(
        label=_("Theme"), field_name="themes", method="filter_terms"
    )
    target_group = django_filters.MultipleChoiceFilter(
        label=_("Target group"), field_name="target_groups", method="filter_terms"
    )
    language = django_filters.MultipleChoiceFilter(
        label=_("Working language"), field_name="languages", method="filter_terms"
    )
    experience = django_filters.MultipleChoiceFilter(
        label=_("International experience"), choices=Experience.choices, method="filter_in"
    )
    verified = django_filters.MultipleChoiceFilter(
        label=_("Verification"), choices=VERIFIED_CHOICES, method="filter_verified"
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
    def words(self) -> list[str]:
        return search_words(self.form.cleaned_data.get("q", "")) if self.is_valid() else []

    # -- filtering ----------------------------------------------------------

    def filter_search(self, queryset, name, value):
        """Every word must appear in the name, city or description, diacritics ignored."""
        for word in search_words(value):
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_in(self, queryset, name, value):
        return queryset.filter(**{f"{name}__in": value})

    def filter_sector(self, queryset, name, value):
        kinds = [kind for sector in value for kind in kinds_in_sector(sector)]
        return queryset.filter(kind__in=kinds)

    def filter_terms(self, queryset, name, value):
        # A subquery, not a join: an organisation with two matching themes is one result.
        having = Organisation.objects.filter(**{f"{name}__code__in": value}).values("pk")
        return queryset.filter(pk__in=having)

    def filter_verified(self, queryset, name, value):
        if set(value) == {"yes", "no"}:
            return queryset
        return queryset.filter(is_verified="yes" in value)

    def filter_nothing(self, queryset, name, value):
        return queryset  # sorting is applied in filter_queryset, after all filters

    def filter_queryset(self, queryset):
        return self.sort_queryset(super().filter_queryset(queryset))

    def sort_queryset(self, queryset) -> QuerySet:
        sort = self.form.cleaned_data.get("sort") or "relevance"
        if sort == "name":
            return queryset.order_by("search_name", "pk")
        if sort == "updated" or not self.words:
            return queryset.order_by("-updated_at", "pk")
        # Relevance: organisations whose name holds every word first, then the freshest.
        in_name = Q()
        for word in self.words:
            in_name &= Q(search_name__contains=word)
        return queryset.annotate(
            name_match=Case(
                When(in_name, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        ).order_by("-name_match", "-updated_at", "pk")

    # -- facets -------------------------------------------------------------

    def queryset_without(self, excluded: str) -> QuerySet:
        """The base queryset filtered by every filter except `excluded` (and unsorted)."""
        queryset = self.queryset
        if not self.is_valid():
            return queryset
        for name, value in self.form.cleaned_data.items():
            if name in (excluded, "sort"):
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def _counts(self, excluded: str, column: str) -> dict[str, int]:
        rows = self.queryset_without(excluded).values(column).annotate(n=Count("pk"))
        return {str(row[column]): row["n"] for row in rows}

    def _term_counts(self, name: str) -> dict[str, int]:
        m2m_name, _model = TAXONOMY_FILTERS[name]
        m2m = Organisation._meta.get_field(m2m_name)
        through = m2m.remote_field.through
        term = m2m.m2m_reverse_field_name()
        rows = (
            through.objects.filter(organisation__in=self.queryset_without(name).values("pk"))
            .values(f"{term}__code")
            .annotate(n=Count("organisation_id"))
            .order_by()
        )
        return {row[f"{term}__code"]: row["n"] for row in rows}

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
        """Every filter with its values and counts: about one aggregate query each."""
        country_counts = self._counts("country", "country")
        country_choices = sorted(
            (
                (code, countries.name(code))
                for code in set(country_counts) | self._selected("country")
            ),
            key=lambda pair: normalise(str(pair[1])),
        )
        kind_counts = self._counts("kind", "kind")
        sector_counts: dict[str, int] = {}
        for kind, n in self._counts("sector", "kind").items():
            sector = str(SECTOR_OF_KIND.get(kind, Sector.OTHER))
            sector_counts[sector] = sector_counts.get(sector, 0) + n
        verified_counts = {
            ("yes" if value == "True" else "no"): n
            for value, n in self._counts("verified", "is_verified").items()
        }
        facets = [
            self._facet("country", country_choices, country_counts),
            self._facet("sector", Sector.choices, sector_counts, hide_empty=True),
            self._facet("kind", Kind.choices, kind_counts, hide_empty=True),
        ]
        for name, terms in self.terms.items():
            choices = [(term.code, term.label) for term in terms]
            facets.append(
                self._facet(name, choices, self._term_counts(name), hide_empty=name == "language")
            )
        facets.append(
            self._facet("experience", Experience.choices, self._counts("experience", "experience"))
        )
        facets.append(self._facet("verified", VERIFIED_CHOICES, verified_counts))
        return facets
