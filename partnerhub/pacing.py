"""Answers that take the same time whatever the request found (ASVS V6.3.8).

Sign-up with a registered address and with a new one does the same costly work
(partnerhub.adapter: one password hash, one queued mail), but a new account also
writes its rows: about 10 ms more, which an attacker averaging many sign-ups could
still measure. ``answer_no_sooner_than`` makes every POST answer no sooner than a
fixed time after it arrived (``SIGNUP_ANSWER_SECONDS``), chosen above what either
path costs, so the two take the same time to the millisecond. The wait holds a
worker; sign-up is limited to 20 a minute per source, so it cannot be used to tie
the workers up.
"""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings


def answer_no_sooner_than(setting: str):
    """Decorate a view so its POST answers take at least ``settings.<setting>`` seconds."""

    def decorator(view):
        @wraps(view)
        def paced(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            answer_at = time.monotonic() + getattr(settings, setting)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # a re-shown form costs its rendering inside the time
            if (wait := answer_at - time.monotonic()) > 0:
                time.sleep(wait)
            return response

        return paced

    return decorator
