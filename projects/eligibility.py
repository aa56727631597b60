"""Whether a consortium meets a funding call's rules, and what it still lacks.

Pure Python over frozen dataclasses: no ORM, no database, no request. The
caller builds the inputs: ``Call.rules`` turns a call into :class:`Rules`, and
the view or service turns the lead plus the accepted partners into
:class:`Member` objects (each organisation once). Everything returned is plain
text already translated into the active language, so a template only prints it.

The sentences are written for a newcomer organisation that has never read a
programme guide: they say how many more organisations to find and from where,
never "min_countries not met".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext
from django_countries import countries

__all__ = ["Eligibility", "Member", "Rules", "check", "describe", "partner_problem"]


@dataclass(frozen=True, slots=True)
class Member:
    """One organisation of the consortium (the lead or an accepted partner)."""

    name: str
    country: str  # ISO 3166-1 alpha-2
    kind: str  # organisation kind code from the taxonomy (association, municipality, …)


@dataclass(frozen=True, slots=True)
class Rules:
    """A call's eligibility rules; empty sets mean "no restriction"."""

    min_organisations: int = 1
    min_countries: int = 1
    eligible_countries: frozenset[str] = frozenset()  # empty = any country
    required_countries: frozenset[str] = frozenset()  # at least one member from one of these
    required_group_label: str = ""  # e.g. "a donor state (Norway, Iceland or Liechtenstein)"
    allowed_kinds: frozenset[str] = frozenset()  # empty = any kind


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The verdict on one consortium against one call's rules."""

    eligible: bool
    missing: tuple[str, ...]  # what the consortium still has to find, as sentences
    problems: tuple[str, ...]  # members that break a rule, one sentence per broken rule
    countries_needed: int  # more distinct eligible countries still needed
    organisations_needed: int  # more eligible organisations still needed, >= countries_needed
    required_group_missing: bool  # no counting member comes from the required group


def check(
    members: Sequence[Member],
    rules: Rules,
    *,
    kind_labels: Mapping[str, str] | None = None,
) -> Eligibility:
    """Check a consortium against a call's rules.

    Rules:

    1. A member whose country is outside ``rules.eligible_countries`` (when
       that set is not empty) is a problem; so is a member whose kind is not in
       ``rules.allowed_kinds`` (when not empty). A member can break both rules
       and then gets one problem sentence for each. Problem members do not
       count toward any minimum below.
    2. The remaining members are the *counting* members. Country codes are
       compared case-insensitively.
    3. ``countries_needed`` = ``min_countries`` minus the distinct countries of
       the counting members, never below 0.
    4. ``required_group_missing`` is true when ``required_countries`` is not
       empty and no counting member comes from one of them.
    5. ``organisations_needed`` is the smallest number of organisations that
       still have to join: at least ``min_organisations`` minus the counting
       members; at least ``countries_needed``, because a new organisation adds
       at most one country; and at least 1 while the required group is
       missing. A partner from the required group always adds a country the
       consortium lacks (no counting member is from the group), so it counts
       toward ``countries_needed`` too rather than on top of it.
    6. ``missing`` holds one sentence that says all of that at once (how many
       organisations, how many of them from new countries, one from the
       group), so its parts can never contradict each other; it is empty when
       nothing is missing. While no member counts yet, every country is new,
       so the sentence only asks for different countries.
    7. ``eligible`` is true only when nothing is missing *and* there are no
       problems: an ineligible member has to leave the consortium before the
       application can be submitted.

    ``kind_labels`` maps kind codes to the labels shown in problem sentences
    (for example ``dict(Kind.choices)``); a code without a label is shown as is.
    An empty ``members`` sequence is valid and simply misses everything.
    """
    eligible_countries = _upper(rules.eligible_countries)
    required_countries = _upper(rules.required_countries)
    labels = kind_labels or {}

    problems: list[str] = []
    counting: list[Member] = []
    for member in members:
        country = member.country.strip().upper()
        broken = False
        if eligible_countries and country not in eligible_countries:
            broken = True
            problems.append(
                gettext("%(name)s is in %(country)s, which is not eligible for this call")
                % {"name": member.name, "country": _country_name(country)}
            )
        if rules.allowed_kinds and member.kind not in rules.allowed_kinds:
            broken = True
            problems.append(
                gettext("%(name)s (%(kind)s) is not an eligible kind of organisation for this call")
                % {"name": member.name, "kind": _kind_label(member.kind, labels)}
            )
        if not broken:
            counting.append(member)

    present = {member.country.strip().upper() for member in counting}
    countries_needed = max(0, rules.min_countries - len(present))
    group_missing = bool(required_countries) and not (present & required_countries)
    organisations_needed = max(
        rules.min_organisations - len(counting),
        countries_needed,
        1 if group_missing else 0,
    )

    missing: tuple[str, ...] = ()
    if organisations_needed:
        group = _group_text(rules.required_group_label, required_countries) if group_missing else ""
        missing = (
            _missing_sentence(organisations_needed, countries_needed, group, first=not counting),
        )

    return Eligibility(
        eligible=not missing and not problems,
        missing=missing,
        problems=tuple(problems),
        countries_needed=countries_needed,
        organisations_needed=organisations_needed,
        required_group_missing=group_missing,
    )


