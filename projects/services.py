"""Multi-step writes on ideas and partnership applications.

Keyword-only, typed services that validate, write and record history inside
one transaction. Views, admin actions, imports and the matching pages all go
through these, so a rule (who may join, which status may follow which) lives
in exactly one place.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from matching.text import normalise
from organisations.models import Organisation

from .models import (
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    Call,
    IdeaStatus,
    PartnershipApplication,
    ProjectIdea,
    today,
)

__all__ = [
    "APPLICATION_TRANSITIONS",
    "IDEA_TRANSITIONS",
    "application_invite",
    "application_transition",
    "idea_create",
    "idea_set_status",
    "idea_update",
    "lead_call_problem",
    "unique_idea_slug",
    "validate_idea",
]

#: Which application status may follow which; every other change is refused.
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.SUBMITTED: frozenset(
        {ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.ACCEPTED: frozenset(
        {ApplicationStatus.UNDER_REVIEW, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.UNDER_REVIEW: frozenset(
        {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED}
    ),
    ApplicationStatus.APPROVED: frozenset(),
    ApplicationStatus.REJECTED: frozenset(),
    ApplicationStatus.DECLINED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}

#: Which idea status may follow which. An archived idea is history: it stays archived.
IDEA_TRANSITIONS: dict[str, frozenset[str]] = {
    IdeaStatus.DRAFT: frozenset({IdeaStatus.OPEN, IdeaStatus.ARCHIVED}),
    IdeaStatus.OPEN: frozenset({IdeaStatus.CLOSED, IdeaStatus.ARCHIVED, IdeaStatus.DRAFT}),
    IdeaStatus.CLOSED: frozenset({IdeaStatus.OPEN, IdeaStatus.ARCHIVED}),
    IdeaStatus.ARCHIVED: frozenset(),
}


def unique_idea_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """A slug from the title without diacritics ("Liepāja" → "liepaja"), with -2, -3 … on a clash."""
    base = slugify(normalise(title))[:200].strip("-") or "idea"
    taken = ProjectIdea.objects.filter(slug__startswith=base)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    slugs = set(taken.values_list("slug", flat=True))
    if base not in slugs:
        return base
    number = 2
    while f"{base}-{number}" in slugs:
        number += 1
    return f"{base}-{number}"


def lead_call_problem(lead: Organisation, call: Call | None) -> str | None:
    """Why ``lead`` cannot take part in ``call`` (its country or kind), or None when it can.

    Said in words a newcomer understands, for the idea form and the import report.
    """
    if call is None:
        return None
    rules = call.rules
    eligible = {code.upper() for code in rules.eligible_countries}
    if eligible and (lead.country.code or "").upper() not in eligible:
        return _(
            "%(lead)s is in %(country)s, which is not eligible for the call %(code)s: "
            "choose another call or another lead organisation."
        ) % {"lead": lead.name, "country": lead.country.name, "code": call.code}
    if rules.allowed_kinds and lead.kind not in rules.allowed_kinds:
        return _(
            "%(lead)s is a %(kind)s, which is not an eligible kind of organisation for the "
            "call %(code)s: choose another call or another lead organisation."
        ) % {"lead": lead.name, "kind": lead.get_kind_display().lower(), "code": call.code}
    return None


def validate_idea(idea: ProjectIdea, *, new: bool, check_closing_date: bool = True) -> None:
    """Model validation plus the rules that only hold for ideas people are still working on.

    A closing date in the past is allowed only for closed or archived ideas
    (historic data); a draft or open idea needs a closing date from today on.
    ``check_closing_date=False`` skips that rule, for an existing idea whose
    date is not being changed (it closed itself and keeps its history).
    """
    idea.full_clean(exclude=["slug"] if new else None, validate_unique=True)
    errors: dict[str, list] = {}
    if (
        check_closing_date
        and idea.closes_on
        and idea.status in (IdeaStatus.DRAFT, IdeaStatus.OPEN)
        and idea.closes_on < today()
    ):
        errors.setdefault("closes_on", []).append(
            _("The closing date for partner applications cannot be in the past.")
        )
    if idea.call_id and idea.status in (IdeaStatus.DRAFT, IdeaStatus.OPEN):
        problem = lead_call_problem(idea.lead, idea.call)
        if problem:
            errors.setdefault("call", []).append(problem)
    if errors:
        raise ValidationError(errors)


def _set_many(idea: ProjectIdea, many: dict) -> None:
    for name, values in many.items():
        if values is not None:
            getattr(idea, name).set(values)


_MANY = ("themes", "target_groups", "activities", "fields_sought")


@transaction.atomic
def idea_create(*, lead: Organisation, by, **data) -> ProjectIdea:
    """Create an idea for ``lead``: validated, with a unique slug from the title.

    ``data`` holds model fields; the many-to-many ones (themes, target_groups,
    activities, fields_sought) may be given as iterables of terms. Raises
    ValidationError, naming the field, when the closing date is past, the
    lead cannot take part in the chosen call, or the lead already has an idea
    with that title.
    """
    many = {name: data.pop(name, None) for name in _MANY}
    data.setdefault("status", IdeaStatus.DRAFT)
    idea = ProjectIdea(lead=lead, created_by=by if getattr(by, "pk", None) else None, **data)
    validate_idea(idea, new=True)
    idea.slug = unique_idea_slug(idea.title)
    idea.save()
    _set_many(idea, many)
    return idea


@transaction.atomic
def idea_update(*, idea: ProjectIdea, by, **data) -> ProjectIdea:
    """Change an idea's fields (not its lead or slug), with the same validation as on creation."""
    many = {name: data.pop(name, None) for name in _MANY}
    for name, value in data.items():
        setattr(idea, name, value)
    validate_idea(idea, new=False)
    idea.save()
    _set_many(idea, many)
    return idea


