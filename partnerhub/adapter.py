"""allauth adapter: lock-outs per address and source, and sign-up that does not tell.

- Failed sign-ins are counted per (address, client IP): five wrong passwords from
  one source lock that source out of that account for five minutes, but a stranger
  elsewhere cannot lock the owner out. The per-IP limit still holds every source.
- Account e-mails (verification, password reset, …) leave through the task queue
  like every other mail (partnerhub.mail): a mail server that is down never turns
  sign-up or a password reset into an error page, and the message is retried. They
  are the site's own text (partnerhub.account_mail), HTML and plain text, in the
  recipient's language, greet them by their display name, and name the site from
  settings (SITE_NAME, SITE_URL), never from the request's Host.
- Sign-up asks for a display name (partnerhub.forms.SignupForm) and keeps it with the
  language the person signed up in; signing in switches the site to their language.
- With ACCOUNT_PREVENT_ENUMERATION, signing up with a registered address sends that
  address a mail instead of creating an account. Creating one costs a password hash
  (~0.25 s with PBKDF2), so the known-address path hashes too: both answer in the
  same time (tests/partnerhub/test_accounts_security.py).
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import translation
from django.utils.crypto import get_random_string

from . import account_mail
from .mail import queue_mail


def user_display(user) -> str:
    """How allauth names a person ("Signed in as …"): their display name, else their address."""
    from organisations.people import display_name

    return display_name(user) or getattr(user, "email", "") or str(user)


def remember_language(response, language: str):
    """Set the language cookie, as the language switcher does; returns ``response``."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def recipient_of(email: str, context: dict):
    """The account a mail goes to, if there is one (None for an unknown address)."""
    from allauth.account.models import EmailAddress

    user = context.get("user")
    if user is not None and getattr(user, "pk", None):
        return user
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address is not None:
        return address.user
    return get_user_model().objects.filter(email__iexact=email).first()


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"

    def send_account_already_exists_mail(self, email: str) -> None:
        # The cost of hashing a new account's password, spent on nothing.
        make_password(get_random_string(32))
        super().send_account_already_exists_mail(email)

    def post_login(self, request, user, **kwargs):
        """Sign in in the person's own language: the message, the next page and the cookie."""
        from organisations.models import UserSettings

        language = UserSettings.objects.filter(user=user).values_list("language", flat=True).first()
        if language not in dict(settings.LANGUAGES):
            return super().post_login(request, user, **kwargs)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return remember_language(super().post_login(request, user, **kwargs), language)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """The site's own mail for ``template_prefix``, in the recipient's language."""
        from organisations.notifications import language_of
        from organisations.people import display_name

        user = recipient_of(email, context)
        language = language_of(user) if user is not None else translation.get_language()
        with translation.override(language):
            subject, text, html = account_mail.render(
                template_prefix,
                {"email": email, **context},
                name=display_name(user) if user is not None else "",
            )
        queue_mail(to=[email], subject=subject, text=text, html=html)
