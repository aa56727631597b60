"""How a person is named to other organisations: their chosen display name, never their address."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist


def display_name(user) -> str:
    """The display name a person chose, else their full name, else "" (never the e-mail).

    Load ``settings`` with ``select_related("…author__settings")`` to avoid a query per person.
    """
    if user is None:
        return ""
    try:
        chosen = user.settings.display_name
    except ObjectDoesNotExist:
        chosen = ""
    return chosen or user.get_full_name().strip()
