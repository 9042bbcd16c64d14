"""Pure ledger rules: balances and invariants over plain values."""
