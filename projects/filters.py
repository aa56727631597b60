"""The filters of the idea list and the call list.

The idea list's filters, sorts and facet counts run over the process's idea
index (``projects.idea_index``); the words go to the database's full-text
index (one query) and the page is loaded through the view's scoped queryset.
"""

from __future__ import annotations

import datetime
from functools import cached_property

import django_filters
import numpy as np
from django import forms
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries

from organisations.directory import directory_index
from organisations.models import Kind, Membership
from organisations.taxonomy import Programme, TargetGroup, Theme
from partnerhub import search
from partnerhub.facets import Facet, FacetOption, list_controls

from .idea_index import (
    IdeaResult,
    IdeaVocabulary,
    Selection,
    idea_index,
    member_organisations,
    select,
)
from .models import Call, IdeaStatus, ProjectIdea, today

MAX_DAYS = 3650


class DaysFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_DAYS)
        super().__init__(*args, **kwargs)


def text_hits(query: search.Query, *, ranked: bool):
    """(matching ids, ids with every word in the title, in the labels) of the ideas: one query.

    Without ``ranked`` the last two are empty (the order does not need them).
    """
    table = ProjectIdea._meta.db_table
    vendor = connection.vendor
    parts = [search.ids_sql(vendor, table, query, as_list=True)]
    if ranked:
        parts += [
            search.line_ids_sql(vendor, table, query, line, as_list=True)
            for line in ("name", "labels")
        ]
    sql = " UNION ALL ".join(
        f"SELECT {tag}, ({part})"  # noqa: S608 - no user input in the SQL
        for tag, (part, _params) in enumerate(parts)
    )
    params = [param for _part, part_params in parts for param in part_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {tag: search.id_array(ids) for tag, ids in cursor.fetchall()}
    empty = np.empty(0, dtype=np.int64)
    return tuple(found.get(tag, empty) for tag in range(3))


class IdeaFilter(django_filters.FilterSet):
    """Filters of /ideas/. Without a status, the list shows open ideas (and the user's drafts)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_nothing")
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
        label=_("Partner country sought"), choices=countries, method="filter_nothing"
    )
    kind_sought = django_filters.MultipleChoiceFilter(
        label=_("Kind of partner sought"), choices=Kind.choices, method="filter_nothing"
    )
    lead_country = django_filters.MultipleChoiceFilter(
        label=_("Lead country"), field_name="lead__country", choices=countries
    )
    closing_within = DaysFilter(label=_("Closing within (days)"), method="filter_nothing")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (IdeaStatus.OPEN, _("Open for partners")),
            (IdeaStatus.CLOSED, _("Closed")),
            (IdeaStatus.DRAFT, _("Drafts of my organisations")),
        ],
        method="filter_nothing",
        empty_label=_("Open for partners"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        choices=[
            ("relevance", _("Relevance")),
            ("closing", _("Closing soonest")),
            ("newest", _("Newest")),
        ],
        method="filter_nothing",
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

    def filter_nothing(self, queryset, name, value):
        return queryset  # every filter is applied by `result`, over the idea index

    @cached_property
    def qs(self):
        """The ideas of the list, in order, loaded a page at a time (see ``IdeaResults``)."""
        columns, vocabulary = idea_index.current()
        return IdeaResults(self.queryset, self.result(columns, vocabulary), vocabulary)

    def result(self, columns, vocabulary) -> IdeaResult:
        data = self.form.cleaned_data if self.is_valid() else {}
        user = self.user
        query = search.parse(data.get("q"))
        selection = Selection(
            staff=user.is_authenticated and user.is_staff,
            mine=member_organisations(user),
            status=data.get("status") or "",
            programmes=tuple(term.code for term in data.get("programme") or ()),
            calls=tuple(call.code for call in data.get("call") or ()),
            themes=tuple(term.code for term in data.get("theme") or ()),
            target_groups=tuple(term.code for term in data.get("target_group") or ()),
            countries_sought=tuple(data.get("country_sought") or ()),
            kinds_sought=tuple(data.get("kind_sought") or ()),
            lead_countries=tuple(data.get("lead_country") or ()),
            closing_within=data.get("closing_within"),
            text=text_hits(query, ranked=self.sort_by_relevance) if query else None,
            sort=self.effective_sort,
        )
        return select(columns, vocabulary, selection, today())


class IdeaResults:
    """The ordered ideas as a sequence a Paginator can slice: only a page is ever loaded.

    Each page is read through the view's scoped queryset, so the index can
    never show an idea the visitor may not see.
    """

    model = ProjectIdea

    def __init__(self, queryset, result: IdeaResult, vocabulary: IdeaVocabulary) -> None:
        self.queryset = queryset
        self.result = result
        self.vocabulary = vocabulary

    def __len__(self) -> int:
        return len(self.result.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        wanted = [int(pk) for pk in self.result.ids[index]]
        rows = {row.pk: row for row in self.queryset.filter(pk__in=wanted)}
        return [rows[pk] for pk in wanted if pk in rows]


def idea_facets(results: IdeaResults, data) -> list[Facet]:
    """Counts of the current results per filter value, from the idea index (no query).

    A selected value is listed even with no result left, so it can be unticked.
    """
    counts, vocabulary = results.result.counts, results.vocabulary

    def selected(name: str) -> set[str]:
        return set(data.getlist(name))

    def terms(found, name: str, label: str, counted: dict, *, open: bool = False) -> Facet:
        chosen = selected(name)
        return Facet(
            name,
            label,
            [
                FacetOption(t.code, t.label, counted.get(t.pk, 0), t.code in chosen)
                for t in found
                if t.pk in counted or t.code in chosen
            ],
            open=open,
        )

    call_counts = counts["call"]
    chosen_calls = selected("call")
    calls = [c for c in vocabulary.calls if c.pk in call_counts or c.code in chosen_calls]
    # Calls by their title, in alphabetical order.
    call_options = [
        FacetOption(c.code, c.local_title, call_counts.get(c.pk, 0), c.code in chosen_calls)
        for c in calls
    ]
    call_options.sort(key=lambda option: option.label.casefold())
    call_facet = Facet("call", str(_("Call")), call_options, open=True)

    def coded(name: str, label: str, counted: dict, labels) -> Facet:
        chosen = selected(name)
        values = [
            FacetOption(code, str(labels.get(code, code)), counted.get(code, 0), code in chosen)
            for code in set(counted) | chosen
            if code in labels
        ]
        values.sort(key=lambda v: (-v.count, v.label))
        return Facet(name, label, values)

    country_names = dict(countries)
    kind_labels = dict(Kind.choices)
    return [
        terms(
            vocabulary.programmes, "programme", str(_("Programme")), counts["programme"], open=True
        ),
        call_facet,
        terms(vocabulary.terms["themes"], "theme", str(_("Theme")), counts["theme"], open=True),
        terms(
            vocabulary.terms["target_groups"],
            "target_group",
            str(_("Target group")),
            counts["target_group"],
        ),
        coded(
            "country_sought",
            str(_("Partner country sought")),
            counts["country_sought"],
            country_names,
        ),
        coded("kind_sought", str(_("Kind of partner sought")), counts["kind_sought"], kind_labels),
        coded("lead_country", str(_("Lead country")), counts["lead_country"], country_names),
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The countries organisations on the site are from and those calls name, not all 249
        # (Antarctica included).
        # (From the directory's facet index: a DISTINCT over every organisation took 6 ms.)
        present = set(directory_index.current()[1].countries)
        for call in Call.objects.order_by().only("eligible_countries"):
            present.update(country.code for country in call.eligible_countries)
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code in present
        ]

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
