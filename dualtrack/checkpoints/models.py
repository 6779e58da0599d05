"""Checkpoints (卡点) at village and community entrances, and what happens at them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import Area


class Checkpoint(models.Model):
    """An entry checkpoint at a village or community entrance."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="checkpoints", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["area__code", "name"]

    def __str__(self) -> str:
        return self.name
