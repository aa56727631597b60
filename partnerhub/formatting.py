"""Numbers and money in the active language's format, the same on every page and in every text."""

from django.conf import settings
from django.utils import formats


def grouped(number: int) -> str:
    """``250000`` → "250,000" in English, "250 000" in Latvian and Lithuanian
    (partnerhub/formats/lt corrects Django's "250.000").

    Django's formats of the active language; outside Django (scripts, benchmarks) Python's
    own grouping.
    """
    if not settings.configured:
        return f"{number:,}"
    return formats.number_format(number, use_l10n=True, force_grouping=True)


def money(amount: int) -> str:
    """An amount in euros: "250,000 EUR" in English, "250 000 EUR" in Latvian."""
    return f"{grouped(amount)}\u00a0EUR"
