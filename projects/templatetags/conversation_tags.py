"""Template tags of conversations: the thread shown on an application's page."""

from django import template

from ..conversation_views import application_thread as thread_of

register = template.Library()


@register.simple_tag(takes_context=True)
def application_thread(context, application) -> dict:
    """``{% application_thread application as thread %}``: its messages and the reply form."""
    return thread_of(application, context["request"].user)
