"""K16 and K20 through the pages: the console's cost panel and consultations, the portal's decision
and order pages."""

import pytest
from django.test import Client

from tugi.core.models import AuditEvent
from tugi.costs import services
from tugi.costs.models import CostConsultation, CostNotice, CostNoticeStatus, Order
from tugi.notifications.models import Notification


def as_(person):
    browser = Client()
    browser.force_login(person.user)
    return browser


def test_console_panel_has_no_price_field_for_the_agent_K16_K20(cast, chargeable):
    page = as_(cast.agent).get(f"/console/tickets/{chargeable.reference}/").content.decode()
    assert 'id="costs"' in page and 'name="notice-description"' in page
    assert 'name="notice-amount"' not in page and 'name="amount"' not in page
    page = as_(cast.service_manager).get(f"/console/tickets/{chargeable.reference}/").content.decode()
    assert 'name="notice-amount"' in page


def test_agent_writes_a_notice_and_the_manager_prices_it_K16(cast, chargeable):
    url = f"/console/costs/tickets/{chargeable.reference}/notices/"
    # An amount the agent slips in is ignored by the agent's form: the notice waits for a price.
    response = as_(cast.agent).post(url, {"notice-description": "Licence", "notice-amount": "10"})
    assert response.status_code == 302
    notice = CostNotice.objects.get()
    assert notice.amount is None and notice.status == CostNoticeStatus.AWAITING_PRICE
    amount_url = f"/console/costs/tickets/{chargeable.reference}/notices/{notice.pk}/amount/"
    assert as_(cast.agent).post(amount_url, {"amount": "10"}).status_code == 403
    assert as_(cast.service_manager).post(amount_url, {"amount": "10.5"}).status_code == 302
    notice.refresh_from_db()
    assert notice.amount == 10.5 and notice.status == CostNoticeStatus.AWAITING_CLIENT


def test_client_accepts_in_the_portal_K16(cast, chargeable):
    notice = services.cost_notice_create(actor=cast.actor("service_manager"), ticket=chargeable,
                                         description="Licence", amount="50")
    client = as_(cast.client_a)
    page = client.get(f"/tickets/{chargeable.reference}/").content.decode()
    assert "we need your consent, because this work is chargeable" in page and "50.00 EUR" in page
    response = client.post(f"/costs/tickets/{chargeable.reference}/notices/{notice.pk}/accept/")
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == CostNoticeStatus.ACCEPTED


def test_client_declines_with_a_comment_K16(cast, chargeable):
    notice = services.cost_notice_create(actor=cast.actor("service_manager"), ticket=chargeable,
                                         description="Licence", amount="50")
    as_(cast.client_a).post(f"/costs/tickets/{chargeable.reference}/notices/{notice.pk}/decline/",
                            {"comment": "Not now"})
    notice.refresh_from_db()
    assert notice.status == CostNoticeStatus.DECLINED and notice.client_comment == "Not now"
    assert Notification.objects.filter(event="costs_notice_declined", recipient_email=cast.agent.email).exists()


def test_other_organisation_cannot_reach_the_decision_K16(cast, chargeable):
    notice = services.cost_notice_create(actor=cast.actor("service_manager"), ticket=chargeable,
                                         description="Licence", amount="50")
    response = as_(cast.client_b).post(f"/costs/tickets/{chargeable.reference}/notices/{notice.pk}/accept/")
    assert response.status_code == 404


def test_unpriced_notice_is_not_shown_to_the_client_K16(cast, chargeable):
    services.cost_notice_create(actor=cast.actor("agent"), ticket=chargeable, description="Secret draft")
    page = as_(cast.client_a).get(f"/tickets/{chargeable.reference}/").content.decode()
    assert "Secret draft" not in page
    assert "We are preparing a cost notice" in page


def test_desk_consults_and_the_owner_answers_from_the_console_K16(cast, plain):
    as_(cast.agent).post(f"/console/costs/tickets/{plain.reference}/consult/", {"question": "Is toner billed?"})
    consultation = CostConsultation.objects.get()
    assert as_(cast.agent).get("/console/costs/consultations/").status_code == 403
    owner = as_(cast.catalogue_owner)
    page = owner.get("/console/costs/consultations/").content.decode()
    assert "Is toner billed?" in page
    response = owner.post(f"/console/costs/consultations/{consultation.pk}/answer/",
                          {f"c{consultation.pk}-is_chargeable": "yes", f"c{consultation.pk}-explanation": "Billed"})
    assert response.status_code == 302
    plain.refresh_from_db()
    assert plain.is_chargeable


def test_owner_answer_without_explanation_is_refused_K16(cast, plain):
    consultation = services.cost_consultation_ask(actor=cast.actor("agent"), ticket=plain, question="?")
    response = as_(cast.catalogue_owner).post(f"/console/costs/consultations/{consultation.pk}/answer/",
                                              {f"c{consultation.pk}-is_chargeable": "yes"})
    assert response.status_code == 400


def test_desk_marks_work_chargeable_K16(cast, plain):
    as_(cast.agent).post(f"/console/costs/tickets/{plain.reference}/chargeable/",
                         {"is_chargeable": "on", "reason": "Outside the contract"})
    plain.refresh_from_db()
    assert plain.is_chargeable
    assert AuditEvent.objects.filter(action="costs.ticket_chargeable").exists()


def test_client_orders_in_the_portal_K20(cast):
    client = as_(cast.client_a)
    page = client.get("/costs/order/").content.decode()
    assert "ERP" in page and "price" not in page.split("How ordering works")[0].lower()
    response = client.post("/costs/order/", {"service": cast.service.pk, "kind": "software", "item": "CAD licence",
                                             "quantity": 1, "justification": "Drawings", "deliver_to": "Anna"})
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.ticket.assignee == cast.service_manager


def test_desk_orders_for_a_caller_K20(cast):
    desk = as_(cast.agent)
    assert "Anna Alfa" in desk.get("/console/costs/order/?q=Anna").content.decode()
    response = desk.post("/console/costs/order/", {
        "contact": cast.client_a.pk, "service": cast.service.pk, "kind": "hardware", "item": "Laptop",
        "quantity": 2, "justification": "New colleagues", "deliver_to": "Tartu"})
    assert response.status_code == 302
    assert Order.objects.get().ticket.requester == cast.client_a


@pytest.mark.parametrize("contact", ["²", "٣", "9" * 40, ""])
def test_a_malformed_caller_is_a_form_error_not_a_crash_K20(cast, contact):
    response = as_(cast.agent).post("/console/costs/order/", {
        "contact": contact, "service": cast.service.pk, "kind": "hardware", "item": "Laptop",
        "quantity": 2, "justification": "New colleagues", "deliver_to": "Tartu"})
    assert response.status_code == 400
    assert not Order.objects.exists()
