"""How complete a profile is: shown to its members, and used by matching as a trust signal.

A pure function over plain values, so the directory, the profile page and the
matching loader (which reads 100,000 rows as tuples) all compute it the same way.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Each part a partner looks for before writing to an organisation, and its weight.
PARTS = {
    "description": (3, _("a description of what you do")),
    "fields": (2, _("fields of activity")),
    "themes": (2, _("themes")),
    "target_groups": (1, _("target groups")),
    "languages": (1, _("working languages")),
    "website": (1, _("a website")),
    "email": (1, _("a public contact e-mail")),
    "logo": (1, _("a logo")),
}
_TOTAL = sum(weight for weight, _label in PARTS.values())
# A description shorter than this says too little to judge a partner by.
MIN_DESCRIPTION_CHARS = 80


@dataclass(frozen=True, slots=True)
class Completeness:
    ratio: float
    missing: tuple[str, ...]

    @property
    def percent(self) -> int:
        return round(self.ratio * 100)


def completeness(
    *,
    description: str,
    fields: int,
    themes: int,
    target_groups: int,
    languages: int,
    website: str,
    email: str,
    logo: str,
) -> Completeness:
    """Share of the weighted profile parts that are filled in, and what is still missing."""
    present = {
        "description": len(description.strip()) >= MIN_DESCRIPTION_CHARS,
        "fields": fields > 0,
        "themes": themes > 0,
        "target_groups": target_groups > 0,
        "languages": languages > 0,
        "website": bool(website),
        "email": bool(email),
        "logo": bool(logo),
    }
    score = sum(PARTS[part][0] for part, ok in present.items() if ok)
    missing = tuple(str(PARTS[part][1]) for part, ok in present.items() if not ok)
    return Completeness(ratio=score / _TOTAL, missing=missing)


def organisation_completeness(organisation) -> Completeness:
    """For one loaded organisation; prefetch its taxonomies to keep this query-free."""
    return completeness(
        description=organisation.description,
        fields=len(organisation.fields.all()),
        themes=len(organisation.themes.all()),
        target_groups=len(organisation.target_groups.all()),
        languages=len(organisation.languages.all()),
        website=organisation.website,
        email=organisation.email,
        logo=organisation.logo.name if organisation.logo else "",
    )
