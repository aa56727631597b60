from django.db import models


class Change(models.Model):
    """One row of the change log every process-local cache reads (``partnerhub.changes``).

    Written only by database triggers, in the transaction of the change itself.
    """

    kind = models.PositiveSmallIntegerField()
    object_id = models.BigIntegerField()
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "change"

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
