"""Time entries and their disputes (K12)."""
