"""Strings of Django and allauth that their own Latvian or Lithuanian catalogues get wrong.

Never imported: ``makemessages`` reads these markers so that locale/lv and locale/lt
carry corrected translations, and the project's catalogues (LOCALE_PATHS) come before
those of installed packages. Django's Lithuanian catalogue has the password rules
with a straight apostrophe ("can't") where Django 5.2 writes "can’t", so three of the
four rules on the sign-up page were English; its Latvian one swaps the singular and
the plural ("vismaz 8 rakstzīmei"); allauth's Latvian sign-up says "spiedied".
Relative dates (issue 13) were corrected by hand in the catalogues, with no marker in
our code, so makemessages dropped them: marked below too.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, npgettext_lazy, pgettext_lazy

PASSWORD_RULES = [
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
]

ALLAUTH = [
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
]

# Relative dates: Django's timesince and humanize's naturaltime, with the plural
# forms and cases Latvian and Lithuanian need ("pirms 6 dienām", "prieš 6 dienas").
RELATIVE_DATES = [
    pgettext_lazy("naturaltime", "%(delta)s ago"),
    npgettext_lazy("naturaltime-past", "%(num)d year", "%(num)d years", "num"),
    npgettext_lazy("naturaltime-past", "%(num)d month", "%(num)d months", "num"),
    npgettext_lazy("naturaltime-past", "%(num)d week", "%(num)d weeks", "num"),
    npgettext_lazy("naturaltime-past", "%(num)d day", "%(num)d days", "num"),
    npgettext_lazy("naturaltime-past", "%(num)d hour", "%(num)d hours", "num"),
    npgettext_lazy("naturaltime-past", "%(num)d minute", "%(num)d minutes", "num"),
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
    gettext_noop(", "),
]
