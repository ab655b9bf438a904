"""The reports keep no rows of their own: they read the other apps' (see selectors)."""
