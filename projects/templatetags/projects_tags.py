"""Project pieces other pages embed: `{% load projects_tags %}{% organisation_ideas organisation %}`."""

from django import template
from django.contrib.auth.models import AnonymousUser

from organisations.models import Organisation
from projects.models import CONSORTIUM_STATUSES, IdeaStatus, ProjectIdea

register = template.Library()


@register.inclusion_tag("projects/_organisation_ideas.html", takes_context=True)
def organisation_ideas(context, organisation: Organisation) -> dict:
    """The ideas an organisation leads and those it is a partner in, as the viewer may see them.

    Members of the organisation also see its drafts and closed ideas; everybody
    else sees only ideas that are open for partners. Two queries.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        user = AnonymousUser()
    visible = ProjectIdea.objects.visible_to(user).select_related("call", "programme")
    is_member = user.is_authenticated and organisation.memberships.filter(user=user).exists()
    led = visible.filter(lead=organisation)
    led = led.exclude(status=IdeaStatus.ARCHIVED) if is_member else led.open()
    partner_in = (
        visible.filter(
            applications__organisation=organisation,
            applications__status__in=CONSORTIUM_STATUSES,
        )
        .exclude(status=IdeaStatus.ARCHIVED)
        .select_related("lead")
        .distinct()
    )
    return {
        "organisation": organisation,
        "led_ideas": list(led),
        "partner_ideas": list(partner_in),
        "is_member": is_member,
        "request": request,
    }
