"""A calendar's hours and days belong to it: any change to them gives the calendar a new version
(BusinessCalendar.version), which is what the calendar cache of every process is keyed by. What
bypasses these signals must set a new version itself: a data migration (historical models send
none), QuerySet.update or bulk_create on the hours and days, raw SQL."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from .models import BusinessCalendar, ClosedDay, OpenDay, WorkingHours, new_calendar_version


def _calendar_changed(sender, instance, **kwargs) -> None:
    # Also for loaddata (raw): a fixture of hours or days alone changes the calendar all the same.
    BusinessCalendar.objects.filter(pk=instance.calendar_id).update(version=new_calendar_version())


def connect() -> None:
    for model in (WorkingHours, ClosedDay, OpenDay):
        post_save.connect(_calendar_changed, sender=model, dispatch_uid=f"sla-calendar-version-{model.__name__}")
        post_delete.connect(_calendar_changed, sender=model, dispatch_uid=f"sla-calendar-version-del-{model.__name__}")
