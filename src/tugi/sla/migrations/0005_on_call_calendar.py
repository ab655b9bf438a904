"""The 24/7 calendar every desk starts with is the on-call calendar (K17): tickets on mission-critical
systems and of VIP organisations run their SLA round the clock."""

from django.db import migrations

ROUND_THE_CLOCK = "24/7"


def mark(apps, schema_editor):
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    if not BusinessCalendar.objects.filter(is_on_call=True).exists():
        BusinessCalendar.objects.filter(name=ROUND_THE_CLOCK, is_24_7=True).update(is_on_call=True)


def unmark(apps, schema_editor):
    apps.get_model("sla", "BusinessCalendar").objects.update(is_on_call=False)


class Migration(migrations.Migration):
    dependencies = [("sla", "0004_escalation_and_on_call")]

    operations = [migrations.RunPython(mark, unmark)]
