"""Services of the partnership lifecycle: apply, invite, answer, submit, review, moderate, talk.

The lifecycle of one application (or invitation), as ``docs/architecture.md`` draws it::

    submitted ──accept──▶ accepted ──submit──▶ under-review ──approve──▶ approved
        │                    │                     │ └──reject──▶ rejected
        ├──decline──▶ declined                     └──request changes──▶ accepted
        └──withdraw──▶ withdrawn ◀──withdraw── (accepted)

An application is answered by the lead; an invitation by the invited
organisation. Every change is one transaction that locks the row, records an
``ApplicationEvent`` and notifies the other side (in the app at once, by
e-mail through the task queue after commit). An attempt that loses a race
(the row changed after the person loaded the page) changes nothing, is kept
in the history as ``refused`` and tells the person what happened instead.

Callers check who may act (views through scoped querysets, the admin through
permissions); these functions keep the rules that hold whoever calls them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.text import normalise
from organisations.models import Kind, Membership, Organisation
from organisations.notifications import deciders_of, notify, notify_organisation
from partnerhub import limits

from . import eligibility
from .consortium import consortium_of, eligibility_of, members_of
from .models import (
    CONSORTIUM_STATUSES,
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    ConsortiumReview,
    Conversation,
    IdeaStatus,
    Message,
    PartnershipApplication,
    ProjectIdea,
    ReviewStatus,
)
from .track_records import past_project_from_review

__all__ = [
    "APPLICATION_TRANSITIONS",
    "application_accept",
    "application_apply",
    "application_decline",
    "application_invite",
    "application_problem",
    "application_shortlist",
    "application_transition",
    "application_remove",
    "application_withdraw",
    "consortium_submit",
    "conversation_for_application",
    "conversation_mark_read",
    "conversation_start",
    "idea_hide",
    "idea_show",
    "message_post",
    "register_match_scorer",
    "review_decide",
    "submit_problems",
]

#: Which application status may follow which; every other change is refused.
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.SUBMITTED: frozenset(
        {ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN}
    ),
    # An accepted partner leaves (withdrawn) or the lead removes it (declined), until the
    # consortium is submitted.
    ApplicationStatus.ACCEPTED: frozenset(
        {ApplicationStatus.UNDER_REVIEW, ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED}
    ),
    # Staff asking for changes send the consortium back to the lead: accepted again.
    ApplicationStatus.UNDER_REVIEW: frozenset(
        {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.ACCEPTED}
    ),
    ApplicationStatus.APPROVED: frozenset(),
    ApplicationStatus.REJECTED: frozenset(),
    ApplicationStatus.DECLINED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}

#: An application or invitation in one of these may be made again (the same row reopens).
REOPENABLE = (ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)

#: Two motivations at least this similar (0..1) count as the same text sent twice.
SIMILAR_MOTIVATION = 0.9

KIND_LABELS = dict(Kind.choices)

# --- The match at the moment of applying ------------------------------------------------

MatchScorer = Callable[[ProjectIdea, Organisation], "tuple[int, dict, list] | None"]
_match_scorer: MatchScorer | None = None


def register_match_scorer(scorer: MatchScorer | None) -> None:
    """The matching app (above this one) registers how to score a partner for an idea.

    Kept as a hook so projects never imports matching; without it an application
    simply stores no score.
    """
    global _match_scorer
    _match_scorer = scorer


def _match(idea: ProjectIdea, organisation: Organisation) -> tuple[int | None, dict, list]:
    if _match_scorer is None:
        return None, {}, []
    found = _match_scorer(idea, organisation)
    return found if found else (None, {}, [])


# --- Small helpers ---------------------------------------------------------------------


def _user(by):
    return by if getattr(by, "pk", None) else None


def _status_label(status: str) -> str:
    return (
        str(ApplicationStatus(status).label).lower()
        if status in ApplicationStatus.values
        else status
    )


def _params(application: PartnershipApplication, **extra) -> dict:
    return {
        "idea": application.idea.title,
        "lead": application.idea.lead.name,
        "organisation": application.organisation.name,
        **extra,
    }


def _lead_url(application: PartnershipApplication) -> str:
    return application.idea.get_absolute_url() + "applications/"


def _partner_url(application: PartnershipApplication) -> str:
    return f"/applications/{application.pk}/"


def application_problem(*, idea: ProjectIdea, organisation: Organisation) -> str | None:
    """Why ``organisation`` cannot apply to or be invited to ``idea`` now, or None.

    Said plainly for the person who tried: the idea is not open, it is the
    organisation's own idea, it is already in the consortium or has a pending
    application or invitation, or the call's rules exclude it (the sentence
    names the rule).
    """
    if organisation.pk == idea.lead_id:
        return _("This is your own organisation's idea: the lead is already part of it.")
    if not idea.is_open or idea.is_hidden:
        return _("This idea no longer takes partners: it is not open, or past its closing date.")
    if not organisation.is_active or organisation.is_hidden:
        return _("%(organisation)s is not active on PartnerHub.") % {
            "organisation": organisation.name
        }
    existing = (
        PartnershipApplication.objects.filter(idea=idea, organisation=organisation)
        .values_list("status", "kind")
        .first()
    )
    if existing:
        status, kind = existing
        if status in CONSORTIUM_STATUSES:
            return _("%(organisation)s is already in the consortium of this idea.") % {
                "organisation": organisation.name
            }
        if status == ApplicationStatus.SUBMITTED:
            if kind == ApplicationKind.INVITATION:
                return _(
                    "%(organisation)s already has an invitation to this idea waiting for an answer."
                ) % {"organisation": organisation.name}
            return _(
                "%(organisation)s already has an application to this idea waiting for an answer."
            ) % {"organisation": organisation.name}
    if idea.call_id:
        problem = eligibility.partner_problem(
            members_of([organisation])[0], idea.call.rules, kind_labels=KIND_LABELS
        )
        if problem:
            return problem
    return None


def _similar_motivation(
    organisation: Organisation, idea: ProjectIdea, motivation: str
) -> PartnershipApplication | None:
    """An earlier application of the organisation to another idea with nearly the same text."""
    text = normalise(motivation)
    if len(text) < 80:
        return None  # short texts are alike by nature ("We would love to join")
    earlier = (
        PartnershipApplication.objects.filter(organisation=organisation)
        .exclude(idea=idea)
        .exclude(motivation="")
        .order_by("-created_at")
        .only("pk", "motivation", "idea_id")[:50]
    )
    for other in earlier:
        matcher = difflib.SequenceMatcher(None, text, normalise(other.motivation), autojunk=False)
        if matcher.quick_ratio() >= SIMILAR_MOTIVATION and matcher.ratio() >= SIMILAR_MOTIVATION:
            return other
    return None


def _record(application, *, from_status: str, to_status: str, by, note: str = "", refused=False):
    return ApplicationEvent.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        by=_user(by),
        note=note,
        refused=refused,
    )


def _create_or_reopen(
    *, idea: ProjectIdea, organisation: Organisation, by, kind: str, fields: dict, note: str = ""
) -> PartnershipApplication:
    """A new application row, or the declined/withdrawn one reopened with the new content.

    One row per organisation and idea (a constraint), so a second attempt after a
    "no" continues the same history. A concurrent duplicate (double click) hits
    the constraint and is refused, never a second row.
    """
    existing = (
        PartnershipApplication.objects.select_for_update()
        .filter(idea=idea, organisation=organisation)
        .first()
    )
    if existing is not None:
        if existing.status not in REOPENABLE:
            raise ValidationError(
                _("%(organisation)s already has an application or invitation for this idea.")
                % {"organisation": organisation.name}
            )
        previous = existing.status
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.kind = kind
        existing.status = ApplicationStatus.SUBMITTED
        existing.shortlisted = False
        existing.created_by = _user(by)
        existing.full_clean()
        existing.save()
        _record(
            existing, from_status=previous, to_status=ApplicationStatus.SUBMITTED, by=by, note=note
        )
        return existing
    application = PartnershipApplication(
        idea=idea,
        organisation=organisation,
        kind=kind,
        status=ApplicationStatus.SUBMITTED,
        created_by=_user(by),
        **fields,
    )
    application.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError(
            _("%(organisation)s already has an application or invitation for this idea.")
            % {"organisation": organisation.name}
        ) from None
    _record(application, from_status="", to_status=ApplicationStatus.SUBMITTED, by=by, note=note)
    return application


# --- Apply and invite --------------------------------------------------------------------


def application_apply(
    *,
    idea: ProjectIdea,
    organisation: Organisation,
    by,
    motivation: str,
    proposed_role: str = "",
    contribution: str = "",
    experience: str = "",
    contact_name: str = "",
) -> PartnershipApplication:
    """``organisation`` applies to join ``idea``; the lead's owners and editors are told.

    Stores the match score and its reasons as they are now, and flags a
    motivation nearly identical to one the organisation sent to another idea.
    Raises ValidationError with a sentence for the applicant when the idea is
    closed, is its own, it already applied or belongs to the consortium, the
    call excludes it, or today's limit is reached.
    """
    with transaction.atomic():
        idea = ProjectIdea.objects.select_related("lead", "call").get(pk=idea.pk)
        problem = application_problem(idea=idea, organisation=organisation)
        if problem:
            raise ValidationError(problem)
        if not motivation.strip():
            raise ValidationError({"motivation": _("Say in a few sentences why you want to join.")})
        limits.check_daily("application", user=by, organisation=organisation)
        score, components, reasons = _match(idea, organisation)
        application = _create_or_reopen(
            idea=idea,
            organisation=organisation,
            by=by,
            kind=ApplicationKind.APPLICATION,
            fields={
                "motivation": motivation.strip(),
                "proposed_role": proposed_role.strip(),
                "contribution": contribution.strip(),
                "experience": experience.strip(),
                "contact_name": contact_name.strip(),
                "score": score,
                "score_components": components,
                "score_reasons": list(reasons),
                "similar_to": _similar_motivation(organisation, idea, motivation),
            },
        )
        params = _params(application, note=application.motivation[:600])
        if application.similar_to_id:
            params["similar"] = application.similar_to.idea.title
        notify_organisation(
            organisation=idea.lead,
            kind="application-received",
            params=params,
            url=_lead_url(application),
            exclude=by,
        )
        transaction.on_commit(
            lambda: limits.count_daily("application", user=by, organisation=organisation)
        )
    return application


def application_invite(
    *,
    idea: ProjectIdea,
    organisation: Organisation,
    by,
    score: int | None = None,
    components: dict | None = None,
    reasons: list[str] | None = None,
    note: str = "",
) -> PartnershipApplication:
    """The lead invites ``organisation`` to join ``idea``; its owners and editors are told.

    Records the match as it was (score, components, reasons; computed now when
    not given) for the partner and the reviewers, and the lead's message.
    Refuses what :func:`application_problem` refuses, and past today's limit.
    """
    with transaction.atomic():
        idea = ProjectIdea.objects.select_related("lead", "call").get(pk=idea.pk)
        problem = application_problem(idea=idea, organisation=organisation)
        if problem:
            raise ValidationError(problem)
        limits.check_daily("invitation", user=by, organisation=idea.lead)
        if score is None:
            score, components, reasons = _match(idea, organisation)
        application = _create_or_reopen(
            idea=idea,
            organisation=organisation,
            by=by,
            kind=ApplicationKind.INVITATION,
            note=note.strip(),
            fields={
                "motivation": note.strip(),
                "score": score,
                "score_components": components or {},
                "score_reasons": list(reasons or []),
            },
        )
        notify_organisation(
            organisation=organisation,
            kind="invitation-received",
            params=_params(application, note=note.strip()[:600], reasons=list(reasons or [])),
            url=_partner_url(application),
            exclude=by,
        )
        transaction.on_commit(
            lambda: limits.count_daily("invitation", user=by, organisation=idea.lead)
        )
    return application


# --- Answers -----------------------------------------------------------------------------


def _transition(
    application: PartnershipApplication, *, to_status: str, by, note: str, expected: str | None
) -> str | None:
    """Lock, check and move one application; the refusal as a sentence, or None when done.

    Call inside a transaction. When the row moved on after the person saw it
    (``expected``), the attempt is recorded as refused so both clicks stay in
    the history; the caller raises after its transaction commits.
    """
    locked = PartnershipApplication.objects.select_for_update().get(pk=application.pk)
    current = locked.status
    stale = expected is not None and expected != current
    # A decision taken on a state that no longer holds is refused even when the new state
    # would allow it: a lead withdrawing an invitation must not withdraw an accepted partner.
    if not stale and to_status in APPLICATION_TRANSITIONS.get(current, frozenset()):
        locked.status = to_status
        locked.save(update_fields=["status", "updated_at"])
        _record(locked, from_status=current, to_status=to_status, by=by, note=note)
        application.status = to_status
        application.updated_at = locked.updated_at
        return None
    application.status = current
    if stale:
        _record(locked, from_status=current, to_status=to_status, by=by, note=note, refused=True)
        return _("Someone decided first: this application is already %(status)s.") % {
            "status": _status_label(current)
        }
    return _("An application that is %(from)s cannot become %(to)s.") % {
        "from": _status_label(current),
        "to": _status_label(to_status),
    }


def application_transition(
    *,
    application: PartnershipApplication,
    to_status: str,
    by,
    note: str = "",
    expected: str | None = None,
) -> PartnershipApplication:
    """Move an application to ``to_status`` if allowed, recording who, when and why.

    The row is locked, so two people clicking at once end in one decision.
    ``expected`` is the status the person saw: when the row moved on in the
    meantime, the attempt is recorded as refused (both clicks stay in the
    history) and a ValidationError says what happened instead.
    """
    with transaction.atomic():
        refused = _transition(application, to_status=to_status, by=by, note=note, expected=expected)
    if refused:
        raise ValidationError(refused)
    return application


def _answer(
    application: PartnershipApplication,
    *,
    to_status: str,
    by,
    note: str,
    kind: str,
    told: Organisation | None = None,
    url: str = "",
):
    """Move the application as one side's answer and tell the other side (``told``).

    By default the other side is the one that did not create it: the lead for
    an invitation's answer, the applicant for an application's.
    """
    expected = application.status
    with transaction.atomic():
        refused = _transition(application, to_status=to_status, by=by, note=note, expected=expected)
        if not refused:
            if told is None and application.kind == ApplicationKind.INVITATION:
                told, url = application.idea.lead, _lead_url(application)
            elif told is None:
                told, url = application.organisation, _partner_url(application)
            notify_organisation(
                organisation=told,
                kind=kind,
                params=_params(application, note=note.strip()[:600]),
                url=url,
                exclude=by,
            )
    if refused:
        raise ValidationError(refused)
    return application


def application_accept(
    *, application: PartnershipApplication, by, note: str = ""
) -> PartnershipApplication:
    """Yes: the lead accepts an application, or the invited organisation accepts an invitation.

    The organisation joins the consortium; the other side is told.
    """
    if application.idea.status == IdeaStatus.ARCHIVED or application.idea.is_hidden:
        raise ValidationError(_("This idea is archived: its consortium can no longer change."))
    kind = (
        "invitation-accepted"
        if application.kind == ApplicationKind.INVITATION
        else "application-accepted"
    )
    return _answer(application, to_status=ApplicationStatus.ACCEPTED, by=by, note=note, kind=kind)


def application_decline(
    *, application: PartnershipApplication, by, note: str = ""
) -> PartnershipApplication:
    """No, with an optional note the other side reads."""
    if application.status != ApplicationStatus.SUBMITTED:
        # An accepted partner is removed (``application_remove``), not declined.
        raise ValidationError(
            _("An application that is %(from)s cannot become %(to)s.")
            % {
                "from": _status_label(application.status),
                "to": _status_label(ApplicationStatus.DECLINED),
            }
        )
    kind = (
        "invitation-declined"
        if application.kind == ApplicationKind.INVITATION
        else "application-declined"
    )
    return _answer(application, to_status=ApplicationStatus.DECLINED, by=by, note=note, kind=kind)


def application_withdraw(
    *, application: PartnershipApplication, by, note: str = ""
) -> PartnershipApplication:
    """The applicant takes back its application, or the lead its invitation; the other side is told.

    An applicant may also leave after being accepted, until the consortium is
    submitted for review.
    """
    kind = (
        "invitation-withdrawn"
        if application.kind == ApplicationKind.INVITATION
        else "application-withdrawn"
    )
    if (
        application.kind == ApplicationKind.INVITATION
        and application.status != ApplicationStatus.SUBMITTED
    ):
        raise ValidationError(_("Only an invitation that is still unanswered can be withdrawn."))
    if application.kind == ApplicationKind.INVITATION:
        told, url = application.organisation, _partner_url(application)
    else:
        told, url = application.idea.lead, _lead_url(application)
    return _answer(
        application,
        to_status=ApplicationStatus.WITHDRAWN,
        by=by,
        note=note,
        kind=kind,
        told=told,
        url=url,
    )


def application_remove(
    *, application: PartnershipApplication, by, note: str = ""
) -> PartnershipApplication:
    """The lead takes an accepted partner out of the consortium, until it is submitted.

    For a partner that stopped answering or no longer fits the call: the
    application ends as declined (either side may start again later), the
    partner is told, with the lead's note, and the history keeps who and when.
    """
    if application.idea.status == IdeaStatus.ARCHIVED or application.idea.is_hidden:
        raise ValidationError(_("This idea is archived: its consortium can no longer change."))
    if application.status != ApplicationStatus.ACCEPTED:
        raise ValidationError(
            _("Only a partner in the consortium can be removed, before it is submitted.")
        )
    return _answer(
        application,
        to_status=ApplicationStatus.DECLINED,
        by=by,
        note=note,
        kind="partner-removed",
        told=application.organisation,
        url=_partner_url(application),
    )


def application_shortlist(
    *, application: PartnershipApplication, by, shortlisted: bool = True
) -> PartnershipApplication:
    """The lead marks an unanswered application as one to come back to (only the lead sees it)."""
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("Only an application waiting for an answer can be shortlisted."))
    PartnershipApplication.objects.filter(pk=application.pk).update(shortlisted=shortlisted)
    application.shortlisted = shortlisted
    return application


# --- Submit for review, and the staff decision -------------------------------------------


def submit_problems(idea: ProjectIdea, consortium: list[Organisation] | None = None) -> list[str]:
    """What stops the lead from submitting the consortium now; empty when it can be submitted."""
    consortium = consortium if consortium is not None else consortium_of(idea)
    problems: list[str] = []
    if idea.reviews.filter(status=ReviewStatus.UNDER_REVIEW).exists():
        problems.append(_("The consortium is already waiting for staff review."))
        return problems
    accepted = idea.applications.filter(status=ApplicationStatus.ACCEPTED)
    if not accepted.exists():
        if idea.reviews.filter(status=ReviewStatus.APPROVED).exists():
            problems.append(_("Staff already approved this consortium."))
        else:
            problems.append(
                _("No partner has joined yet: accept an application or an invitation first.")
            )
        return problems
    verdict = eligibility_of(idea, consortium)
    if verdict is not None and not verdict.eligible:
        problems.extend(verdict.problems)
        problems.extend(verdict.missing)
    return problems


def _snapshot(idea: ProjectIdea, consortium: list[Organisation]) -> dict:
    verdict = eligibility_of(idea, consortium)
    applications = {
        a.organisation_id: a for a in idea.applications.filter(status__in=CONSORTIUM_STATUSES)
    }
    members = []
    for organisation in consortium:
        application = applications.get(organisation.pk)
        members.append(
            {
                "id": organisation.pk,
                "name": organisation.name,
                "slug": organisation.slug,
                "country": organisation.country.code,
                "kind": organisation.kind,
                "verified": organisation.is_verified,
                "role": "lead" if organisation.pk == idea.lead_id else "partner",
                "joined_as": application.kind if application else "",
                "score": application.score if application else None,
                "components": application.score_components if application else {},
                "reasons": application.score_reasons if application else [],
                "proposed_role": application.proposed_role if application else "",
            }
        )
    return {
        "idea": {"id": idea.pk, "title": idea.title, "slug": idea.slug},
        "call": idea.call.code if idea.call_id else "",
        "programme": idea.programme.code if idea.programme_id else "",
        "members": members,
        "countries": sorted({m["country"] for m in members}),
        "eligible": verdict.eligible if verdict else None,
        "verdict": list(verdict.missing + verdict.problems) if verdict else [],
        "submitted_at": timezone.now().isoformat(),
    }


def _consortium_users(idea: ProjectIdea, consortium: Iterable[Organisation]) -> list:
    people = []
    for organisation in consortium:
        people.extend(deciders_of(organisation))
    return people


def consortium_submit(*, idea: ProjectIdea, by) -> ConsortiumReview:
    """The lead sends the consortium to staff: every accepted partner moves to under review together.

    Refused, saying what is missing, unless the call's rules are met. A snapshot
    of the consortium (members, countries, kinds, scores, the call's verdict) is
    stored for the reviewers. Lead and partners are told.
    """
    with transaction.atomic():
        idea = ProjectIdea.objects.select_for_update().get(pk=idea.pk)
        consortium = consortium_of(idea)
        problems = submit_problems(idea, consortium)
        if problems:
            raise ValidationError(problems)
        review = ConsortiumReview.objects.create(
            idea=idea, snapshot=_snapshot(idea, consortium), submitted_by=_user(by)
        )
        for application in idea.applications.filter(status=ApplicationStatus.ACCEPTED):
            application_transition(
                application=application, to_status=ApplicationStatus.UNDER_REVIEW, by=by
            )
        notify(
            recipients=_consortium_users(idea, consortium),
            kind="consortium-submitted",
            params={"idea": idea.title, "lead": idea.lead.name},
            url=idea.get_absolute_url(),
            exclude=by,
        )
    return review


DECISIONS = {
    ReviewStatus.APPROVED: (ApplicationStatus.APPROVED, "review-approved"),
    ReviewStatus.REJECTED: (ApplicationStatus.REJECTED, "review-rejected"),
    ReviewStatus.CHANGES_REQUESTED: (ApplicationStatus.ACCEPTED, "review-changes"),
}


def reviewer_conflict(review: ConsortiumReview, user) -> bool:
    """True when the reviewer belongs to an organisation of the consortium under review."""
    ids = [member["id"] for member in review.snapshot.get("members", [])]
    ids.append(review.idea.lead_id)
    return Membership.objects.filter(user=user, organisation_id__in=ids).exists()


def review_decide(*, review: ConsortiumReview, decision: str, by, note: str) -> ConsortiumReview:
    """Staff approve, reject or send back a submitted consortium, with a note everyone reads.

    The note is required. A reviewer who belongs to one of the consortium's
    organisations cannot decide. Two reviewers at once end in one decision:
    the second is told who decided first. Lead and partners are notified.
    """
    if decision not in DECISIONS:
        raise ValidationError(_("Unknown decision."))
    if not note.strip():
        raise ValidationError({"note": _("Write a note: the lead and the partners will read it.")})
    if reviewer_conflict(review, by):
        raise ValidationError(
            _("You belong to an organisation in this consortium: another reviewer must decide.")
        )
    application_status, kind = DECISIONS[decision]
    with transaction.atomic():
        locked = (
            ConsortiumReview.objects.select_for_update()
            .select_related("idea__lead")
            .get(pk=review.pk)
        )
        if locked.status != ReviewStatus.UNDER_REVIEW:
            for application in locked.idea.applications.filter(
                organisation_id__in=[m["id"] for m in locked.snapshot.get("members", [])]
            ):
                _record(
                    application,
                    from_status=application.status,
                    to_status=application_status,
                    by=by,
                    note=note,
                    refused=True,
                )
            refused = _("This consortium was already decided: %(status)s.") % {
                "status": str(locked.get_status_display()).lower()
            }
        else:
            refused = None
            locked.status = decision
            locked.decided_by = _user(by)
            locked.decided_at = timezone.now()
            locked.note = note.strip()
            locked.full_clean()
            locked.save()
            idea = locked.idea
            for application in idea.applications.filter(status=ApplicationStatus.UNDER_REVIEW):
                application_transition(
                    application=application, to_status=application_status, by=by, note=note
                )
            consortium = [
                idea.lead,
                *Organisation.objects.filter(
                    pk__in=[m["id"] for m in locked.snapshot.get("members", [])]
                ).exclude(pk=idea.lead_id),
            ]
            if decision == ReviewStatus.APPROVED:
                past_project_from_review(locked)
            notify(
                recipients=_consortium_users(idea, consortium),
                kind=kind,
                params={"idea": idea.title, "lead": idea.lead.name, "note": note.strip()[:600]},
                url=idea.get_absolute_url(),
                exclude=by,
            )
    if refused:
        raise ValidationError(refused)
    review.status, review.note = locked.status, locked.note
    return review


# --- Moderation ----------------------------------------------------------------------------


def idea_hide(*, idea: ProjectIdea, by, reason: str) -> ProjectIdea:
    """Staff hide an idea from the public instead of editing it; the lead's owners and editors are told why."""
    if not reason.strip():
        raise ValidationError({"hidden_reason": _("Give the reason: the organisation is told.")})
    with transaction.atomic():
        idea.hidden_at = timezone.now()
        idea.hidden_reason = reason.strip()
        idea.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
        notify_organisation(
            organisation=idea.lead,
            kind="idea-hidden",
            params={"idea": idea.title, "note": idea.hidden_reason},
            url=idea.get_absolute_url(),
        )
    return idea


def idea_show(*, idea: ProjectIdea, by) -> ProjectIdea:
    with transaction.atomic():
        idea.hidden_at = None
        idea.hidden_reason = ""
        idea.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
        notify_organisation(
            organisation=idea.lead,
            kind="idea-shown",
            params={"idea": idea.title},
            url=idea.get_absolute_url(),
        )
    return idea


# --- Conversations --------------------------------------------------------------------------


def _post(conversation: Conversation, *, sender: Organisation, by, body: str) -> Message:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    message = Message(conversation=conversation, organisation=sender, author=_user(by), body=body)
    message.full_clean()
    message.save()
    now = message.created_at
    read_field = "starter_read_at" if sender.pk == conversation.starter_id else "recipient_read_at"
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now, **{read_field: now})
    conversation.last_message_at = now
    setattr(conversation, read_field, now)
    notify_organisation(
        organisation=conversation.other_side(sender),
        kind="message-received",
        params={"sender": sender.name, "subject": conversation.subject, "note": body[:600]},
        url=conversation.get_absolute_url(),
        exclude=by,
    )
    return message


