"""Pages of a partnership: apply, one application or invitation, the lead's triage, submit.

Thin, like the other views: every object comes through a scoped queryset (an
outsider gets 404, a member without the needed role 403) and every write is a
service of ``projects.partnerships`` that refuses with a sentence for the
person (shown as a message or a form error, never a 500).

Who may do what (issue 8): an application is answered (accept, decline,
shortlist) by the owners and editors of the idea's lead and withdrawn by those
of the applicant; an invitation is answered by the owners and editors of the
invited organisation and withdrawn by the lead's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.current import current_organisation
from organisations.models import WRITE_ROLES, Kind, Membership, Organisation

from . import eligibility, partnerships
from .consortium import consortium_of, eligibility_of
from .filters import ApplicationFilter, clean_filter_data
from .forms import ApplicationForm, ApplicationNoteForm, InviteToIdeaForm
from .models import (
    CONSORTIUM_STATUSES,
    ApplicationKind,
    ApplicationStatus,
    PartnershipApplication,
    ProjectIdea,
    ReviewStatus,
)

KIND_LABELS = dict(Kind.choices)

#: The actions of one application or invitation, in the order the page offers them.
ACTIONS = ("accept", "decline", "shortlist", "unshortlist", "withdraw", "remove")


def application_url(application: PartnershipApplication) -> str:
    return reverse("projects:application-detail", kwargs={"pk": application.pk})


def applications_url(idea: ProjectIdea) -> str:
    return reverse("projects:idea-applications", kwargs={"slug": idea.slug})


# --- Who may do what ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sides:
    """The viewer's role in the lead organisation and in the partner (None: not a member)."""

    lead: str | None = None
    partner: str | None = None

    @property
    def lead_writes(self) -> bool:
        return self.lead in WRITE_ROLES

    @property
    def partner_writes(self) -> bool:
        return self.partner in WRITE_ROLES


def may(action: str, application: PartnershipApplication, sides: Sides) -> bool:
    """Whether the viewer's roles allow ``action`` on this application at all (else 403).

    The status is the service's business: an action that is allowed but comes
    too late is refused with a sentence, not a 403.
    """
    invitation = application.kind == ApplicationKind.INVITATION
    if action in ("accept", "decline"):
        return sides.partner_writes if invitation else sides.lead_writes
    if action in ("shortlist", "unshortlist"):
        return sides.lead_writes and not invitation
    if action == "withdraw":
        return sides.lead_writes if invitation else sides.partner_writes
    if action == "remove":
        return sides.lead_writes
    return False


def available_actions(application: PartnershipApplication, sides: Sides) -> list[str]:
    """The actions the page offers now: allowed for the viewer and possible in this status."""
    status = application.status
    invitation = application.kind == ApplicationKind.INVITATION
    possible = set()
    if status == ApplicationStatus.SUBMITTED:
        possible |= {"accept", "decline", "withdraw"}
        possible.add("unshortlist" if application.shortlisted else "shortlist")
    elif status == ApplicationStatus.ACCEPTED:
        # Until the consortium is submitted a partner may leave and the lead may remove it.
        possible.add("remove")
        if not invitation:
            possible.add("withdraw")
    return [a for a in ACTIONS if a in possible and may(a, application, sides)]


def _sides(user, application: PartnershipApplication) -> Sides:
    roles = dict(
        Membership.objects.filter(
            user=user,
            organisation_id__in=[application.idea.lead_id, application.organisation_id],
        ).values_list("organisation_id", "role")
    )
    return Sides(
        lead=roles.get(application.idea.lead_id), partner=roles.get(application.organisation_id)
    )


def _application_for_member(request, pk: int) -> tuple[PartnershipApplication, Sides]:
    """An application the user's organisation sent or received; anyone else gets 404."""
    application = get_object_or_404(
        PartnershipApplication.objects.visible_to(request.user).select_related(
            "idea__lead", "idea__call", "organisation", "similar_to__idea"
        ),
        pk=pk,
    )
    return application, _sides(request.user, application)


