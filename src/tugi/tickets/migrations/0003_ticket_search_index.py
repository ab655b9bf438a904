"""Search by title, index-assisted on PostgreSQL (see docs/performance.md, "Search").

`title__icontains` becomes `UPPER(title) LIKE UPPER('%text%')` on PostgreSQL. A B-tree cannot help
a pattern with a leading wildcard, so without this every search reads the whole table. A trigram
GIN index on the same expression, UPPER(title), lets PostgreSQL find the matching rows from the
index. It lives in the database only (the models do not describe expression operator classes
portably), and on SQLite, where the table is small, nothing is done.

Built CONCURRENTLY so that migrating a large, live desk does not block ticket writes; that needs
a migration outside a transaction."""

from django.db import migrations

INDEX = "ticket_title_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON tickets_ticket "
        "USING gin (UPPER(title) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("tickets", "0002_ticket_counters")]
    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
