"""The audit log: sign-ins, failed sign-ins, sign-outs and admin changes, with who and when.

Everything goes to the ``partnerhub.audit`` logger (the record's time is the "when").
Passwords, keys and tokens are never passed to it: a failed sign-in logs the
address only when what was typed looks like one, since people do type their
password into the e-mail field. Refused access is logged by
``partnerhub.middleware.AuditMiddleware``.
"""

from __future__ import annotations

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save

logger = logging.getLogger("partnerhub.audit")


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def safe_login(value) -> str:
    """The login a person typed, if it is an e-mail address; otherwise a placeholder."""
    value = str(value or "")
    if "@" in value and " " not in value and len(value) <= 254:
        return value.lower()
    return "[not an e-mail address]"


def on_logged_in(sender, request, user, **kwargs) -> None:
    logger.info("sign-in: user=%s ip=%s", user.pk, _ip(request))


def on_logged_out(sender, request, user, **kwargs) -> None:
    logger.info("sign-out: user=%s ip=%s", getattr(user, "pk", None), _ip(request))


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    login = credentials.get("email") or credentials.get("username") or credentials.get("login")
    logger.warning("failed sign-in: login=%s ip=%s", safe_login(login), _ip(request))


def on_admin_log_entry(sender, instance, created, **kwargs) -> None:
    if not created:
        return
    logger.info(
        "admin %s: user=%s %s id=%s %r",
        {1: "addition", 2: "change", 3: "deletion"}.get(instance.action_flag, "action"),
        instance.user_id,
        instance.content_type.model if instance.content_type_id else "-",
        instance.object_id,
        instance.get_change_message()[:300],
    )


def connect() -> None:
    from django.contrib.admin.models import LogEntry

    user_logged_in.connect(on_logged_in, dispatch_uid="partnerhub.audit.in")
    user_logged_out.connect(on_logged_out, dispatch_uid="partnerhub.audit.out")
    user_login_failed.connect(on_login_failed, dispatch_uid="partnerhub.audit.failed")
    post_save.connect(on_admin_log_entry, sender=LogEntry, dispatch_uid="partnerhub.audit.admin")
