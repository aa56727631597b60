"""What sign-up asks beyond e-mail and password: the name other organisations see."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    """allauth's ACCOUNT_SIGNUP_FORM_CLASS: the name first, then e-mail and password."""

    field_order = ["display_name", "email", "password1", "password2"]

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        help_text=_(
            "Shown to other organisations instead of your e-mail address, "
            "for example “Anna Bērziņa”."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter the name other organisations should see.")},
    )

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the name other organisations should see."))
        return name

    def signup(self, request, user) -> None:
        from organisations.models import UserSettings

        language = translation.get_language() or settings.LANGUAGE_CODE
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        UserSettings.objects.update_or_create(
            user=user,
            defaults={"display_name": self.cleaned_data["display_name"], "language": language},
        )
