from .current import current_organisation as _current


def current_organisation(request):
    """The organisation the signed-in user is acting for, on every page."""
    return {"current_organisation": _current(request)}


def unread_notifications(request):
    """The unread count in the header: one cheap query, only for signed-in users, only if shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from django.utils.functional import SimpleLazyObject

    from .models import Notification

    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: Notification.objects.for_user(user).unread().count()
        )
    }
