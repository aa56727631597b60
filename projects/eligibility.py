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

import datetime
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext, ngettext
from django_countries import countries

from organisations.regions import region_country, region_name, region_within
from partnerhub.formatting import money

__all__ = [
    "DONOR_STATES",
    "Eligibility",
    "Filling",
    "IdeaPlan",
    "Member",
    "Rules",
    "applicant_problem",
    "check",
    "describe",
    "filling",
    "idea_problems",
    "partner_problem",
    "shortfall",
]

#: The EEA and Norway Grants donor states; a group the calls name often enough
#: to be worded (and translated) here rather than by each call.
DONOR_STATES = frozenset({"NO", "IS", "LI"})


@dataclass(frozen=True, slots=True)
class Member:
    """One organisation of the consortium (the lead or an accepted partner)."""

    name: str
    country: str  # ISO 3166-1 alpha-2
    kind: str  # organisation kind code from the taxonomy (association, municipality, …)
    region: str = ""  # NUTS code of the organisation's region, "" when not stated
    is_lead: bool = False  # the applicant; see ``check`` for the default


#: The Rules fields that hold ISO country or NUTS codes.
_CODE_SETS = (
    "eligible_countries",
    "required_countries",
    "applicant_countries",
    "required_each",
    "eligible_regions",
)


@dataclass(frozen=True, slots=True)
class Rules:
    """A call's eligibility rules; empty sets and None mean "no restriction".

    ``eligible_countries`` and ``allowed_kinds`` say who may take part at all;
    ``applicant_countries`` and ``applicant_kinds`` narrow who may *apply*
    (the lead), so the countries in the first and not the second take part as
    partners only (the European Solidarity Corps' neighbouring partner
    countries). ``required_countries`` is one group of which at least one
    member must come ("a donor state"); ``required_each`` lists countries
    that must *each* be represented (Interreg Latvia–Lithuania: one from
    Latvia and one from Lithuania). ``eligible_regions`` (NUTS codes) limits
    members from the countries those regions belong to; other eligible
    countries are not limited.
    """

    min_organisations: int = 1
    min_countries: int = 1
    eligible_countries: frozenset[str] = frozenset()  # empty = any country
    required_countries: frozenset[str] = frozenset()  # at least one member from one of these
    required_group_label: str = ""  # e.g. "a donor state (Norway, Iceland or Liechtenstein)"
    allowed_kinds: frozenset[str] = frozenset()  # empty = any kind
    applicant_countries: frozenset[str] = frozenset()  # empty = any eligible country
    applicant_kinds: frozenset[str] = frozenset()  # empty = any allowed kind
    required_each: frozenset[str] = frozenset()  # at least one member from each of these
    eligible_regions: frozenset[str] = frozenset()  # NUTS codes; empty = no regional limit
    partners_allowed: bool = True  # False: the applicant carries out the project alone
    min_months: int | None = None
    max_months: int | None = None
    budget_min: int | None = None
    budget_max: int | None = None
    lump_sums: tuple[int, ...] = ()  # the only amounts the call pays, when it pays lump sums
    deadline: datetime.date | None = None

    def __post_init__(self) -> None:
        # Codes typed by staff or read from CSV may be lower case or padded:
        # normalised once here, so the checks below compare them as they are.
        for name in _CODE_SETS:
            object.__setattr__(self, name, _upper(getattr(self, name)))
        for name in ("allowed_kinds", "applicant_kinds"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))

    @property
    def partner_only_countries(self) -> frozenset[str]:
        """Countries whose organisations may be partners but not apply."""
        if not self.applicant_countries or not self.eligible_countries:
            return frozenset()
        return self.eligible_countries - self.applicant_countries

    @property
    def organisations_required(self) -> int:
        """The smallest consortium the call accepts, the lead included."""
        return max(self.min_organisations, self.min_countries, 1)


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The verdict on one consortium against one call's rules."""

    eligible: bool
    missing: tuple[str, ...]  # what the consortium still has to find, as sentences
    problems: tuple[str, ...]  # members that break a rule, one sentence per broken rule
    countries_needed: int  # more distinct eligible countries still needed
    organisations_needed: int  # more eligible organisations still needed, >= countries_needed
    required_group_missing: bool  # no counting member comes from some required group
    #: The required groups no counting member comes from, each with its words.
    missing_groups: tuple[tuple[frozenset[str], str], ...] = ()


