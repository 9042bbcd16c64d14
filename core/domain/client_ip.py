"""Which address is the client's: REMOTE_ADDR, or what the outermost trusted proxy saw.

`X-Forwarded-For` is written by the client first and appended to by every proxy on the way, so
only its right-most entries (one per proxy we run) can be believed. With no trusted proxy the
header is ignored entirely: any client can send one.
"""

from __future__ import annotations

import ipaddress


def client_address(
    *, remote_addr: str | None, forwarded_for: str | None, trusted_proxy_count: int
) -> str | None:
    """REMOTE_ADDR when no proxy is trusted; else the N-th `X-Forwarded-For` entry from the right.

    Falls back to REMOTE_ADDR when the header has fewer than N entries or that entry is not an
    IP address. The result is stripped but not normalized (the caller stores it normalized).
    """
    if trusted_proxy_count <= 0 or not forwarded_for:
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    if len(hops) < trusted_proxy_count:
        return remote_addr
    candidate = hops[-trusted_proxy_count]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote_addr
    return candidate