@transaction.atomic
def idea_set_status(*, idea: ProjectIdea, status: str, by) -> ProjectIdea:
    """Open, close, archive (or return to draft) an idea, refusing transitions that make no sense.

    Opening needs a closing date that is today or later: an idea past its
    date would close itself again at once.
    """
    current = idea.status
    if status not in IdeaStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == current:
        raise ValidationError(
            {
                "status": _("The idea is already %(status)s.")
                % {"status": IdeaStatus(status).label.lower()}
            }
        )
    if status not in IDEA_TRANSITIONS[current]:
        raise ValidationError(
            {
                "status": _("An idea that is %(from)s cannot become %(to)s.")
                % {
                    "from": IdeaStatus(current).label.lower(),
                    "to": IdeaStatus(status).label.lower(),
                }
            }
        )
    if status == IdeaStatus.OPEN and idea.closes_on < today():
        raise ValidationError(
            {
                "closes_on": _(
                    "The closing date has passed: set a new closing date before opening the idea again."
                )
            }
        )
    idea.status = status
    idea.save(update_fields=["status", "search_text", "programme", "updated_at"])
    return idea


@transaction.atomic
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
    """The lead invites ``organisation`` to join ``idea``; the invitation waits for its answer.

    Records the match as it was (score, components, reasons) for reviewers and
    an ApplicationEvent (∅ → submitted). Refuses the lead itself, an
    organisation that already has an application or invitation for this idea,
    and an idea that is not open.
    """
    if organisation.pk == idea.lead_id:
        raise ValidationError(_("The lead organisation is already part of its own idea."))
    if not idea.is_open:
        raise ValidationError(_("Only an open idea can invite partners."))
    if PartnershipApplication.objects.filter(idea=idea, organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s already has an application or invitation for this idea.")
            % {"organisation": organisation.name}
        )
    application = PartnershipApplication(
        idea=idea,
        organisation=organisation,
        kind=ApplicationKind.INVITATION,
        status=ApplicationStatus.SUBMITTED,
        motivation=note,
        score=score,
        score_components=components or {},
        score_reasons=list(reasons or []),
        created_by=by if getattr(by, "pk", None) else None,
    )
    application.full_clean()
    application.save()
    ApplicationEvent.objects.create(
        application=application,
        from_status="",
        to_status=ApplicationStatus.SUBMITTED,
        by=application.created_by,
        note=note,
    )
    return application


@transaction.atomic
def application_transition(
    *, application: PartnershipApplication, to_status: str, by, note: str = ""
) -> PartnershipApplication:
    """Move an application to ``to_status`` if allowed, recording who, when and why.

    Allowed: submitted → accepted / declined / withdrawn; accepted →
    under-review / withdrawn; under-review → approved / rejected. The row is
    locked so two reviewers clicking at once cannot both move it.
    """
    locked = PartnershipApplication.objects.select_for_update().get(pk=application.pk)
    current = locked.status
    if to_status not in APPLICATION_TRANSITIONS.get(current, frozenset()):
        raise ValidationError(
            _("An application that is %(from)s cannot become %(to)s.")
            % {
                "from": ApplicationStatus(current).label.lower(),
                "to": ApplicationStatus(to_status).label.lower()
                if to_status in ApplicationStatus.values
                else to_status,
            }
        )
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    ApplicationEvent.objects.create(
        application=locked,
        from_status=current,
        to_status=to_status,
        by=by if getattr(by, "pk", None) else None,
        note=note,
    )
    application.status = to_status
    application.updated_at = locked.updated_at
    return application
