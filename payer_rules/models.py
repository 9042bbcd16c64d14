"""Payer rules: versions of a payer's billing rules, each in force for a span of dates.

The model moved here from payers; its table kept its name (`db_table`), so the move changed no
data (migration 0001 is state-only). payer_rules depends on payers, never the reverse.
"""

from django.db import models

from core.models import TimeStampedModel


class PayerRuleSet(TimeStampedModel):
    """One version of a payer's billing rules, in force from `effective_from` to `effective_to`.

    `rules` is the JSON document read and checked by payer_rules.domain.policy (and policy_checks);
    the services store it in canonical form, so what is stored is what was validated. Versions
    of one payer never overlap (checked by the services under a lock on the payer).
    """

    payer = models.ForeignKey("payers.Payer", on_delete=models.CASCADE, related_name="rule_sets")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    rules = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "payers_payerruleset"  # the table kept its name when the model moved here
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="payers_payerruleset_dates_ordered",  # named before the move; kept
            ),
            models.UniqueConstraint(
                fields=["payer", "effective_from"], name="payers_payerruleset_one_per_start"
            ),
        ]
        ordering = ["payer", "-effective_from"]

    def __str__(self) -> str:
        return f"Rule set {self.pk} from {self.effective_from}"
