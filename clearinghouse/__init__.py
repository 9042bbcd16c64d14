"""Clearinghouse adapters: the interface the eligibility workflow calls (`interface`) and the
sandbox payer simulator (`sandbox`). Pure Python here; Django picks the adapter per practice."""
