from django.db import migrations

KINDS = ["incident", "problem", "service_request", "change_request"]


def create_counters(apps, schema_editor):
    TicketCounter = apps.get_model("tickets", "TicketCounter")
    for kind in KINDS:
        TicketCounter.objects.get_or_create(kind=kind, defaults={"last_number": 0})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(create_counters, migrations.RunPython.noop)]
