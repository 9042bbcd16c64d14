"""Received ERAs (835) and what posting made of them.

`EraFile` is one 835 payment (one ST/SE transaction: BPR + TRN) as received, with the raw bytes
kept whatever happens (a malformed file is `rejected` with located errors). A payment is posted
once: a unique constraint on (practice, payer id, TRN02) over the files that count (posted or
held) makes a second copy a `duplicate` row that adds nothing (R1). `EraClaim` and `EraLine`
are the CLP and SVC loops with what each matched and why; `PostingException` is the queue of
what could not be posted automatically; `Underpayment` flags lines paid below the contract.
Amounts are integer cents.
"""

from django.db import models


class EraStatus(models.TextChoices):
    POSTED = "posted", "Posted"
    HELD = "held", "Held: out of balance"
    DUPLICATE = "duplicate", "Duplicate"
    REJECTED = "rejected", "Rejected"


class EraSource(models.TextChoices):
    UPLOAD = "upload", "Uploaded"
    COMMAND = "command", "Imported (era_import)"
    CLEARINGHOUSE = "clearinghouse", "Clearinghouse inbox"
    MANUAL = "manual", "Entered by hand"


class EraFile(models.Model):
    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200, blank=True, default="")
    raw = models.BinaryField()
    sha256 = models.CharField(max_length=64, db_index=True)
    # Which ST/SE of the interchange this row is (several payments may share one file).
    transaction_index = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=EraStatus.choices)
    source = models.CharField(max_length=14, choices=EraSource.choices, default=EraSource.UPLOAD)
    inbound_file_id = models.BigIntegerField(null=True, blank=True)  # claims.InboundFile, when collected
    payer_id = models.CharField(max_length=80, blank=True, default="")
    payer_name = models.CharField(max_length=60, blank=True, default="")
    payee_name = models.CharField(max_length=60, blank=True, default="")
    payee_npi = models.CharField(max_length=10, blank=True, default="")
    payee_tax_id = models.CharField(max_length=20, blank=True, default="")
    trace_number = models.CharField(max_length=50, blank=True, default="")
    payment_cents = models.BigIntegerField(default=0)
    payment_method = models.CharField(max_length=3, blank=True, default="")
    payment_date = models.DateField(null=True, blank=True)
    balanced = models.BooleanField(default=False)
    # [{"message", "segment", "position"}]: parse errors, imbalances, tolerated warnings
    errors = models.JSONField(default=list, blank=True)
    claim_count = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField()
    posted_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    force_reason = models.TextField(blank=True, default="")  # a held file posted anyway

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "payer_id", "trace_number"],
                condition=models.Q(status__in=["posted", "held"]),
                name="remittance_erafile_payment_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["posted", "held"]) | ~models.Q(trace_number=""),
                name="remittance_erafile_counted_has_trace",
            ),
        ]
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"ERA {self.pk} ({self.status})"


class EraClaimState(models.TextChoices):
    POSTED = "posted", "Posted"
    EXCEPTION = "exception", "In the exceptions queue"
    NOT_POSTED = "not_posted", "Not posted (file held or rejected)"


class EraClaim(models.Model):
    """One CLP loop: what the payer said about one of our claims."""

    era = models.ForeignKey(EraFile, on_delete=models.CASCADE, related_name="claims")
    position = models.PositiveIntegerField()  # order in the file
    patient_control_number = models.CharField(max_length=38)
    status_code = models.CharField(max_length=2)
    charge_cents = models.BigIntegerField()
    paid_cents = models.BigIntegerField()
    patient_responsibility_cents = models.BigIntegerField(null=True, blank=True)
    payer_claim_number = models.CharField(max_length=50, blank=True, default="")
    frequency_code = models.CharField(max_length=1, blank=True, default="")
    patient_name = models.CharField(max_length=80, blank=True, default="")
    member_id = models.CharField(max_length=80, blank=True, default="")
    corrected_member_id = models.CharField(max_length=80, blank=True, default="")  # NM1*74 (R16)
    crossover = models.BooleanField(default=False)  # forwarded to the next payer (R15)
    adjustments = models.JSONField(default=list, blank=True)  # claim-level CAS
    remarks = models.JSONField(default=list, blank=True)  # MIA/MOA
    service_from = models.DateField(null=True, blank=True)
    segment_number = models.PositiveIntegerField(default=0)
    # The claim it posted to (claims.Claim id); null while unmatched.
    claim_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    match_reason = models.CharField(max_length=200, blank=True, default="")
    state = models.CharField(max_length=10, choices=EraClaimState.choices)
    reversed_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    variance_cents = models.BigIntegerField(default=0)  # a takeback unlike the original (R12)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["era", "position"], name="remittance_eraclaim_position_once"),
        ]
        ordering = ["era_id", "position"]

    def __str__(self) -> str:
        return f"ERA claim {self.pk}"

    @property
    def is_reversal(self) -> bool:
        return self.status_code == "22"


