"""The suggested-partners page of an idea, and what its lead can do with a suggestion."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.models import WRITE_ROLES, Membership, Organisation
from projects import services as project_services
from projects.consortium import eligibility_of
from projects.forms import InviteForm
from projects.models import ProjectIdea

from . import services
from .cache import features
from .features import idea_queryset

#: Suggestions on the partners page.
PAGE_LIMIT = 20
#: Suggestions below the divider while the call still lacks something: enough
#: to show who else suits the idea, without burying the gap-fillers.
OTHERS_LIMIT = 6


def _ideas_of_member(user):
    """Ideas whose lead the user belongs to, each with ``can_edit`` (owner or editor)."""
    return (
        idea_queryset()
        .filter(lead__in=Organisation.objects.member_of(user))
        .annotate(
            can_edit=Exists(
                Membership.objects.filter(
                    organisation=OuterRef("lead"), user=user, role__in=WRITE_ROLES
                )
            )
        )
    )


def _get_idea_for_member(user, slug: str) -> ProjectIdea:
    return get_object_or_404(_ideas_of_member(user), slug=slug)


def _get_idea_for_editor(user, slug: str) -> ProjectIdea:
    idea = _get_idea_for_member(user, slug)
    if not idea.can_edit:
        raise PermissionDenied
    return idea


@login_required
def idea_partners(request, slug):
    idea = _get_idea_for_member(request.user, slug)
    # The same verdict as the idea page, the consortium panel and the staff review.
    verdict = eligibility_of(idea)
    gap = bool(verdict and verdict.organisations_needed)
    if gap:
        filling, others = services.suggest_partner_groups(
            idea=idea, limit=PAGE_LIMIT, others=OTHERS_LIMIT
        )
    else:
        filling, others = [], services.suggest_partners(idea=idea, limit=PAGE_LIMIT)
    return render(
        request,
        "matching/idea_partners.html",
        {
            "idea": idea,
            "can_edit": idea.can_edit,
            "suggestions": filling + others,
            "filling": filling,
            "others": others,
            "gap": gap,
            "no_partners": bool(idea.call_id and not idea.call.partners_allowed),
            "dismissed": services.dismissed_organisations(idea),
            "eligibility": verdict,
        },
    )


def _back(idea: ProjectIdea):
    return redirect(reverse("matching:idea-partners", kwargs={"slug": idea.slug}))


def _suggested(slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.active(), slug=slug)


@require_POST
@login_required
def invite(request, slug, organisation):
    idea = _get_idea_for_editor(request.user, slug)
    partner = _suggested(organisation)
    form = InviteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _back(idea)
    match = services.score_partner(idea=idea, organisation=partner)
    try:
        project_services.application_invite(
            idea=idea,
            organisation=partner,
            by=request.user,
            score=match.score if match else None,
            components=match.components if match else {},
            reasons=match.reasons if match else [],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s is invited.") % {"name": partner.name})
    return _back(idea)


@require_POST
@login_required
def dismiss(request, slug, organisation):
    idea = _get_idea_for_editor(request.user, slug)
    # Unlisted (hidden or inactive) organisations are not even named here.
    partner = get_object_or_404(Organisation.objects.visible_to(request.user), slug=organisation)
    services.dismissal_create(idea=idea, organisation=partner, by=request.user)
    messages.success(
        request, _("%(name)s will not be suggested for this idea again.") % {"name": partner.name}
    )
    return _back(idea)


@require_POST
@login_required
def undo_dismiss(request, slug, organisation):
    idea = _get_idea_for_editor(request.user, slug)
    # Unlisted (hidden or inactive) organisations are not even named here.
    partner = get_object_or_404(Organisation.objects.visible_to(request.user), slug=organisation)
    services.dismissal_undo(idea=idea, organisation=partner)
    messages.success(request, _("%(name)s can be suggested again.") % {"name": partner.name})
    return _back(idea)


@staff_member_required
def weights(request):
    current = services.current_weights()
    return render(
        request,
        "matching/weights.html",
        {
            "weights": [(services.component_label(name), w) for name, w in current.items()],
            "cached": features.warm(),
            "last_load": features.last_load,
        },
    )