def _idea_for_lead_member(request, slug: str) -> tuple[ProjectIdea, Sides]:
    """An idea led by an organisation the user belongs to (else 404), with the user's role in it."""
    idea = get_object_or_404(
        ProjectIdea.objects.of_member(request.user).select_related("lead", "call"), slug=slug
    )
    role = (
        Membership.objects.filter(user=request.user, organisation_id=idea.lead_id)
        .values_list("role", flat=True)
        .first()
    )
    return idea, Sides(lead=role)


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: next to the field it names, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _next_or(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Apply --------------------------------------------------------------------------------


def apply_state(request, idea: ProjectIdea) -> dict:
    """What the idea page says about applying, for the organisation the user acts for.

    ``can_apply`` shows the button; otherwise ``reason`` says why not (for a
    visitor: sign in). ``application`` is the organisation's existing
    application or invitation, to link to. Nothing for the lead's own members:
    they see their triage page instead.
    """
    user = request.user
    if not idea.is_open or idea.is_hidden:
        return {"closed": True}
    if not user.is_authenticated:
        return {"sign_in": True}
    writable = list(Organisation.objects.editable_by(user).order_by("name"))
    if not writable:
        if Organisation.objects.member_of(user).exists():
            return {
                "reason": _(
                    "Only owners and editors of an organisation can apply; "
                    "ask an owner of yours to make you an editor."
                )
            }
        return {
            "reason": _("Register your organisation first: organisations apply, not people."),
            "register": True,
        }
    current = current_organisation(request)
    acting = next((o for o in writable if current and o.pk == current.pk), writable[0])
    if acting.pk == idea.lead_id:
        return {}
    problem = partnerships.application_problem(idea=idea, organisation=acting)
    return {
        "organisation": acting,
        "several": len(writable) > 1,
        "can_apply": problem is None,
        "reason": problem,
        "application": PartnershipApplication.objects.filter(idea=idea, organisation=acting)
        .exclude(status__in=[ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED])
        .first()
        if problem
        else None,
    }


@login_required
def idea_apply(request, slug: str):
    """/ideas/<slug>/apply/: an owner or editor applies for one of their organisations."""
    idea = get_object_or_404(
        ProjectIdea.objects.visible_to(request.user).select_related("lead", "call"), slug=slug
    )
    writable = Organisation.objects.editable_by(request.user).order_by("name")
    organisations = list(writable)
    if not organisations:
        raise PermissionDenied(_("Only owners and editors of an organisation can apply."))
    problems = {
        o.pk: partnerships.application_problem(idea=idea, organisation=o) for o in organisations
    }
    if request.method == "POST":
        # Every organisation of the user is a valid choice here: the service says why one
        # cannot apply, so a double click lands on the application the first click made.
        form = ApplicationForm(request.POST, organisations=writable)
        if form.is_valid():
            data = dict(form.cleaned_data)
            organisation = data.pop("organisation")
            try:
                application = partnerships.application_apply(
                    idea=idea, organisation=organisation, by=request.user, **data
                )
            except ValidationError as error:
                existing = PartnershipApplication.objects.filter(
                    idea=idea,
                    organisation=organisation,
                    kind=ApplicationKind.APPLICATION,
                    status=ApplicationStatus.SUBMITTED,
                ).first()
                if existing is not None and not hasattr(error, "error_dict"):
                    _error_messages(request, error)
                    return redirect(application_url(existing))
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your application is sent to %(lead)s. You will be told when they answer.")
                    % {"lead": idea.lead.name},
                )
                return redirect(application_url(application))
    else:
        able = [o.pk for o in organisations if problems[o.pk] is None]
        current = current_organisation(request)
        initial = current.pk if current and current.pk in able else (able[0] if able else None)
        form = ApplicationForm(
            initial={"organisation": initial},
            organisations=writable.filter(pk__in=able),
        )
    refused = [(o, problems[o.pk]) for o in organisations if problems[o.pk]]
    return render(
        request,
        "projects/application_form.html",
        {
            "idea": idea,
            "form": form,
            "refused": refused,
            "only": organisations[0] if len(organisations) == 1 else None,
            "can_apply": request.method == "POST" or len(refused) < len(organisations),
        },
    )


# --- One application or invitation ---------------------------------------------------------


