"""Reference vocabularies: data, not code, with labels in the three site languages."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TermQuerySet(models.QuerySet):
    def by_codes(self, codes):
        return self.filter(code__in=list(codes))


class Term(models.Model):
    """A code that never changes once data uses it, and its labels."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_lv = models.CharField(_("name (Latvian)"), max_length=120, blank=True)
    name_lt = models.CharField(_("name (Lithuanian)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The label in the active language, falling back to English."""
        language = (get_language() or "en")[:2]
        return getattr(self, f"name_{language}", "") or self.name_en

    def labels(self) -> tuple[str, ...]:
        return tuple(name for name in (self.name_en, self.name_lv, self.name_lt) if name)


class FieldOfActivity(Term):
    class Meta(Term.Meta):
        verbose_name = _("field of activity")
        verbose_name_plural = _("fields of activity")


class Theme(Term):
    class Meta(Term.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class TargetGroup(Term):
    class Meta(Term.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class Programme(Term):
    class Meta(Term.Meta):
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")


class Activity(Term):
    class Meta(Term.Meta):
        verbose_name = _("activity")
        verbose_name_plural = _("activities")


class Language(Term):
    code = models.SlugField(_("ISO 639-1 code"), max_length=3, unique=True)

    class Meta(Term.Meta):
        verbose_name = _("working language")
        verbose_name_plural = _("working languages")


# fixtures/taxonomies.json key → model name, in load order.
VOCABULARIES = {
    "fields": "FieldOfActivity",
    "themes": "Theme",
    "target_groups": "TargetGroup",
    "programmes": "Programme",
    "activities": "Activity",
    "languages": "Language",
}
