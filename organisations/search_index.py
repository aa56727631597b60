"""What the directory's full-text search reads about an organisation, kept in step.

``Organisation.search_text`` holds the search document (``partnerhub.search``):
the name, the labels of every code the organisation carries (kind, fields,
themes, target groups, programmes) in English, Latvian and Lithuanian, and
the city and description. The database keeps its full-text index in step with
that column (a generated ``tsvector`` on PostgreSQL, triggers into FTS5 on
SQLite), so every write path only has to keep ``search_text`` right:

- ``save()`` builds it (``Organisation.build_search_text``);
- a change to the taxonomies, written after the row, rebuilds it
  (``on_terms_changed``, connected in ``OrganisationsConfig.ready``);
- bulk writers (``generate_synthetic``, migrations) call ``refresh``.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone, translation

from partnerhub import search

#: The relations whose labels go into the document.
LABELLED_SETS = ("fields", "themes", "target_groups", "programmes")
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


def document(*, name: str, kind: str, city: str, description: str, labels: Iterable[str]) -> str:
    return search.document(
        name=name, labels=[*kind_labels(kind), *labels], body=(city, description)
    )


def refresh(ids: Iterable[int], *, model=None) -> int:
    """Rebuild ``search_text`` of the organisations ``ids`` from the database; returns how many."""
    if model is None:
        from .models import Organisation as model
    ids = list(ids)
    done = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        labels = term_labels(model, LABELLED_SETS, chunk)
        rows = list(
            model.objects.filter(pk__in=chunk).only("pk", "name", "kind", "city", "description")
        )
        for row in rows:
            row.search_text = document(
                name=row.name,
                kind=row.kind,
                city=row.city,
                description=row.description,
                labels=labels.get(row.pk, ()),
            )
        model.objects.bulk_update(rows, ["search_text"], batch_size=500)
        done += len(rows)
    return done


def on_terms_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """m2m_changed of a labelled relation: the labels in the document changed."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    ids = list(pk_set or ()) if reverse else [instance.pk]
    if not ids:
        return
    refresh(ids)
    if sender is _through("programmes"):
        # Fields, themes and target groups already move updated_at (matching.signals);
        # the programmes do not, and the directory's programme filter reads them.
        from .models import Organisation

        Organisation.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def _through(name: str):
    from .models import Organisation

    return Organisation._meta.get_field(name).remote_field.through


def connect() -> None:
    from django.db.models.signals import m2m_changed

    for name in LABELLED_SETS:
        m2m_changed.connect(
            on_terms_changed, sender=_through(name), dispatch_uid=f"organisation-search-{name}"
        )
