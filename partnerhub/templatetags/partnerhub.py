"""Template helpers used across the site."""

from django import template

from partnerhub import formatting

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters replaced, e.g. for pagination links.

    Every filter state lives in the URL, so paging and sorting must keep it.
    """
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def query_toggle(context, key: str, value) -> str:
    """The query string with `value` added to or removed from the multi-valued `key`."""
    query = context["request"].GET.copy()
    values = query.getlist(key)
    value = str(value)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    query.setlist(key, values)
    query.pop("page", None)
    return query.urlencode()


@register.filter
def percent(value) -> int:
    """0..1 → 0..100 for score bars."""
    try:
        return round(float(value) * 100)
    except (TypeError, ValueError):
        return 0


@register.filter
def money(value) -> str:
    """An amount in euros in the active language's number format (partnerhub.formatting)."""
    if value in (None, ""):
        return ""
    return formatting.money(value)
