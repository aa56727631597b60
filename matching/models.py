"""What matching stores: only the suggestions a lead has set aside."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from projects.models import ProjectIdea


class Dismissal(models.Model):
    """A suggested partner the lead does not want to see again for this idea."""

    idea = models.ForeignKey(
        ProjectIdea, verbose_name=_("project idea"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dismissed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dismissed at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "organisation"], name="dismissal_unique_idea_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.idea} ✕ {self.organisation}"
