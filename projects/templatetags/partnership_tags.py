"""Partnership pieces other pages embed: `{% load partnership_tags %}{% invite_to_idea organisation %}`."""

from django import template

from organisations.models import Organisation

from ..application_views import ideas_to_invite_to
from ..forms import InviteToIdeaForm

register = template.Library()


@register.inclusion_tag("projects/_invite_to_idea.html", takes_context=True)
def invite_to_idea(context, organisation: Organisation) -> dict:
    """The "Invite to an idea" form on a profile, for owners and editors of a lead with open ideas.

    Nothing for anyone else (visitors, viewers, organisations without an open
    idea to offer). One query.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    ideas = list(ideas_to_invite_to(user, organisation))
    if not ideas:
        return {}
    return {
        "organisation": organisation,
        "form": InviteToIdeaForm(ideas=ideas_to_invite_to(user, organisation)),
        "ideas": ideas,
        "several_leads": len({idea.lead_id for idea in ideas}) > 1,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
