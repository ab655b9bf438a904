"""The ITIL priority matrix: impact and urgency give the priority."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Impact(models.IntegerChoices):
    HIGH = 1, _("high: many users or a whole service")
    MEDIUM = 2, _("medium: a group or an important function")
    LOW = 3, _("low: one user or a workaround exists")


class Urgency(models.IntegerChoices):
    HIGH = 1, _("high: work has stopped")
    MEDIUM = 2, _("medium: work is hindered")
    LOW = 3, _("low: can wait")


class Priority(models.IntegerChoices):
    CRITICAL = 1, _("1 critical")
    HIGH = 2, _("2 high")
    MEDIUM = 3, _("3 medium")
    LOW = 4, _("4 low")
    PLANNING = 5, _("5 planning")


def priority_for(impact: int, urgency: int) -> Priority:
    """The common 3x3 ITIL matrix: each step down in impact or urgency lowers priority by one."""
    if impact not in Impact.values or urgency not in Urgency.values:
        raise ValueError(f"impact and urgency must be 1..3, not {impact!r}, {urgency!r}")
    return Priority(impact + urgency - 1)
