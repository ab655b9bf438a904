# The saved view, moved here from the console app (issue 6): the model only. The table
# console_savedview and its rows stay as console.0001_initial made them.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('console', '0002_saved_view_to_tickets'),
        ('directory', '0002_portal_access'),
        ('tickets', '0010_report_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SavedView',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=80, verbose_name='name')),
                        ('query', models.CharField(max_length=500)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='saved_views', to='directory.staffmember')),
                    ],
                    options={
                        'verbose_name': 'saved view',
                        'verbose_name_plural': 'saved views',
                        'db_table': 'console_savedview',
                        'ordering': ['name'],
                        'constraints': [models.UniqueConstraint(fields=('owner', 'name'), name='saved_view_owner_name_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
