"""Everything the site holds about one person, as JSON (GDPR art. 15 and 20).

The export walks the models instead of listing them: every row of every model
with a foreign key or one-to-one link to the user is included, so a model added
later is exported without anyone remembering to add it here. Secrets are left
out (password hash, second-factor secrets, one-time keys): they are the user's,
but a file on a laptop is the wrong place for them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

# Field names never exported, whichever model they are on.
SECRET_FIELDS = frozenset({"password", "key", "secret", "token", "data", "session_key"})
# Models left out whole: their rows are secrets or are about the site, not the person.
SKIPPED_MODELS = frozenset({"sessions.session", "account.emailconfirmation"})


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _value(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def row(instance: models.Model) -> dict[str, Any]:
    """The instance's own fields (foreign keys as ids), without secrets."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        name = field.attname
        value = getattr(instance, name)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[name] = _value(value)
    return data


def links_to_user() -> list[tuple[type[models.Model], str]]:
    """(model, field name) for every foreign key and one-to-one field that points at a user."""
    user_model = get_user_model()
    found = []
    for model in apps.get_models():
        if model._meta.label_lower in SKIPPED_MODELS:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is user_model:
                found.append((model, field.name))
    return found


def user_data(user) -> dict[str, Any]:
    """All personal data of `user`: the account itself and every row linked to it."""
    export: dict[str, Any] = {
        "format": "partnerhub-personal-data/1",
        "exported_at": _value(datetime.datetime.now(datetime.UTC)),
        "account": row(user),
        "groups": list(user.groups.values_list("name", flat=True)),
    }
    related: dict[str, list[dict[str, Any]]] = {}
    for model, field_name in links_to_user():
        rows = model._default_manager.filter(**{field_name: user}).order_by("pk")
        if rows.exists():
            key = f"{model._meta.label_lower}.{field_name}"
            related[key] = [row(instance) for instance in rows]
    export["related"] = related
    return export
