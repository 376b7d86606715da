"""A client, named without its address: a keyed hash for counters that must not keep IPs.

Rate limits and staging limits count per client, but a counter keyed by the address would tie an
address to the time of a report. Here a client is an HMAC of its address under ``SECRET_KEY``
and a purpose (and, where given, a day, so the name changes daily); IPv6 clients are named by
their /64 network, which one home or phone usually holds whole.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from flask import current_app, request


def _network(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


def client_key(purpose: str, address: str, day: str = "") -> str:
    """The keyed hash naming ``address`` for ``purpose`` (and ``day``, ISO, when given)."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    message = f"{purpose}|{day}|{_network(address)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def current_client(purpose: str, day: str = "") -> str:
    """``client_key`` of the requesting client."""
    return client_key(purpose, request.remote_addr or "", day)
