"""Pluggable SMS sending: settings.COMPTOIR_SMS_BACKEND names a class with send_sms(to, text)."""

from __future__ import annotations

import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "comptoir.casework.sms.ConsoleSmsBackend"


class SmsBackend(Protocol):
    def send_sms(self, to: str, text: str) -> None: ...


class ConsoleSmsBackend:
    """Prints the message: the default until a real gateway is configured."""

    def send_sms(self, to: str, text: str) -> None:
        sys.stdout.write(f"SMS to {to}: {text}\n")


def sms_backend() -> SmsBackend:
    return import_string(getattr(settings, "COMPTOIR_SMS_BACKEND", DEFAULT_BACKEND) or DEFAULT_BACKEND)()


def send_sms(to: str, text: str) -> None:
    sms_backend().send_sms(to, text)