class EraLine(models.Model):
    """One SVC loop: a service line as paid, with the code we billed when the payer changed it."""

    era_claim = models.ForeignKey(EraClaim, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    code = models.CharField(max_length=48)
    modifiers = models.CharField(max_length=16, blank=True, default="")  # "95" or "HO-95"
    original_code = models.CharField(max_length=48, blank=True, default="")  # SVC06
    original_modifiers = models.CharField(max_length=16, blank=True, default="")
    units = models.CharField(max_length=12, blank=True, default="")
    service_date = models.DateField(null=True, blank=True)
    charge_cents = models.BigIntegerField()
    paid_cents = models.BigIntegerField()
    allowed_cents = models.BigIntegerField(null=True, blank=True)  # AMT*B6: shown, never used
    adjustments = models.JSONField(default=list, blank=True)  # [{group, reason, cents, quantity}]
    remarks = models.JSONField(default=list, blank=True)  # LQ*HE RARCs
    control_number = models.CharField(max_length=50, blank=True, default="")  # REF*6R
    segment_number = models.PositiveIntegerField(default=0)
    claim_line_id = models.BigIntegerField(null=True, blank=True, db_index=True)  # claims.ClaimLine
    match_reason = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["era_claim", "position"], name="remittance_eraline_position_once"
            ),
        ]
        ordering = ["era_claim_id", "position"]

    def __str__(self) -> str:
        return f"ERA line {self.pk}"


class PostingException(models.Model):
    """What posting could not do alone: a claim or line that matches nothing or is ambiguous, a
    claim out of balance, a reversal without its original. Resolved by a manual match (which
    posts the claim) or dismissed with a reason."""

    class Kind(models.TextChoices):
        UNMATCHED_CLAIM = "unmatched_claim", "No claim has this patient control number"
        UNMATCHED_LINE = "unmatched_line", "A line matches no billed line"
        AMBIGUOUS_LINE = "ambiguous_line", "A line matches several billed lines"
        OUT_OF_BALANCE = "out_of_balance", "Out of balance"
        REVERSAL_WITHOUT_ORIGINAL = "reversal_orphan", "A reversal without its original posting"
        ALREADY_PAID = "already_paid", "Already paid: a reversal was expected first"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="+")
    era = models.ForeignKey(EraFile, on_delete=models.CASCADE, related_name="exceptions")
    era_claim = models.ForeignKey(EraClaim, on_delete=models.CASCADE, related_name="exceptions")
    era_line = models.ForeignKey(
        EraLine, null=True, blank=True, on_delete=models.CASCADE, related_name="exceptions"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    message = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(resolved_at__isnull=False),
                name="remittance_postingexception_resolved_has_time",
            ),
        ]
        indexes = [models.Index(fields=["practice", "status"], name="remit_exception_queue")]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Posting exception {self.pk} ({self.kind})"


class Underpayment(models.Model):
    """A line paid below the contracted rate (less the patient's share)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="+")
    era_line = models.OneToOneField(EraLine, on_delete=models.CASCADE, related_name="underpayment")
    claim_id = models.BigIntegerField()
    claim_line_id = models.BigIntegerField()
    expected_cents = models.BigIntegerField()
    paid_cents = models.BigIntegerField()
    difference_cents = models.BigIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(difference_cents__gt=0), name="remittance_underpayment_positive"
            ),
        ]
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"Underpayment {self.pk}"


class ProviderLevelItem(models.Model):
    """Provider-level money carried between payments (R10, R11): a PLB FB forward balance, or a
    WO/72 recoupment whose reference names none of our claims. Open until a later ERA from the
    same payer carries the opposite amount with the same reason and reference
    (`remittance.domain.provider_items`). The ledger rows are written by posting either way."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        OFFSET = "offset", "Offset by a later ERA"
        CLOSED = "closed", "Closed by hand"

    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="+")
    era = models.ForeignKey(EraFile, on_delete=models.PROTECT, related_name="provider_items")
    payer_id = models.CharField(max_length=80)  # as on the ERA (REF*2U, else TRN03)
    payer_name = models.CharField(max_length=60, blank=True, default="")
    reason = models.CharField(max_length=3)  # PLB03-1
    reference = models.CharField(max_length=80, blank=True, default="")  # PLB03-2
    amount_cents = models.BigIntegerField()  # PLB04: positive taken from the payment, negative added
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    offset_by = models.ForeignKey(
        EraFile, null=True, blank=True, on_delete=models.PROTECT, related_name="offset_provider_items"
    )
    offset_at = models.DateTimeField(null=True, blank=True)
    # settled outside the 835s (a check sent back, a payer's letter): closed by a biller, with why
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(status="open") & models.Q(offset_by__isnull=True))
                | (
                    models.Q(status="offset")
                    & models.Q(offset_by__isnull=False)
                    & models.Q(offset_at__isnull=False)
                )
                | (models.Q(status="closed") & models.Q(offset_by__isnull=True)),
                name="remittance_providerlevelitem_offset_has_era",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | (models.Q(closed_at__isnull=False) & ~models.Q(close_reason="")),
                name="remittance_providerlevelitem_closed_says_why",
            ),
            models.CheckConstraint(
                condition=~models.Q(amount_cents=0), name="remittance_providerlevelitem_not_zero"
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "status", "payer_id"], name="remit_provider_item_open"),
        ]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Provider-level item {self.pk} ({self.reason} {self.status})"
