"""Profile and invitation forms: validation and cleaning only."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from partnerhub.validators import NameField

from .models import Experience, Organisation, Role
from .regions import region_choices, regions_by_country

# Pillow's format names of the logo types we accept.
LOGO_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}

TAXONOMY_FIELDS = ("fields", "themes", "target_groups", "languages", "programmes")


def _formfield(model_field, **kwargs):
    # "www.example.org" means https://www.example.org.
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


def region_field_choices(country: str = "") -> list:
    """("", "—") and the regions of ``country``; with no country (or one without listed
    regions), every listed region grouped by its country's name in the active language."""
    own = region_choices(country)
    if own:
        return [("", "—"), *own]
    groups = [
        (str(countries.name(code)), [(region, name) for region, name in rows])
        for code, rows in regions_by_country().items()
    ]
    return [("", "—"), *sorted(groups)]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "country",
            "region",
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
        field_classes = {"name": NameField}
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
        # Regions grouped under their country: the model checks that the
        # region is the organisation's own country's (Organisation.clean).
        # The country being submitted, else the profile's own: its list only.
        country = self.data.get("country") if self.is_bound else None
        if country is None and self.instance.pk:
            country = self.instance.country.code or ""
        self.fields["region"].choices = region_field_choices(country or "")
        self.fields["region"].help_text = _(
            "Only for countries listed here. Cross-border programmes (Interreg) fund only "
            "some regions of a country."
        )
        # Only the name, kind, country and city are required (the form's intro says so);
        # without an answer the experience stays "No international experience yet".
        self.fields["experience"].required = False
        for name in TAXONOMY_FIELDS:
            # Labels in the active language, in the taxonomy's own order.
            field = self.fields[name]
            field.queryset = field.queryset.order_by("position", "code")
            field.label_from_instance = lambda term: term.label

    def clean_experience(self) -> str:
        return self.cleaned_data.get("experience") or Experience.NONE

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
        # Named after what it is, not what the uploader called it; the stored name is
        # random (models.logo_upload_to).
        logo.name = f"logo{LOGO_FORMATS[image_format]}"
        return logo


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class NotificationSettingsForm(forms.Form):
    """How a person is named, which language they read, and when each group of e-mails arrives.

    One choice per group of notification kinds (``preference_groups()``): the
    settings page speaks of "Messages to your organisation", not of event codes.
    """

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=100,
        required=False,
        help_text=_(
            "Shown with your messages to other organisations instead of your e-mail address, "
            "for example “Anna Bērziņa, project coordinator”."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the site and of the e-mails PartnerHub sends you."),
    )

    def __init__(self, *args, groups: dict[str, list[str]], **kwargs):
        from .models import EmailFrequency

        super().__init__(*args, **kwargs)
        self.groups = groups
        for index, label in enumerate(groups):
            self.fields[f"group_{index}"] = forms.ChoiceField(
                label=label,
                choices=EmailFrequency.choices,
                initial=EmailFrequency.IMMEDIATELY,
                widget=forms.RadioSelect,
            )

    def group_fields(self):
        return [self[f"group_{index}"] for index in range(len(self.groups))]

    def preferences(self) -> dict[str, str]:
        """Kind → frequency for every kind, from the choice made for its group."""
        chosen = {}
        for index, kinds in enumerate(self.groups.values()):
            for kind in kinds:
                chosen[kind] = self.cleaned_data[f"group_{index}"]
        return chosen
