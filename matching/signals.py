"""Keep the feature cache honest: a change to an organisation's taxonomies is a profile change.

``matching.cache`` notices a changed profile by its ``updated_at``. Saving
the row moves it, but fields, themes, target groups and working languages
live in through tables, and a ModelForm writes them *after* the row; so each
change to those relations touches ``updated_at`` once more. This is cache
bookkeeping only (the profile page shows the same "updated" date); no domain
flow lives here.

The same holds for a project idea's themes, target groups and fields sought,
which ``matching.need_cache`` reads: a change to them touches the idea's
``updated_at``.
"""

from django.db.models.signals import m2m_changed
from django.utils import timezone

from organisations.models import Organisation
from projects.models import ProjectIdea

from .features import IDEA_SETS, ORGANISATION_SETS


def _touched(instance, action, reverse, pk_set) -> list[int]:
    if action not in ("post_add", "post_remove", "post_clear"):
        return []
    if not reverse:
        return [instance.pk]
    return list(pk_set or ())  # a term cleared of all its rows: never done by the site


def touch_profiles(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    ids = _touched(instance, action, reverse, pk_set)
    if ids:
        Organisation.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def touch_ideas(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    ids = _touched(instance, action, reverse, pk_set)
    if ids:
        ProjectIdea.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def connect() -> None:
    for name in ORGANISATION_SETS:
        through = Organisation._meta.get_field(name).remote_field.through
        m2m_changed.connect(touch_profiles, sender=through, dispatch_uid=f"matching-touch-{name}")
    for name in IDEA_SETS:
        through = ProjectIdea._meta.get_field(name).remote_field.through
        m2m_changed.connect(touch_ideas, sender=through, dispatch_uid=f"matching-touch-idea-{name}")
