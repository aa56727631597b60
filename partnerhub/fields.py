"""A small list-of-codes field that works the same on SQLite and PostgreSQL."""

import re

from django import forms
from django.core import exceptions
from django.db import models
from django.db.models import Q


class CodeListField(models.CharField):
    """Several codes from a fixed set of choices, stored as `a,b,c`.

    ArrayField would tie us to PostgreSQL and JSON containment lookups do not
    exist on SQLite; a delimited string with a regex lookup (`has_code`) works on
    both and keeps rows compact.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, list | tuple):
            return [str(v) for v in value if v]
        return [code for code in str(value).split(",") if code]

    def get_prep_value(self, value):
        if isinstance(value, list | tuple | set | frozenset):
            return ",".join(dict.fromkeys(str(v) for v in value if v))
        return super().get_prep_value(value)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        if not self.editable:
            return
        valid = {str(key) for key, _label in self.flatchoices}
        for code in value:
            if valid and code not in valid:
                raise exceptions.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": code},
                )
        if not value and not self.blank:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def run_validators(self, value):
        # The CharField max-length validator measures the joined string.
        super().run_validators(self.get_prep_value(value))

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.choices,
            "required": not self.blank,
            "label": self.verbose_name,
            "help_text": self.help_text,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(kwargs)
        # Bypass CharField/Field.formfield's single-choice handling.
        return forms.TypedMultipleChoiceField(
            **{k: v for k, v in defaults.items() if k != "form_class"}
        )


def has_code(field: str, code: str) -> Q:
    """Rows whose comma-separated `field` holds exactly `code` (also CountryField(multiple=True))."""
    return Q(**{f"{field}__regex": rf"(^|,){re.escape(code)}(,|$)"})
