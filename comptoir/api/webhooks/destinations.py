"""Where webhooks may be sent: public addresses only, unless the operator allows private ones.

A webhook URL is chosen by an admin but fetched by the server, from inside the
network it runs in. Without a check, a subscription to `http://169.254.169.254/`
or `http://10.0.0.5:6379/` turns Comptoir into a proxy towards cloud metadata
and internal services (server-side request forgery). So the host is resolved and
every address it resolves to must be public, when subscribing (a clear error for
the admin) and again on each delivery, where the check is made on the socket
actually connected (a name that resolved to a public address when subscribing
may resolve to a private one later: DNS rebinding).

`COMPTOIR_WEBHOOK_ALLOW_PRIVATE=true` lifts the rule, for receivers on the same
machine or network (and for the test suite, which delivers to 127.0.0.1).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class BlockedDestination(OSError):
    """The webhook's host is, or resolves to, an address deliveries may not reach."""


def private_addresses_allowed() -> bool:
    return bool(getattr(settings, "COMPTOIR_WEBHOOK_ALLOW_PRIVATE", False))


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address (not loopback, private, link-local, unspecified...)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    return ip.is_global and not ip.is_multicast


def blocked_reason(url: str, *, refuse_unresolvable: bool = True) -> str:
    """Why deliveries to `url` are refused, or "" when they may go (resolves the host now).

    When subscribing, a host that does not resolve is refused (most likely a
    typo); at delivery time it is left to the attempt, which fails and retries.
    """
    if private_addresses_allowed():
        return ""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return _("The URL is not valid.")
    if not host or parts.scheme not in ("http", "https"):
        return _("The URL is not valid.")
    try:
        infos = socket.getaddrinfo(host, port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return _("The host %(host)s could not be resolved.") % {"host": host} if refuse_unresolvable else ""
    addresses = sorted({str(info[4][0]) for info in infos})
    private = [a for a in addresses if not is_public_address(a)]
    if not addresses or private:
        return _("The host %(host)s resolves to a private or local address (%(address)s); webhooks go to public addresses only.") % {
            "host": host, "address": ", ".join(private) or host,
        }
    return ""


def _guarded_create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
    """socket.create_connection, refusing a connection whose peer is not a public address."""
    sock = socket.create_connection(address, *args, **kwargs)
    if private_addresses_allowed():
        return sock
    peer = str(sock.getpeername()[0])
    if not is_public_address(peer):
        sock.close()
        raise BlockedDestination(_("Refused: %(host)s is a private or local address.") % {"host": peer})
    return sock


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_create_connection


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_create_connection


class GuardedHTTPHandler(urllib.request.HTTPHandler):
    """urllib's HTTP handler whose connections check the address they reached."""

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_GuardedHTTPConnection, req)


class GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    """urllib's HTTPS handler whose connections check the address they reached."""

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_GuardedHTTPSConnection, req, context=self._context, check_hostname=self._check_hostname)  # type: ignore[attr-defined]
