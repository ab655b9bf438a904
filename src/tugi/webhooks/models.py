"""Outgoing webhooks: subscriptions and their delivery log."""