def conversation_start(
    *,
    sender: Organisation,
    recipient: Organisation,
    by,
    subject: str,
    body: str,
    idea: ProjectIdea | None = None,
) -> Conversation:
    """A member of ``sender`` writes to ``recipient``; its owners and editors are told, without addresses."""
    if sender.pk == recipient.pk:
        raise ValidationError(_("Choose another organisation: you cannot write to your own."))
    if not recipient.is_active or recipient.is_hidden:
        raise ValidationError(_("This organisation is not active on PartnerHub."))
    subject = " ".join(subject.split())
    if not subject:
        raise ValidationError({"subject": _("Give the conversation a subject.")})
    limits.check_daily("conversation", user=by, organisation=sender)
    with transaction.atomic():
        conversation = Conversation(
            starter=sender, recipient=recipient, idea=idea, subject=subject, created_by=_user(by)
        )
        conversation.full_clean()
        conversation.save()
        _post(conversation, sender=sender, by=by, body=body)
        transaction.on_commit(
            lambda: limits.count_daily("conversation", user=by, organisation=sender)
        )
    return conversation


def conversation_for_application(application: PartnershipApplication, *, by) -> Conversation:
    """The thread of an application or invitation, made when first needed (lead ↔ partner)."""
    with transaction.atomic():
        conversation = Conversation.objects.filter(application=application).first()
        if conversation:
            return conversation
        lead = application.idea.lead
        try:
            with transaction.atomic():
                return Conversation.objects.create(
                    starter=lead,
                    recipient=application.organisation,
                    idea=application.idea,
                    application=application,
                    subject=application.idea.title,
                    created_by=_user(by),
                )
        except IntegrityError:  # made by the other side a moment ago
            return Conversation.objects.get(application=application)


