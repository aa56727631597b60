"""Which of a user's organisations they are acting for: a choice kept in the session."""

from django.utils.functional import SimpleLazyObject

from .models import Organisation

SESSION_KEY = "current_organisation"


def _resolve(request) -> Organisation | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    mine = Organisation.objects.member_of(user).order_by("name")
    chosen = request.session.get(SESSION_KEY)
    if chosen:
        organisation = mine.filter(pk=chosen).first()
        if organisation:
            return organisation
    return mine.first()


def current_organisation(request):
    """Lazily resolved so pages that never show it cost no query."""
    return SimpleLazyObject(lambda: _resolve(request))


def set_current_organisation(request, organisation: Organisation) -> None:
    request.session[SESSION_KEY] = organisation.pk