def check(
    members: Sequence[Member],
    rules: Rules,
    *,
    kind_labels: Mapping[str, str] | None = None,
) -> Eligibility:
    """Check a consortium against a call's rules.

    Rules:

    1. The lead is the member marked ``is_lead``, or else the first member
       (the lead comes first in a consortium). The lead is held to the rules
       for applicants (``applicant_problem``), every other member to the
       rules for partners (``partner_problem``): an eligible country and
       region, an eligible kind, and a call that takes partners at all. A
       member can break several rules and then gets one problem sentence for
       each. Problem members do not count toward any minimum below, except
       one whose only problem is that it has not stated its region (it may
       well be in the programme area: it counts, and the sentence asks).
    2. The remaining members are the *counting* members. Country codes are
       compared case-insensitively.
    3. ``countries_needed`` = ``min_countries`` minus the distinct countries of
       the counting members, never below 0.
    4. The required groups are ``required_countries`` (one group, "a donor
       state") and each country of ``required_each`` (a group of its own). A
       group is missing when no counting member comes from it;
       ``required_group_missing`` is true when any group is missing.
    5. ``organisations_needed`` is the smallest number of organisations that
       still have to join: at least ``min_organisations`` minus the counting
       members; at least ``countries_needed``, because a new organisation adds
       at most one country; and at least the number of missing groups (one
       organisation each; a country in two groups counts once). A partner
       from a missing group always adds a country the consortium lacks, so it
       counts toward ``countries_needed`` too rather than on top of it.
    6. ``missing`` holds one sentence that says all of that at once (how many
       organisations, how many of them from new countries, which groups and
       countries), so its parts can never contradict each other; it is empty
       when nothing is missing. While no member counts yet, every country is
       new, so the sentence only asks for different countries.
    7. ``eligible`` is true only when nothing is missing *and* there are no
       problems: an ineligible member has to leave the consortium before the
       application can be submitted.

    ``kind_labels`` maps kind codes to the labels shown in problem sentences
    (for example ``dict(Kind.choices)``); a code without a label is shown as is.
    An empty ``members`` sequence is valid and simply misses everything.
    """
    problems, counting = _tally(members, rules, kind_labels)
    countries_needed, missing_groups, organisations_needed = _needed(counting, rules)

    missing: tuple[str, ...] = ()
    if organisations_needed:
        texts = sorted(_group_text(rules, group) for group in missing_groups)
        missing = (
            _missing_sentence(organisations_needed, countries_needed, texts, first=not counting),
        )

    return Eligibility(
        eligible=not missing and not problems,
        missing=missing,
        problems=tuple(problems),
        countries_needed=countries_needed,
        organisations_needed=organisations_needed,
        required_group_missing=bool(missing_groups),
        missing_groups=tuple((group, _group_text(rules, group)) for group in missing_groups),
    )


@dataclass(frozen=True, slots=True)
class Shortfall:
    """The counts of :func:`check` without its sentences (for matching, per idea)."""

    countries_needed: int
    organisations_needed: int
    #: The required groups no counting member comes from, each with its words.
    missing_groups: tuple[tuple[frozenset[str], str], ...]


def shortfall(members: Sequence[Member], rules: Rules) -> Shortfall:
    """What :func:`check` would say is missing, as numbers and groups only."""
    _problems, counting = _tally(members, rules, None)
    countries_needed, missing_groups, organisations_needed = _needed(counting, rules)
    return Shortfall(
        countries_needed=countries_needed,
        organisations_needed=organisations_needed,
        missing_groups=tuple((group, _group_text(rules, group)) for group in missing_groups),
    )