def partner_problem(
    member: Member, rules: Rules, *, kind_labels: Mapping[str, str] | None = None
) -> str | None:
    """Why ``member`` cannot join a consortium for this call as a partner, or None when it can.

    One sentence naming the rule (its country or its kind), for the application
    form and the invitation: the same sentences :func:`check` gives as problems.
    """
    problems = check([member], rules, kind_labels=kind_labels).problems
    return problems[0] if problems else None


def describe(rules: Rules, kind_labels: Mapping[str, str] | None = None) -> list[str]:
    """State a call's requirements in plain words, one sentence per rule.

    For the idea form and the call page, so a newcomer sees what the
    consortium must look like before looking for partners:

    - how many organisations, and from how many different countries (the
      number of organisations shown is never below the number of countries,
      since each organisation brings one country);
    - the required group, if any ("at least one organisation from a donor
      state …"); it names its countries when the call has no label for it;
    - the eligible countries, if restricted, by translated name;
    - the eligible kinds of organisation, if restricted, by the labels in
      ``kind_labels`` (for example ``dict(Kind.choices)``), else by code.
    """
    lines: list[str] = []
    organisations = max(rules.min_organisations, rules.min_countries, 1)
    if organisations == 1:
        lines.append(gettext("at least 1 organisation: no partner is required"))
    else:
        at_least = ngettext(
            "at least %(count)d organisation",
            "at least %(count)d organisations",
            organisations,
        ) % {"count": organisations}
        if rules.min_countries > 1:
            lines.append(
                # Translators: joins "at least 2 organisations" and "from 2 different countries".
                gettext("%(organisations)s %(countries)s")
                % {
                    "organisations": at_least,
                    "countries": ngettext(
                        "from %(count)d different country",
                        "from %(count)d different countries",
                        rules.min_countries,
                    )
                    % {"count": rules.min_countries},
                }
            )
        else:
            lines.append(at_least)

    required_countries = _upper(rules.required_countries)
    if required_countries:
        lines.append(
            gettext("at least one organisation from %(group)s")
            % {"group": _group_text(rules.required_group_label, required_countries)}
        )
    if rules.eligible_countries:
        lines.append(
            gettext("eligible countries: %(countries)s")
            % {"countries": _country_list(_upper(rules.eligible_countries))}
        )
    if rules.allowed_kinds:
        labels = kind_labels or {}
        kinds = sorted(_kind_label(kind, labels) for kind in rules.allowed_kinds)
        lines.append(
            gettext("eligible kinds of organisation: %(kinds)s") % {"kinds": ", ".join(kinds)}
        )
    return lines


