"""The practice's eligibility settings form: its clearinghouse and the morning batch's rules."""

from __future__ import annotations

from typing import Any

from django import forms

DAYS_AHEAD_MAX = 30
REVERIFY_MAX = 365
GAP_MAX = 730


class EligibilitySettingsForm(forms.Form):
    clearinghouse = forms.ChoiceField(required=False, choices=())
    days_ahead = forms.IntegerField(
        label="Verify appointments in the next",
        min_value=0,
        max_value=DAYS_AHEAD_MAX,
        help_text="days (0: today's only)",
    )
    reverify_after_days = forms.IntegerField(
        label="Verify again when the last check is older than",
        min_value=1,
        max_value=REVERIFY_MAX,
        help_text="days",
    )
    appointment_gap_days = forms.IntegerField(
        label="Verify again when the patient returns after",
        min_value=1,
        max_value=GAP_MAX,
        help_text="days without a visit",
    )

    def __init__(self, *args: Any, clearinghouse_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clearinghouse"].choices = clearinghouse_choices  # type: ignore[attr-defined]


class SftpConnectionForm(forms.Form):
    """The practice's SFTP clearinghouse connection. The private key and its passphrase are
    write-only: the form never shows them back (blank keeps what is stored)."""

    host = forms.CharField(max_length=253)
    port = forms.IntegerField(min_value=1, max_value=65535, initial=22)
    username = forms.CharField(max_length=64, label="User name")
    known_host_key = forms.CharField(
        max_length=1000,
        label="Server's host key",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text='One OpenSSH line from the clearinghouse, e.g. "ssh-ed25519 AAAA…". Parity never '
        "connects to a server showing another key.",
    )
    outbox = forms.CharField(max_length=200, initial="outbox", help_text="Where 270 files go")
    inbox = forms.CharField(max_length=200, initial="inbox", help_text="Where 271 files are picked up")
    archive = forms.CharField(max_length=200, initial="archive")
    rejected = forms.CharField(max_length=200, initial="rejected")
    private_key = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        help_text="Paste to set or replace; it is stored on the server, never shown again.",
    )
    passphrase = forms.CharField(
        required=False,
        strip=False,
        label="Key passphrase",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Only if the key has one; blank keeps the stored one.",
    )
