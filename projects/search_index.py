"""What the idea list's full-text search reads about an idea, kept in step.

``ProjectIdea.search_text`` holds the search document (``partnerhub.search``):
the title; the labels of its themes, target groups, activities and programme
in English, Latvian and Lithuanian, and its call's code; the summary and goals.
The database indexes that column (see organisations/search_index.py for the
same arrangement), so only ``search_text`` has to be kept right:

- ``save()`` builds it;
- a change to themes, target groups or activities, written after the row,
  rebuilds it (``on_terms_changed``, connected in ``ProjectsConfig.ready``);
- bulk writers (``generate_synthetic``, migrations) call ``refresh``.
"""

from __future__ import annotations

from collections.abc import Iterable

from organisations.search_index import term_labels
from partnerhub import search

#: The relations whose labels go into the document.
LABELLED_SETS = ("themes", "target_groups", "activities")
_CHUNK = 2_000


def _programme_labels(programme) -> list[str]:
    if programme is None:
        return []
    return [name for name in (programme.name_en, programme.name_lv, programme.name_lt) if name]


def document(*, idea, labels: Iterable[str]) -> str:
    extra = _programme_labels(idea.programme) if idea.programme_id else []
    if idea.call_id:
        extra.append(idea.call.code)
    return search.document(
        name=idea.title, labels=[*labels, *extra], body=(idea.summary, idea.goals)
    )


def build(idea) -> str:
    """The document of one idea, reading its labels from the database when it has a pk."""
    labels = term_labels(type(idea), LABELLED_SETS, [idea.pk]) if idea.pk else {}
    return document(idea=idea, labels=labels.get(idea.pk, ()))


def refresh(ids: Iterable[int], *, model=None) -> int:
    """Rebuild ``search_text`` of the ideas ``ids`` from the database; returns how many."""
    if model is None:
        from .models import ProjectIdea as model
    ids = list(ids)
    done = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        labels = term_labels(model, LABELLED_SETS, chunk)
        rows = list(
            model.objects.filter(pk__in=chunk)
            .select_related("programme", "call")
            .only("pk", "title", "summary", "goals", "programme", "call__code")
        )
        for row in rows:
            row.search_text = document(idea=row, labels=labels.get(row.pk, ()))
        model.objects.bulk_update(rows, ["search_text"], batch_size=500)
        done += len(rows)
    return done


def on_terms_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    ids = list(pk_set or ()) if reverse else [instance.pk]
    if ids:
        refresh(ids)


def connect() -> None:
    from django.db.models.signals import m2m_changed

    from .models import ProjectIdea

    for name in LABELLED_SETS:
        through = ProjectIdea._meta.get_field(name).remote_field.through
        m2m_changed.connect(on_terms_changed, sender=through, dispatch_uid=f"idea-search-{name}")
