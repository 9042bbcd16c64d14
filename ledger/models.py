"""The money ledger: append-only rows in integer cents (docs/decisions, "ledger design").

Every money fact is a `LedgerEntry` that is never updated or deleted (the model and its
queryset refuse; on PostgreSQL a trigger does too). A correction is a new row. Balances are sums,
read through `ledger.selectors`.

Accounts, and what a positive `amount_cents` means in each:
- `insurance`: what a payer still owes on a claim line (the charge adds; payments, contractual
  write-offs, the share moved to the patient and denials parked for a decision subtract).
- `denied`: insurance A/R on a line the payer denied, waiting for a human decision (appeal,
  correct, write off): never written off automatically (R4).
- `patient`: what the patient owes (patient responsibility adds, patient payments subtract; a
  negative balance is a credit).
- `provider`: provider-level (PLB) money, positive when it adds to the payer's deposit (L6
  interest), negative when the payer withheld it (WO recoupment, FB forward balance). Never on a
  patient (R10).
"""

from django.db import models

from core.db.append_only import AppendOnlyModel


class Account(models.TextChoices):
    INSURANCE = "insurance", "Insurance"
    DENIED = "denied", "Denied, needs action"
    PATIENT = "patient", "Patient"
    PROVIDER = "provider", "Provider level"


class EntryKind(models.TextChoices):
    CHARGE = "charge", "Charge"
    INSURANCE_PAYMENT = "insurance_payment", "Insurance payment"
    CONTRACTUAL_ADJUSTMENT = "contractual_adjustment", "Contractual adjustment"
    PATIENT_RESPONSIBILITY = "patient_responsibility", "Patient responsibility"
    DENIAL_PENDING = "denial_pending", "Denied, pending a decision"
    DENIAL_UNDONE = "denial_undone", "Denial undone by a later payment"
    OTHER_ADJUSTMENT = "other_adjustment", "Other payer adjustment"
    REVERSAL = "reversal", "Payer reversal"
    PATIENT_PAYMENT = "patient_payment", "Patient payment"
    PAYMENT_APPLIED = "payment_applied", "Patient credit applied"
    REFUND = "refund", "Refund"
    WRITE_OFF = "write_off", "Write-off"
    PROVIDER_ADJUSTMENT = "provider_adjustment", "Provider-level adjustment"


class PatientPayment(models.Model):
    """Money a patient paid: a copay at the time of service, a payment later, a prepayment.
    What is not applied to a claim stays a credit on the patient's account (P4). The money itself
    is the `patient_payment` ledger entry; only `unapplied_cents` changes (under a row lock)."""

    class Method(models.TextChoices):
        CASH = "cash", "Cash"
        CARD = "card", "Card"
        CHECK = "check", "Check"
        OTHER = "other", "Other"

    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    amount_cents = models.BigIntegerField()
    method = models.CharField(max_length=8, choices=Method.choices)
    reference = models.CharField(max_length=50, blank=True, default="")
    received_on = models.DateField()
    at_time_of_service = models.BooleanField(default=False)
    claim_id = models.BigIntegerField(null=True, blank=True)  # applied to this claim, if any
    unapplied_cents = models.BigIntegerField(default=0)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="ledger_patientpayment_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unapplied_cents__gte=0)
                & models.Q(unapplied_cents__lte=models.F("amount_cents")),
                name="ledger_patientpayment_unapplied_within_amount",
            ),
        ]
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Patient payment {self.pk}"


class LedgerEntry(AppendOnlyModel):
    """One money fact on one account. `claim_id`/`claim_line_id` are plain ids (the claim rows
    are in `claims`, a lower layer; a ledger row outlives any change there)."""

    append_only_message = "Ledger rows are append-only."

    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="+")
    # Indexed by `ledger_entry_patient_account` (patient first): a second index would only slow
    # the posting's COPY.
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    claim_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    claim_line_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    account = models.CharField(max_length=10, choices=Account.choices)
    kind = models.CharField(max_length=24, choices=EntryKind.choices)
    amount_cents = models.BigIntegerField()
    # CAS group and CARC (or the PLB reason) behind an adjustment: "CO", "45"
    group = models.CharField(max_length=2, blank=True, default="")
    reason_code = models.CharField(max_length=5, blank=True, default="")
    # Where the money came from: an ERA (its id, payer and TRN02) or a patient payment (R20).
    era_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    era_claim_id = models.BigIntegerField(null=True, blank=True)
    era_line_id = models.BigIntegerField(null=True, blank=True)
    # Indexed where set only (`ledger_entry_patient_payment`): ERA rows, most of the table, have none.
    patient_payment = models.ForeignKey(
        PatientPayment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
        db_index=False,
    )
    payer_name = models.CharField(max_length=60, blank=True, default="")
    trace_number = models.CharField(max_length=50, blank=True, default="")
    reference = models.CharField(max_length=80, blank=True, default="")
    # The entry this one takes back (a payer reversal, an undone denial), when known.
    reverses_id = models.BigIntegerField(null=True, blank=True)
    occurred_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    memo = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(account="provider") | models.Q(patient__isnull=False),
                name="ledger_ledgerentry_patient_unless_provider_level",
            ),
            models.CheckConstraint(
                condition=~models.Q(account="provider") | models.Q(patient__isnull=True),
                name="ledger_ledgerentry_provider_level_has_no_patient",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="charge") | models.Q(claim_line_id__isnull=False),
                name="ledger_ledgerentry_charge_on_a_line",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["patient_payment", "refund"])
                | models.Q(patient_payment__isnull=False),
                name="ledger_ledgerentry_patient_money_names_the_payment",
            ),
            # One charge row per claim line: posting makes sure it exists, idempotently.
            models.UniqueConstraint(
                fields=["claim_line_id"],
                condition=models.Q(kind="charge"),
                name="ledger_ledgerentry_one_charge_per_line",
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "account"], name="ledger_entry_patient_account"),
            models.Index(
                fields=["patient_payment"],
                condition=models.Q(patient_payment__isnull=False),
                name="ledger_entry_patient_payment",
            ),
        ]
        ordering = ["occurred_on", "pk"]

    def __str__(self) -> str:
        return f"Ledger entry {self.pk} ({self.kind})"


class PatientStatement(models.Model):
    """A statement sent (or ready to send) to a patient: one per patient per statement date
    (generation is idempotent on that pair). `content` is the snapshot the PDF is laid out
    from, so a statement reprints exactly as sent; the totals are the ledger's on that day."""

    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    statement_date = models.DateField()
    amount_due_cents = models.BigIntegerField(default=0)
    credit_cents = models.BigIntegerField(default=0)
    insurance_pending_cents = models.BigIntegerField(default=0)
    unapplied_cents = models.BigIntegerField(default=0)
    content = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "patient", "statement_date"], name="ledger_statement_one_per_patient_day"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_due_cents__gte=0) & models.Q(credit_cents__gte=0),
                name="ledger_statement_totals_not_negative",
            ),
        ]
        ordering = ["-statement_date", "-pk"]

    def __str__(self) -> str:
        return f"Statement {self.pk}"
