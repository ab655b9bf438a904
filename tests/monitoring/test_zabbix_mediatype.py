"""The Zabbix media type Tugi ships (contrib/zabbix/tugi_mediatype.yaml, S1): its JavaScript, run in
Node with Zabbix's HttpRequest stood in for, posts what Tugi's Zabbix endpoint takes, and turns
Tugi's answer into the event tags Zabbix keeps."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from ..conftest import need_service
from .conftest import make_source

MEDIA_TYPE = Path(__file__).resolve().parents[2] / "contrib" / "zabbix" / "tugi_mediatype.yaml"

# Zabbix runs the script as a function body with `value` (the parameters as JSON), HttpRequest and Zabbix.
RUNNER = """
const [script, value, status, body] = process.argv.slice(1);
let sent = null;
class HttpRequest {
  constructor() { this.headers = []; }
  addHeader(h) { this.headers.push(h); }
  post(url, data) { sent = {url, headers: this.headers, body: JSON.parse(data)}; return body; }
  getStatus() { return Number(status); }
}
const Zabbix = {log() {}};
let result = null, error = null;
try { result = new Function('value', 'HttpRequest', 'Zabbix', script)(value, HttpRequest, Zabbix); }
catch (e) { error = String(e); }
console.log(JSON.stringify({sent, result, error}));
"""


def media_type():
    return yaml.safe_load(MEDIA_TYPE.read_text())["zabbix_export"]["media_types"][0]


def run(params: dict, status: int = 200, body: str = "{}") -> dict:
    node = shutil.which("node")
    if node is None:
        need_service("Node.js", "runs the Zabbix media type's JavaScript")
    out = subprocess.run([node, "-e", RUNNER, media_type()["script"], json.dumps(params), str(status), body],
                         capture_output=True, text=True, timeout=30, check=True).stdout
    return json.loads(out)


def params(**overrides):
    values = {p["name"]: p["value"] for p in media_type()["parameters"]}
    values.update({"tugi_url": "http://tugi.test/hooks/monitoring/zbx/zabbix", "tugi_token": "t0ken",
                   "event_id": "4711", "event_value": "1", "event_update": "0", "event_source": "0",
                   "subject": "Problem: CPU high", "message": "CPU at 99%", "severity": "High", "host": "alfa-srv",
                   "trigger_id": "13", "event_tags": '[{"tag": "service", "value": "payroll"}]'})
    values.update(overrides)
    return values


def test_the_media_type_is_a_zabbix_webhook_export_that_keeps_tags_S1():
    media = media_type()
    assert media["type"] == "WEBHOOK" and media["process_tags"] == "YES"
    assert {p["name"] for p in media["parameters"]} >= {"tugi_url", "tugi_token", "event_id", "event_value"}
    assert "{EVENT.TAGS.__tugi_link}" in media["event_menu_url"]


def test_the_script_posts_what_tugi_takes_and_returns_the_ticket_as_tags_S1(client, cast):
    source, token = make_source("zabbix", slug="zbx")
    first = run(params(tugi_token=token))
    assert first["error"] is None
    assert f"Authorization: Bearer {token}" in first["sent"]["headers"]
    answer = client.post("/hooks/monitoring/zbx/zabbix", json.dumps(first["sent"]["body"]),
                         content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    second = run(params(tugi_token=token), body=answer.content.decode())
    tags = json.loads(second["result"])["tags"]
    reference = answer.json()["reference"]
    assert tags["__tugi_reference"] == reference and tags["__tugi_link"].endswith(f"/tickets/{reference}/")
    assert tags["__tugi_ticket_id"] == str(answer.json()["ticket_id"])


def test_the_script_says_why_tugi_refused_S1():
    result = run(params(), status=401, body='{"error": "unauthorised", "message": "Unknown source or wrong token"}')
    assert "401" in result["error"] and "wrong token" in result["error"]


@pytest.mark.parametrize("missing", ["tugi_url", "tugi_token"])
def test_the_script_asks_for_its_parameters_S1(missing):
    result = run(params(**{missing: "<placeholder>"}))
    assert "tugi_url and tugi_token" in result["error"] and result["sent"] is None


def test_the_script_ignores_events_that_are_not_triggers_S1():
    assert run(params(event_source="1"))["sent"] is None
