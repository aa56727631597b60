"""Facet counts shown beside the filters of a list page (organisations, ideas)."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True, slots=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]
    # Shown unfolded even when nothing in it is ticked.
    open: bool = False

    @property
    def selected_count(self) -> int:
        return sum(1 for option in self.options if option.selected)