def _tally(
    members: Sequence[Member], rules: Rules, kind_labels: Mapping[str, str] | None
) -> tuple[list[str], list[Member]]:
    """(problem sentences, counting members): rules 1 and 2 of ``check``."""
    lead_index = next((i for i, member in enumerate(members) if member.is_lead), 0)
    problems: list[str] = []
    counting: list[Member] = []
    for index, member in enumerate(members):
        if index == lead_index:
            broken = _applicant_problems(member, rules, kind_labels)
        else:
            broken = _partner_problems(member, rules, kind_labels)
        problems.extend(broken)
        if not broken or (len(broken) == 1 and _region_unknown(member, rules)):
            # A member that only has not stated its region may well be in the
            # programme area: it counts, and its sentence asks for the region.
            counting.append(member)
    return problems, counting


def _needed(counting: list[Member], rules: Rules) -> tuple[int, list[frozenset[str]], int]:
    """(countries needed, missing groups, organisations needed): rules 3 to 5 of ``check``."""
    present = {member.country.strip().upper() for member in counting}
    countries_needed = max(0, rules.min_countries - len(present))
    missing_groups = [group for group in _groups(rules) if not (present & group)]
    organisations_needed = max(
        rules.min_organisations - len(counting),
        countries_needed,
        _cover(missing_groups),
    )
    return countries_needed, missing_groups, organisations_needed


def applicant_problem(
    member: Member,
    rules: Rules,
    *,
    kind_labels: Mapping[str, str] | None = None,
    require_region: bool = True,
) -> str | None:
    """Why ``member`` cannot apply for this call (lead the idea), or None when it can.

    The first broken rule, in this order: an eligible country at all; a
    country whose organisations may apply (not a partner-only one); an
    eligible region; a kind that may apply. ``require_region=False`` lets an
    organisation that has not stated its region through (it may well be in
    the programme area): for drafting an idea, where refusing would only
    confuse; the consortium's verdict still asks for the region.
    """
    if not require_region and not member.region.strip():
        member = replace(member, region=_any_region(member.country.strip().upper(), rules))
    problems = _applicant_problems(member, rules, kind_labels)
    return problems[0] if problems else None


def partner_problem(
    member: Member,
    rules: Rules,
    *,
    kind_labels: Mapping[str, str] | None = None,
    require_region: bool = False,
) -> str | None:
    """Why ``member`` cannot join a consortium for this call as a partner, or None when it can.

    One sentence naming the rule, for the application form and the
    invitation: the same sentences :func:`check` gives as problems. A call
    that takes no partners refuses everyone; otherwise the country, the
    region (for a call limited to a programme area) and the kind are checked.
    Partner-only countries are fine here: they are the point of them. An
    organisation that has not stated its region may join (it may well be in
    the area, and a lead cannot fill in another organisation's profile); the
    consortium's verdict then asks for the region. ``require_region=True``
    refuses it instead.
    """
    if not require_region and _region_unknown(member, rules):
        member = replace(member, region=_any_region(member.country.strip().upper(), rules))
    problems = _partner_problems(member, rules, kind_labels)
    return problems[0] if problems else None


def _applicant_problems(
    member: Member, rules: Rules, kind_labels: Mapping[str, str] | None
) -> list[str]:
    labels = kind_labels or {}
    country = member.country.strip().upper()
    problems: list[str] = []
    applicant_countries = rules.applicant_countries
    if not _country_eligible(country, rules):
        problems.append(_not_eligible_country(member, country))
    elif applicant_countries and country not in applicant_countries:
        problems.append(
            gettext(
                "%(name)s is in %(country)s: only organisations from %(countries)s can apply "
                "for this call, others can join as partners"
            )
            % {
                "name": member.name,
                "country": _country_name(country),
                "countries": _country_list(applicant_countries, conjunction=True),
            }
        )
    region = _region_problem(member, country, rules)
    if region:
        problems.append(region)
    if rules.allowed_kinds and member.kind not in rules.allowed_kinds:
        problems.append(_not_eligible_kind(member, labels))
    elif rules.applicant_kinds and member.kind not in rules.applicant_kinds:
        problems.append(
            gettext("%(name)s (%(kind)s) cannot apply for this call: only %(kinds)s can apply")
            % {
                "name": member.name,
                "kind": _kind_label(member.kind, labels),
                "kinds": _kind_list(frozenset(rules.applicant_kinds), labels),
            }
        )
    return problems


