"""Channels: adapters that turn outside input (mail, monitoring, the phone) into service calls."""
