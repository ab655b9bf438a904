"""The webhooks API (issue 6): what a manager gets back, what is refused and how."""

import pytest

from tests.api.conftest import refusal
from tugi.webhooks.models import WebhookSubscription

BODY = {"name": "Partner ITSM", "target_url": "https://itsm.partner.example/hooks",
        "event_types": ["ticket.created"]}


@pytest.fixture
def api(cast):
    from tests.api.conftest import ApiCaller
    from tugi.api.models import ApiToken

    def caller(who):
        return ApiCaller(ApiToken.issue(getattr(cast, who).user, f"tests: {who}")[1])

    return caller


def test_the_secret_is_shown_when_made_and_never_when_read(api, cast):
    owner = api("catalogue_owner")
    made = owner.post("/webhooks", BODY)
    assert made.status_code == 201
    secret = made.json()["secret"]
    assert secret.startswith("whsec_") and secret == WebhookSubscription.objects.get().secret
    read = owner.get(f"/webhooks/{made.json()['id']}")
    assert read.status_code == 200 and "secret" not in read.json() and secret not in read.content.decode()
    rotated = owner.post(f"/webhooks/{made.json()['id']}/secret")
    assert rotated.json()["secret"] not in (secret, "")


def test_a_bad_address_is_refused_naming_the_field(api, cast):
    response = api("service_manager").post("/webhooks", {**BODY, "target_url": "file:///etc/passwd"})
    assert response.status_code == 400 and refusal(response)["field"] == "target_url"


def test_an_unknown_organisation_is_refused_naming_the_field(api, cast):
    response = api("service_manager").post("/webhooks", {**BODY, "organisation_id": 2**62})
    assert response.status_code == 400 and refusal(response)["field"] == "organisation_id"


def test_an_agent_may_read_but_not_subscribe(api, cast):
    agent = api("agent")
    assert agent.get("/webhooks").status_code == 200
    refused = agent.post("/webhooks", BODY)
    assert refused.status_code == 403 and "service-catalogue owner" in refusal(refused)["detail"]


def test_a_client_is_refused_politely(api, cast):
    refused = api("representative_a").get("/webhooks")
    assert refused.status_code == 403 and refusal(refused)["code"] == "forbidden"
