"""The site's own text for every e-mail allauth sends (sign-up, password, e-mail, second factor).

allauth names each mail by a template prefix ("account/email/password_reset_key").
Instead of allauth's templates ("Hello from 127.0.0.1:8000!"), each prefix is
described here once: its subject, its paragraphs, the link or code it carries,
and whether it is a security notice (a change to the account, with where it
came from). ``render`` turns one into (subject, text, html) through the site's
layout (templates/email/account.txt and .html), in the active language, with
the site's name and address from settings; links point at SITE_URL, never at
the host the request came through. tests/partnerhub/test_account_mail.py checks
that every mail allauth can send is described here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = ["ACCOUNT_MAILS", "AccountMail", "on_site", "render"]


@dataclass(frozen=True)
class AccountMail:
    subject: Promise
    paragraphs: tuple[Promise, ...]
    # The context key of the link the mail is about, and what its button says.
    link: str = ""
    link_label: Promise | str = ""
    # The context key of a code to type in, shown on its own line.
    code: str = ""
    # A change to the account: says where it came from and what to do if it was not you.
    notice: bool = False


IGNORE = _("If you did not ask for this, ignore this message: nothing will change.")

_CONFIRMATION = AccountMail(
    subject=_("Confirm your e-mail address"),
    paragraphs=(
        _("Someone, probably you, gave %(email)s as the e-mail address of an account on %(site)s."),
        _("Confirm that it is yours to start using the account:"),
        IGNORE,
    ),
    link="activate_url",
    link_label=_("Confirm my e-mail address"),
    code="code",
)

ACCOUNT_MAILS: dict[str, AccountMail] = {
    "account/email/email_confirmation": _CONFIRMATION,
    "account/email/email_confirmation_signup": _CONFIRMATION,
    "account/email/account_already_exists": AccountMail(
        subject=_("You already have an account"),
        paragraphs=(
            _(
                "Someone, probably you, tried to sign up on %(site)s with %(email)s, but an "
                "account with this address already exists."
            ),
            _("If you have forgotten your password, choose a new one here:"),
            IGNORE,
        ),
        link="password_reset_url",
        link_label=_("Choose a new password"),
    ),
    "account/email/unknown_account": AccountMail(
        subject=_("No account with this address"),
        paragraphs=(
            _(
                "Someone, probably you, asked to reset the password of an account on %(site)s "
                "with the address %(email)s, but there is no account with this address."
            ),
            _("If you meant to create one, sign up here:"),
            IGNORE,
        ),
        link="signup_url",
        link_label=_("Sign up"),
    ),
    "account/email/password_reset_key": AccountMail(
        subject=_("Choose a new password"),
        paragraphs=(
            _("Someone, probably you, asked to reset the password of your account on %(site)s."),
            _("Choose a new password here; the link works once:"),
            IGNORE,
        ),
        link="password_reset_url",
        link_label=_("Choose a new password"),
    ),
    "account/email/password_reset_code": AccountMail(
        subject=_("Your password reset code"),
        paragraphs=(
            _("Someone, probably you, asked to reset the password of your account on %(site)s."),
            _("Type this code in the open browser window:"),
            IGNORE,
        ),
        code="code",
    ),
    "account/email/login_code": AccountMail(
        subject=_("Your sign-in code"),
        paragraphs=(
            _("Someone, probably you, asked to sign in to %(site)s with a code."),
            _("Type this code in the open browser window:"),
            IGNORE,
        ),
        code="code",
    ),
    "account/email/password_reset": AccountMail(
        subject=_("Your password was reset"),
        paragraphs=(_("The password of your account was reset."),),
        notice=True,
    ),
    "account/email/password_changed": AccountMail(
        subject=_("Your password was changed"),
        paragraphs=(_("The password of your account was changed."),),
        notice=True,
    ),
    "account/email/password_set": AccountMail(
        subject=_("Your password was set"),
        paragraphs=(_("A password was set for your account."),),
        notice=True,
    ),
    "account/email/email_changed": AccountMail(
        subject=_("Your e-mail address was changed"),
        paragraphs=(
            _(
                "The e-mail address of your account was changed from %(from_email)s to %(to_email)s."
            ),
        ),
        notice=True,
    ),
    "account/email/email_confirm": AccountMail(
        subject=_("Your e-mail address is confirmed"),
        paragraphs=(_("The address %(email)s is now confirmed for your account."),),
        notice=True,
    ),
    "account/email/email_deleted": AccountMail(
        subject=_("An e-mail address was removed"),
        paragraphs=(_("The address %(deleted_email)s was removed from your account."),),
        notice=True,
    ),
    "mfa/email/totp_activated": AccountMail(
        subject=_("Two-factor authentication is on"),
        paragraphs=(
            _(
                "An authenticator app was set up for your account: signing in now asks for its code."
            ),
        ),
        notice=True,
    ),
    "mfa/email/totp_deactivated": AccountMail(
        subject=_("Two-factor authentication is off"),
        paragraphs=(
            _(
                "The authenticator app was removed from your account: signing in no longer asks for a code."
            ),
        ),
        notice=True,
    ),
    "mfa/email/recovery_codes_generated": AccountMail(
        subject=_("New recovery codes"),
        paragraphs=(
            _(
                "A new set of recovery codes was made for your account; the old codes no longer work."
            ),
        ),
        notice=True,
    ),
    "mfa/email/webauthn_added": AccountMail(
        subject=_("A security key was added"),
        paragraphs=(_("A security key was added to your account."),),
        notice=True,
    ),
    "mfa/email/webauthn_removed": AccountMail(
        subject=_("A security key was removed"),
        paragraphs=(_("A security key was removed from your account."),),
        notice=True,
    ),
}


def on_site(url: str) -> str:
    """The same page at SITE_URL: links never carry the host a request came through."""
    if not url:
        return ""
    parts = urlsplit(str(url))
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return settings.SITE_URL + path


def _when(value) -> str:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT")
    return str(value or "")


def render(prefix: str, context: dict, *, name: str = "") -> tuple[str, str, str]:
    """(subject, text, html) of mail ``prefix`` in the active language; ``name`` greets."""
    spec = ACCOUNT_MAILS[prefix]
    values = {
        key: str(value)
        for key, value in context.items()
        if isinstance(value, str | Promise | int) and not isinstance(value, bool)
    }
    values["site"] = settings.SITE_NAME
    values.setdefault("email", "")
    paragraphs = [str(paragraph) % values for paragraph in spec.paragraphs]
    link = on_site(context.get(spec.link, "")) if spec.link else ""
    code = str(context.get(spec.code) or "") if spec.code else ""
    if link and code:
        code = ""  # A mail carries a link or a code; allauth passes one of them.
    layout = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "name": name,
        "paragraphs": paragraphs,
        "link": link,
        "link_label": spec.link_label,
        "code": code,
        "notice": spec.notice,
        "ip": context.get("ip") or "",
        "user_agent": context.get("user_agent") or "",
        "timestamp": _when(context.get("timestamp")),
        "account_url": settings.SITE_URL + "/accounts/profile/",
        "password_reset_url": settings.SITE_URL + "/accounts/password/reset/",
    }
    subject = f"[{settings.SITE_NAME}] {spec.subject}"
    text = render_to_string("email/account.txt", layout)
    html = render_to_string("email/account.html", layout)
    return subject, text, html
