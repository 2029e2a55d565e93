"""The one table of storage: the counting rows of the staging quotas (storage/staging.py)."""

from django.db import models


class StagingCounter(models.Model):
    """Bytes staged by one client in one window of NETRAL_STAGING_LIFE, or the row that guards the total.

    ``client`` is a keyed pseudonym (netral.http.pseudonym), never an address, and nothing links
    it to a form or a report; rows of past windows are deleted by the staging purge. The row
    with an empty ``client`` is locked by every staging decision, so that two uploads cannot
    both pass a quota that has room for one.
    """

    client = models.CharField(max_length=64)
    window = models.BigIntegerField()
    bytes = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "window"], name="staging_counter_unique")]

    def __str__(self):
        return f"{self.client or 'total'}@{self.window}: {self.bytes}"