def message_post(*, conversation: Conversation, sender: Organisation, by, body: str) -> Message:
    """Add a message as ``sender`` (one side of the conversation); the other side is told."""
    if sender.pk not in (conversation.starter_id, conversation.recipient_id):
        raise ValidationError(_("Your organisation is not part of this conversation."))
    limits.check_daily("message", user=by, organisation=sender)
    with transaction.atomic():
        message = _post(conversation, sender=sender, by=by, body=body)
        transaction.on_commit(lambda: limits.count_daily("message", user=by, organisation=sender))
    return message


def conversation_mark_read(*, conversation: Conversation, organisation: Organisation) -> None:
    field = "starter_read_at" if organisation.pk == conversation.starter_id else "recipient_read_at"
    now = timezone.now()
    Conversation.objects.filter(pk=conversation.pk).update(**{field: now})
    setattr(conversation, field, now)


def unread_conversations(organisations) -> int:
    """Conversations with a message the given organisations have not read yet."""
    return (
        Conversation.objects.filter(
            Q(starter__in=organisations)
            & (Q(starter_read_at__isnull=True) | Q(starter_read_at__lt=F("last_message_at")))
            | Q(recipient__in=organisations)
            & (Q(recipient_read_at__isnull=True) | Q(recipient_read_at__lt=F("last_message_at")))
        )
        .distinct()
        .count()
    )