def _partner_problems(
    member: Member, rules: Rules, kind_labels: Mapping[str, str] | None
) -> list[str]:
    if not rules.partners_allowed:
        return [
            gettext(
                "%(name)s cannot be a partner: this call takes no partners, "
                "the applicant carries out the project alone"
            )
            % {"name": member.name}
        ]
    labels = kind_labels or {}
    country = member.country.strip().upper()
    problems: list[str] = []
    if not _country_eligible(country, rules):
        problems.append(_not_eligible_country(member, country))
    region = _region_problem(member, country, rules)
    if region:
        problems.append(region)
    if rules.allowed_kinds and member.kind not in rules.allowed_kinds:
        problems.append(_not_eligible_kind(member, labels))
    return problems


def _not_eligible_kind(member: Member, labels: Mapping[str, str]) -> str:
    return gettext("%(name)s (%(kind)s) is not an eligible kind of organisation for this call") % {
        "name": member.name,
        "kind": _kind_label(member.kind, labels),
    }


def _country_eligible(country: str, rules: Rules) -> bool:
    eligible = rules.eligible_countries
    return not eligible or country in eligible


def _not_eligible_country(member: Member, country: str) -> str:
    return gettext("%(name)s is in %(country)s, which is not eligible for this call") % {
        "name": member.name,
        "country": _country_name(country),
    }


def _region_problem(member: Member, country: str, rules: Rules) -> str | None:
    """A member from a country the call limits to some regions must be in one of them."""
    areas = _region_areas(rules).get(country)
    if not areas:
        return None
    if region_within(member.region, areas):
        return None
    area_names = _and_list(sorted(region_name(code) for code in areas))
    if not member.region.strip():
        return gettext(
            "%(name)s has not said in which region of %(country)s it is: this call covers "
            "only %(regions)s (set the region on the organisation's profile)"
        ) % {"name": member.name, "country": _country_name(country), "regions": area_names}
    return gettext(
        "%(name)s is in %(region)s, outside the programme area: in %(country)s this call "
        "covers only %(regions)s"
    ) % {
        "name": member.name,
        "region": region_name(member.region),
        "country": _country_name(country),
        "regions": area_names,
    }


def _region_unknown(member: Member, rules: Rules) -> bool:
    """True when the call limits the member's country to some regions and it has not said which."""
    return not member.region.strip() and member.country.strip().upper() in _region_areas(rules)


def _region_areas(rules: Rules) -> dict[str, frozenset[str]]:
    """Country → the NUTS areas of it the call covers (countries without any are unlimited)."""
    areas: dict[str, set[str]] = {}
    for code in rules.eligible_regions:
        areas.setdefault(region_country(code), set()).add(code)
    return {country: frozenset(codes) for country, codes in areas.items()}


def _groups(rules: Rules) -> list[frozenset[str]]:
    """The country groups the consortium must each have a member from, in a stable order."""
    groups = [frozenset({code}) for code in sorted(rules.required_each)]
    required = rules.required_countries
    if required and required not in groups:
        groups.append(required)
    return groups


def _cover(groups: list[frozenset[str]]) -> int:
    """Fewest organisations (one country each) with at least one from every group.

    Groups are usually disjoint (then it is their number); a country in two
    groups can serve both. Greedy, which is exact for the two or three groups
    a call has.
    """
    left = list(groups)
    count = 0
    while left:
        counts: dict[str, int] = {}
        for group in left:
            for code in group:
                counts[code] = counts.get(code, 0) + 1
        best = max(sorted(counts), key=lambda code: counts[code])
        left = [group for group in left if best not in group]
        count += 1
    return count


