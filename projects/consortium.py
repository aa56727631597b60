"""Who is in an idea's consortium, and what the call's rules say about it."""

from __future__ import annotations

from organisations.models import Kind, Organisation

from . import eligibility
from .models import CONSORTIUM_STATUSES, ProjectIdea

__all__ = ["consortium_of", "eligibility_of", "members_of"]


def consortium_of(idea: ProjectIdea) -> list[Organisation]:
    """The lead first, then the partners whose application reached the consortium, by name.

    One query for the partners (the lead is usually loaded already with
    ``select_related("lead")``).
    """
    partners = (
        Organisation.objects.filter(
            applications__idea=idea, applications__status__in=CONSORTIUM_STATUSES
        )
        .exclude(pk=idea.lead_id)
        .order_by("name")
        .distinct()
    )
    return [idea.lead, *partners]


def members_of(organisations: list[Organisation]) -> list[eligibility.Member]:
    """The consortium as eligibility sees it; the first organisation is the lead."""
    return [
        eligibility.Member(
            name=o.name,
            country=o.country.code or "",
            kind=o.kind,
            region=o.region,
            is_lead=index == 0,
        )
        for index, o in enumerate(organisations)
    ]


def eligibility_of(
    idea: ProjectIdea, consortium: list[Organisation] | None = None
) -> eligibility.Eligibility | None:
    """The call's verdict on the consortium so far; None when the idea aims at no call."""
    if idea.call is None:
        return None
    if consortium is None:
        consortium = consortium_of(idea)
    return eligibility.check(
        members_of(consortium), idea.call.rules, kind_labels=dict(Kind.choices)
    )
