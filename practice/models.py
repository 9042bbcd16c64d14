from django.conf import settings
from django.db import models

from core.models import TimeStampedModel
from practice.domain.credentials import CREDENTIAL_LABELS, Credential


class Practice(TimeStampedModel):
    """The tenant. Every PHI row belongs to one practice; every read is scoped by it."""

    legal_name = models.CharField(max_length=200)
    tax_id = models.CharField(max_length=10, help_text="EIN, as 12-3456789")
    billing_npi = models.CharField(max_length=10)
    taxonomy_code = models.CharField(max_length=10, blank=True)
    address_line1 = models.CharField(max_length=100)
    address_line2 = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=60)
    state = models.CharField(max_length=2)
    postal_code = models.CharField(max_length=10)
    phone = models.CharField(max_length=20, blank=True)
    timezone = models.CharField(max_length=64, default="America/New_York")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["billing_npi"], name="practice_practice_npi_unique"),
        ]

    def __str__(self) -> str:
        return self.legal_name


class Location(TimeStampedModel):
    """A service facility. Its place-of-service code is the default for sessions held there."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=120)
    address_line1 = models.CharField(max_length=100)
    address_line2 = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=60)
    state = models.CharField(max_length=2)
    postal_code = models.CharField(max_length=10)
    npi = models.CharField(max_length=10, blank=True, help_text="Facility NPI, if it has its own")
    default_place_of_service = models.CharField(max_length=2, default="11")
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="practice_location_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Provider(TimeStampedModel):
    """A person who renders or supervises services. May be linked to a user account."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="providers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provider_profiles",
    )
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    npi = models.CharField(max_length=10, blank=True, help_text="Individual NPI; techs may have none")
    taxonomy_code = models.CharField(max_length=10, blank=True)
    credential = models.CharField(
        max_length=16, choices=[(c.value, CREDENTIAL_LABELS[c]) for c in Credential]
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "npi"],
                condition=~models.Q(npi=""),
                name="practice_provider_npi_unique",
            ),
            models.UniqueConstraint(
                fields=["practice", "user"],
                condition=models.Q(user__isnull=False),
                name="practice_provider_one_per_user",
            ),
        ]
        ordering = ["last_name", "first_name"]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def __str__(self) -> str:
        return f"{self.full_name}, {self.credential}"


class License(TimeStampedModel):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="licenses")
    number = models.CharField(max_length=40)
    state = models.CharField(max_length=2)
    kind = models.CharField(max_length=60, blank=True, help_text="e.g. LPC, BCBA certification")
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "state", "number"], name="practice_license_unique"),
        ]
        ordering = ["expires_on"]

    def __str__(self) -> str:
        return f"{self.state} {self.number}"


class Supervision(TimeStampedModel):
    """Who supervises whom, from when to when (inclusive; open-ended when `ends_on` is null)."""

    supervisor = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="supervisees")
    supervisee = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="supervisors")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(supervisor=models.F("supervisee")),
                name="practice_supervision_not_self",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="practice_supervision_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor_id} supervises {self.supervisee_id}"


class LicenseAlert(TimeStampedModel):
    """One alert per licence and expiry date, raised by the daily beat job (idempotent)."""

    license = models.ForeignKey(License, on_delete=models.CASCADE, related_name="alerts")
    expires_on = models.DateField()
    status = models.CharField(max_length=16)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["license", "expires_on", "status"], name="practice_licensealert_once"
            ),
        ]


class SftpConnection(TimeStampedModel):
    """How the practice reaches its clearinghouse's SFTP server (the SFTP batch adapter).

    Nothing secret is stored here: the private key stays in a file on the server (`key_path`),
    and its passphrase, if any, in the environment variable named by `passphrase_env`. The
    server's host key is public and must be set: the adapter never accepts an unknown host key.
    """

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="sftp_connection")
    host = models.CharField(max_length=253)
    port = models.PositiveIntegerField(default=22)
    username = models.CharField(max_length=64)
    key_path = models.CharField(max_length=300, help_text="Path of the private key file on the app server")
    known_host_key = models.CharField(
        max_length=1000, help_text='The server\'s public host key, one OpenSSH line: "ssh-ed25519 AAAA..."'
    )
    passphrase_env = models.CharField(
        max_length=64, blank=True, help_text="Name of the environment variable holding the key's passphrase"
    )
    outbox = models.CharField(max_length=200, default="outbox", help_text="Where 270 files are written")
    inbox = models.CharField(max_length=200, default="inbox", help_text="Where 271 files are picked up")
    archive = models.CharField(max_length=200, default="archive")
    rejected = models.CharField(max_length=200, default="rejected")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(port__gte=1, port__lte=65535), name="practice_sftpconnection_port_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"SFTP {self.username}@{self.host}:{self.port}"
