"""Desk-wide default SLA policies for priorities 1-5, all on the Estonian working-days calendar
(08:00-17:00, so one business day is nine hours). Every ticket without a service or contract
policy of its own falls under these (K8). The on-call path on the 24/7 calendar is for critical
systems and VIP organisations only (K17) and comes with those rules, not as a default for P1/P2.
Rows an administrator has already written are left as they are."""

import datetime as dt

from django.db import migrations

WORKING_DAYS = "Estonian working days 08:00–17:00"
BUSINESS_DAY = dt.timedelta(hours=9)

DEFAULTS = {
    # priority: (response target, resolution target), in business time
    1: (dt.timedelta(hours=1), dt.timedelta(hours=4)),
    2: (dt.timedelta(hours=2), BUSINESS_DAY),
    3: (dt.timedelta(hours=4), 3 * BUSINESS_DAY),
    4: (BUSINESS_DAY, 10 * BUSINESS_DAY),
    5: (3 * BUSINESS_DAY, 20 * BUSINESS_DAY),
}


def create(apps, schema_editor):
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    SLAPolicy = apps.get_model("sla", "SLAPolicy")
    calendar = BusinessCalendar.objects.filter(name=WORKING_DAYS).first()
    if calendar is None:  # removed by an administrator: then they decide the defaults too
        return
    for priority, (response, resolution) in DEFAULTS.items():
        SLAPolicy.objects.get_or_create(
            service=None, priority=priority,
            defaults={"calendar": calendar, "response_target": response, "resolution_target": resolution},
        )


def remove(apps, schema_editor):
    SLAPolicy = apps.get_model("sla", "SLAPolicy")
    for priority, (response, resolution) in DEFAULTS.items():
        SLAPolicy.objects.filter(
            service=None, priority=priority, calendar__name=WORKING_DAYS,
            response_target=response, resolution_target=resolution,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("sla", "0002_default_calendars")]

    operations = [migrations.RunPython(create, remove)]
