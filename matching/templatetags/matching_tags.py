"""Matching on other apps' pages: complementary organisations and "ideas for you"."""

from django import template

from matching import services

register = template.Library()

#: How many suggestions a page section shows.
SECTION_LIMIT = 5


@register.inclusion_tag("matching/_complementary.html", takes_context=True)
def complementary_organisations(context, organisation, limit=SECTION_LIMIT):
    """Organisations from other countries and sectors that share this one's goals.

    ``{% load matching_tags %}{% complementary_organisations organisation %}``
    on the profile page; renders nothing for an inactive organisation.
    """
    suggestions = services.complementary_organisations(organisation=organisation, limit=limit)
    return {
        "organisation": organisation,
        "suggestions": suggestions,
        "request": context.get("request"),
    }


@register.inclusion_tag("matching/_ideas_for_you.html", takes_context=True)
def ideas_for_you(context, organisation, limit=SECTION_LIMIT):
    """Open ideas of other organisations that suit ``organisation``, for the dashboard."""
    request = context.get("request")
    user = getattr(request, "user", None)
    suggestions = (
        services.suggest_ideas(organisation=organisation, limit=limit, user=user)
        if organisation is not None
        else []
    )
    return {"organisation": organisation, "suggestions": suggestions, "request": request}
