"""allauth adapter: lock-outs per address and source, and sign-up that does not tell.

- Failed sign-ins are counted per (address, client IP): five wrong passwords from
  one source lock that source out of that account for five minutes, but a stranger
  elsewhere cannot lock the owner out. The per-IP limit still holds every source.
- Account e-mails (verification, password reset, …) leave through the task queue
  like every other mail (partnerhub.mail): a mail server that is down never turns
  sign-up or a password reset into an error page, and the message is retried. They
  name the site from settings (SITE_NAME, SITE_URL), never from the request's Host.
- With ACCOUNT_PREVENT_ENUMERATION, signing up with a registered address sends that
  address a mail instead of creating an account. Creating one costs a password hash
  (~0.25 s with PBKDF2), so the known-address path hashes too: both answer in the
  same time (tests/partnerhub/test_accounts_security.py).
"""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils.crypto import get_random_string

from .mail import queue_mail


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"

    def send_account_already_exists_mail(self, email: str) -> None:
        # The cost of hashing a new account's password, spent on nothing.
        make_password(get_random_string(32))
        super().send_account_already_exists_mail(email)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        site = SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        ctx = {
            "request": allauth_context.request,
            "email": email,
            **context,
            "current_site": site,
            "site_url": settings.SITE_URL,
        }
        message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (
                body
                for body, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        queue_mail(to=list(message.to), subject=message.subject, text=message.body, html=html)
