"""Call events from the telephony system (K13)."""
