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
from organisations.models import Kind, Organisation

from . import eligibility
from .models import (
    Call,
    IdeaStatus,
    ProjectIdea,
    today,
)
from .partnerships import (  # noqa: F401  (the partnership services, re-exported)
    APPLICATION_TRANSITIONS,
    application_invite,
    application_transition,
)

__all__ = [
    "APPLICATION_TRANSITIONS",
    "IDEA_TRANSITIONS",
    "application_invite",
    "application_transition",
    "idea_create",
    "idea_rule_errors",
    "idea_set_status",
    "idea_update",
    "lead_call_problem",
    "unique_idea_slug",
    "validate_idea",
]

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
    """Why ``lead`` cannot apply for ``call`` (its country, region or kind), or None when it can.

    The applicant rules of ``eligibility.applicant_problem``, said in words a
    newcomer understands, for the idea form and the import report.
    """
    if call is None:
        return None
    labels = {code: str(label).lower() for code, label in Kind.choices}
    problem = eligibility.applicant_problem(
        _member(lead), call.rules, kind_labels=labels, require_region=False
    )
    if problem is None:
        return None
    return _("%(problem)s (%(code)s): choose another call or another lead organisation.") % {
        "problem": problem[:1].upper() + problem[1:],
        "code": call.code,
    }


def _member(organisation: Organisation) -> eligibility.Member:
    return eligibility.Member(
        name=organisation.name,
        country=organisation.country.code or "",
        kind=organisation.kind,
        region=organisation.region,
        is_lead=True,
    )


def idea_rule_errors(idea: ProjectIdea) -> dict[str, list[str]]:
    """The call's rules (and the planned start) that ``idea`` breaks, by field.

    ``eligibility.idea_problems`` over the idea's own fields; the lead's
    problem is reported by ``lead_call_problem`` instead (under "call").
    """
    plan = eligibility.IdeaPlan(
        start_date=idea.start_date,
        duration_months=idea.duration_months,
        budget=idea.budget,
        partners_wanted=idea.partners_wanted,
        closes_on=idea.closes_on,
        countries_sought=frozenset(getattr(c, "code", c) for c in idea.countries_sought),
    )
    rules = idea.call.rules if idea.call_id else None
    return eligibility.idea_problems(plan, rules, today=today(), kind_labels=dict(Kind.choices))


def validate_idea(idea: ProjectIdea, *, new: bool, check_closing_date: bool = True) -> None:
    """Model validation plus the rules that only hold for ideas people are still working on.

    A closing date in the past is allowed only for closed or archived ideas
    (historic data); a draft or open idea needs a closing date from today on.
    ``check_closing_date=False`` skips that rule, for an existing idea whose
    date is not being changed (it closed itself and keeps its history). The
    lead must be allowed to apply for the call, even in a draft. An open idea
    must also keep the call's rules (``idea_rule_errors``); a draft may break
    them until it is opened.
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
    if idea.status == IdeaStatus.OPEN:
        for name, messages in idea_rule_errors(idea).items():
            if name == "closes_on" and not check_closing_date:
                continue
            errors.setdefault(name, []).extend(messages)
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
    if status == IdeaStatus.OPEN:
        broken = idea_rule_errors(idea)
        if idea.call_id:
            problem = lead_call_problem(idea.lead, idea.call)
            if problem:
                broken.setdefault("call", []).append(problem)
        if broken:
            raise ValidationError(broken)
    idea.status = status
    idea.save(update_fields=["status", "search_text", "programme", "updated_at"])
    return idea
