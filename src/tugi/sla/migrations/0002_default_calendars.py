"""The two calendars every desk starts with: Estonian working days 08:00-17:00 (public holidays of
Estonia, Europe/Tallinn) and 24/7 for the on-call path (K17)."""

import datetime as dt

from django.db import migrations

WORKING_DAYS = "Estonian working days 08:00–17:00"
ROUND_THE_CLOCK = "24/7"


def create(apps, schema_editor):
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    WorkingHours = apps.get_model("sla", "WorkingHours")
    working, created = BusinessCalendar.objects.get_or_create(
        name=WORKING_DAYS, defaults={"time_zone": "Europe/Tallinn", "holiday_country": "EE"}
    )
    if created:
        WorkingHours.objects.bulk_create(
            WorkingHours(calendar=working, weekday=weekday, start_time=dt.time(8), end_time=dt.time(17))
            for weekday in range(5)
        )
    BusinessCalendar.objects.get_or_create(
        name=ROUND_THE_CLOCK, defaults={"time_zone": "Europe/Tallinn", "holiday_country": "EE", "is_24_7": True}
    )


def remove(apps, schema_editor):
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    BusinessCalendar.objects.filter(name__in=[WORKING_DAYS, ROUND_THE_CLOCK]).delete()


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