@dataclass(frozen=True, slots=True)
class Filling:
    """Which further partner would shrink what the consortium still lacks.

    Only the country matters once a candidate may take part at all (its kind
    and region pass ``partner_problem``): a country in ``countries`` fills a
    gap, one in ``others_excluded`` does not, and any other country fills
    one exactly when ``others`` is true.
    """

    countries: frozenset[str] = frozenset()
    others: bool = False
    others_excluded: frozenset[str] = frozenset()

    def fills(self, country: str) -> bool:
        country = country.strip().upper()
        if country in self.countries:
            return True
        return self.others and country not in self.others_excluded

    @property
    def any(self) -> bool:
        return bool(self.countries) or self.others


#: Stands for "a country not named by the rules and not yet in the consortium".
_ELSEWHERE = "~~"


def filling(members: Sequence[Member], rules: Rules) -> Filling:
    """What a further partner fills: the rule of :func:`check`, asked once per kind of country.

    A partner *fills a gap* when adding it lowers ``organisations_needed``.
    Whether it does depends only on whether its country is already present
    and which missing groups it belongs to, so checking one partner from each
    present country, each group country and one from anywhere else answers
    it for every country in the world. A call that takes no partners, or a
    consortium that lacks nothing, is filled by no one.
    """
    if not rules.partners_allowed:
        return Filling()
    # The counts of ``check`` without its sentences: this runs for every idea
    # the needs cache loads.
    _problems, counting = _tally(members, rules, None)
    before = _needed(counting, rules)[2]
    if not before:
        return Filling()
    kind = next(iter(sorted(rules.allowed_kinds)), "")
    named = {m.country.strip().upper() for m in members} | {
        code for group in _groups(rules) for code in group
    }
    eligible = rules.eligible_countries

    def lowers(country: str) -> bool:
        partner = Member(name="", country=country, kind=kind, region=_any_region(country, rules))
        hypothetical = _eligible_anywhere(rules, country)
        if partner_problem(partner, hypothetical) is not None:
            return False
        return _needed([*counting, partner], hypothetical)[2] < before

    fill = frozenset(c for c in named if (not eligible or c in eligible) and lowers(c))
    return Filling(
        countries=fill, others=lowers(_ELSEWHERE), others_excluded=frozenset(named - fill)
    )


def _any_region(country: str, rules: Rules) -> str:
    areas = _region_areas(rules).get(country)
    return min(areas) if areas else ""


def _eligible_anywhere(rules: Rules, country: str) -> Rules:
    """``rules`` with ``country`` eligible, for asking about a hypothetical partner from it."""
    if not rules.eligible_countries or country != _ELSEWHERE:
        return rules
    return _with_elsewhere(rules)


@functools.lru_cache(maxsize=256)
def _with_elsewhere(rules: Rules) -> Rules:
    return replace(rules, eligible_countries=rules.eligible_countries | {_ELSEWHERE})