def _history(application: PartnershipApplication) -> list:
    """The events, each with the side that acted (an organisation, or PartnerHub staff).

    Names of organisations and display names only: the other side never sees
    an e-mail address. Two queries whatever the length of the history.
    """
    events = list(application.events.select_related("by__settings"))
    sides = {
        application.idea.lead_id: application.idea.lead,
        application.organisation_id: application.organisation,
    }
    user_ids = {event.by_id for event in events if event.by_id}
    organisation_of = (
        dict(
            Membership.objects.filter(
                user_id__in=user_ids, organisation_id__in=list(sides)
            ).values_list("user_id", "organisation_id")
        )
        if user_ids
        else {}
    )
    for event in events:
        organisation = sides.get(organisation_of.get(event.by_id))
        event.side = (
            organisation.name
            if organisation
            else (_("PartnerHub staff") if event.by_id and event.by.is_staff else "")
        )
        settings = getattr(event.by, "settings", None) if event.by_id else None
        event.person = settings.display_name if settings else ""
    return events


@login_required
def application_detail(request, pk: int):
    """/applications/<pk>/: one page for both sides: what was sent, the match, the history."""
    application, sides = _application_for_member(request, pk)
    return render(
        request,
        "projects/application_detail.html",
        {
            "application": application,
            "idea": application.idea,
            "sides": sides,
            "is_lead_side": sides.lead is not None,
            "is_invitation": application.kind == ApplicationKind.INVITATION,
            "actions": available_actions(application, sides),
            "events": _history(application),
            "note_form": ApplicationNoteForm(),
        },
    )


SERVICES = {
    "accept": partnerships.application_accept,
    "decline": partnerships.application_decline,
    "withdraw": partnerships.application_withdraw,
    "remove": partnerships.application_remove,
}


def _done(action: str, application: PartnershipApplication) -> str:
    texts = {
        "accept": _("Accepted: %(organisation)s is in the consortium of “%(idea)s”."),
        "decline": _("Declined. The other side is told."),
        "withdraw": _("Withdrawn. The other side is told."),
        "remove": _(
            "%(organisation)s is no longer in the consortium of “%(idea)s”. They are told."
        ),
        "shortlist": _("%(organisation)s is on your shortlist."),
        "unshortlist": _("%(organisation)s is off your shortlist."),
    }
    return texts[action] % {
        "organisation": application.organisation.name,
        "idea": application.idea.title,
    }


@login_required
@require_POST
def application_action(request, pk: int, action: str):
    """Accept, decline, withdraw, shortlist: 404 for outsiders, 403 for the wrong side or role."""
    if action not in ACTIONS:
        raise PermissionDenied
    application, sides = _application_for_member(request, pk)
    if not may(action, application, sides):
        raise PermissionDenied(_("Your role does not allow this on this application."))
    target = _next_or(request, application_url(application))
    form = ApplicationNoteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(target)
    seen = request.POST.get("seen", "")
    if action in ("accept", "decline") and seen in ApplicationStatus.values:
        # The status the person saw: if someone answered in between, the service keeps
        # this attempt in the history as refused and says who was first. (Only for
        # answers: a withdrawal is judged on the status as it is now.)
        application.status = seen
    try:
        if action in SERVICES:
            SERVICES[action](
                application=application, by=request.user, note=form.cleaned_data["note"]
            )
        else:
            partnerships.application_shortlist(
                application=application, by=request.user, shortlisted=action == "shortlist"
            )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _done(action, application))
    return redirect(target)


# --- The lead's triage -----------------------------------------------------------------------


def consortium_panel(idea: ProjectIdea, consortium: list[Organisation] | None = None) -> dict:
    """Members, their countries and kinds, and the call's verdict: the idea page and the triage."""
    consortium = consortium if consortium is not None else consortium_of(idea)
    return {
        "consortium": consortium,
        "partners": consortium[1:],
        "consortium_countries": sorted({o.country.name for o in consortium if o.country}),
        "consortium_kinds": sorted({KIND_LABELS.get(o.kind, o.kind) for o in consortium}),
        "eligibility": eligibility_of(idea, consortium),
        "call_rules": eligibility.describe(idea.call.rules, KIND_LABELS) if idea.call else [],
    }


