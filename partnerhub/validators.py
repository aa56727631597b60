"""Names people read and compare: one Unicode form, and nothing invisible in them.

A name with a zero-width space or a right-to-left override looks like another
organisation's name ("Tilt\u200bai", "\u202eiatliT") and passes every uniqueness check.
Names are NFC-normalised (the composed form that keyboards type, so "ā" typed
two ways is one name) and refused if they contain a character of these categories:

- Cc control characters (NUL, escape, tab, new line …),
- Cf format characters (zero-width space/joiner, bidi embeddings, overrides and
  isolates, soft hyphen, byte-order mark …),
- Co private use, Cs surrogates, Cn unassigned, Zl/Zp line and paragraph separators.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
_SPACES = re.compile(" {2,}")


def normalise_name(value: str) -> str:
    """NFC, with runs of ordinary white space collapsed and the ends trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip(" ")


def hidden_characters(value: str) -> list[str]:
    """The refused characters in `value`, as U+XXXX codes, in order of appearance."""
    return list(
        dict.fromkeys(
            f"U+{ord(char):04X}"
            for char in value
            if unicodedata.category(char) in REFUSED_CATEGORIES
        )
    )


@deconstructible
class NameValidator:
    """Refuse names with invisible or direction-changing characters."""

    code = "hidden_characters"

    def __call__(self, value: str) -> None:
        refused = hidden_characters(value)
        if refused:
            raise ValidationError(
                _(
                    "Remove the invisible or control characters (%(codes)s): names must "
                    "read the same to everyone."
                ),
                code=self.code,
                params={"codes": ", ".join(refused[:5])},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, NameValidator)


validate_name = NameValidator()


class NameField(forms.CharField):
    """A name as people type it, stored NFC-normalised with single spaces."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_name(value) if value else value
