"""Facet counts shown beside the filters of a list page (organisations, ideas)."""

from dataclasses import dataclass
from functools import lru_cache

from django.utils import translation
from django.utils.translation import ngettext

from .formatting import grouped


@lru_cache(maxsize=8192)
def _count_texts(language: str, count: int) -> tuple[str, str]:
    with translation.override(language):
        label = ngettext("%(counter)s result", "%(counter)s results", count) % {"counter": count}
        return grouped(count), label


@dataclass(frozen=True, slots=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool

    @property
    def count_texts(self) -> tuple[str, str]:
        """("1,234", "1234 results"): the count as shown and as read out; a page shows
        hundreds of options, so each (language, count) is formatted once per process."""
        return _count_texts(translation.get_language() or "", self.count)


@dataclass(frozen=True, slots=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]
    # Shown unfolded even when nothing in it is ticked.
    open: bool = False
    #: How a ticked value reads as a chip above the results ("experience in %(value)s"),
    #: where the value alone would be ambiguous; empty: the value alone.
    chip: str = ""

    @property
    def selected_count(self) -> int:
        return sum(1 for option in self.options if option.selected)


@dataclass(frozen=True, slots=True)
class ActiveFilter:
    """One chosen filter, shown as a chip above the results; ``query`` is the page without it."""

    label: str
    query: str


def list_controls(request, facets, *, q: str = "", extra: tuple = ()) -> dict:
    """What the shared list layout (templates/list_page.html) shows above the results.

    ``extra`` holds (parameter, label) pairs for chosen filters that are not facets,
    such as the idea status. The number of active filters goes on the "Filters" button
    that folds the filters away on phones; the search words are not counted as a filter.
    """

    def without(name: str, value: str | None = None) -> str:
        query = request.GET.copy()
        if value is None:
            query.pop(name, None)
        else:
            query.setlist(name, [v for v in query.getlist(name) if v != value])
        query.pop("page", None)
        return query.urlencode()

    chosen = [
        ActiveFilter(
            facet.chip % {"value": option.label} if facet.chip else option.label,
            without(facet.name, option.value),
        )
        for facet in facets
        for option in facet.options
        if option.selected
    ]
    chosen += [ActiveFilter(label, without(name)) for name, label in extra]
    chips = ([ActiveFilter(f"“{q}”", without("q"))] if q else []) + chosen
    return {"active_filters": chips, "active_filter_count": len(chosen), "is_filtered": bool(chips)}
