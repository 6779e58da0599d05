"""How a one-time code reaches a job seeker's mobile: a small pluggable sender.

``settings.JOBS_CODE_SENDER`` names it: ``"shown"`` puts the code on the page that asks for it
(the demo's stand-in for SMS, chosen only when the setting says so), ``"log"`` logs that a code
was sent (never the code), ``"http"`` posts the message to an SMS gateway over HTTP
(``HttpGatewaySender``, configured by ``JOBS_SMS_GATEWAY_*``), and a dotted path names the class
of any other sender. A sender answers the code to show on the page, or ``""``.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from functools import cache
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from dualtrack.core.masking import mask_phone

logger = logging.getLogger(__name__)


class Sender(Protocol):
    def deliver(self, *, mobile: str, code: str) -> str:
        """Send ``code`` to ``mobile``; the code to show on the page, or ``""``."""
        ...


class ShownSender:
    """The demo's: no message is sent, the page shows the code."""

    def deliver(self, *, mobile: str, code: str) -> str:
        return code


class LogSender:
    """Logs that a code went to a (masked) mobile; stands in where no gateway is configured."""

    def deliver(self, *, mobile: str, code: str) -> str:
        logger.info("one-time code sent to %s", mask_phone(mobile))
        return ""


class HttpGatewaySender:
    """Posts ``{"mobile": …, "message": …}`` as JSON to ``JOBS_SMS_GATEWAY_URL`` (with
    ``Authorization: Bearer JOBS_SMS_GATEWAY_TOKEN`` when set; any 2xx is sent), once the
    transaction that stored the code commits: nothing is sent for a code that was not stored,
    and no row stays locked while the gateway answers. A gateway that fails or takes longer
    than ``JOBS_SMS_GATEWAY_TIMEOUT`` seconds is logged (the mobile masked, never the code);
    the job seeker asks for a new code."""

    def __init__(self) -> None:
        url = settings.JOBS_SMS_GATEWAY_URL
        if urlsplit(url).scheme not in ("http", "https"):
            raise ImproperlyConfigured("JOBS_SMS_GATEWAY_URL must be an http(s) address.")
        self.url = url

    def deliver(self, *, mobile: str, code: str) -> str:
        from dualtrack.jobs.services.codes import CODE_MINUTES

        message = _(
            "Your verification code is %(code)s, valid for %(minutes)s minutes. Do not tell anyone."
        ) % {"code": code, "minutes": CODE_MINUTES}
        transaction.on_commit(lambda: self.send(mobile, message))
        return ""

    def send(self, mobile: str, message: str) -> bool:
        body = json.dumps({"mobile": mobile, "message": message}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if settings.JOBS_SMS_GATEWAY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.JOBS_SMS_GATEWAY_TOKEN}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310 (scheme checked)
        try:
            with urllib.request.urlopen(  # noqa: S310 (scheme checked)
                request, timeout=settings.JOBS_SMS_GATEWAY_TIMEOUT
            ) as answer:
                answer.read(1024)
        except (urllib.error.URLError, OSError) as exc:
            logger.error("SMS gateway failed for %s: %s", mask_phone(mobile), exc)
            return False
        return True


@cache
def _sender(name: str) -> Sender:
    if name == "shown":
        return ShownSender()
    if name == "log":
        return LogSender()
    if name == "http":
        return HttpGatewaySender()
    sender: Sender = import_string(name)()
    return sender


def sender() -> Sender:
    return _sender(settings.JOBS_CODE_SENDER)
