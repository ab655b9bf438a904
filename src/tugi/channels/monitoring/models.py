"""Alerts from monitoring systems and the rules that map them (S1, S2)."""
