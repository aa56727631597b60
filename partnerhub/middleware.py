"""Request guards that hold for every view: health checks, hostile input, staff MFA, audit.

Each is a small class so its place in settings.MIDDLEWARE says what it runs before.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

audit = logging.getLogger("partnerhub.audit")

HEALTHZ_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answer the load balancer's `/healthz` before the SSL redirect and the Host check.

    Load balancers probe instances over plain HTTP by IP address: a 301 or a 400
    there reads as "down". The answer carries no user data, so it may skip both.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTHZ_PATH and request.method in ("GET", "HEAD"):
            from .health import healthz_response

            return healthz_response()
        return self.get_response(request)


def _has_nul(value: str) -> bool:
    return "\x00" in value


class RequestLimitsMiddleware:
    """Refuse what no form or URL of the site can mean, before any view or query sees it.

    - a body larger than ``MAX_REQUEST_BODY_BYTES`` (413), judged by Content-Length before
      a byte of it is read, so a 60 MB upload costs nothing;
    - NUL bytes in the path, query string, form data, cookies or headers (400):
      PostgreSQL cannot store them and answers with an error that became a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest(_("Invalid Content-Length."))
        if length > settings.MAX_REQUEST_BODY_BYTES:
            return HttpResponse(
                _("The request is too large."), status=413, content_type="text/plain"
            )
        if self._contains_nul(request):
            return HttpResponseBadRequest(
                _("The request contains a NUL character, which no page accepts."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def _contains_nul(request: HttpRequest) -> bool:
        if _has_nul(request.path) or _has_nul(request.META.get("QUERY_STRING", "")):
            return True
        if any(_has_nul(key) or _has_nul(value) for key, value in _items(request.GET)):
            return True
        if any(_has_nul(value) for key, value in request.META.items() if key.startswith("HTTP_")):
            return True
        if any(_has_nul(key) or _has_nul(value) for key, value in request.COOKIES.items()):
            return True
        is_form = request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
        return is_form and any(
            _has_nul(key) or _has_nul(value) for key, value in _items(request.POST)
        )


def _items(querydict):
    """Every (key, value) pair of a QueryDict, repeated keys included."""
    for key, values in querydict.lists():
        for value in values:
            yield key, value


def user_has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


class StaffMFAMiddleware:
    """Staff must have a second factor before the admin opens for them.

    A staff member without one is sent to set up an authenticator app (TOTP)
    and comes back to the admin after; everyone else is unaffected.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and request.path_info.startswith(reverse("admin:index"))
            and not user_has_mfa(user)
        ):
            messages.warning(
                request,
                _(
                    "Staff accounts need two-factor authentication: set up an "
                    "authenticator app to open the admin."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


# Secrets that can appear in a path: password reset keys, e-mail confirmation keys.
_SECRET_IN_PATH = re.compile(r"/(key|confirm-email)/[^/]+")


def loggable_path(path: str) -> str:
    """The request path with any one-time key replaced, so logs never hold a usable token."""
    return _SECRET_IN_PATH.sub(lambda match: f"/{match.group(1)}/[redacted]", path)


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def who(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user={user.pk}"
    return "user=anonymous"


class AuditMiddleware:
    """Log refused access to objects and every change made in the admin: who, what, outcome.

    The time is the log record's own. Query strings and bodies are never logged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        status = response.status_code
        if status == 403 or (status == 404 and match is not None and match.kwargs):
            audit.warning(
                "access refused: %s ip=%s %s %s -> %d",
                who(request),
                client_ip(request),
                request.method,
                loggable_path(request.path),
                status,
            )
        elif (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and match is not None
            and match.namespace == "admin"
        ):
            audit.info(
                "admin request: %s ip=%s %s %s -> %d",
                who(request),
                client_ip(request),
                request.method,
                loggable_path(request.path),
                status,
            )
        return response
