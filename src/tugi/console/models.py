"""The console keeps no tables of its own: a saved view (a staff member's own queue) is a preset of
the ticket queues and lives in the tickets app (issue 6)."""
