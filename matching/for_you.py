""" "Ideas for …" on the dashboard: reasons as the visiting organisation reads them.

The scorer writes reasons for whoever looks for partners: on an idea's
"Suggested partners" page the lead reads "from Lithuania, a country you seek"
and "not verified yet, profile 92% complete" about a candidate. On the
dashboard the candidate is the reader's own organisation, so those lines would
describe the reader to themself. ``from_visitor_side`` keeps what compares the
idea with the organisation (themes, target groups, fields, language, similar
work), says in the reader's terms whether the idea seeks their country, and
leaves out what only describes their own profile (its freshness and
verification, its experience, its past projects).
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext
from django_countries import countries

from .scoring import Need

#: Components whose reason describes the candidate's own profile, not the fit.
OWN_PROFILE = ("experience", "trust", "track_record")


def country_reason(need: Need, country: str) -> str:
    """Whether the idea seeks (and its call still needs) a partner from ``country``."""
    values = {"country": countries.name(country) or country}
    fills = country in need.fill_countries or (
        need.fill_others and country not in need.fill_excluded
    )
    if country in need.countries_sought:
        if fills:
            return (
                gettext("the idea seeks partners from %(country)s, and its call still needs one")
                % values
            )
        return gettext("the idea seeks partners from %(country)s") % values
    if need.countries_sought:
        if fills:
            return (
                gettext(
                    "%(country)s is not among the countries the idea seeks, but its call still needs "
                    "a partner from there"
                )
                % values
            )
        return gettext("%(country)s is not among the countries the idea seeks") % values
    if country in need.member_countries:
        return gettext("%(country)s is already in its consortium") % values
    return gettext("%(country)s would be a new country in its consortium") % values


def from_visitor_side(suggestion, *, need: Need, country: str):
    """``suggestion`` with its reasons worded for the organisation it was made for."""
    reasons = {
        name: reason
        for name, reason in suggestion.component_reasons.items()
        if name not in OWN_PROFILE
    }
    if "country" in reasons:
        reasons["country"] = country_reason(need, country)
    return replace(
        suggestion,
        component_reasons=reasons,
        reasons=[reason for reason in reasons.values() if reason],
    )
