"""K19: an account, a password or the client's notes never reach an error report (the debug page,
the mail to ADMINS, a log handler): every view, API operation and service that holds them in clear
marks them sensitive, and Django's SafeExceptionReporterFilter shows stars instead."""

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from tugi.core.models import AuditEvent

from ..api.conftest import api  # noqa: F401
from ..factories import PASSWORD as SIGN_IN_PASSWORD
from .conftest import ACCOUNT, PASSWORD

NEW_ACCOUNT = "anydesk-555-123-999"
NEW_PASSWORD = "Uus-Salasona-42?"
NOTES = "Door code 4417"
SECRETS = (ACCOUNT, PASSWORD, NEW_ACCOUNT, NEW_PASSWORD, NOTES)


class Boom(Exception):
    pass


def _boom(*args, **kwargs):
    raise Boom()


def _failing_encrypt(text):  # the signature of vault.encrypt
    raise Boom()


@pytest.fixture
def failed_request():
    """The request and the exception of a request that failed inside the view."""
    caught = {}

    def keep(sender, request, **kwargs):
        caught["request"] = request

    got_request_exception.connect(keep)
    yield caught
    got_request_exception.disconnect(keep)


def _report(request, refusal: BaseException) -> str:
    """What Django sends to ADMINS, from the request handler down (the test client's own frames,
    which hold what the test posted, are not part of a real report)."""
    tb = refusal.__traceback__
    while tb is not None and "django/core/handlers" not in tb.tb_frame.f_code.co_filename:
        tb = tb.tb_next
    assert tb is not None
    reporter = ExceptionReporter(request, type(refusal), refusal, tb, is_email=True)
    html = reporter.get_traceback_html()  # the one with each frame's local variables
    assert "boom" in html.lower() and "local vars" in html.lower()
    return reporter.get_traceback_text() + html


def _assert_clean(text: str) -> None:
    leaked = [s for s in SECRETS if s in text]
    assert leaked == [], f"in the error report: {leaked}"


def _signed_in(username):
    browser = Client()
    assert browser.login(username=username, password=SIGN_IN_PASSWORD)
    return browser


def test_the_portal_order_is_cleansed_from_an_error_report_K19(cast, ticket_a, monkeypatch, failed_request):
    monkeypatch.setattr("tugi.remote.vault.encrypt", _failing_encrypt)
    with pytest.raises(Boom) as raised:
        _signed_in("anna").post(reverse("portal:remote_order"), {
            "ticket": ticket_a.reference, "method": "anydesk", "configuration_item": cast.ci_a.pk,
            "account_identifier": ACCOUNT, "password": PASSWORD, "notes": NOTES})
    request = failed_request["request"]
    posted = SafeExceptionReporterFilter().get_post_parameters(request)
    assert {posted.get(k) for k in ("account_identifier", "password", "notes")} == {"********************"}
    _assert_clean(_report(request, raised.value))


def test_the_portal_replace_is_cleansed_whatever_the_field_prefix_K19(cast, ticket_a, order, monkeypatch,
                                                                       failed_request):
    monkeypatch.setattr("tugi.remote.vault.encrypt", _failing_encrypt)
    prefix = f"replace-{order.pk}-"
    with pytest.raises(Boom) as raised:
        _signed_in("anna").post(reverse("portal:remote_replace", args=[ticket_a.reference, order.pk]), {
            prefix + "account_identifier": NEW_ACCOUNT, prefix + "password": NEW_PASSWORD})
    request = failed_request["request"]
    posted = SafeExceptionReporterFilter().get_post_parameters(request)
    assert posted.get(prefix + "account_identifier") == posted.get(prefix + "password") == "********************"
    _assert_clean(_report(request, raised.value))


def test_the_desk_reveal_is_cleansed_from_an_error_report_K19(cast, ticket_a, order, monkeypatch, failed_request):
    monkeypatch.setattr("tugi.console.remote_views.render", _boom)  # fails with the account in hand
    with pytest.raises(Boom) as raised:
        _signed_in("agent").post(reverse("console:remote_reveal", args=[ticket_a.reference, order.pk]))
    _assert_clean(_report(failed_request["request"], raised.value))


@pytest.mark.parametrize("call", ["order", "replace", "reveal"])
def test_the_api_operations_are_cleansed_from_an_error_report_K19(api, cast, ticket_a, order,  # noqa: F811
                                                                  monkeypatch, failed_request, call):
    monkeypatch.setattr("tugi.remote.vault.encrypt", _failing_encrypt)
    monkeypatch.setattr("tugi.remote.services.audit_record", _boom)  # reveal: after the decryption
    base = f"/tickets/{ticket_a.reference}/remote-access"
    who, path, body = {
        "order": ("client_a", base, {"method": "rdp", "configuration_item_id": cast.ci_a.pk,
                                     "account_identifier": NEW_ACCOUNT, "password": NEW_PASSWORD,
                                     "notes": NOTES}),
        "replace": ("client_a", f"{base}/{order.pk}/replace", {"account_identifier": NEW_ACCOUNT,
                                                               "password": NEW_PASSWORD, "notes": NOTES}),
        "reveal": ("agent", f"{base}/{order.pk}/reveal", None),
    }[call]
    with pytest.raises(Boom) as raised:
        api(who).post(path, body)
    _assert_clean(_report(failed_request["request"], raised.value))


def test_the_services_mark_the_clear_text_sensitive_K19(cast, ticket_a, order, monkeypatch):
    """Whatever adapter calls them, the services' own frames are cleansed."""
    from tugi.remote import services

    monkeypatch.setattr("tugi.remote.services.audit_record", _boom)
    with pytest.raises(Boom) as raised:
        services.remote_access_reveal(actor=cast.actor("agent"), order=order)
    report = ExceptionReporter(None, Boom, raised.value, raised.value.__traceback__.tb_next).get_traceback_html()
    assert "remote_access_reveal" in report
    _assert_clean(report)


def test_the_audit_and_the_mail_do_not_carry_the_notes_K19(cast, ticket_a):
    from tugi.notifications.models import Notification
    from tugi.remote import services

    for person in (cast.agent, cast.service_manager, cast.catalogue_owner):  # mail in the reader's language
        person.language = "en"
        person.save(update_fields=["language"])
    services.remote_access_order(actor=cast.actor("client_a"), ticket=ticket_a, method="rdp",
                                 configuration_item=cast.ci_a, account_identifier=ACCOUNT, notes=NOTES)
    changes = AuditEvent.objects.get(action="remote.order").changes
    assert NOTES not in str(changes) and changes["has_notes"] is True
    mail = Notification.objects.get(event="remote_ordered")
    assert NOTES not in mail.body and "notes for the specialist on the ticket" in mail.body
