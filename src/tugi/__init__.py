"""Tugi: an IT service desk built around the client's rights and duties."""
