# The saved view moved to the tickets app (issue 6). Its table stays as it is, with its rows: the
# console only forgets the model here, and tickets.0011_saved_view takes it over.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('console', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='SavedView')],
            database_operations=[],
        ),
    ]