def _missing_sentence(organisations: int, countries: int, group: str, *, first: bool) -> str:
    """One sentence for what is still missing.

    ``organisations`` >= ``countries`` and >= 1; ``group`` is the required
    group's text, or "" when the group is present or not required; ``first``
    is true when no organisation counts yet, so "a country not yet in the
    consortium" would be noise and is left out. A partner from the group is
    always from a new country, so the group is one of the new countries rather
    than an extra organisation. Whole sentences are used where they read
    naturally; otherwise two separately pluralised halves are joined, because
    one message cannot carry two plural counts (Latvian and Lithuanian inflect
    both).
    """
    if organisations == 1:
        if group:
            return gettext("needs 1 more organisation from %(group)s") % {"group": group}
        if countries and not first:
            return gettext("needs 1 more organisation from a country not yet in the consortium")
        return gettext("needs 1 more organisation")

    head = ngettext(
        "needs %(count)d more organisation",
        "needs %(count)d more organisations",
        organisations,
    ) % {"count": organisations}
    values = {"count": countries, "group": group}
    if countries == organisations:
        if first:
            condition = (
                gettext("each from a different country, one of them from %(group)s")
                if group
                else gettext("each from a different country")
            )
        else:
            condition = (
                gettext(
                    "each from a different country not yet in the consortium, "
                    "one of them from %(group)s"
                )
                if group
                else gettext("each from a different country not yet in the consortium")
            )
    elif countries > 1 or (countries == 1 and not group and not first):
        if first:
            # countries > 1 here: a single country is no constraint on an empty consortium.
            condition = (
                ngettext(
                    "at least %(count)d of them from a different country, "
                    "one of them from %(group)s",
                    "at least %(count)d of them from different countries, "
                    "one of them from %(group)s",
                    countries,
                )
                if group
                else ngettext(
                    "at least %(count)d of them from a different country",
                    "at least %(count)d of them from different countries",
                    countries,
                )
            )
        else:
            condition = (
                ngettext(
                    "at least %(count)d of them from a country not yet in the consortium, "
                    "one of them from %(group)s",
                    "at least %(count)d of them from different countries not yet in the "
                    "consortium, one of them from %(group)s",
                    countries,
                )
                if group
                else ngettext(
                    "at least %(count)d of them from a country not yet in the consortium",
                    "at least %(count)d of them from different countries not yet in the consortium",
                    countries,
                )
            )
    elif group:
        # No country is needed beyond the one the group partner brings.
        condition = gettext("at least one of them from %(group)s")
    else:
        return head
    # Translators: joins "needs 3 more organisations" and a condition such as
    # "at least 1 of them from a country not yet in the consortium".
    return gettext("%(organisations)s, %(condition)s") % {
        "organisations": head,
        "condition": condition % values,
    }


def _group_text(label: str, required_countries: frozenset[str]) -> str:
    """The required group as words: the call's own label, else its countries."""
    if label.strip():
        return label.strip()
    if len(required_countries) == 1:
        return _country_name(next(iter(required_countries)))
    return gettext("one of these countries: %(countries)s") % {
        "countries": _country_list(required_countries)
    }


def _country_name(code: str) -> str:
    """Translated country name; the code itself when django-countries has no name for it."""
    if not code:
        return gettext("an unknown country")
    return str(countries.name(code)) or code


def _country_list(codes: Iterable[str]) -> str:
    # Sorted by name rather than code so the list reads alphabetically in every language.
    return ", ".join(sorted(_country_name(code) for code in codes))


def _kind_label(kind: str, labels: Mapping[str, str]) -> str:
    label = labels.get(kind)
    return str(label) if label else kind


def _upper(codes: Iterable[str]) -> frozenset[str]:
    # Codes typed by staff or read from CSV may be lower case; ISO codes are upper case.
    return frozenset(code.strip().upper() for code in codes)
