from django import template

from projects.track_records import track_record

register = template.Library()


@register.simple_tag
def track_record_of(organisation):
    """The organisation's TrackRecord (projects, programmes, partners, countries)."""
    return track_record(organisation)
