"""client_address: which address the audit trail records, given how many proxies are trusted."""

import pytest

from core.domain.client_ip import client_address


@pytest.mark.parametrize(
    ("_case", "remote_addr", "forwarded_for", "trusted", "expected"),
    [
        ("none_trusted_ignores_header", "10.0.0.1", "203.0.113.5", 0, "10.0.0.1"),
        ("none_trusted_no_header", "198.51.100.7", None, 0, "198.51.100.7"),
        ("one_proxy_takes_last", "10.0.0.1", "6.6.6.6, 203.0.113.5", 1, "203.0.113.5"),
        (
            "two_proxies_take_second_from_right",
            "10.0.0.2",
            "6.6.6.6, 203.0.113.5, 10.0.0.1",
            2,
            "203.0.113.5",
        ),
        ("header_shorter_than_proxies", "10.0.0.2", "203.0.113.5", 2, "10.0.0.2"),
        ("no_header_with_a_proxy", "10.0.0.1", None, 1, "10.0.0.1"),
        ("empty_header_with_a_proxy", "10.0.0.1", "", 1, "10.0.0.1"),
        ("spaces_around_entries", "10.0.0.1", "  6.6.6.6 ,   203.0.113.5  ", 1, "203.0.113.5"),
        ("ipv6_entry", "10.0.0.1", "2001:db8::7", 1, "2001:db8::7"),
        ("garbage_entry_falls_back", "10.0.0.1", "6.6.6.6, <script>", 1, "10.0.0.1"),
        ("empty_entry_falls_back", "10.0.0.1", "203.0.113.5, ", 1, "10.0.0.1"),
        ("negative_count_trusts_nothing", "10.0.0.1", "203.0.113.5", -1, "10.0.0.1"),
        ("no_remote_addr_no_proxy", None, "203.0.113.5", 0, None),
    ],
)
def test_client_address(_case, remote_addr, forwarded_for, trusted, expected):
    assert (
        client_address(remote_addr=remote_addr, forwarded_for=forwarded_for, trusted_proxy_count=trusted)
        == expected
    )
