from .current import current_organisation as _current


def current_organisation(request):
    """The organisation the signed-in user is acting for, on every page."""
    return {"current_organisation": _current(request)}
