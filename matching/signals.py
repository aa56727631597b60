"""Keep the feature cache honest: a change to an organisation's taxonomies is a profile change.

``matching.cache`` notices a changed profile by its ``updated_at``. Saving
the row moves it, but fields, themes, target groups and working languages
live in through tables, and a ModelForm writes them *after* the row; so each
change to those relations touches ``updated_at`` once more. This is cache
bookkeeping only (the profile page shows the same "updated" date); no domain
flow lives here.
"""

from django.db.models.signals import m2m_changed
from django.utils import timezone

from organisations.models import Organisation

from .features import ORGANISATION_SETS


def touch_profiles(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        ids = [instance.pk]
    elif pk_set:
        ids = list(pk_set)
    else:
        return  # a term cleared of all its organisations: never done by the site
    Organisation.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def connect() -> None:
    for name in ORGANISATION_SETS:
        through = Organisation._meta.get_field(name).remote_field.through
        m2m_changed.connect(touch_profiles, sender=through, dispatch_uid=f"matching-touch-{name}")
