"""Profile and invitation forms: validation and cleaning only."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Role

# Pillow's format names of the logo types we accept.
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}

TAXONOMY_FIELDS = ("fields", "themes", "target_groups", "languages", "programmes")


def _formfield(model_field, **kwargs):
    # "www.example.org" means https://www.example.org.
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "country",
            "city",
            "description",
            "fields",
            "themes",
            "target_groups",
            "languages",
            "experience",
            "programmes",
            "oid",
            "registration_number",
            "website",
            "email",
            "logo",
        ]
        widgets = dict.fromkeys(TAXONOMY_FIELDS, forms.CheckboxSelectMultiple)
        widgets["logo"] = forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/webp"}
        )
        formfield_callback = _formfield
        help_texts = {
            "website": _("For example https://www.example.org"),
            "description": _(
                "What you do, for whom, and what kind of partners you look for. "
                "Partners read this first."
            ),
            "oid": _("Optional. The letter E followed by 8 digits, e.g. E10123456."),
            "email": _("Shown to signed-in users who want to contact you."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo"].help_text = _("PNG, JPEG or WebP, at most %(size)s.") % {
            "size": filesizeformat(settings.LOGO_MAX_BYTES)
        }
        for name in TAXONOMY_FIELDS:
            # Labels in the active language, in the taxonomy's own order.
            field = self.fields[name]
            field.queryset = field.queryset.order_by("position", "code")
            field.label_from_instance = lambda term: term.label

    def clean_oid(self) -> str:
        oid = self.cleaned_data["oid"].strip().upper()
        if oid and (
            Organisation.objects.filter(oid=oid).exclude(pk=self.instance.pk or None).exists()
        ):
            raise forms.ValidationError(
                _("Another organisation already uses this Erasmus+ organisation ID.")
            )
        return oid

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not isinstance(logo, UploadedFile):
            return logo  # unchanged or cleared
        if logo.size > settings.LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("The logo is %(size)s; it may be at most %(max)s."),
                params={
                    "size": filesizeformat(logo.size),
                    "max": filesizeformat(settings.LOGO_MAX_BYTES),
                },
                code="file_too_large",
            )
        # ImageField has already opened the file with Pillow and kept the image.
        image_format = getattr(getattr(logo, "image", None), "format", None)
        if image_format not in LOGO_FORMATS:
            raise forms.ValidationError(
                _("Upload a PNG, JPEG or WebP image."), code="invalid_image_type"
            )
        return logo


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