def describe(rules: Rules, kind_labels: Mapping[str, str] | None = None) -> list[str]:
    """State a call's requirements in plain words, one sentence per rule.

    For the idea form and the call page, so a newcomer sees what the
    consortium must look like before looking for partners:

    - how many organisations, and from how many different countries (the
      number of organisations shown is never below the number of countries,
      since each organisation brings one country), or that the call takes no
      partners at all;
    - the required groups, if any ("at least one organisation from a donor
      state …", "at least one organisation from Latvia and one from
      Lithuania"); a group is named by the call's label, a known group (the
      donor states) by its translated name, else by its countries;
    - who may apply, when narrower than who may take part (countries, kinds),
      and the partner-only countries;
    - the eligible countries, regions and kinds, if restricted, by translated
      name (kinds by ``kind_labels``, for example ``dict(Kind.choices)``);
    - the duration, and the lump sums or budget range.
    """
    labels = kind_labels or {}
    lines: list[str] = []
    organisations = rules.organisations_required
    if not rules.partners_allowed:
        lines.append(gettext("no partners: the applicant carries out the project alone"))
    elif organisations == 1:
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

    each = sorted(rules.required_each, key=_country_name)
    if each:
        lines.append(
            gettext("at least one organisation from %(countries)s")
            % {"countries": _and_list([_country_name(code) for code in each], each_one=True)}
        )
    required_countries = rules.required_countries
    if required_countries and required_countries not in [frozenset({c}) for c in each]:
        lines.append(
            gettext("at least one organisation from %(group)s")
            % {"group": _group_text(rules, required_countries)}
        )
    applicant_countries = rules.applicant_countries
    if applicant_countries:
        lines.append(
            gettext("who may apply: an organisation from %(countries)s")
            % {"countries": _country_list(applicant_countries, conjunction=True)}
        )
    if rules.applicant_kinds and frozenset(rules.applicant_kinds) != frozenset(rules.allowed_kinds):
        lines.append(
            gettext("who may apply: %(kinds)s")
            % {"kinds": _kind_list(frozenset(rules.applicant_kinds), labels)}
        )
    partner_only = rules.partner_only_countries
    if partner_only and rules.partners_allowed:
        lines.append(
            gettext("partners only, not applicants: organisations from %(countries)s")
            % {"countries": _country_list(partner_only, conjunction=True)}
        )
    if rules.eligible_countries:
        lines.append(
            gettext("eligible countries: %(countries)s")
            % {"countries": _country_list(rules.eligible_countries)}
        )
    for country, areas in sorted(_region_areas(rules).items()):
        lines.append(
            gettext("in %(country)s, only organisations in %(regions)s")
            % {
                "country": _country_name(country),
                "regions": _and_list(sorted(region_name(code) for code in areas)),
            }
        )
    if rules.allowed_kinds:
        kinds = sorted(_kind_label(kind, labels) for kind in rules.allowed_kinds)
        lines.append(
            gettext("eligible kinds of organisation: %(kinds)s") % {"kinds": ", ".join(kinds)}
        )
    duration = _duration_text(rules)
    if duration:
        lines.append(duration)
    money = _money_text(rules)
    if money:
        lines.append(money)
    # The deadline is shown next to these lines by every page that lists them.
    return lines


def _duration_text(rules: Rules) -> str:
    low, high = rules.min_months, rules.max_months
    if low and high:
        return gettext("projects last %(min)d to %(max)d months") % {"min": low, "max": high}
    if high:
        return ngettext(
            "projects last at most %(max)d month",
            "projects last at most %(max)d months",
            high,
        ) % {"max": high}
    if low:
        return ngettext(
            "projects last at least %(min)d month",
            "projects last at least %(min)d months",
            low,
        ) % {"min": low}
    return ""


def _money_text(rules: Rules) -> str:
    if rules.lump_sums:
        amounts = [_euros(amount) for amount in sorted(rules.lump_sums)]
        if len(amounts) == 1:
            return gettext("a lump sum of %(amount)s") % {"amount": amounts[0]}
        return gettext("one lump sum of your choice: %(amounts)s") % {"amounts": _or_list(amounts)}
    low, high = rules.budget_min, rules.budget_max
    if low and high:
        return gettext("budget from %(min)s to %(max)s") % {"min": _euros(low), "max": _euros(high)}
    if high:
        return gettext("budget up to %(max)s") % {"max": _euros(high)}
    if low:
        return gettext("budget from %(min)s") % {"min": _euros(low)}
    return ""


def _euros(amount: int) -> str:
    # The same format as every other amount on the site: the reader's language's grouping.
    return money(amount)


def _date(value: datetime.date) -> str:
    # Run alone (scripts, benchmarks) Django's formats are not set up.
    return formats.date_format(value, "DATE_FORMAT") if settings.configured else value.isoformat()


