"""Configured IMAP mailboxes are polled by `tugi periodic` (K14)."""

from django.apps import apps
from django.test import override_settings

from tugi.core import periodic


def test_configured_mailboxes_are_a_periodic_job(monkeypatch):
    monkeypatch.setattr(periodic, "_JOBS", {})
    with override_settings(TUGI_IMAP_MAILBOXES=["imaps://desk:secret@mail.example/INBOX"]):
        apps.get_app_config("channels").ready()
    assert "channels.imap_poll" in {job.name for job in periodic.jobs()}


def test_without_mailboxes_nothing_is_polled(monkeypatch):
    monkeypatch.setattr(periodic, "_JOBS", {})
    with override_settings(TUGI_IMAP_MAILBOXES=[]):
        apps.get_app_config("channels").ready()
    assert "channels.imap_poll" not in {job.name for job in periodic.jobs()}
