"""What the directory's full-text search reads about an organisation, kept in step.

``Organisation.search_text`` holds the search document (``partnerhub.search``)
of what only the row knows: the stems of the name and of the city and
description (its labels line stays empty). The database indexes that column
(a generated ``tsvector`` on PostgreSQL, triggers into FTS5 on SQLite), so
every write path keeps the index right by saving the row: ``save()`` builds
it (``Organisation.build_search_text``); bulk writers and migrations call
``refresh``.

What the taxonomies say — the kind, fields, themes, target groups and
programmes, in English, Latvian and Lithuanian — is matched by the
directory's facet index from the codes themselves (``directory.LabelIndex``),
so a taxonomy change needs no document rebuild and the rows stay narrow.
``term_labels`` and ``kind_labels`` give those labels (the idea list, which
is searched by the database alone, puts them into its documents).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable

from django.utils import translation

from partnerhub import search

_LANGUAGES = ("en", "lv", "lt")
_CHUNK = 2_000


@functools.lru_cache(maxsize=64)
def kind_labels(kind: str) -> tuple[str, ...]:
    """The label of a kind of organisation in the three site languages ("Municipality", "Pašvaldība", …)."""
    from .models import Kind

    try:
        label = Kind(kind).label
    except ValueError:
        return ()
    labels = []
    for language in _LANGUAGES:
        with translation.override(language):
            labels.append(str(label))
    return tuple(dict.fromkeys(labels))


def term_labels(model, relations: Iterable[str], ids: Iterable[int]) -> dict[int, list[str]]:
    """``{owner id: labels of its terms in every language}``, one query per relation.

    Works on historical models in migrations too (only fields are used).
    """
    ids = list(ids)
    labels: dict[int, list[str]] = defaultdict(list)
    for name in relations:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = through.objects.filter(**{f"{owner}_id__in": ids}).values_list(
            f"{owner}_id", f"{target}__name_en", f"{target}__name_lv", f"{target}__name_lt"
        )
        for owner_id, *names in rows:
            labels[owner_id].extend(name for name in names if name)
    return labels


def document(*, name: str, city: str, description: str) -> str:
    return search.document(name=name, labels=(), body=(city, description))


def refresh(ids: Iterable[int], *, model=None) -> int:
    """Rebuild ``search_text`` of the organisations ``ids``; returns how many."""
    if model is None:
        from .models import Organisation as model
    ids = list(ids)
    done = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = list(model.objects.filter(pk__in=chunk).only("pk", "name", "city", "description"))
        for row in rows:
            row.search_text = document(name=row.name, city=row.city, description=row.description)
        model.objects.bulk_update(rows, ["search_text"], batch_size=500)
        done += len(rows)
    return done
