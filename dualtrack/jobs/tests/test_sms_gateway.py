"""The SMS gateway sender against a real HTTP server started here: the code goes to the gateway
(not on the page) once the application is stored, with the token; the code it carried submits
the application; a failing gateway is logged, masked, and the application waits for a new code."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client

from dualtrack.jobs.models import Application, ApplicationStatus
from dualtrack.jobs.sms import _sender

from .factories import id_number

pytestmark = pytest.mark.django_db

API = "/api/employment/public"


class _Gateway(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    status = 200

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.received.append(
            {
                "path": self.path,
                "authorization": self.headers.get("Authorization"),
                "content_type": self.headers.get("Content-Type"),
                "body": json.loads(self.rfile.read(length)),
            }
        )
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway(settings) -> Iterator[type[_Gateway]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Gateway.received, _Gateway.status = [], 200
    settings.JOBS_CODE_SENDER = "http"
    settings.JOBS_SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/sms/send"
    settings.JOBS_SMS_GATEWAY_TOKEN = "gateway-secret"
    _sender.cache_clear()
    yield _Gateway
    _sender.cache_clear()
    server.shutdown()
    server.server_close()


def _apply(client: Client, posting_id: int, n: int):
    return client.post(
        f"{API}/postings/{posting_id}/applications",
        json.dumps({"name": "张三", "id_number": id_number(n), "mobile": f"1380013{n:04d}"}),
        content_type="application/json",
    )


def test_the_code_goes_to_the_gateway_and_submits_the_application(
    recruiting, gateway, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        issued = _apply(client, recruiting.posting.pk, 21)
    assert issued.status_code == 202
    assert issued.json()["code"] == ""  # not on the page
    [sent] = gateway.received
    assert sent["path"] == "/sms/send"
    assert sent["authorization"] == "Bearer gateway-secret"
    assert sent["content_type"].startswith("application/json")
    assert sent["body"]["mobile"] == "13800130021"
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", sent["body"]["message"]).group(1)
    done = client.post(
        f"{API}/applications/verify",
        json.dumps({"key": issued.json()["key"], "code": code}),
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_nothing_is_sent_for_a_refused_application(
    recruiting, gateway, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        assert _apply(client, 999999, 22).status_code == 404
    assert gateway.received == []


def test_a_failing_gateway_is_logged_masked(
    recruiting, gateway, django_capture_on_commit_callbacks, caplog
):
    gateway.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        issued = _apply(Client(), recruiting.posting.pk, 23)
    assert issued.status_code == 202
    assert len(gateway.received) == 1
    failures = [r for r in caplog.records if r.name == "dualtrack.jobs.sms"]
    assert failures and "138****0023" in failures[0].getMessage()
    assert "13800130023" not in caplog.text
    assert Application.objects.get().status == ApplicationStatus.UNVERIFIED