@dataclass(frozen=True, slots=True)
class IdeaPlan:
    """What an idea says about itself that a call has rules for; plain data, no model."""

    lead: Member | None = None
    start_date: datetime.date | None = None
    duration_months: int | None = None
    budget: int | None = None
    partners_wanted: int = 0
    closes_on: datetime.date | None = None
    countries_sought: frozenset[str] = frozenset()


def idea_problems(
    plan: IdeaPlan,
    rules: Rules | None,
    *,
    today: datetime.date,
    kind_labels: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """The rules an idea breaks, as field name → sentences naming each rule.

    For an idea that is open for partners (a draft may break them): with or
    without a call, the planned start is in the future. With a call:

    - the lead may apply (``applicant_problem``);
    - the planned start is after the call's deadline, and partner
      applications close on or before it;
    - the duration lies within the call's months;
    - the budget is one of the lump sums, or within the budget range;
    - the partners wanted fill the call's minimum (lead included); a call
      that takes no partners has nothing to open an idea for (and 0 wanted);
    - every country sought is one the call accepts partners from.
    """
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if plan.start_date and plan.start_date <= today:
        add("start_date", gettext("The planned start must be in the future."))
    if rules is None:
        return errors
    if plan.lead is not None:
        problem = applicant_problem(plan.lead, rules, kind_labels=kind_labels)
        if problem:
            add("lead", _capital(problem) + ".")
    if rules.deadline:
        deadline = _date(rules.deadline)
        if plan.start_date and plan.start_date <= rules.deadline:
            add(
                "start_date",
                gettext(
                    "A project funded by this call starts after its deadline (%(date)s): "
                    "plan a later start."
                )
                % {"date": deadline},
            )
        if plan.closes_on and plan.closes_on > rules.deadline:
            add(
                "closes_on",
                gettext(
                    "Partner applications must close by the call's deadline (%(date)s), "
                    "so the consortium is complete when you apply."
                )
                % {"date": deadline},
            )
    duration = _duration_text(rules)
    if plan.duration_months is not None and duration:
        too_short = rules.min_months and plan.duration_months < rules.min_months
        too_long = rules.max_months and plan.duration_months > rules.max_months
        if too_short or too_long:
            add(
                "duration_months",
                gettext("This call funds only what fits: %(rule)s.") % {"rule": duration},
            )
    if plan.budget is not None:
        if rules.lump_sums and plan.budget not in rules.lump_sums:
            add(
                "budget",
                gettext("This call pays %(rule)s: set the budget to one of them.")
                % {"rule": _money_text(rules).removeprefix("one lump sum of your choice: ")}
                if len(rules.lump_sums) > 1
                else gettext("This call pays %(rule)s: set the budget to it.")
                % {"rule": _money_text(rules)},
            )
        elif not rules.lump_sums and (
            (rules.budget_min and plan.budget < rules.budget_min)
            or (rules.budget_max and plan.budget > rules.budget_max)
        ):
            add("budget", gettext("Outside this call's %(rule)s.") % {"rule": _money_text(rules)})
    if not rules.partners_allowed:
        add(
            "call",
            gettext(
                "This call takes no partners, so an idea for it cannot be opened for partner "
                "applications: keep it as a draft to plan the project."
            ),
        )
        if plan.partners_wanted:
            add(
                "partners_wanted",
                gettext("This call takes no partners: set the partners wanted to 0."),
            )
        if plan.countries_sought:
            add(
                "countries_sought",
                gettext("This call takes no partners: leave the countries sought empty."),
            )
    else:
        needed = rules.organisations_required - 1
        if plan.partners_wanted < needed:
            add(
                "partners_wanted",
                ngettext(
                    "This call needs at least %(count)d partner besides the lead.",
                    "This call needs at least %(count)d partners besides the lead.",
                    needed,
                )
                % {"count": needed},
            )
        eligible = rules.eligible_countries
        outside = sorted(c for c in _upper(plan.countries_sought) if eligible and c not in eligible)
        if outside:
            add(
                "countries_sought",
                ngettext(
                    "%(countries)s is not eligible for this call.",
                    "%(countries)s are not eligible for this call.",
                    len(outside),
                )
                % {"countries": _and_list([_country_name(code) for code in outside])},
            )
    return errors


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _missing_sentence(organisations: int, countries: int, groups: list[str], *, first: bool) -> str:
    """One sentence for what is still missing.

    ``organisations`` >= ``countries`` and >= 1; ``groups`` are the texts of
    the missing groups (usually none or one: "Lithuania", "a donor state …";
    with two or more the sentence lists "one from … and one from …");
    is true when no organisation counts yet, so "a country not yet in the
    consortium" would be noise and is left out. A partner from the group is
    always from a new country, so the group is one of the new countries rather
    than an extra organisation. Whole sentences are used where they read
    naturally; otherwise two separately pluralised halves are joined, because
    one message cannot carry two plural counts (Latvian and Lithuanian inflect
    both).
    """
    if len(groups) > 1:
        return _groups_sentence(organisations, groups)
    group = groups[0] if groups else ""
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


def _groups_sentence(organisations: int, groups: list[str]) -> str:
    """``organisations`` more, with one from each of two or more ``groups`` among them."""
    head = ngettext(
        "needs %(count)d more organisation",
        "needs %(count)d more organisations",
        organisations,
    ) % {"count": organisations}
    listed = _and_list([gettext("one from %(group)s") % {"group": group} for group in groups])
    if organisations > len(groups):
        # Translators: "needs 3 more organisations, including one from Latvia and one from Lithuania".
        condition = gettext("including %(groups)s") % {"groups": listed}
    else:
        condition = listed
    return gettext("%(organisations)s, %(condition)s") % {
        "organisations": head,
        "condition": condition,
    }


def _group_text(rules: Rules, group: frozenset[str]) -> str:
    """A required group as words.

    A single country by its name; the donor states by their translated name;
    otherwise the call's own label (for ``required_countries``), else the
    countries themselves.
    """
    if len(group) == 1:
        return _country_name(next(iter(group)))
    if group == DONOR_STATES:
        # Translators: the EEA and Norway Grants donor states, in this order.
        return gettext("a donor state (%(countries)s)") % {
            "countries": _or_list([_country_name(code) for code in ("NO", "IS", "LI")])
        }
    label = rules.required_group_label.strip()
    if label and group == rules.required_countries:
        return label
    return gettext("one of these countries: %(countries)s") % {"countries": _country_list(group)}


def _and_list(items: Sequence[str], *, each_one: bool = False) -> str:
    """ "A, B and C" in the active language (``each_one``: "A and one from B")."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if each_one:
        # Translators: "Latvia and one from Lithuania" in "at least one organisation from …".
        return gettext("%(first)s and one from %(last)s") % {
            "first": gettext(", one from ").join(items[:-1]),
            "last": items[-1],
        }
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _or_list(items: Sequence[str]) -> str:
    """ "A, B or C" in the active language."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return gettext("%(first)s or %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _kind_list(kinds: frozenset[str], labels: Mapping[str, str]) -> str:
    return _and_list(sorted(_kind_label(kind, labels).lower() for kind in kinds))


def _country_name(code: str) -> str:
    """Translated country name; the code itself when django-countries has no name for it."""
    if not code:
        return gettext("an unknown country")
    return str(countries.name(code)) or code


def _country_list(codes: Iterable[str], *, conjunction: bool = False) -> str:
    # Sorted by name rather than code so the list reads alphabetically in every language.
    names = sorted(_country_name(code) for code in codes)
    return _and_list(names) if conjunction else ", ".join(names)


def _kind_label(kind: str, labels: Mapping[str, str]) -> str:
    label = labels.get(kind)
    return str(label) if label else kind


def _upper(codes: Iterable[str]) -> frozenset[str]:
    # Codes typed by staff or read from CSV may be lower case; ISO codes are upper case.
    return frozenset(code.strip().upper() for code in codes)
