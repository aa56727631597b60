"""The filters of the idea list and the call list, built on scoped querysets."""

from __future__ import annotations

import datetime
from collections import Counter

import django_filters
from django import forms
from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries

from organisations.models import Kind, Membership
from organisations.taxonomy import Programme, TargetGroup, Theme
from partnerhub import search
from partnerhub.facets import Facet, FacetOption, list_controls
from partnerhub.fields import has_code

from .models import Call, IdeaStatus, ProjectIdea, today

MAX_DAYS = 3650


class DaysFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_DAYS)
        super().__init__(*args, **kwargs)


def _any_code(field: str, codes) -> Q:
    query = Q()
    for code in codes:
        query |= has_code(field, code)
    return query


def _codes(value) -> set[str]:
    """Codes from a list-valued column, whether the backend returns a list or the raw string."""
    if not value:
        return set()
    if isinstance(value, str):
        value = value.split(",")
    return {str(getattr(item, "code", item)) for item in value if item}


def search_ideas(queryset, value: str, *, ranked: bool = False):
    """Ideas matching every word or phrase of ``value`` (``partnerhub.search``), diacritics ignored.

    With ``ranked``, each idea carries its relevance as ``search_rank`` (title
    over taxonomy labels over summary and goals).
    """
    query = search.parse(value)
    if not query:
        return queryset
    table = ProjectIdea._meta.db_table
    sql, params = search.ids_sql(connection.vendor, table, query)
    queryset = queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - user input is a parameter
    if ranked:
        # Every word in the title first, then every word in the taxonomy labels, then the rest.
        in_title = RawSQL(*search.line_ids_sql(connection.vendor, table, query, "name"))  # noqa: S611
        in_labels = RawSQL(*search.line_ids_sql(connection.vendor, table, query, "labels"))  # noqa: S611
        queryset = queryset.annotate(
            search_rank=Case(
                When(pk__in=in_title, then=Value(2)),
                When(pk__in=in_labels, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    return queryset


class IdeaFilter(django_filters.FilterSet):
    """Filters of /ideas/. Without a status, the list shows open ideas (and the user's drafts)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    programme = django_filters.ModelMultipleChoiceFilter(
        label=_("Programme"),
        field_name="programme__code",
        queryset=Programme.objects.all(),
        to_field_name="code",
    )
    call = django_filters.ModelMultipleChoiceFilter(
        label=_("Call"), field_name="call__code", queryset=Call.objects.all(), to_field_name="code"
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Theme"),
        field_name="themes__code",
        queryset=Theme.objects.all(),
        to_field_name="code",
    )
    target_group = django_filters.ModelMultipleChoiceFilter(
        label=_("Target group"),
        field_name="target_groups__code",
        queryset=TargetGroup.objects.all(),
        to_field_name="code",
    )
    country_sought = django_filters.MultipleChoiceFilter(
        label=_("Partner country sought"), choices=countries, method="filter_country_sought"
    )
    kind_sought = django_filters.MultipleChoiceFilter(
        label=_("Kind of partner sought"), choices=Kind.choices, method="filter_kind_sought"
    )
    lead_country = django_filters.MultipleChoiceFilter(
        label=_("Lead country"), field_name="lead__country", choices=countries
    )
    closing_within = DaysFilter(label=_("Closing within (days)"), method="filter_closing_within")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (IdeaStatus.OPEN, _("Open for partners")),
            (IdeaStatus.CLOSED, _("Closed")),
            (IdeaStatus.DRAFT, _("Drafts of my organisations")),
        ],
        method="filter_status",
        empty_label=_("Open for partners"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        choices=[
            ("relevance", _("Relevance")),
            ("closing", _("Closing soonest")),
            ("newest", _("Newest")),
        ],
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = ProjectIdea
        fields: list[str] = []

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        # Without a status the list shows open ideas, and a member's own drafts too; the
        # visitor is offered only the statuses they can see, "Open for partners" once.
        status = self.filters["status"]
        status.extra["choices"] = [(IdeaStatus.CLOSED, _("Closed"))]
        if self.has_drafts_to_see:
            status.extra["empty_label"] = _("Open, and my drafts")
            status.extra["choices"].append((IdeaStatus.DRAFT, _("Drafts of my organisations")))

    @property
    def has_drafts_to_see(self) -> bool:
        # A member of an organisation may see its drafts; a visitor without one has none.
        return self.user.is_authenticated and Membership.objects.filter(user=self.user).exists()

    def filter_q(self, queryset, name, value):
        return search_ideas(queryset, value, ranked=self.sort_by_relevance)

    @property
    def effective_sort(self) -> str:
        """The sort asked for; without one, relevance when there are words, else closing soonest."""
        data = self.form.cleaned_data if self.is_valid() else {}
        has_words = bool(search.parse(data.get("q")))
        sort = data.get("sort") or ("relevance" if has_words else "closing")
        return "closing" if sort == "relevance" and not has_words else sort

    @property
    def sort_by_relevance(self) -> bool:
        return self.effective_sort == "relevance"

    def filter_country_sought(self, queryset, name, value):
        return queryset.filter(_any_code("countries_sought", value)) if value else queryset

    def filter_kind_sought(self, queryset, name, value):
        return queryset.filter(_any_code("kinds_sought", value)) if value else queryset

    def filter_closing_within(self, queryset, name, value):
        return queryset.filter(closes_on__lte=today() + datetime.timedelta(days=value))

    def filter_status(self, queryset, name, value):
        if value == IdeaStatus.CLOSED:
            return queryset.closed()
        if value == IdeaStatus.DRAFT:
            return queryset.of_member(self.user).filter(status=IdeaStatus.DRAFT)
        return queryset.open()

    def filter_sort(self, queryset, name, value):
        # Applied in filter_queryset so that it also runs when no sort is given.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not data.get("status"):
            queryset = queryset.open_or_own_drafts(self.user)
        if data.get("sort") == "newest":
            return queryset.order_by("-created_at", "pk")
        if self.sort_by_relevance:
            return queryset.order_by("-search_rank", "closes_on", "pk")
        return queryset.order_by("closes_on", "title", "pk")


def idea_facets(queryset, data) -> list[Facet]:
    """Counts of the current results per filter value, in seven queries whatever the size.

    A selected value is listed even with no result left, so it can be unticked.
    """
    ids = queryset.order_by().values("pk")

    def selected(name: str) -> set[str]:
        return set(data.getlist(name))

    # One query over the results' own columns; programmes and calls are counted from it.
    rows = list(
        queryset.order_by().values_list(
            "programme_id", "call_id", "lead__country", "countries_sought", "kinds_sought"
        )
    )

    def terms(model, name: str, label: str, counts: Counter, *, open: bool = False) -> Facet:
        chosen = selected(name)
        found = model.objects.filter(Q(pk__in=list(counts)) | Q(code__in=chosen))
        return Facet(
            name,
            label,
            [FacetOption(t.code, t.label, counts.get(t.pk, 0), t.code in chosen) for t in found],
            open=open,
        )

    def linked(relation: str) -> Counter:
        # Counted on the through table, its idea ids drawn from the results once.
        field = ProjectIdea._meta.get_field(relation)
        through = field.remote_field.through
        owner, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        counted = (
            through.objects.filter(**{f"{owner}__in": ids})
            .values(target)
            .annotate(n=Count("pk"))
            .order_by()
        )
        return Counter({row[target]: row["n"] for row in counted})

    programme_counts = Counter(row[0] for row in rows if row[0])
    call_counts = Counter(row[1] for row in rows if row[1])
    chosen_calls = selected("call")
    calls = Call.objects.filter(Q(pk__in=list(call_counts)) | Q(code__in=chosen_calls)).order_by(
        "deadline", "code"
    )
    # Calls by their title, in alphabetical order.
    call_options = [
        FacetOption(c.code, str(c.title), call_counts.get(c.pk, 0), c.code in chosen_calls)
        for c in calls
    ]
    call_options.sort(key=lambda option: option.label.casefold())
    call_facet = Facet("call", str(_("Call")), call_options, open=True)

    # Countries and kinds sought are comma-separated codes: counted in Python from the rows.
    sought_countries: Counter[str] = Counter()
    sought_kinds: Counter[str] = Counter()
    lead_countries: Counter[str] = Counter()
    for _programme, _call, lead_country, countries_sought, kinds_sought in rows:
        lead_countries[str(lead_country)] += 1
        sought_countries.update(_codes(countries_sought))
        sought_kinds.update(_codes(kinds_sought))

    def coded(name: str, label: str, counts: Counter, labels) -> Facet:
        chosen = selected(name)
        values = [
            FacetOption(code, str(labels.get(code, code)), counts.get(code, 0), code in chosen)
            for code in set(counts) | chosen
            if code in labels
        ]
        values.sort(key=lambda v: (-v.count, v.label))
        return Facet(name, label, values)

    country_names = dict(countries)
    kind_labels = dict(Kind.choices)
    return [
        terms(Programme, "programme", str(_("Programme")), programme_counts, open=True),
        call_facet,
        terms(Theme, "theme", str(_("Theme")), linked("themes"), open=True),
        terms(TargetGroup, "target_group", str(_("Target group")), linked("target_groups")),
        coded("country_sought", str(_("Partner country sought")), sought_countries, country_names),
        coded("kind_sought", str(_("Kind of partner sought")), sought_kinds, kind_labels),
        coded("lead_country", str(_("Lead country")), lead_countries, country_names),
    ]


def idea_list_controls(request, filterset: IdeaFilter, facets: list[Facet]) -> dict:
    """The shared list layout's search, sort and chosen filters for /ideas/."""
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    q = data.get("q") or ""
    sorts = filterset.filters["sort"].extra["choices"]
    extra = []
    if data.get("status"):
        extra.append(("status", dict(filterset.form.fields["status"].choices)[data["status"]]))
    if data.get("closing_within") is not None:
        days = data["closing_within"]
        extra.append(
            (
                "closing_within",
                ngettext("Closing within %(days)s day", "Closing within %(days)s days", days)
                % {"days": days},
            )
        )
    return {
        "list_url": reverse("projects:idea-list"),
        "q": q,
        "sort": filterset.effective_sort,
        "sort_choices": [(v, label) for v, label in sorts if v != "relevance" or search.parse(q)],
        **list_controls(request, facets, q=q, extra=tuple(extra)),
    }


class CallFilter(django_filters.FilterSet):
    """Filters of /calls/: programme, a country that must be eligible, deadline within N days."""

    programme = django_filters.ModelMultipleChoiceFilter(
        label=_("Programme"),
        field_name="programme__code",
        queryset=Programme.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    country = django_filters.ChoiceFilter(
        label=_("Eligible country"), choices=countries, method="filter_country"
    )
    deadline_within = DaysFilter(label=_("Deadline within (days)"), method="filter_deadline_within")

    class Meta:
        model = Call
        fields: list[str] = []

    def filter_country(self, queryset, name, value):
        return queryset.eligible_for_country(value)

    def filter_deadline_within(self, queryset, name, value):
        return queryset.filter(deadline__lte=today() + datetime.timedelta(days=value))


def clean_filter_data(filterset_class, data, **kwargs):
    """Drop the parameters a filter set cannot read, so a bad link still shows a page.

    Returns (filterset, names of the ignored parameters).
    """
    filterset = filterset_class(data, **kwargs)
    if filterset.is_valid():
        return filterset, []
    ignored = sorted(filterset.errors)
    cleaned = data.copy()
    for name in ignored:
        cleaned.pop(name, None)
    return filterset_class(cleaned, **kwargs), ignored


# --- The lead's applications page -------------------------------------------------------------
# Kept at the end of the module: the idea and call filters above are edited separately.
from django.db.models import F  # noqa: E402

from .models import ApplicationKind, ApplicationStatus, PartnershipApplication  # noqa: E402

#: How the lead's applications page can be sorted: choice → ordering.
APPLICATION_SORTS = {
    "score": (F("score").desc(nulls_last=True), "-created_at", "-pk"),
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
}


class ApplicationFilter(django_filters.FilterSet):
    """Filters of /ideas/<slug>/applications/: status, kind, the shortlist, and the order."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ApplicationStatus.choices, empty_label=_("Any status")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=ApplicationKind.choices,
        empty_label=_("Applications and invitations"),
    )
    shortlisted = django_filters.BooleanFilter(
        label=_("Shortlisted only"), widget=forms.CheckboxInput, method="filter_shortlisted"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("score", _("Best match first")),
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
        ],
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = PartnershipApplication
        fields: list[str] = []

    def filter_shortlisted(self, queryset, name, value):
        return queryset.filter(shortlisted=True) if value else queryset

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*APPLICATION_SORTS.get(value, APPLICATION_SORTS["score"]))

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*APPLICATION_SORTS["score"])
        return queryset
