"""Remittance (835) posting: received ERAs (`models`), the posting service, the exceptions queue
and underpayments. Pure rules in `remittance.domain` (matching and the posting plan) and
`remittance/data/carc.json` (our CARC/RARC table)."""
