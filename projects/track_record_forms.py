"""The form an organisation fills in to add a past project to its profile."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ParticipationRole, PastProject


class PastProjectForm(forms.ModelForm):
    role = forms.ChoiceField(
        label=_("Your organisation's role"),
        choices=ParticipationRole.choices,
        initial=ParticipationRole.PARTNER,
    )
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = PastProject
        fields = ["title", "programme", "action", "year", "summary", "themes", "link"]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"action": _("For example KA210-YOU or KA220-ADU.")}