def lead_summary(idea: ProjectIdea) -> dict:
    """Counts for the lead's link on the idea page, and the invitations it sent (two queries)."""
    counts = idea.applications.aggregate(
        new=Count(
            "pk",
            filter=Q(kind=ApplicationKind.APPLICATION, status=ApplicationStatus.SUBMITTED),
        ),
        shortlisted=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED, shortlisted=True)),
        total=Count("pk"),
    )
    invitations = list(
        idea.applications.filter(kind=ApplicationKind.INVITATION)
        .select_related("organisation")
        .order_by("-created_at")
    )
    return {"application_counts": counts, "invitations_sent": invitations}


@login_required
def idea_applications(request, slug: str):
    """/ideas/<slug>/applications/: every application and invitation, the consortium, submit."""
    idea, sides = _idea_for_lead_member(request, slug)
    base = idea.applications.all()
    filterset, ignored = clean_filter_data(
        ApplicationFilter,
        request.GET,
        queryset=base.select_related("organisation", "similar_to__idea"),
    )
    applications = list(filterset.qs)
    for application in applications:
        application.actions = available_actions(application, sides)
    by_status = dict(base.order_by().values_list("status").annotate(n=Count("pk")))
    by_kind = dict(base.order_by().values_list("kind").annotate(n=Count("pk")))
    consortium = consortium_of(idea)
    review = idea.reviews.order_by("-submitted_at", "-pk").first()
    return render(
        request,
        "projects/idea_applications.html",
        {
            "idea": idea,
            "filter": filterset,
            "ignored_filters": ignored,
            "applications": applications,
            # Links to each status and kind there is, with how many: "Submitted: 3 · …".
            "counts": [
                *(
                    ("status", value, label, by_status[value])
                    for value, label in ApplicationStatus.choices
                    if by_status.get(value)
                ),
                *(
                    ("kind", value, label, by_kind[value])
                    for value, label in ApplicationKind.choices
                    if by_kind.get(value)
                ),
            ],
            "total": sum(by_status.values()),
            "can_edit": sides.lead_writes,
            "submit_problems": partnerships.submit_problems(idea, consortium),
            "review": review,
            "review_waiting": review is not None and review.status == ReviewStatus.UNDER_REVIEW,
            "note_form": ApplicationNoteForm(),
            **consortium_panel(idea, consortium),
        },
    )


@login_required
@require_POST
def idea_submit(request, slug: str):
    """The lead's owners and editors send the consortium to staff review."""
    idea, sides = _idea_for_lead_member(request, slug)
    if not sides.lead_writes:
        raise PermissionDenied(_("Only owners and editors of the lead organisation can do this."))
    try:
        partnerships.consortium_submit(idea=idea, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            _(
                "The consortium is submitted for staff review. "
                "You and your partners will be told of the decision."
            ),
        )
    return redirect(applications_url(idea))


# --- Invite from a profile -------------------------------------------------------------------


def ideas_to_invite_to(user, organisation: Organisation):
    """Open ideas the user may invite ``organisation`` to: led by an organisation they edit,
    not its own, and without a pending or accepted application of it (one query)."""
    taken = PartnershipApplication.objects.filter(organisation=organisation).filter(
        Q(status=ApplicationStatus.SUBMITTED) | Q(status__in=CONSORTIUM_STATUSES)
    )
    return (
        ProjectIdea.objects.editable_by(user)
        .open()
        .exclude(lead=organisation)
        .exclude(pk__in=taken.values("idea_id"))
        .select_related("lead")
        .order_by("title")
    )


@login_required
@require_POST
def organisation_invite(request, slug: str):
    """The profile's "Invite to an idea" form: an owner or editor of a lead invites this organisation."""
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), slug=slug)
    if not ProjectIdea.objects.editable_by(request.user).exists():
        raise PermissionDenied(_("Only owners and editors of an idea's lead can invite partners."))
    form = InviteToIdeaForm(
        request.POST,
        ideas=ProjectIdea.objects.editable_by(request.user).exclude(lead=organisation),
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(organisation)
    idea = form.cleaned_data["idea"]
    try:
        application = partnerships.application_invite(
            idea=idea, organisation=organisation, by=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        _error_messages(request, error)
        return redirect(organisation)
    messages.success(
        request,
        _("%(organisation)s is invited to “%(idea)s”. You will be told when they answer.")
        % {"organisation": organisation.name, "idea": idea.title},
    )
    return redirect(application_url(application))
