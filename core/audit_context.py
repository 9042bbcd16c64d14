"""Who is acting and from where: the context every audit event records.

Built once per request (by the middleware, through `practice.access`), task or command, and
handed down to the selectors and services that write audit events. It lives in core so that
every layer, accounts included, can carry it without depending on the audit app.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.ipv6 import clean_ipv6_address

from core.domain.client_ip import client_address


def normalized_ip(value: str | None) -> str | None:
    """The address as the database will store it (so the hash matches), or None if invalid."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv4Address):
        return str(address)
    if address.scope_id:
        return None
    try:
        return clean_ipv6_address(str(address))
    except ValidationError:
        return None


@dataclass(frozen=True, slots=True)
class AuditContext:
    """Who is acting and from where; built once per request (or per task/command)."""

    actor_id: int | None
    actor_username: str
    ip_address: str | None = None
    request_path: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> AuditContext:
        user = request.user
        address = client_address(
            remote_addr=request.META.get("REMOTE_ADDR"),
            forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR"),
            trusted_proxy_count=settings.TRUSTED_PROXY_COUNT,
        )
        return cls(
            actor_id=user.pk if user.is_authenticated else None,
            actor_username=user.get_username() if user.is_authenticated else "",
            ip_address=normalized_ip(address),
            request_path=request.path[:300],
        )

    @classmethod
    def system(cls, name: str) -> AuditContext:
        return cls(actor_id=None, actor_username=f"system:{name}")
