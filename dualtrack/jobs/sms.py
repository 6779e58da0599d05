"""How a one-time code reaches a job seeker's mobile: a small pluggable sender.

``settings.JOBS_CODE_SENDER`` names it: ``"shown"`` puts the code on the page that asks for it
(the demo's stand-in for SMS, chosen only when the setting says so), ``"log"`` logs that a code
was sent (never the code), and a dotted path names the class of an SMS gateway's sender. A sender
answers the code to show on the page, or ``""``.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

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


@cache
def _sender(name: str) -> Sender:
    if name == "shown":
        return ShownSender()
    if name == "log":
        return LogSender()
    sender: Sender = import_string(name)()
    return sender


def sender() -> Sender:
    return _sender(settings.JOBS_CODE_SENDER)
