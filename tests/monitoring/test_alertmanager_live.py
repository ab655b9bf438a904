"""A real Prometheus Alertmanager delivers its webhooks to Tugi (S1, S2).

The test starts Debian's ``prometheus-alertmanager`` on a free loopback port, with an empty
``--cluster.listen-address`` (no gossip, loopback only) and its storage and config in a temp dir,
pointing its webhook receiver at Tugi's live server with the source's token as a Bearer
``authorization``. It posts an alert to Alertmanager's API and waits until Tugi has the incident,
then ends the alert and waits for the recovery note."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tugi.channels.monitoring.models import Alert, AlertStatus
from tugi.tickets.models import TicketSource

from ..conftest import need_service
from .conftest import make_source

BINARY = "prometheus-alertmanager"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _config(url: str, token: str) -> str:
    return json.dumps({  # JSON is YAML: no YAML writer needed
        "route": {"receiver": "tugi", "group_by": ["alertname", "instance"], "group_wait": "1s",
                  "group_interval": "1s", "repeat_interval": "1h"},
        "receivers": [{"name": "tugi", "webhook_configs": [{
            "url": url, "send_resolved": True,
            "http_config": {"authorization": {"type": "Bearer", "credentials": token}},
        }]}],
    })


def _post(url: str, data) -> None:
    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200


def _wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def alertmanager_process(tmp_path):
    binary = shutil.which(BINARY, path="/usr/bin:/usr/sbin:/usr/local/bin")
    if binary is None:
        need_service("Prometheus Alertmanager", f"{BINARY} is not installed")
    processes = []

    def start(config: str) -> str:
        (tmp_path / "alertmanager.yml").write_text(config)
        port = _free_port()
        log = open(tmp_path / "alertmanager.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [binary, f"--config.file={tmp_path / 'alertmanager.yml'}", f"--storage.path={tmp_path / 'data'}",
             f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=debug"],
            stdout=log, stderr=subprocess.STDOUT)
        processes.append((process, log))
        base = f"http://127.0.0.1:{port}"

        def ready():
            if process.poll() is not None:
                pytest.fail("Alertmanager stopped: " + (tmp_path / "alertmanager.log").read_text()[-2000:])
            try:
                with urllib.request.urlopen(base + "/-/ready", timeout=1) as response:
                    return response.status == 200
            except (urllib.error.URLError, OSError):
                return False

        _wait_for(ready, 20, "Alertmanager to be ready")
        return base

    yield start
    for process, log in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_alertmanager_delivers_a_real_alert_and_its_recovery_to_tugi_S1_S2(
        transactional_db, cast, live_server, alertmanager_process):
    source, token = make_source("alertmanager", default_service=cast.service, default_organisation=cast.org_a)
    hook = f"{live_server.url}/hooks/monitoring/{source.slug}/alertmanager"
    base = alertmanager_process(_config(hook, token))
    labels = {"alertname": "DiskFull", "instance": "alfa-srv:9100", "severity": "critical"}
    annotations = {"summary": "Disk on alfa-srv is 97% full"}
    _post(base + "/api/v2/alerts", [{"labels": labels, "annotations": annotations}])

    alert = _wait_for(lambda: Alert.objects.filter(source=source, ticket__isnull=False).select_related("ticket")
                      .first(), 30, "Tugi to open the incident")
    ticket = alert.ticket
    assert ticket.source == TicketSource.MONITORING and ticket.kind == "incident"
    assert ticket.title == "Disk on alfa-srv is 97% full"
    assert ticket.urgency == 1  # severity=critical
    assert ticket.organisation == cast.org_a and ticket.requester_id is None

    ended = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat()
    _post(base + "/api/v2/alerts", [{"labels": labels, "annotations": annotations, "endsAt": ended}])
    _wait_for(lambda: Alert.objects.filter(pk=alert.pk, status=AlertStatus.RESOLVED).exists(), 30,
              "Alertmanager's resolved message")
    assert ticket.entries.filter(body__contains="recovered").exists()
    assert Alert.objects.filter(source=source).count() == 1
